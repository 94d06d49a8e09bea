"""`chargecheck test`: the rule test cases run, then their coverage of the rules."""

import sys
from enum import StrEnum
from typing import Annotated

import typer

from chargecheck.cli.commands.options import exit_with, single
from chargecheck.cli.conventions import Command
from chargecheck.cli.runner import EXIT_FINDINGS, EXIT_OK, guarded

cli = single()


class TestFormat(StrEnum):
    text = "text"
    junit = "junit"
    github = "github"
    sarif = "sarif"


class CoverageScope(StrEnum):
    own = "own"
    all = "all"


@cli.command("test", cls=Command)
def test_rules(
    paths: Annotated[list[str] | None, typer.Argument(
        metavar="RULES_DIR...", help="Rule sets or local rule packs (default: the bundled "
        "rule set).", show_default=False)] = None,
    output: Annotated[TestFormat, typer.Option("--format", help="Output format.")] = (
        TestFormat.text),
    coverage: Annotated[CoverageScope, typer.Option(
        "--coverage", help="Whose coverage to show: the rules under test (a pack's own) or "
        "all that were loaded.")] = CoverageScope.own,
    fail_under: Annotated[float | None, typer.Option(
        "--fail-under", metavar="PERCENT", min=0, max=100, help="Exit 1 if coverage (the "
        "outcomes exercised, of those possible) is below PERCENT.", show_default=False)
    ] = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print nothing when every test passes; in text, only what failed "
        "and the summary line.")] = False,
) -> None:
    """Run the rule test cases: what must fire, stay silent or be not assessed.

    Prints the results, then the coverage of the rules under test, then one summary line.

    \b
    Examples:
      chargecheck test
      chargecheck test my-pack/ --fail-under 90
      chargecheck test --format junit my-pack/ > rule-tests.xml
      chargecheck test -q my-pack/ --fail-under 90
    """
    def run() -> int:
        # On use: the rule checker and the engine.
        from chargecheck.cli.rule_tests import run_tests
        from chargecheck.reports.test_report import printed

        result = run_tests(paths or [], coverage is CoverageScope.all, fail_under)
        sys.stdout.write(printed(result, output.value, quiet))
        return EXIT_OK if result.ok() else EXIT_FINDINGS

    exit_with(guarded(run))
