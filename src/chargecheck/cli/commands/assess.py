"""`chargecheck assess`: one case file, judged and reported.

A well-formed `assess` line usually arrives through `chargecheck.cli.entry`'s fast path,
which calls `runner.assess` directly; this module is what typer reads for everything else
(help, a mistake, an unusual spelling). tests/test_entry.py keeps the two in step.
"""

from enum import StrEnum
from typing import Annotated, Any

import typer

from chargecheck.cli.commands.options import CasePath, FailOn, RulesOption, exit_with, single
from chargecheck.cli.conventions import Command
from chargecheck.cli.runner import assess as run_assess
from chargecheck.cli.runner import guarded, settle_explain

cli = single()


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


class ColorMode(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


class AssessCommand(Command):
    """`assess`, whose `--explain` may be given alone or with an id: the line is read
    through `runner.settle_explain` first, as the fast path reads it."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        values = {o for p in self.params if getattr(p, "param_type_name", "") == "option"
                  and not getattr(p, "is_flag", False) for o in getattr(p, "opts", ())}
        return super().parse_args(ctx, settle_explain(args, values))


@cli.command(cls=AssessCommand)
def assess(
    case: CasePath,
    output_format: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = (
        OutputFormat.text),
    rules: RulesOption = None,
    fail_on: Annotated[FailOn, typer.Option(
        "--fail-on", help="Exit 1 if any finding is at or above this severity; never: exit 0 "
        "whatever is found.")] = FailOn.high,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="FILE", help="Write the report to this file (atomically).")
    ] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace an existing --output file.")] = False,
    show_names: Annotated[bool, typer.Option(
        "--show-names", help="Print names recorded in the case (labels are used otherwise).")
    ] = False,
    explain: Annotated[list[str] | None, typer.Option(
        "--explain", metavar="[OFFENCE-OR-RULE]", help="Show the law element by element and "
        "why each indicator, element and near miss came out as it did; with an offence or rule "
        "id, such as pha-s4a or UC-001 (repeatable), only that one.", show_default=False)
    ] = None,
    changes: Annotated[list[str] | None, typer.Option(
        "--set", metavar="FACT=VALUE", help="What-if: change a fact, e.g. "
        "victims.V1.very_frightened=true (repeatable); shows what changes.")] = None,
    color: Annotated[ColorMode, typer.Option(
        "--color", help="Colour the text report: auto (a terminal, unless NO_COLOR is set), "
        "always or never.")] = ColorMode.auto,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print nothing: the exit code tells (--output still writes the "
        "report).")] = False,
) -> None:
    """Assess one case file: offences, FOUR indicators, escalation and findings.

    \b
    Examples:
      chargecheck assess case.yaml
      chargecheck assess case.yaml --format json --fail-on never
      chargecheck assess case.yaml --explain
      chargecheck assess case.yaml --explain pha-s4a --explain UC-001
      chargecheck assess - < case.yaml
      chargecheck assess case.yaml --quiet --fail-on critical
    """
    exit_with(guarded(lambda: run_assess(
        case, output_format.value, rules, fail_on.value, output, force, show_names,
        explain, changes, color.value, quiet)))
