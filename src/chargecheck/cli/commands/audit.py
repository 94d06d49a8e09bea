"""`chargecheck audit`: many case files, the scrutiny panel's table."""

import os
from enum import StrEnum
from typing import Annotated

import typer

from chargecheck.cli.commands.options import FailOn, JobsOption, RulesOption, exit_with, single
from chargecheck.cli.conventions import Command
from chargecheck.cli.runner import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, NEVER, guarded
from chargecheck.scales import Severity

cli = single()


class AuditFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    markdown = "markdown"


@cli.command(cls=Command)
def audit(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATHS...",
        help="Case files, directories (searched for *.yaml, *.yml) or glob patterns.",
        show_default=False)],
    output: Annotated[AuditFormat, typer.Option("--format", help="Output format.")] = (
        AuditFormat.text),
    cases: Annotated[bool, typer.Option("--cases", help="Add one line per case.")] = False,
    jobs: JobsOption = None,
    rules: RulesOption = None,
    fail_on: Annotated[FailOn, typer.Option(
        "--fail-on", help="Exit 1 if any case has a finding at or above this severity; never: "
        "exit 0 whatever is found.")] = FailOn.high,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print nothing but the files that cannot be read: the exit code "
        "tells.")] = False,
) -> None:
    """Review many case files: the scrutiny-panel table of findings, escalation and charges.

    A file that cannot be read is reported and counted (exit 2); the rest are still assessed.

    \b
    Examples:
      chargecheck audit cases/ --cases
      chargecheck audit 'cases/2024-*.yaml' --format csv > review.csv
      chargecheck audit cases/ --quiet --fail-on critical
    """
    def run() -> int:
        # On use: multiprocessing, the engine and the audit's reports.
        from chargecheck.cli.audit import run_audit

        never = fail_on == NEVER  # the tally still counts cases at critical
        tally = run_audit(paths, output.value, cases, jobs or os.cpu_count() or 1, rules,
                          Severity.critical.value if never else fail_on.value, quiet)
        failing = tally.failing and not never
        return EXIT_INPUT if tally.invalid else EXIT_FINDINGS if failing else EXIT_OK

    exit_with(guarded(run))
