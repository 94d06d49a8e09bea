"""`chargecheck scenarios list | show | run`: training scenarios on a trainer's screen.

Scenario text is data, never markup: the console has markup and highlighting off and
every string goes in as a `Text`, with control characters shown as escapes.

`run` is a deck of pages for a classroom projector: each page is drawn on a cleared
screen and cut to fit it (80x24 is the smallest screen it is made for), with the keys on
the last line: Enter next, b back, q quit, ? help. The live assessment is its own pages,
by section, most serious first: the bottom line, then the findings from CRITICAL down,
then the offence ladder and the FOUR indicators. Off a terminal (or with --no-pause) the
same pages are printed one after another.
"""

from __future__ import annotations

import io
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from chargecheck import ADVISORY
from chargecheck.case.scenarios import COURSE, Scenario, load_scenario, names, part_of
from chargecheck.engine.assess import assess
from chargecheck.engine.assessment import Assessment
from chargecheck.reports.escaping import safe
from chargecheck.reports.wording import charged_ids, offence_lines
from chargecheck.rulebook.ruleset import RuleSet
from chargecheck.scales import Severity
from chargecheck.spelling import plural

KEYS = "Enter next · b back · q quit · ? help"
HELP = ("Keys: Enter (or n) shows the next page; b goes back one page; q quits; ? shows "
        "this help. Ctrl-C also leaves. Each page fits the screen; a long section goes on "
        "over several pages (1/2, 2/2).")
CLEAR = "\x1b[H\x1b[2J\x1b[3J"


def _console(width: int | None = None, file: io.StringIO | None = None) -> Console:
    return Console(markup=False, highlight=False, emoji=False, width=width, file=file,
                   no_color=file is not None)


def _heading(console: Console, title: str) -> None:
    console.print()
    console.print(Text(title, style="bold underline"))


