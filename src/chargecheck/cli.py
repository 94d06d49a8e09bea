"""The `chargecheck` command line. Thin: parse, call, render, choose the exit code.

Only typer is imported at the top: yaml, pydantic, the rule set and rich are
imported inside the commands that need them, so `--help` and `--format json`
stay fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, NoReturn

import typer

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Advisory checks of stalking and harassment charging decisions (England and Wales). "
    "Advisory only: not legal advice.",
)


def _show_version(value: bool) -> None:
    if value:
        from chargecheck import __version__

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
    """


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class Severity(StrEnum):
    info = "info"
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


CasePath = Annotated[str, typer.Argument(help="The case file (YAML).", show_default=False)]
RulesOption = Annotated[
    str | None, typer.Option("--rules", help="A rule directory to use instead of the bundled one.")
]


@app.command()
def assess(
    case: CasePath,
    output: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = (
        OutputFormat.text),
    rules: RulesOption = None,
    fail_on: Annotated[Severity, typer.Option(
        "--fail-on", help="Exit 1 if any finding is at or above this severity.")] = Severity.high,
) -> None:
    """Assess one case file: offences, FOUR indicators, escalation and findings."""
    def run() -> int:
        from chargecheck.engine import assess as judge
        from chargecheck.loading import load_case
        from chargecheck.ruleset import load_ruleset

        ruleset = load_ruleset(rules)
        result = judge(load_case(case), ruleset)
        if output is OutputFormat.json:
            import json

            sys.stdout.write(json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n")
        else:
            from chargecheck.report_text import render_text

            render_text(result)
        return EXIT_FINDINGS if result.fails(fail_on.value) else EXIT_OK

    _exit(_guarded(run))


def _guarded(run: Callable[[], int]) -> int:
    """Run a command body: input errors exit 2 with their messages, bugs exit 3."""
    from chargecheck.errors import InputError

    try:
        return run()
    except InputError as exc:
        for problem in exc.problems:
            sys.stderr.write(f"error: {problem}\n")
        return EXIT_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except Exception as exc:  # anything else is our bug: say so, never show a traceback
        if os.environ.get("CHARGECHECK_DEBUG"):
            raise
        sys.stderr.write(
            f"internal error ({type(exc).__name__}); this is a bug in chargecheck. "
            "Set CHARGECHECK_DEBUG=1 to see details.\n"
        )
        return EXIT_INTERNAL


def _exit(code: int) -> NoReturn:
    raise typer.Exit(code)


def main() -> None:
    """Console-script entry point."""
    app()
