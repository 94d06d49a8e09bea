"""The Markdown report: a complete assessment to paste into a case record.

Case text is data, never markup: every value written into the report goes through
`md()`, which puts it on one line, shows control characters as escapes (`\\x1b`) and
backslash-escapes each Markdown control character, so it renders literally.

The row builders here return plain, unescaped text; the HTML report uses them too, so
both formats show the same facts and each escapes them for its own syntax.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from chargecheck import ADVISORY
from chargecheck.case.model import Case, Incident
from chargecheck.engine.assessment import Assessment, Finding, OffenceResult
from chargecheck.engine.decisions import heading
from chargecheck.reports.escaping import md, one_line
from chargecheck.reports.explanation_text import explanation_lines, law_lines
from chargecheck.reports.options import ReportOptions, shown
from chargecheck.reports.wording import (
    NOTHING_SUPPORTED,
    behaviour_titles,
    bottom_line,
    incident_words,
    maximum,
    offence_name,
    plural,
    when,
)
from chargecheck.scales import Severity

NOTICE = ADVISORY[0].upper() + ADVISORY[1:] + "."

Row = tuple[str, ...]


def reasoning_lines(result: Assessment) -> list[str]:
    """The `--explain` reasoning as indented plain lines; empty without `--explain`."""
    if result.explanation is None:
        return []
    lines = explanation_lines(result.explanation)[1:]  # [0] is the text report's heading
    return [" " * (len(text) - len(text.lstrip(" "))) + one_line(text) for text, _ in lines]


def law_text(result: Assessment) -> list[str]:
    """The law element by element (`--explain`) as indented plain lines; else empty."""
    if result.explanation is None:
        return []
    charged = {o.offence for o in result.offences if o.charged}
    lines = law_lines(result.explanation, charged, set(result.recommended))[1:]  # [0]: heading
    return [" " * (len(text) - len(text.lstrip(" "))) + one_line(text) for text, _ in lines]


def listing(items: Sequence[str], empty: str = "-") -> str:
    return ", ".join(items) if items else empty


def yes_no(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "NO"


def bottom_items(result: Assessment, case: Case, options: ReportOptions) -> list[Row]:
    """The answer first: charged or proposed, recommended, escalation (one line each)."""
    line = bottom_line(result, options.rules)
    items: list[Row] = [("Charged or proposed", "; ".join(line.charged) or "nothing yet")]
    if case.plea is not None:
        offered = [offence_name(o) for o in result.offences if o.offence == case.plea.offence]
        dropped = [offence_name(o) for o in result.offences if o.offence in case.plea.in_place_of]
        items.append(("Plea offered", f"{(offered or [case.plea.offence])[0]} in place of "
                                      f"{listing(dropped, 'nothing')}"))
    items += [("Recommended", "; ".join(line.recommended) or NOTHING_SUPPORTED),
              ("Escalation", line.escalation)]
    return items


def action_items(result: Assessment, options: ReportOptions) -> list[str]:
    """The three things to do first, each with the finding it answers."""
    return [f"{action} ({rule})" for rule, action in bottom_line(result, options.rules).actions]


TOP_FINDINGS = 5  # the most serious findings shown beside the bottom line


def top_findings(result: Assessment) -> list[str]:
    """The findings of the highest severity present (a few), for the first page."""
    groups = by_severity(result)
    if not groups:
        return []
    severity, group = groups[0]
    return [f"{severity.upper()}: {f.rule} {f.title}" for f in group[:TOP_FINDINGS]]


def summary_items(result: Assessment, case: Case, options: ReportOptions) -> list[Row]:
    course = result.course
    state = "established" if course.established else "not established"
    items: list[Row] = [
        ("Reference", result.reference),
        ("Decision date", result.decision_date.isoformat()),
        ("Synthetic case", "yes (training material)" if result.synthetic else "no"),
        ("Suspect", shown(case.suspect.label, case.suspect.name, options)),
        ("Victims", listing([shown(v.shown_as, v.name, options) for v in case.victims])),
        ("Course of conduct", f"{state}: {plural(course.occasions, 'occasion')}, "
                              f"{course.first} to {course.last} "
                              f"({plural(course.span_days, 'day')})"),
    ]
    return items


COURSE_COLUMNS: Row = ("Victim", "Course of conduct", "Occasions", "First", "Last",
                       "Longest gap (days)")


def course_rows(result: Assessment) -> list[Row]:
    return [(v.victim, "established" if v.established else "not established",
             str(v.occasions), str(v.first), str(v.last), str(v.longest_gap_days))
            for v in result.course.victims]


INCIDENT_COLUMNS: Row = ("Incident", "Date", "Occasions", "Victims", "Behaviours", "Summary")


def incident_rows(case: Case, options: ReportOptions) -> list[Row]:
    labels = {v.id: v.shown_as for v in case.victims}
    return [_incident_row(i, labels, options)
            for i in sorted(case.incidents, key=lambda i: i.date)]


def _incident_row(i: Incident, labels: dict[str, str], options: ReportOptions) -> Row:
    victims = [labels.get(v, v) for v in i.victims] if i.victims else list(labels.values())
    return (i.id, when(i), str(i.occasions), listing(victims),
            "; ".join(behaviour_titles(i.behaviours, options.rules)), i.summary or "-")


INDICATOR_COLUMNS: Row = ("Indicator", "Status", "Incidents")


def indicator_rows(result: Assessment) -> list[Row]:
    return [(name, value["status"], listing(value["incidents"]))
            for name, value in result.indicators.items()]


LADDER_COLUMNS: Row = ("Offence", "Status", "In force", "In time", "Maximum", "Charged",
                       "Missing or absent")
LADDER_STATUS = 1  # the column of the status


def ladder_rows(result: Assessment) -> list[Row]:
    return [(f"{offence_name(o)} ({o.offence})", o.status, yes_no(o.in_force),
             yes_no(o.in_time), maximum(o), "yes" if o.charged else "no", _gaps(o))
            for o in result.offences]


def _gaps(o: OffenceResult) -> str:
    return listing([f"unknown: {m}" for m in o.missing] + [f"absent: {a}" for a in o.absent])


def by_severity(result: Assessment) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by severity, most severe first; empty groups left out."""
    groups = [(s, [f for f in result.findings if f.severity == s]) for s in reversed(Severity)]
    return [(severity, group) for severity, group in groups if group]


