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
from chargecheck.reports.hypothetical import (
    SUPPOSED,
    WhatIf,
    any_changed,
    charge_touched,
    mark,
    mark_if,
)
from chargecheck.reports.options import ReportOptions, shown
from chargecheck.reports.wording import (
    NOTHING_SUPPORTED,
    behaviour_titles,
    bottom_line,
    decision_reason,
    incident_words,
    maximum,
    offence_name,
    plural,
    summary_of,
    when,
)
from chargecheck.scales import Severity

NOTICE = ADVISORY[0].upper() + ADVISORY[1:] + "."

Row = tuple[str, ...]


def reasoning_lines(result: Assessment) -> list[str]:
    """The `--explain` reasoning as indented plain lines; empty without `--explain`."""
    if result.explanation is None:
        return []
    # [0] is the text report's heading
    lines = explanation_lines(result.explanation, result.explained_only)[1:]
    return [" " * (len(text) - len(text.lstrip(" "))) + one_line(text) for text, _ in lines]


def law_text(result: Assessment) -> list[str]:
    """The law element by element (`--explain`) as indented plain lines; empty without
    `--explain`, or when it was narrowed to rules alone."""
    if result.explanation is None:
        return []
    charged = {o.offence for o in result.offences if o.charged}
    lines = law_lines(result.explanation, charged, set(result.recommended),
                      result.explained_only)[1:]  # [0] is the text report's heading
    return [" " * (len(text) - len(text.lstrip(" "))) + one_line(text) for text, _ in lines]


def narrowed_to(result: Assessment) -> str:
    """`(--explain pha-s4a)` for a heading, when `--explain` was narrowed; else ``."""
    only = result.explained_only
    return f"(--explain {' '.join(only)})" if only else ""


def listing(items: Sequence[str], empty: str = "-") -> str:
    return ", ".join(items) if items else empty


def yes_no(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "NO"


def bottom_items(result: Assessment, case: Case, options: ReportOptions) -> list[Row]:
    """The answer first: charged or proposed, recommended, escalation (one line each)."""
    line = bottom_line(result, options.rules, case, options.what_if)
    nothing = mark("nothing yet", options.what_if, "charges")
    items: list[Row] = [("Charged or proposed", "; ".join(line.charged) or nothing)]
    if case.plea is not None:
        offered = [offence_name(o) for o in result.offences if o.offence == case.plea.offence]
        dropped = [offence_name(o) for o in result.offences if o.offence in case.plea.in_place_of]
        what_if = options.what_if
        items.append(("Plea offered",
                      f"{mark((offered or [case.plea.offence])[0], what_if, 'plea', 'offence')}"
                      f" in place of "
                      f"{mark(listing(dropped, 'nothing'), what_if, 'plea', 'in_place_of')}"))
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
    what_if = options.what_if
    items: list[Row] = [
        ("Reference", mark(result.reference, what_if, "reference")),
        ("Decision date", mark(result.decision_date.isoformat(), what_if, "decision_date")),
        ("Synthetic case", mark("yes (training material)" if result.synthetic else "no",
                                what_if, "synthetic")),
        ("Suspect", shown(case.suspect.label, case.suspect.name, options, "suspect")),
        ("Victims", listing([shown(v.shown_as, v.name, options, "victims", v.id)
                             for v in case.victims])),
        ("Course of conduct", mark_if(f"{state}: {plural(course.occasions, 'occasion')}, "
                                      f"{course.first} to {course.last} "
                                      f"({plural(course.span_days, 'day')})",
                                      what_if is not None and what_if.course())),
    ]
    return items + ([("What if", SUPPOSED)] if what_if is not None else [])


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
    what_if, at = options.what_if, ("incidents", i.id)
    count = mark_if(str(i.occasions), any_changed(what_if, at, ("count", "end_date", "date")))
    return (i.id, when(i, what_if), count, mark(listing(victims), what_if, *at, "victims"),
            mark("; ".join(behaviour_titles(i.behaviours, options.rules)), what_if, *at,
                 "behaviours"), summary_of(i, what_if) or "-")


INDICATOR_COLUMNS: Row = ("Indicator", "Status", "Incidents")


def indicator_rows(result: Assessment) -> list[Row]:
    return [(name, value.status, listing(value.incidents))
            for name, value in result.indicators.items()]


LADDER_COLUMNS: Row = ("Offence", "Status", "In force", "In time", "Maximum", "Charged",
                       "Missing or absent")
LADDER_STATUS = 1  # the column of the status


def ladder_rows(result: Assessment, case: Case, options: ReportOptions) -> list[Row]:
    """The offence ladder; a charge a what-if changed is labelled (hypothetical)."""
    def charged(o: OffenceResult) -> str:
        return mark_if("yes" if o.charged else "no",
                       charge_touched(options.what_if, case, o.offence))

    return [(f"{offence_name(o)} ({o.offence})", o.status, yes_no(o.in_force),
             yes_no(o.in_time), maximum(o), charged(o), _gaps(o))
            for o in result.offences]


def _gaps(o: OffenceResult) -> str:
    return listing([f"unknown: {m}" for m in o.missing] + [f"absent: {a}" for a in o.absent])


def by_severity(result: Assessment) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by severity, most severe first; empty groups left out."""
    groups = [(s, [f for f in result.findings if f.severity == s]) for s in reversed(Severity)]
    return [(severity, group) for severity, group in groups if group]


def finding_items(f: Finding, case: Case, what_if: WhatIf | None = None) -> list[Row]:
    items: list[Row] = [("Category", f.category), ("Finding", f.message)]
    if f.decision is not None:  # the lawyer's recorded answer, right under the advice
        items.append((heading(f.decision), decision_reason(f.decision, case, what_if)))
    if f.confidence == "verify":
        items.append(("Confidence", "unconfirmed law: check"))
    if f.incidents:
        items.append(("Incident" if len(f.incidents) == 1 else "Incidents",
                      "; ".join(incident_words(f.incidents, case, what_if))))
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
        "## Offence ladder", _table(LADDER_COLUMNS, ladder_rows(result, case, options)),
        "## Warnings", _items(warning_items(result)) or NO_WARNINGS,
        "## Findings", _findings(result, case, options.what_if),
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
    law, narrowed = law_text(result), narrowed_to(result)
    suffix = f" {md(narrowed)}" if narrowed else ""
    return [*([f"## The law, element by element{suffix}", _fenced(law)] if law else []),
            f"## Why and why not{suffix}", _fenced(reasoning_lines(result))]


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


def _findings(result: Assessment, case: Case, what_if: WhatIf | None) -> str:
    if not result.findings:
        return "No findings."
    blocks: list[str] = []
    for severity, group in by_severity(result):
        blocks.append(f"### {severity.upper()} ({len(group)})")
        blocks += [f"#### {md(f.rule)}: {md(f.title)}\n\n"
                   f"{_items(finding_items(f, case, what_if))}" for f in group]
    return "\n\n".join(blocks)


def _not_assessed(result: Assessment) -> str:
    if not result.not_assessed:
        return "Every rule could be assessed on this file."
    intro = "The file lacks the facts these checks need (not a pass):"
    return intro + "\n\n" + "\n".join(f"- **{md(rule)}:** {md(title)}"
                                      for rule, title in result.not_assessed)
