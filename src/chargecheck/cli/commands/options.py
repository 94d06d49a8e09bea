"""Parameters several commands share, declared once, and how a command hands back its exit
code."""

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from chargecheck.cli.runner import NEVER
from chargecheck.scales import Severity

# A `--fail-on` threshold: a severity, or `never` to keep exit 0 whatever is found. Built
# from the one scale of severities; mypy is shown that scale, and `never` is compared as text.
if TYPE_CHECKING:
    FailOn = Severity
else:
    FailOn = StrEnum("FailOn", [*(s.value for s in Severity), NEVER])


CasePath = Annotated[str, typer.Argument(
    metavar="CASE", help="The case file (YAML); - reads it from standard input.",
    show_default=False)]
# Value options show what to give (PATH, FILE) rather than a Python type (<list[str]>).
RulesOption = Annotated[list[str] | None, typer.Option(
    "--rules", metavar="PATH", help="A full rule set to use instead of the bundled one, or a "
    "local rule pack to apply on top of it. Repeat for several packs.")]
JobsOption = Annotated[int | None, typer.Option(  # audit and rules diff: one worker pool
    "--jobs", "-j", metavar="N", min=1, help="Worker processes (default: the number of CPUs).",
    show_default=False)]


def exit_with(code: int) -> NoReturn:
    raise typer.Exit(code)


def single() -> typer.Typer:
    """The holder of one command, built into a click command on use (`typer.main.get_command`
    makes a lone command of it, without the root's completion options)."""
    return typer.Typer(add_completion=False)
