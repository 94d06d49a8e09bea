"""`chargecheck validate`: rule directories and case files checked, every problem at once."""

import sys
from enum import StrEnum
from typing import Annotated

import typer

from chargecheck.cli.commands.options import exit_with, single
from chargecheck.cli.conventions import Command
from chargecheck.cli.runner import EXIT_FINDINGS, EXIT_OK, guarded

cli = single()


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    junit = "junit"


@cli.command(cls=Command)
def validate(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATHS...", help="Rule directories (a rule set or a local pack) and case files "
        "or directories of them.", show_default=False)],
    output: Annotated[CheckFormat, typer.Option("--format", help="Output format.")] = (
        CheckFormat.text),
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print nothing when there is no problem; in text, only the "
        "problems.")] = False,
) -> None:
    """Check rule directories and case files; report every problem with file and line.

    \b
    Examples:
      chargecheck validate rules/ examples/
      chargecheck validate --format github my-pack/ cases/
      chargecheck validate --format sarif my-pack/ > validate.sarif
      chargecheck validate -q my-pack/ cases/
    """
    def run() -> int:
        # On use, as in every command: its own --help loads none of these modules.
        from chargecheck.cli.validate import printed, validate_paths

        report = validate_paths(paths)
        sys.stdout.write(printed(report, output.value, quiet))
        return EXIT_FINDINGS if report.problems else EXIT_OK

    exit_with(guarded(run))
