"""`chargecheck new`: a case file written by answering questions."""

from typing import Annotated

import typer

from chargecheck.cli.commands.options import exit_with, single
from chargecheck.cli.conventions import Command
from chargecheck.cli.runner import guarded

cli = single()


@cli.command("new", cls=Command)
def new_case(
    path: Annotated[str, typer.Argument(
        metavar="CASE", help="The case file to write.", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    resume: Annotated[bool, typer.Option(
        "--resume", help="Continue the draft (CASE.draft) at the next unanswered question.")
    ] = False,
) -> None:
    """Write a case file by answering a prosecutor's questions, each checked as it is given.

    Type ? for the allowed words and b to go back. Every answer is saved in CASE.draft,
    so Ctrl-C loses nothing: continue with --resume.

    \b
    Examples:
      chargecheck new case.yaml
      chargecheck new case.yaml --resume
    """
    def run() -> int:
        # On use: the interview, yaml, the case model and the rule set's glossary.
        from chargecheck.cli.intake import intake

        return intake(path, force, resume=resume)

    exit_with(guarded(run))
