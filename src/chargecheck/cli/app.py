"""The `chargecheck` command line: the root, and where each command lives.

Each command is declared in its own module under `chargecheck.cli.commands` (parameters,
help, a call into the module that does the work) and imported only when it is used or its
own help is asked for (`chargecheck.cli.on_demand`). The commands' modules import yaml,
pydantic, the rule set and rich only inside the commands that need them, so `--help` and
`--format json` stay fast. Annotations are evaluated at definition, not postponed: typer
reads every command's signature when it builds it, and evaluating postponed annotations from
strings cost about a third of `--help`.
"""

from collections.abc import Mapping
from typing import Annotated, ClassVar

import typer

from chargecheck import __version__
from chargecheck.cli.on_demand import OnDemand, OnDemandGroup, commands_in


class Root(OnDemandGroup):
    """The commands in the order the root help lists them, each with the first paragraph of
    its help (tests/test_on_demand.py keeps the two equal); a command's module in
    `chargecheck.cli.commands` bears its name."""

    table: ClassVar[Mapping[str, OnDemand]] = commands_in("chargecheck.cli.commands", {
        "assess": "Assess one case file: offences, FOUR indicators, escalation and findings.",
        "validate": "Check rule directories and case files; report every problem with file "
                    "and line.",
        "test": "Run the rule test cases: what must fire, stay silent or be not assessed.",
        "explain": "Explain one rule: why it matters, its condition in plain English, its law.",
        "schema": "Print the JSON Schema of case files or rule files.",
        "audit": "Review many case files: the scrutiny-panel table of findings, escalation and "
                 "charges.",
        "timeline": "Draw the course of conduct: incidents, gaps, frequency and the six-month "
                    "window.",
        "new": "Write a case file by answering a prosecutor's questions, each checked as it is "
               "given.",
        "rules": "List, document and compare the rules.",
        "scenarios": "Training scenarios for trainers: list, show, run and export them.",
    })


app = typer.Typer(
    cls=Root,
    add_completion=True,  # --install-completion; entry.py leaves completion to typer
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Advisory checks of stalking and harassment charging decisions (England and Wales). "
    "Advisory only: not legal advice.\n\n\b\nExamples:\n  chargecheck assess case.yaml\n"
    "  chargecheck validate my-pack/\n  chargecheck scenarios list",
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"chargecheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option(
        "--version", callback=_show_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Advisory checks of stalking and harassment charging decisions (England and Wales).

    Advisory only: not legal advice; check current CPS legal guidance.

    \b
    Examples:
      chargecheck assess case.yaml
      chargecheck validate my-pack/
      chargecheck scenarios list
    """


def main() -> None:
    """Run the command line through typer alone (the console script is `chargecheck.cli.entry`)."""
    app(prog_name="chargecheck")
