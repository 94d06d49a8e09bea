"""The text report: a readable page for a prosecutor, drawn with rich.

The answer comes first (the bottom line: the charge, the charge the evidence supports,
urgency and what to do), then the incidents, indicators, offence ladder and findings.

Paragraphs are wrapped here, to the terminal's width or `COLUMNS` (100 when neither is
known), with hanging indents; a word, a status or an id is never split, and no line ends
in spaces. Below `LIST_BELOW` columns the offence ladder is a list rather than a table.

Case text is data, never markup: the console has markup and highlighting off,
every dynamic string goes in as a `Text`, and control characters are shown as
escapes rather than sent to the terminal.
"""

from __future__ import annotations

import io
import re
import shutil
import textwrap
from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from chargecheck import ADVISORY
from chargecheck.case.model import Case
from chargecheck.engine.assessment import Assessment, Finding, OffenceResult
from chargecheck.reports.escaping import safe
from chargecheck.reports.explanation_text import explanation_lines, law_lines
from chargecheck.reports.hypothetical import SUPPOSED, WhatIf, charge_touched, mark, mark_if
from chargecheck.reports.options import ReportOptions, shown
from chargecheck.reports.wording import (
    NOTHING_SUPPORTED,
    behaviour_titles,
    bottom_line,
    decision_line,
    incident_words,
    incidents_label,
    maximum,
    occasions,
    offence_name,
    plural,
    summary_of,
    when,
)
from chargecheck.scales import IndicatorStatus, OffenceStatus, Severity

SEVERITY_STYLE: dict[str, str] = {Severity.critical: "bold white on red", Severity.high: "bold red",
                                  Severity.medium: "yellow", Severity.low: "cyan",
                                  Severity.info: "dim"}
# Both scales, offences' and indicators': `unknown` is one word on each.
STATUS_STYLE: dict[str, str] = {OffenceStatus.supported: "green", IndicatorStatus.met: "green",
                                OffenceStatus.unknown: "yellow",
                                OffenceStatus.not_supported: "dim", IndicatorStatus.not_met: "dim"}
LIST_BELOW = 100   # narrower than this, the offence ladder is a list
MIN_WIDTH = 40
_TRAILING = re.compile(r"[ \t]+(?=(?:\x1b\[[0-9;]*m)*$)", re.MULTILINE)


def render(result: Assessment, case: Case, options: ReportOptions) -> str:
    """The whole report as text: coloured for a terminal, plain otherwise."""
    width = max(MIN_WIDTH, shutil.get_terminal_size((100, 24)).columns)
    buffer = io.StringIO()
    console = Console(file=buffer, markup=False, highlight=False, emoji=False,
                      force_terminal=options.terminal, no_color=not options.terminal,
                      width=width)
    page = _Page(width)
    # One print for the page: each print has a fixed cost that a dozen findings add up.
    console.print(Group(
        *page.header(result, options), _BLANK, *page.bottom(result, case, options), _BLANK,
        *page.summary(result, case, options), _BLANK, *page.incidents(case, options),
        *page.indicators(result), _BLANK, *page.ladder(result, case, options), _BLANK,
        *page.warnings(result), *page.findings(result, case, options),
        *page.not_assessed(result),
        *page.explanation(result), Text(ADVISORY.upper(), style="bold")))
    return _TRAILING.sub("", buffer.getvalue())


_BLANK = Text()


