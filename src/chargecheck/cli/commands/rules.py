"""`chargecheck rules list|docs|diff`: the rules as a table, as documentation, and what a
change to them does."""

import os
import sys
from enum import StrEnum
from typing import Annotated

import typer

from chargecheck.cli.commands.options import JobsOption, RulesOption, exit_with
from chargecheck.cli.conventions import Command, Group
from chargecheck.cli.runner import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, guarded

cli = typer.Typer(
    name="rules", cls=Group, add_completion=False, no_args_is_help=True,
    help="List, document and compare the rules.\n\n\b\nExamples:\n  chargecheck rules list\n"
    "  chargecheck rules docs > docs/rules.md\n  chargecheck rules diff old-rules/ rules/ cases/")


@cli.command("list", cls=Command)
def rules_list(rules: RulesOption = None) -> None:
    """A table of every rule: id, category, severity, in force, citation.

    \b
    Examples:
      chargecheck rules list
      chargecheck rules list --rules my-pack/
    """
    def run() -> int:
        # On use: rich's table and the rule set.
        from rich.console import Console
        from rich.table import Table

        from chargecheck.cli.rule_loading import load_rules
        from chargecheck.rulebook.rule_docs import in_force_text, rule_data

        table = Table()
        for column in ("Rule", "Category", "Severity"):  # looked up and grepped: never cut
            table.add_column(column, no_wrap=True)
        for column in ("In force", "Citation", "Title"):
            table.add_column(column, overflow="fold")  # a long word wraps, never lost
        for r in rule_data(load_rules(rules)):
            table.add_row(r["id"], r["category"], r["severity"], in_force_text(r),
                          r["citations"][0], r["title"])
        console = Console(markup=False, highlight=False)
        console.width = max(console.width, 80)  # narrower, rich would drop whole columns
        console.print(table)
        return EXIT_OK

    exit_with(guarded(run))


@cli.command("docs", cls=Command)
def rules_docs(rules: RulesOption = None) -> None:
    """Print docs/rules.md, generated from the rule set.

    \b
    Examples:
      chargecheck rules docs > docs/rules.md
    """
    def run() -> int:
        # On use: the rule set and its documentation.
        from chargecheck.cli.rule_loading import load_rules
        from chargecheck.rulebook.directory import test_directories
        from chargecheck.rulebook.rule_docs import markdown
        from chargecheck.rulebook.rule_tests import firing_examples

        examples = firing_examples(*test_directories(rules))
        sys.stdout.write(markdown(load_rules(rules), examples))
        return EXIT_OK

    exit_with(guarded(run))


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


@cli.command("diff", cls=Command)
def rules_diff(
    old: Annotated[str, typer.Argument(
        metavar="OLD_RULES", help="The rule set (or local pack) before the change.",
        show_default=False)],
    new: Annotated[str, typer.Argument(
        metavar="NEW_RULES", help="The rule set (or local pack) after the change.",
        show_default=False)],
    paths: Annotated[list[str], typer.Argument(
        metavar="CASES...", help="Case files, directories (searched for *.yaml, *.yml) or "
        "glob patterns.", show_default=False)],
    output: Annotated[DiffFormat, typer.Option("--format", help="Output format.")] = (
        DiffFormat.text),
    jobs: JobsOption = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print nothing but the case files that cannot be read: the exit "
        "code tells (as git diff --quiet).")] = False,
) -> None:
    """Show what a rule change does: each case assessed under both rule sets.

    Per case: findings gained and lost, severity changes, and offence statuses, maxima
    and recommended charges that change, with totals. Exit 1 when anything changes (as
    `git diff --exit-code` does), 0 when nothing does, 2 on bad input.

    \b
    Examples:
      chargecheck rules diff old-rules/ rules/ cases/
      chargecheck rules diff rules/ my-pack/ cases/ --format markdown > change.md
      chargecheck rules diff old-rules/ rules/ 'cases/**/*.yaml' --jobs 4
      chargecheck rules diff -q old-rules/ rules/ cases/
    """
    def run() -> int:
        # On use: the rule sets, the engine and the diff report.
        from chargecheck.cli.rules_diff import run_diff, show

        diff = run_diff(old, new, paths, jobs or os.cpu_count() or 1, progress=not quiet)
        show(diff, output.value, quiet)
        return EXIT_INPUT if diff.problems else EXIT_FINDINGS if diff.changed else EXIT_OK

    exit_with(guarded(run))
