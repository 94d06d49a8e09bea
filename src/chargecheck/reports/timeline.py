"""`chargecheck timeline CASE`: the course of conduct drawn in the terminal.

The inspection found incidents judged one at a time; a timeline shows them as one
course: in date order with their behaviours, the quiet spells between them, how often
they happen per week or month, warnings and orders, the six-month window for
summary-only charges, and whether frequency or severity is rising.

Everything comes from the case and the same engine `assess` uses; nothing here decides
law. Case text is shown literally (no markup; control characters escaped), and people
appear by label, never by name.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from chargecheck import ADVISORY
from chargecheck.case.model import Case, Incident
from chargecheck.conditions.facts import incidents_for, longest_gap
from chargecheck.conditions.months import add_months
from chargecheck.engine.assess import assess
from chargecheck.engine.assessment import LEVELS, Assessment
from chargecheck.reports.escaping import safe
from chargecheck.reports.wording import plural
from chargecheck.rulebook.ruleset import RuleSet


class Window(NamedTuple):
    """The summary time limit, as the rule set states it for the offences it applies to."""

    months: int
    offences: str  # their sections, e.g. "s.2, s.2A"
    citations: str


def summary_window(rules: RuleSet) -> Window:
    limited = [o for o in rules.offences if o.time_limit_kind == "from-last-incident"
               and o.time_limit_months and o.time_limit_until is None]
    sections = ", ".join(o.citation.split()[-1] for o in limited)
    return Window(limited[0].time_limit_months or 0, sections,
                  "; ".join(limited[0].time_limit_citations))
WEEKLY_UP_TO_DAYS = 91  # a course up to about three months is counted per week
BAR_WIDTH = 40
LEVEL_STYLE = {"high": "bold red", "medium": "yellow", "standard": ""}


@dataclass(frozen=True)
class Row:
    when: date
    order: int        # within one day: context, window, incidents, decision
    mark: str
    what: Text
    markers: Text


def draw(case: Case, rules: RuleSet, terminal: bool) -> str:
    """The whole timeline as text: coloured for a terminal, plain otherwise."""
    result = assess(case, rules)
    buffer = io.StringIO()
    console = Console(file=buffer, markup=False, highlight=False, emoji=False,
                      force_terminal=terminal, no_color=not terminal,
                      width=shutil.get_terminal_size((100, 24)).columns if terminal else 100)
    parts: list[RenderableType] = [
        _header(case, result), _events(case, rules, result.decision_date),
        _frequency(case), _notes(case, rules, result), Text(ADVISORY.upper(), style="bold")]
    for part in parts:
        console.print(part)
        console.print()
    return buffer.getvalue()


def _header(case: Case, result: Assessment) -> Text:
    text = Text.assemble(("Timeline: ", "bold"), (safe(case.reference), "bold"))
    if case.synthetic:
        text.append("  (synthetic case)", style="dim")
    victims = ", ".join(safe(v.shown_as) for v in case.victims)
    dated = "" if case.decision_date else " (today: the file gives none)"
    text.append(f"\nSuspect {safe(case.suspect.label)} ({case.suspect.relationship}); "
                f"{'victim' if len(case.victims) == 1 else 'victims'} {victims}; "
                f"decision date {result.decision_date}{dated}")
    orders = case.safeguarding.orders_in_force
    shown = "not recorded" if orders is None else ", ".join(orders) or "none"
    text.append(f"\nOrders in force: {shown}")
    return text


# --- the events, in date order -----------------------------------------------------------

def _events(case: Case, rules: RuleSet, decision: date) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold", title_justify="left",
                  title="Course of conduct, in date order")
    for column in ("Date", "", "What", "Escalation markers"):
        table.add_column(column)
    rows = sorted([*_context_rows(case, decision, summary_window(rules)),
                   *_incident_rows(case, rules)],
                  key=lambda r: (r.when, r.order))
    for row in rows:
        table.add_row(row.when.isoformat() if row.order >= 0 else "", row.mark, row.what,
                      row.markers)
    return table


def _context_rows(case: Case, decision: date, window: Window) -> list[Row]:
    """Separation, "told to stop", warnings and orders, the window and the decision date."""
    none = Text()
    rows = [Row(h.date, 0, "◆", Text(h.kind + (f" for {h.offence}" if h.offence else "")
                                      + " (suspect.history)", style="magenta"), none)
            for h in case.suspect.history if h.date]
    if case.suspect.separated_on:
        rows.append(Row(case.suspect.separated_on, 0, "◇", Text("separation"), none))
    for victim in case.victims:
        if victim.made_clear_unwanted_on:
            rows.append(Row(victim.made_clear_unwanted_on, 0, "◇",
                            Text(f"{safe(victim.shown_as)} made clear the conduct was unwanted"),
                            none))
    opens = add_months(decision, -window.months)
    rows.append(Row(opens, 1, "┄", Text(f"{window.months}-month window opens (time limit "
                                        f"for {window.offences})", style="bold cyan"), none))
    rows.append(Row(decision, 3, "■", Text("decision date", style="bold"), none))
    return rows


def _incident_rows(case: Case, rules: RuleSet) -> list[Row]:
    ordered = sorted(case.incidents, key=lambda i: (i.date, i.id))
    longest = longest_gap(ordered)
    rows: list[Row] = []
    reached: date | None = None  # the latest end so far, so overlapping entries show as such
    for incident in ordered:
        if reached is not None:
            rows.append(_gap_row(incident, reached, longest))
        rows.append(Row(incident.date, 2, "●", _incident_text(case, incident),
                        _markers(incident, rules)))
        reached = max(reached or incident.last_date, incident.last_date)
    return rows


def _gap_row(incident: Incident, reached: date, longest: int) -> Row:
    days = (incident.date - reached).days
    text = f"{days} day{'s' if days != 1 else ''}" + (
        " (longest gap)" if days == longest and days > 0 else "")
    if days <= 0:
        text = "overlaps the conduct before"
    # Sorted just before its incident; a negative order hides the date column.
    return Row(incident.date, -1, "│", Text(text, style="dim"), Text())


def _incident_text(case: Case, incident: Incident) -> Text:
    text = Text(safe(incident.id), style="bold")
    text.append("  " + ", ".join(incident.behaviours))
    if incident.occasions > 1 or incident.end_date:
        span = f" to {incident.last_date}" if incident.end_date else ""
        text.append(f"  x{incident.occasions}{span}", style="cyan")
    if incident.channel:
        text.append(f"  [{incident.channel}]", style="dim")
    if incident.caused_fear_of_violence:
        text.append("  fear of violence", style="red")
    if len(case.victims) > 1 and incident.victims:
        labels = {v.id: v.shown_as for v in case.victims}
        text.append("  -> " + ", ".join(safe(labels.get(v, v)) for v in incident.victims))
    return text


def _markers(incident: Incident, rules: RuleSet) -> Text:
    levels = {m.id: m.level for m in rules.markers}
    names = sorted({m for b in incident.behaviours for m in rules.behaviours[b].markers})
    text = Text()
    for n, name in enumerate(names):
        text.append((", " if n else "") + name, style=LEVEL_STYLE.get(levels.get(name, ""), ""))
    return text


# --- frequency ---------------------------------------------------------------------------------

def _frequency(case: Case) -> Table:
    first = min(i.date for i in case.incidents)
    last = max(i.last_date for i in case.incidents)
    weekly = (last - first).days <= WEEKLY_UP_TO_DAYS
    bins = _weeks(first, last) if weekly else _months(first, last)
    counts = [sum(_share(i, start, end) for i in case.incidents) for start, end in bins]
    top = max(counts) or 1
    table = Table(box=None, pad_edge=False, header_style="bold", title_justify="left",
                  title=f"Occasions per {'week' if weekly else 'month'} (an entry covering "
                  "several days is spread evenly over them)")
    for column in ("Week of" if weekly else "Month", "", "Occasions"):
        table.add_column(column)
    for (start, _), count in zip(bins, counts, strict=True):
        bar = "█" * round(BAR_WIDTH * count / top) or ("▏" if count else "")
        shown = "<1" if 0 < count < 0.5 else f"{count:.0f}"
        table.add_row(start.isoformat() if weekly else start.strftime("%Y-%m"), bar, shown)
    return table


def _weeks(first: date, last: date) -> list[tuple[date, date]]:
    start = first - timedelta(days=first.weekday())  # weeks start on Monday
    return [(d, d + timedelta(days=6))
            for d in (start + timedelta(weeks=n) for n in range((last - start).days // 7 + 1))]


def _months(first: date, last: date) -> list[tuple[date, date]]:
    out = []
    start = first.replace(day=1)
    while start <= last:
        following = add_months(start, 1)
        out.append((start, following - timedelta(days=1)))
        start = following
    return out


def _share(incident: Incident, start: date, end: date) -> float:
    """The occasions of `incident` falling between `start` and `end`, spread by day."""
    days = (incident.last_date - incident.date).days + 1
    overlap = (min(end, incident.last_date) - max(start, incident.date)).days + 1
    return incident.occasions * max(0, overlap) / days


# --- what the timeline shows -------------------------------------------------------------------

def _notes(case: Case, rules: RuleSet, result: Assessment) -> Text:
    course = result.course
    text = Text("What the timeline shows\n", style="bold")
    text.append(f"  {plural(course.occasions, 'occasion')} in "
                f"{plural(len(case.incidents), 'entry', 'entries')} over "
                f"{plural(course.span_days, 'day')} ({course.first} to {course.last}).\n")
    for each in course.victims:
        text.append_text(_frequency_note(safe(each.victim), each.frequency_rising))
    for victim in case.victims:
        text.append_text(_severity_note(safe(victim.shown_as), incidents_for(case, victim),
                                        rules))
    text.append_text(_window_note(case, result.decision_date, summary_window(rules)))
    text.append_text(_warning_notes(case, rules))
    level = result.escalation.level
    markers = ", ".join(result.escalation.markers) or "none"
    text.append(f"  Escalation: {level.upper()} (markers: {markers}).",
                style=LEVEL_STYLE[level])
    return text


def _frequency_note(label: str, rising: bool | None) -> Text:
    if rising:
        return Text(f"  RISING FREQUENCY ({label}): the later half of the course has at least "
                    "twice the occasions of the first (escalation marker "
                    "'escalating-frequency').\n", style="bold red")
    if rising is None:
        return Text(f"  Frequency ({label}): too few occasions or too short a course to tell "
                    "whether it is rising.\n")
    return Text(f"  Frequency ({label}): not rising (the later half has less than twice the "
                "occasions of the first).\n")


def _severity_note(label: str, incidents: list[Incident], rules: RuleSet) -> Text:
    """Severity rises where an entry shows a higher escalation level than any before it."""
    levels = {m.id: m.level for m in rules.markers}
    steps, highest = [], None
    for incident in incidents:
        marks = {m for b in incident.behaviours for m in rules.behaviours[b].markers}
        level = max((levels[m] for m in marks if m in levels), key=LEVELS.index,
                    default="standard")
        if highest is not None and LEVELS.index(level) > LEVELS.index(highest):
            steps.append(f"{level}-risk conduct from {safe(incident.id)} ({incident.date})")
        if highest is None or LEVELS.index(level) > LEVELS.index(highest):
            highest = level
    if steps:
        return Text(f"  RISING SEVERITY ({label}): " + "; ".join(steps) + ".\n",
                    style="bold red")
    return Text(f"  Severity ({label}): no rise in the escalation level of the conduct "
                f"(highest: {highest or 'standard'}).\n")


def _window_note(case: Case, decision: date, window: Window) -> Text:
    """Whether a summary charge laid on the decision date would be in time. A charge
    already laid is judged on the day it was laid: the offence ladder says that."""
    opens = add_months(decision, -window.months)
    last = max(i.last_date for i in case.incidents)
    inside = [i for i in case.incidents if i.last_date >= opens]
    in_time = decision <= add_months(last, window.months)
    verdict = "in time" if in_time else "OUT OF TIME"
    return Text(f"  {window.months}-month window {opens} to {decision}: {len(inside)} of "
                f"{len(case.incidents)} entries end in it; after the last conduct ({last}) a "
                f"summary-only charge ({window.offences}) laid on {decision} would be "
                f"{verdict} ({window.citations}). A charge already laid is judged on the day "
                "it was laid.\n", style="" if in_time else "bold red")


def _warning_notes(case: Case, rules: RuleSet) -> Text:
    text = Text()
    for entry in case.suspect.history:
        if not rules.warnings.count(entry):  # only warnings about this kind of conduct
            continue
        if entry.date is None:
            text.append(f"  A {entry.kind} is on the history without a date.\n")
            continue
        after = [safe(i.id) for i in case.incidents if i.last_date > entry.date]
        if after:
            text.append(f"  Conduct continued after the {entry.kind} of {entry.date}: "
                        f"{', '.join(after)}.\n", style="magenta")
    breaches = [safe(i.id) for i in case.incidents if "breach-of-order" in i.behaviours]
    if breaches:
        text.append(f"  Entries recorded as breaches of an order: {', '.join(breaches)}.\n",
                    style="magenta")
    return text