class _Page:
    """The report's parts, each wrapped to one width."""

    def __init__(self, width: int) -> None:
        self.width = width

    def para(self, text: str, indent: int = 0, hang: int | None = None, style: str = "",
             label: str = "", label_style: str = "bold") -> Text:
        """`label` and `text` wrapped: the first line at `indent`, the rest at `hang`.

        Wrapped here, so rich need not wrap it again; a word longer than the line is left
        whole (past the edge) rather than split or cut.
        """
        lines = textwrap.wrap(label + text, self.width, initial_indent=" " * indent,
                              subsequent_indent=" " * (indent + 4 if hang is None else hang),
                              break_long_words=False, break_on_hyphens=False) or [""]
        out = Text("\n".join(lines), style=style, no_wrap=True, overflow="ignore")
        if label:
            out.stylize(label_style, indent, indent + len(label))
        return out

    def heading(self, text: str, style: str = "bold") -> Text:
        return self.para(text, style=style)

    def header(self, result: Assessment, options: ReportOptions) -> list[Text]:
        what_if = options.what_if
        title = self.para(mark(safe(result.reference), what_if, "reference")
                          + ("  (synthetic case)" if result.synthetic else ""),
                          label="chargecheck assessment: ")
        dated = self.para(f"Decision date "
                          f"{mark(result.decision_date.isoformat(), what_if, 'decision_date')}"
                          f"; rule set {result.ruleset_version} ({result.ruleset_digest[:19]})",
                          style="dim")
        parts = [title, dated, self.para("Advisory only: not legal advice; not a charging "
                                         "decision.", style="bold")]
        if what_if is not None:
            parts.append(self.para(SUPPOSED, style="bold yellow"))
        return parts

    def bottom(self, result: Assessment, case: Case, options: ReportOptions) -> list[Text]:
        """The answer first: what is charged, what to charge, how urgent, what to do."""
        line = bottom_line(result, options.rules, case, options.what_if)
        parts = [self.heading("THE BOTTOM LINE"), self.para("Charged or proposed:",
                                                            style="bold")]
        nothing = mark("nothing yet", options.what_if, "charges")
        parts += [self.para(o, indent=2) for o in line.charged or [nothing]]
        if case.plea is not None:
            offered = [o for o in result.offences if o.offence == case.plea.offence]
            parts.append(self.para(mark(
                (offence_name(offered[0]) if offered else case.plea.offence)
                + " (plea offered)", options.what_if, "plea", "offence"), indent=2))
        parts.append(self.para("Recommended:", style="bold"))
        parts += [self.para(o, indent=2) for o in line.recommended or [NOTHING_SUPPORTED]]
        level = result.escalation.level
        shown_as = {"high": Severity.critical, "medium": Severity.medium}.get(level, Severity.info)
        parts.append(self.para(line.escalation, label="Escalation: ",
                               style=SEVERITY_STYLE[shown_as]))
        if line.actions:
            parts.append(self.para("What to do first:", style="bold"))
            parts += [self.para(f"{n}. {safe(action)} ({rule})", indent=2, hang=5)
                      for n, (rule, action) in enumerate(line.actions, 1)]
        return parts

    def summary(self, result: Assessment, case: Case, options: ReportOptions) -> list[Text]:
        course = result.course
        state = "established" if course.established else "not established"
        victims = ", ".join(shown(v.shown_as, v.name, options, "victims", v.id)
                            for v in case.victims)
        suspect = shown(case.suspect.label, case.suspect.name, options, "suspect")
        parts = [self.para(safe(f"suspect {suspect}; victims {victims}"), label="Parties: "),
                 self.para(mark_if(f"{state}: {plural(course.occasions, 'occasion')}, "
                                   f"{course.first} to {course.last} "
                                   f"({plural(course.span_days, 'day')})",
                                   options.what_if is not None and options.what_if.course()),
                           label="Course of conduct: ")]
        parts += [self.para(f"{safe(v.victim)}: {plural(v.occasions, 'occasion')}; "
                            f"longest gap {plural(v.longest_gap_days, 'day')}",
                            indent=2, hang=6)
                  for v in course.victims]
        return parts

    def incidents(self, case: Case, options: ReportOptions) -> list[Text]:
        labels = {v.id: v.shown_as for v in case.victims}
        parts = [self.heading(f"INCIDENTS ({len(case.incidents)})")]
        what_if = options.what_if
        for i in sorted(case.incidents, key=lambda i: i.date):
            victims = [labels.get(v, v) for v in i.victims] if i.victims else []
            towards = (mark(f"; towards {', '.join(victims)}", what_if, "incidents", i.id,
                            "victims") if victims and len(labels) > 1 else "")
            parts.append(self.para(safe(f"{when(i, what_if)}, {occasions(i, what_if)}"
                                        f"{towards}"), indent=2, hang=6,
                                   label=safe(i.id) + "  "))
            parts.append(self.para(mark("; ".join(behaviour_titles(i.behaviours, options.rules)),
                                        what_if, "incidents", i.id, "behaviours"),
                                   indent=6, hang=8))
            if i.summary:
                parts.append(self.para(safe(summary_of(i, what_if)), indent=6, hang=8,
                                       style="italic"))
        return [*parts, _BLANK]

    def indicators(self, result: Assessment) -> list[RenderableType]:
        table = Table()
        for column in ("Indicator", "Status"):
            table.add_column(column, no_wrap=True)
        table.add_column("Incidents", min_width=len("Incidents"))
        for name, value in result.indicators.items():
            table.add_row(name, Text(value.status, style=STATUS_STYLE[value.status]),
                          safe(", ".join(value.incidents) or "-"))
        return [self.heading("FOUR INDICATORS (screening aid, not a legal test)"), table]

    def ladder(self, result: Assessment, case: Case, options: ReportOptions
               ) -> list[RenderableType]:
        parts: list[RenderableType] = [self.heading("OFFENCE LADDER")]
        supposed = {o.offence for o in result.offences
                    if charge_touched(options.what_if, case, o.offence)}
        if self.width < LIST_BELOW:
            for o in result.offences:
                parts += self.rung(o, o.offence in supposed)
            return parts
        table = Table()
        rows = [self.row(o, o.offence in supposed) for o in result.offences]
        for n, column in enumerate(("Offence", "Status", "In force", "In time", "Maximum",
                                    "Charged", "Missing or absent")):
            words = [w for row in rows for w in str(row[n]).split()] + column.split()
            table.add_column(column, min_width=max(map(len, words)),
                             no_wrap=column in ("Status", "In force", "In time", "Charged"))
        for row in rows:
            table.add_row(*row)
        return [*parts, table]

    def row(self, o: OffenceResult, supposed: bool = False) -> Sequence[str | Text]:
        """One offence of the ladder; `supposed`: a what-if changed its charge."""
        return (f"{offence_name(o)} ({o.offence})",
                Text(o.status, style=STATUS_STYLE[o.status]), _yes_no(o.in_force),
                _yes_no(o.in_time), maximum(o),
                mark_if("yes" if o.charged else "", supposed and o.charged),
                "\n".join(_gaps(o)) or "-")

    def rung(self, o: OffenceResult, supposed: bool = False) -> list[Text]:
        """One offence of the ladder as a short paragraph, for a narrow screen."""
        charged = mark_if("  CHARGED", supposed) if o.charged else ""
        name = self.para(f"{offence_name(o)} ({o.offence}){charged}", indent=2, hang=4)
        state = self.para(f"{o.status}; in force {_yes_no(o.in_force)}; in time "
                          f"{_yes_no(o.in_time)}; maximum {maximum(o)}", indent=6, hang=8)
        state.stylize(STATUS_STYLE[o.status], 6, 6 + len(o.status))
        return [name, state, *(self.para(gap, indent=6, hang=8) for gap in _gaps(o))]

    def warnings(self, result: Assessment) -> list[Text]:
        if not result.warnings:
            return []
        # Contradictions between facts, and recorded decisions that answer no finding.
        return [self.heading("WARNINGS: check these in the file", style="bold yellow"),
                *(self.para(safe(w.message), indent=2, hang=6, label=f"{w.path}: ",
                            label_style="") for w in result.warnings), _BLANK]

    def findings(self, result: Assessment, case: Case, options: ReportOptions) -> list[Text]:
        if not result.findings:
            return [Text("No findings.", style="bold green"), _BLANK]
        lines: list[Text] = []
        for severity in reversed(Severity):
            group = [f for f in result.findings if f.severity == severity]
            if group:
                lines.append(self.heading(f"{severity.upper()} ({len(group)})",
                                          style=SEVERITY_STYLE[severity]))
                for f in group:
                    lines += self.finding(f, case, options.what_if)
                lines.append(_BLANK)
        return lines

    def finding(self, f: Finding, case: Case, what_if: WhatIf | None) -> list[Text]:
        unconfirmed = "  (unconfirmed law: check)" if f.confidence == "verify" else ""
        title = self.para(f"{f.title}  [{f.category}]{unconfirmed}", indent=2, hang=6,
                          label=f"{f.rule}  ")
        if unconfirmed:
            title.stylize("yellow", title.plain.rindex("(unconfirmed"))
        lines = [title, self.para(safe(f.message), indent=6, hang=6)]
        if f.decision is not None:  # the lawyer's recorded answer, right under the advice
            lines.append(self.para(safe(decision_line(f.decision, case, what_if)),
                                   indent=6, hang=8, style="bold"))
        if f.incidents:
            lines.append(self.para(incidents_label(len(f.incidents)) + ":", indent=6,
                                   style="dim"))
            lines += [self.para(safe(words), indent=8, hang=10, style="dim")
                      for words in incident_words(f.incidents, case, what_if)]
        lines.append(self.para("; ".join(f.citations), indent=6, hang=10, label="Law: ",
                               label_style="", style="dim"))
        return lines

    def not_assessed(self, result: Assessment) -> list[Text]:
        if not result.not_assessed:
            return []
        return [self.heading("NOT ASSESSED (the file lacks the facts these checks need; "
                             "not a pass)", style="bold yellow"),
                *(self.para(title, indent=2, hang=10, label=f"{rule}  ", label_style="")
                  for rule, title in result.not_assessed), _BLANK]

    def explanation(self, result: Assessment) -> list[Text]:
        """The law element by element, then the why and why-not in full, present only
        with `--explain` (engine/reasoning.py)."""
        explanation = result.explanation
        if explanation is None:
            return []
        charged = {o.offence for o in result.offences if o.charged}
        parts = []
        only = result.explained_only
        law = law_lines(explanation, charged, set(result.recommended), only)
        for line, style in [*law, *([("", "")] if law else []),
                            *explanation_lines(explanation, only)]:
            indent = len(line) - len(line.lstrip(" "))
            parts.append(self.para(safe(line.strip()), indent=indent, hang=indent + 4,
                                   style=style or ""))
        return [*parts, _BLANK]


def _gaps(o: OffenceResult) -> list[str]:
    return [f"unknown: {m}" for m in o.missing] + [f"absent: {a}" for a in o.absent]


def _yes_no(value: bool | None) -> str:
    return "?" if value is None else "yes" if value else "NO"
