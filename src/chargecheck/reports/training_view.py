"""`chargecheck scenarios list | show | run`: training scenarios on a trainer's screen.

Scenario text is data, never markup: the console has markup and highlighting off and
every string goes in as a `Text`, with control characters shown as escapes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from chargecheck import ADVISORY
from chargecheck.case.scenarios import Scenario, load_scenario, names
from chargecheck.engine.assess import assess
from chargecheck.reports.escaping import safe
from chargecheck.reports.options import ReportOptions
from chargecheck.reports.text_report import render as render_text
from chargecheck.rulebook.ruleset import RuleSet


def _console() -> Console:
    return Console(markup=False, highlight=False, emoji=False)


def _heading(console: Console, title: str) -> None:
    console.print()
    console.print(Text(title, style="bold underline"))


def _items(console: Console, lines: Iterable[str], numbered: bool = False) -> None:
    """A list whose wrapped lines stay indented under their first line."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for n, line in enumerate(lines, 1):
        grid.add_row(Text(f"  {n}." if numbered else "  -"), Text(safe(line)))
    console.print(grid)


def print_list() -> None:
    """A table of every scenario: name, title and what it teaches."""
    table = Table()
    table.add_column("Name", no_wrap=True)  # the trainer types it: never cut it short
    table.add_column("Title")
    table.add_column("What it teaches", overflow="fold")
    for name in names():
        notes = load_scenario(name).notes
        taught = Text(safe(notes.summary)) + Text(f"\n[{', '.join(notes.teaches)}]", style="dim")
        table.add_row(Text(name), Text(safe(notes.title)), taught)
    _console().print(table)


def _header(console: Console, scenario: Scenario) -> None:
    notes = scenario.notes
    console.print(Text(f"Scenario: {safe(notes.title)}  ({scenario.name})", style="bold"))
    console.print(Text("Synthetic training case: names, dates and details are invented."))
    console.print(Text(safe(notes.summary)))
    console.print(Text(f"Teaches: {', '.join(notes.teaches)}", style="dim"))


def _answer(console: Console, scenario: Scenario) -> None:
    _heading(console, "Model answer")
    _items(console, scenario.notes.model_answer)
    _heading(console, "The law")
    _items(console, scenario.notes.law)


def show(name: str) -> None:
    """Every teaching note, then the case file exactly as written."""
    scenario, console = load_scenario(name), _console()
    _header(console, scenario)
    _heading(console, "What happened")
    _items(console, scenario.notes.narrative, numbered=True)
    _heading(console, "Questions for trainees")
    _items(console, scenario.notes.questions, numbered=True)
    _answer(console, scenario)
    _heading(console, "The case file")
    console.print(Text(safe(scenario.case_text)))
    _advisory(console)


def _advisory(console: Console) -> None:
    console.print(Text(ADVISORY.upper(), style="bold"))


def _pauser(enabled: bool) -> Callable[[], None]:
    """Wait for Enter between steps; stop waiting if input ends."""
    def pause() -> None:
        nonlocal enabled
        if enabled:
            try:
                input("-- press Enter for the next step --")
            except EOFError:
                enabled = False
    return pause


def run(name: str, pause_between: bool, rules: RuleSet) -> None:
    """The narrative step by step, then the questions, the live assessment, the answer."""
    scenario, console = load_scenario(name), _console()
    pause = _pauser(pause_between)
    _header(console, scenario)
    steps = scenario.notes.narrative
    for n, step in enumerate(steps, 1):
        _heading(console, f"Step {n} of {len(steps)}")
        console.print(Text(safe(step)))
        pause()
    _heading(console, "Questions for trainees")
    _items(console, scenario.notes.questions, numbered=True)
    pause()
    _heading(console, "Live assessment (chargecheck assess)")
    result = assess(scenario.case, rules)
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    options = ReportOptions(terminal=colour, rules=rules)
    sys.stdout.write(render_text(result, scenario.case, options))
    pause()
    _answer(console, scenario)
    console.print()
    _advisory(console)