def finding_items(f: Finding, case: Case) -> list[Row]:
    items: list[Row] = [("Category", f.category), ("Finding", f.message)]
    if f.decision is not None:  # the lawyer's recorded answer, right under the advice
        items.append((heading(f.decision), f.decision.reason))
    if f.confidence == "verify":
        items.append(("Confidence", "unconfirmed law: check"))
    if f.incidents:
        items.append(("Incident" if len(f.incidents) == 1 else "Incidents",
                      "; ".join(incident_words(f.incidents, case))))
    items.append(("Law", "; ".join(f.citations)))
    return items


def warning_items(result: Assessment) -> list[Row]:
    """Facts in the file that contradict each other (case/consistency.py)."""
    return [(w.path, w.message) for w in result.warnings]


NO_WARNINGS = "None: the file does not contradict itself."


def ruleset_items(result: Assessment) -> list[Row]:
    items: list[Row] = [("Version", result.ruleset_version), ("Digest", result.ruleset_digest),
                        ("Packs", listing(result.packs))]
    items += [("Adjustment", listing([f"{k}: {v}" for k, v in a.as_json().items()]))
              for a in result.adjustments]
    return items


# --- Markdown ---------------------------------------------------------------------------


def render(result: Assessment, case: Case, options: ReportOptions) -> str:
    """The whole report as Markdown."""
    parts = [
        f"# chargecheck assessment: {md(result.reference)}",
        f"> **{md(NOTICE)}**",
        "## The bottom line", _items(bottom_items(result, case, options)),
        *_actions(result, options), *_top(result),
        "## Case summary", _items(summary_items(result, case, options)),
        "### Course of conduct per victim", _table(COURSE_COLUMNS, course_rows(result)),
        "### Incidents", _table(INCIDENT_COLUMNS, incident_rows(case, options)),
        "## FOUR indicators",
        "Screening aid, not a legal test.", _table(INDICATOR_COLUMNS, indicator_rows(result)),
        "## Offence ladder", _table(LADDER_COLUMNS, ladder_rows(result)),
        "## Warnings", _items(warning_items(result)) or NO_WARNINGS,
        "## Findings", _findings(result, case),
        "## Not assessed", _not_assessed(result),
        "## Rule set", _items(ruleset_items(result)),
        *_reasoning(result),
        f"---\n\n*{md(NOTICE)}*",
    ]
    return "\n\n".join(parts) + "\n"


def _reasoning(result: Assessment) -> list[str]:
    """Headings and fenced blocks: the law element by element, then the reasoning."""
    if result.explanation is None:
        return []
    return ["## The law, element by element", _fenced(law_text(result)),
            "## Why and why not", _fenced(reasoning_lines(result))]


def _fenced(lines: list[str]) -> str:
    """A fenced block, the fence longer than any backtick run inside it."""
    text = "\n".join(lines)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _items(items: Sequence[Row]) -> str:
    return "\n".join(f"- **{md(key)}:** {md(value)}" for key, value in items)


def _table(columns: Row, rows: Sequence[Row]) -> str:
    lines = [_row(columns), "|" + "---|" * len(columns)]
    return "\n".join(lines + [_row(r) for r in rows])


def _row(cells: Row) -> str:
    return "| " + " | ".join(md(c) or " " for c in cells) + " |"


def _actions(result: Assessment, options: ReportOptions) -> list[str]:
    actions = action_items(result, options)
    if not actions:
        return []
    return ["### What to do first",
            "\n".join(f"{n}. {md(action)}" for n, action in enumerate(actions, 1))]


def _top(result: Assessment) -> list[str]:
    top = top_findings(result)
    if not top:
        return []
    return ["### Most serious findings", "\n".join(f"- {md(line)}" for line in top)]


def _findings(result: Assessment, case: Case) -> str:
    if not result.findings:
        return "No findings."
    blocks: list[str] = []
    for severity, group in by_severity(result):
        blocks.append(f"### {severity.upper()} ({len(group)})")
        blocks += [f"#### {md(f.rule)}: {md(f.title)}\n\n{_items(finding_items(f, case))}"
                   for f in group]
    return "\n\n".join(blocks)


def _not_assessed(result: Assessment) -> str:
    if not result.not_assessed:
        return "Every rule could be assessed on this file."
    intro = "The file lacks the facts these checks need (not a pass):"
    return intro + "\n\n" + "\n".join(f"- **{md(rule)}:** {md(title)}"
                                      for rule, title in result.not_assessed)
