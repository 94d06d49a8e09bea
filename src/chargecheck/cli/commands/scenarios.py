"""`chargecheck scenarios list|show|run|export`: the training scenarios."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from chargecheck.cli.commands.options import exit_with
from chargecheck.cli.conventions import Command, Group
from chargecheck.cli.runner import EXIT_OK, guarded

cli = typer.Typer(
    name="scenarios", cls=Group, add_completion=False, no_args_is_help=True,
    help="Training scenarios for trainers: list, show, run and export them.\n\n\b\n"
    "Examples:\n  chargecheck scenarios list\n  chargecheck scenarios run seven-websites")
ScenarioName = Annotated[str, typer.Argument(
    metavar="NAME", help="A scenario name (see `chargecheck scenarios list`).", show_default=False)]


@cli.command("list", cls=Command)
def scenarios_list() -> None:
    """Every bundled training scenario: name, title and what it teaches.

    \b
    Examples:
      chargecheck scenarios list
    """
    def run() -> int:
        # On use: the scenarios' models and rich.
        from chargecheck.reports.training_view import print_list

        print_list()
        return EXIT_OK

    exit_with(guarded(run))


@cli.command("show", cls=Command)
def scenarios_show(
    name: ScenarioName,
    handout: Annotated[bool, typer.Option(
        "--handout", help="Only the facts and the questions, to project or hand out.")] = False,
    answers: Annotated[bool, typer.Option(
        "--answers", help="Only the model answer, the law and what the tool should show.")
    ] = False,
) -> None:
    """Print a scenario's teaching notes and its case file.

    \b
    Examples:
      chargecheck scenarios show knife-threat-pin
      chargecheck scenarios show knife-threat-pin --handout
    """
    def run() -> int:
        # On use: the scenarios' models and rich.
        from chargecheck.errors import InputError
        from chargecheck.reports.training_view import show

        if handout and answers:
            raise InputError.one(name, None, (), "choose --handout or --answers, not both")
        show(name, handout=handout, answers=answers)
        return EXIT_OK

    exit_with(guarded(run))


@cli.command("run", cls=Command)
def scenarios_run(
    name: ScenarioName,
    no_pause: Annotated[bool, typer.Option(
        "--no-pause", help="Do not wait for Enter between steps.")] = False,
) -> None:
    """Walk through a scenario: what happened, questions, live assessment, model answer.

    \b
    Examples:
      chargecheck scenarios run seven-websites
      chargecheck scenarios run seven-websites --no-pause
    """
    def run() -> int:
        # On use: the scenarios, the rule set, the engine and rich.
        from chargecheck.cli.rule_loading import load_rules
        from chargecheck.reports.training_view import run as walk_through

        paged = not no_pause and sys.stdin.isatty() and sys.stdout.isatty()
        with _no_echoed_interrupt(paged):
            return walk_through(name, paged, load_rules(None))

    exit_with(guarded(run))


@contextmanager
def _no_echoed_interrupt(active: bool) -> Iterator[None]:
    """While a scenario is on screen, Ctrl-C leaves without the terminal echoing `^C`."""
    if not active:
        yield
        return
    # On use: the terminal's settings (POSIX only; elsewhere the echo stays).
    try:
        import termios

        saved = termios.tcgetattr(sys.stdin.fileno())
    except (ImportError, OSError):
        yield
        return
    quiet = list(saved)
    quiet[3] &= ~termios.ECHOCTL
    termios.tcsetattr(sys.stdin.fileno(), termios.TCSANOW, quiet)
    try:
        yield
    finally:
        termios.tcsetattr(sys.stdin.fileno(), termios.TCSANOW, saved)


@cli.command("export", cls=Command)
def scenarios_export(
    name: ScenarioName,
    output: Annotated[str, typer.Option(
        "--output", "-o", metavar="FILE", help="The case file to write.", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a scenario's case as a case file that `assess` reads.

    \b
    Examples:
      chargecheck scenarios export seven-websites -o case.yaml
    """
    def run() -> int:
        # On use: the scenarios, the case loader and the schema path of the intake.
        from chargecheck.case.loading import load_case
        from chargecheck.case.scenarios import case_file, load_scenario
        from chargecheck.cli.intake import schema_path
        from chargecheck.reports.output_files import write_report

        content = case_file(load_scenario(name), schema_path(output))
        load_case(output, content)  # what is written must read back as a case
        write_report(content, output, [], force)
        sys.stderr.write(f"Wrote {output}. Assess it with: chargecheck assess {output}\n")
        return EXIT_OK

    exit_with(guarded(run))
