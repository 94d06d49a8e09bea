"""The text report: a readable page for a prosecutor, drawn with rich.

Case text is data, never markup: the console has markup and highlighting off,
every dynamic string goes in as a `Text`, and control characters are shown as
escapes rather than sent to the terminal.
"""

from __future__ import annotations

import io
import shutil
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from chargecheck import ADVISORY
from chargecheck.case.model import Case
from chargecheck.engine.assessment import SEVERITIES, Assessment, Finding
from chargecheck.engine.decisions import heading
from chargecheck.reports.escaping import safe
from chargecheck.reports.explanation_text import explanation_lines
from chargecheck.reports.options import ReportOptions, shown

SEVERITY_STYLE = {"critical": "bold white on red", "high": "bold red", "medium": "yellow",
                  "low": "cyan", "info": "dim"}
STATUS_STYLE = {"supported": "green", "met": "green", "unknown": "yellow",
                "not-supported": "dim", "not-met": "dim"}


def render(result: Assessment, case: Case, options: ReportOptions) -> str:
    """The whole report as text: coloured for a terminal, plain otherwise."""
    buffer = io.StringIO()
    console = Console(file=buffer, markup=False, highlight=False, emoji=False,
                      force_terminal=options.terminal, no_color=not options.terminal,
                      width=shutil.get_terminal_size((100, 24)).columns if options.terminal
                      else 100)
    # One print for the page: each print has a fixed cost that a dozen findings add up.
    console.print(Group(
        _header(result), _BLANK, _summary(result, case, options), _BLANK, _indicators(result),
        _BLANK, _offences(result), _BLANK, *_warnings(result), *_findings(result),
        *_not_assessed(result)))
    if result.explanation is not None:
        _explanation(console, result.explanation)
    console.print(Text(ADVISORY.upper(), style="bold"))
    return buffer.getvalue()


_BLANK = Text()


def _warnings(result: Assessment) -> list[Text]:
    if not result.warnings:
        return []
    # Contradictions between facts, and recorded decisions that answer no finding.
    return [Text("WARNINGS: check these in the file", style="bold yellow"),
            *(Text(f"  {w['path']}: {safe(w['message'])}") for w in result.warnings), _BLANK]


def _explanation(console: Console, explanation: tuple[dict[str, Any], ...]) -> None:
    """The why and why-not, present only with `--explain` (engine/reasoning.py)."""
    for line, style in explanation_lines(explanation):
        console.print(Text(safe(line), style=style), soft_wrap=True)  # deep lines stay whole
    console.print()


def _not_assessed(result: Assessment) -> list[Text]:
    if not result.not_assessed:
        return []
    return [Text("NOT ASSESSED (the file lacks the facts these checks need; not a pass)",
                 style="bold yellow"),
            *(Text(f"  {rule}  {title}") for rule, title in result.not_assessed), _BLANK]


def _header(result: Assessment) -> Text:
    title = Text.assemble(("chargecheck assessment: ", "bold"), (safe(result.reference), "bold"))
    if result.synthetic:
        title.append("  (synthetic case)", style="dim")
    title.append(f"\nDecision date {result.decision_date.isoformat()}; rule set "
                 f"{result.ruleset_version} ({result.ruleset_digest[:19]})", style="dim")
    title.append("\nAdvisory only: not legal advice; not a charging decision.", style="bold")
    return title


def _summary(result: Assessment, case: Case, options: ReportOptions) -> Text:
    course, escalation = result.course, result.escalation
    state = "established" if course["established"] else "not established"
    lines = Text()
    victims = ", ".join(shown(v.shown_as, v.name, options) for v in case.victims)
    lines.append("Parties: ", style="bold")
    lines.append(safe(f"suspect {shown(case.suspect.label, case.suspect.name, options)}; "
                      f"victims {victims}") + "\n")
    lines.append("Course of conduct: ", style="bold")
    lines.append(f"{state}: {course['occasions']} occasion(s), {course['first']} to "
                 f"{course['last']} ({course['span_days']} days)\n")
    for victim in course["victims"]:
        lines.append(f"  {safe(victim['victim'])}: {victim['occasions']} occasion(s); longest gap "
                     f"{victim['longest_gap_days']} days\n")
    charged = sorted({o.offence for o in result.offences if o.charged})
    lines.append("Charged or proposed: ", style="bold")
    lines.append((", ".join(charged) or "nothing yet") + "\n")
    lines.append("Recommended: ", style="bold")
    lines.append((", ".join(result.recommended) or "no offence is supported on this file") + "\n")
    lines.append("Escalation: ", style="bold")
    lines.append(escalation["level"].upper(), style=SEVERITY_STYLE.get(
        {"high": "critical", "medium": "medium"}.get(escalation["level"], "info")))
    if escalation["markers"]:
        lines.append(": " + ", ".join(escalation["markers"]))
    return lines


def _indicators(result: Assessment) -> Table:
    table = Table(title="FOUR indicators (screening aid, not a legal test)", title_justify="left")
    for column in ("Indicator", "Status", "Incidents"):
        table.add_column(column, overflow="fold")  # a long word wraps, never lost to "…"
    for name, value in result.indicators.items():
        table.add_row(name, Text(value["status"], style=STATUS_STYLE[value["status"]]),
                      safe(", ".join(value["incidents"]) or "-"))
    return table


def _offences(result: Assessment) -> Table:
    table = Table(title="Offence ladder", title_justify="left")
    for column in ("Offence", "Status", "In force", "In time", "Maximum", "Charged",
                   "Missing or absent"):
        table.add_column(column, overflow="fold")  # a long fact name wraps, never lost to "…"
    for o in result.offences:
        maximum = (f"{o.indictment_years} years" if o.indictment_years is not None
                   else f"{o.summary_months} months")
        gaps = [f"unknown: {m}" for m in o.missing] + [f"absent: {a}" for a in o.absent]
        table.add_row(f"{o.offence}\n{o.title}", Text(o.status, style=STATUS_STYLE[o.status]),
                      _yes_no(o.in_force), _yes_no(o.in_time), maximum,
                      "yes" if o.charged else "", "\n".join(gaps) or "-")
    return table


def _yes_no(value: bool | None) -> str:
    return "?" if value is None else "yes" if value else "NO"


def _findings(result: Assessment) -> list[Text]:
    if not result.findings:
        return [Text("No findings.", style="bold green"), _BLANK]
    lines: list[Text] = []
    for severity in reversed(SEVERITIES):
        group = [f for f in result.findings if f.severity == severity]
        if group:
            lines += [Text(f"{severity.upper()} ({len(group)})", style=SEVERITY_STYLE[severity]),
                      *map(_finding, group), _BLANK]
    return lines


def _finding(f: Finding) -> Text:
    text = Text.assemble(("  " + f.rule, "bold"), f"  {f.title}  ", (f"[{f.category}]", "dim"))
    if f.confidence == "verify":
        text.append("  (unconfirmed law: check)", style="yellow")
    text.append("\n    " + safe(f.message))
    if f.decision is not None:  # the lawyer's recorded answer, right under the advice
        text.append("\n    " + safe(f"{heading(f.decision)}: {f.decision.reason}"),
                    style="bold")
    if f.incidents:
        text.append("\n    Incidents: " + safe(", ".join(f.incidents)), style="dim")
    text.append("\n    Law: " + "; ".join(f.citations), style="dim")
    return text