def _items_table(lines: Iterable[str], numbered: bool = False) -> Table:
    """A list whose wrapped lines stay indented under their first line."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for n, line in enumerate(lines, 1):
        grid.add_row(Text(f"  {n}." if numbered else "  -"), Text(safe(line)))
    return grid


def _items(console: Console, lines: Iterable[str], numbered: bool = False) -> None:
    console.print(_items_table(lines, numbered))


# --- list -------------------------------------------------------------------------------

def print_list() -> None:
    """The course outline, then every scenario in teaching order: name, title and what it
    teaches. Tags wrap between tags, never inside one."""
    console = _console()
    console.print(Text("Course outline (teaching order)", style="bold"))
    console.print(_items_table((f"{title}: {', '.join(part)}" for title, part in COURSE),
                               numbered=True))
    console.print()
    table = Table()
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Name", no_wrap=True)  # the trainer types it: never cut it short
    table.add_column("Title and what it teaches", ratio=1)
    for n, name in enumerate(names(), 1):
        notes = load_scenario(name).notes
        taught = (Text(safe(notes.title), style="bold") + Text(f" ({part_of(name)})\n")
                  + Text(safe(notes.summary)) + Text("\n")
                  + Text(" ".join(f"[{tag}]" for tag in notes.teaches), style="dim"))
        table.add_row(Text(str(n)), Text(name), taught)
    console.print(table)


# --- show -------------------------------------------------------------------------------

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
    expect = scenario.notes.expect
    _heading(console, "What the tool should show")
    shown = [f"Recommended: {', '.join(expect.recommended) or 'none'}"]
    if expect.findings:
        shown.append(f"Findings: {', '.join(expect.findings)}")
    if expect.silent:
        shown.append(f"Not raised: {', '.join(expect.silent)}")
    _items(console, shown)


def show(name: str, handout: bool = False, answers: bool = False) -> None:
    """Every teaching note, then the case file exactly as written. `handout`: the facts
    and questions only, to project or hand out; `answers`: the model answer only."""
    scenario, console = load_scenario(name), _console()
    _header(console, scenario)
    if not answers:
        _heading(console, "What happened")
        _items(console, scenario.notes.narrative, numbered=True)
        _heading(console, "Questions for trainees")
        _items(console, scenario.notes.questions, numbered=True)
    if not handout:
        _answer(console, scenario)
    if not handout and not answers:
        _heading(console, "The case file")
        console.print(Text(safe(scenario.case_text)))
    console.print()
    _advisory(console)


def _advisory(console: Console) -> None:
    console.print(Text(ADVISORY.upper(), style="bold"))


# --- run: the deck ----------------------------------------------------------------------

@dataclass(frozen=True)
class Page:
    title: str
    body: tuple[RenderableType, ...]


def _assessment_pages(result: Assessment) -> Iterator[Page]:
    """The live assessment by section, most serious first."""
    top = f"Live assessment: chargecheck assessment: {safe(result.reference)}"
    course = result.course
    lines = [
        Text("Advisory only: not legal advice; not a charging decision."),
        Text(""),
        Text("Recommended: " + ("; ".join(offence_lines(result, result.recommended))
                                or "none"), style="bold"),
        Text("Charged or proposed: " + ("; ".join(
            offence_lines(result, charged_ids(result))) or "none")),
        Text(f"Escalation: {result.escalation.level.upper()}: "
             + ", ".join(result.escalation.markers)),
        Text("Course of conduct: "
             + ("established" if course.established else "not established")
             + f", {plural(course.occasions, 'occasion')}"),
        Text(""),
        Text("Findings: " + (", ".join(
            f"{sum(f.severity == s for f in result.findings)} {s.upper()}"
            for s in reversed(Severity) if any(f.severity == s for f in result.findings))
            or "none")),
    ]
    yield Page(f"{top}: the bottom line", tuple(lines))
    for severity in reversed(Severity):
        found = [f for f in result.findings if f.severity == severity]
        if not found:
            continue
        body: list[RenderableType] = []
        for finding in found:
            body.append(Text(f"{finding.rule}  {safe(finding.title)}", style="bold"))
            body.append(Text("  " + safe(finding.message)))
            if finding.incidents:
                body.append(Text(f"  Incidents: {', '.join(finding.incidents)}", style="dim"))
            body.append(Text(""))
        yield Page(f"Findings: {severity.upper()} ({len(found)})", tuple(body))
    ladder = []
    for o in result.offences:
        most = (f"{o.indictment_years} years" if o.indictment_years
                else f"{o.summary_months} months")
        mark = " (charged)" if o.charged else ""
        ladder.append(Text(f"{o.offence}: {safe(o.title)}{mark}", style="bold"))
        ladder.append(Text(f"  {o.status}; maximum {most}"
                           + (f"; absent: {'; '.join(o.absent)}" if o.absent else "")
                           + (f"; missing: {'; '.join(o.missing)}" if o.missing else "")))
    yield Page("Offence ladder", tuple(ladder))
    four = [Text(f"{name}: {value.status}")
            for name, value in result.indicators.items()]
    yield Page("FOUR indicators (a screening aid, not a legal test)", tuple(four))


def pages(scenario: Scenario, rules: RuleSet) -> list[Page]:
    notes = scenario.notes
    deck = [Page(f"Scenario: {safe(notes.title)} ({scenario.name})", (
        Text("Synthetic training case: names, dates and details are invented."),
        Text(""), Text(safe(notes.summary)), Text(""),
        Text(f"Teaches: {', '.join(notes.teaches)}", style="dim"), Text(""),
        Text(HELP)))]
    steps = notes.narrative
    deck += [Page(f"Step {n} of {len(steps)}", (Text(safe(step)),))
             for n, step in enumerate(steps, 1)]
    deck.append(Page("Questions for trainees", (_items_table(notes.questions, True),)))
    deck += list(_assessment_pages(assess(scenario.case, rules)))
    deck.append(Page("Model answer", (_items_table(notes.model_answer),)))
    deck.append(Page("The law", (_items_table(notes.law), Text(""),
                                 Text(ADVISORY.upper(), style="bold"))))
    return deck


def _lines(page: Page, width: int) -> list[str]:
    buffer = io.StringIO()
    console = _console(width, buffer)
    for part in page.body:
        console.print(part)
    return buffer.getvalue().rstrip("\n").splitlines()


def screens(deck: list[Page], width: int, rows: int) -> list[tuple[str, list[str]]]:
    """Each page cut into screens that fit: a title line, a blank, the body and the keys
    line, never more than `rows - 1` lines so typing Enter cannot scroll the screen."""
    room = max(3, rows - 4)
    out: list[tuple[str, list[str]]] = []
    for page in deck:
        lines = _lines(page, width)
        chunks = [lines[i:i + room] for i in range(0, len(lines), room)] or [[]]
        for n, chunk in enumerate(chunks, 1):
            more = f" ({n}/{len(chunks)})" if len(chunks) > 1 else ""
            out.append((_fit(page.title + more, width), chunk))
    return out


def _fit(line: str, width: int) -> str:
    return line if len(line) <= width else line[:width - 1] + "…"


def run(name: str, pause_between: bool, rules: RuleSet,
        read: Callable[[str], str] = input) -> int:
    """The scenario as a deck: one screen at a time on a terminal, all at once off one."""
    scenario = load_scenario(name)
    deck = pages(scenario, rules)
    size = shutil.get_terminal_size((80, 24))
    width = max(40, min(size.columns, 100))
    if not pause_between:
        console = _console()
        for page in deck:
            _heading(console, page.title)
            for part in page.body:
                console.print(part)
        return 0
    shown = screens(deck, width, size.lines)
    at = 0
    try:
        while 0 <= at < len(shown):
            title, lines = shown[at]
            sys.stdout.write(CLEAR + title + "\n\n" + "\n".join(lines) + "\n")
            place = f"[{at + 1}/{len(shown)}] "
            key = read(_fit(place + KEYS + " > ", width)).strip().lower()
            if key in {"q", "quit"}:
                break
            if key in {"b", "back"}:
                at = max(0, at - 1)
            elif key in {"?", "h", "help"}:
                sys.stdout.write(CLEAR + "Help\n\n" + "\n".join(_wrap(HELP, width)) + "\n")
                read("Enter to go back to the page > ")
            else:
                at += 1
    except (KeyboardInterrupt, EOFError):
        pass
    sys.stdout.write(CLEAR + f"Scenario {name} closed.\n")
    return 0


def _wrap(text: str, width: int) -> list[str]:
    buffer = io.StringIO()
    _console(width, buffer).print(Text(text))
    return buffer.getvalue().rstrip("\n").splitlines()
