"""The review table of `chargecheck audit`, as markdown, JSON or CSV (text: audit_text.py).

Each reporter gets the cases one by one as they are assessed (for `--cases`)
and the finished tally at the end. Output goes to whatever `sys.stdout` is at
the time, so lines printed under the progress bar land above it. Case text is
data: references are escaped, never read as markup.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from chargecheck import ADVISORY
from chargecheck.engine.assessment import LEVELS
from chargecheck.reports.audit_tally import NOTHING, CaseSummary, Tally
from chargecheck.reports.escaping import md, one_line
from chargecheck.reports.wording import plural


def _out(text: str) -> None:
    sys.stdout.write(text)


def percent(share: float) -> str:
    return f"{share:.1%}"


class Reporter(Protocol):
    def case(self, summary: CaseSummary) -> None: ...
    def finish(self) -> None: ...


# --- the tables, independent of format ---------------------------------------------------

@dataclass(frozen=True)
class Section:
    title: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]


def sections(tally: Tally) -> list[Section]:
    return [_questions(tally), _categories(tally), _rules(tally), _levels(tally),
            _cross(tally)]


def _counted(tally: Tally, cases: int) -> tuple[str, str]:
    return str(cases), percent(tally.share(cases))


def _questions(tally: Tally) -> Section:
    rows = [(q.title, ", ".join(sorted(q.rules)), *_counted(tally, tally.questions[q.id]))
            for q in tally.rules.questions]
    return Section("Inspection questions", ("Question", "Rules", "Cases", "Share"), rows)


def categories(tally: Tally) -> list[str]:
    return list(dict.fromkeys(r.category for r in tally.rules.rules))


def _categories(tally: Tally) -> Section:
    rows = [(c, *_counted(tally, tally.categories[c])) for c in categories(tally)]
    return Section("Finding categories", ("Category", "Cases", "Share"), rows)


def _rules(tally: Tally) -> Section:
    rows = [(r.id, r.title, r.severity, *_counted(tally, tally.findings[r.id]))
            for r in tally.rules.rules]
    return Section("Rules", ("Rule", "Title", "Severity", "Cases", "Share"), rows)


def _levels(tally: Tally) -> Section:
    rows = [(level, *_counted(tally, tally.levels[level])) for level in LEVELS]
    return Section("Escalation levels", ("Level", "Cases", "Share"), rows)


def offence_order(tally: Tally, used: set[str]) -> list[str]:
    """Offences in the rule set's ladder order, then 'none'; only those that occur."""
    ladder = [o.id for o in tally.rules.offences] + [NOTHING]
    return [o for o in ladder if o in used]


def _cross(tally: Tally) -> Section:
    charged = offence_order(tally, {c for c, _ in tally.cross})
    recommended = offence_order(tally, {r for _, r in tally.cross})
    rows = [(c, *(str(tally.cross[c, r] or "") for r in recommended),
             str(sum(tally.cross[c, r] for r in recommended))) for c in charged]
    title = "Charged (rows) against recommended (columns), most serious offence of each"
    return Section(title, ("Charged", *recommended, "Total"), rows)


def headline(tally: Tally) -> list[str]:
    rules = tally.rules
    return [
        f"{plural(tally.files, 'file')}; {plural(tally.reviewed, 'case')} reviewed; "
        f"{len(tally.invalid)} could not be read",
        f"Cases with a finding at or above {tally.fail_on}: {tally.failing} "
        f"({percent(tally.share(tally.failing))})" + _answered(tally),
        f"Rule set {rules.version} ({rules.digest[:19]}); shares are of the cases reviewed",
    ]


def _answered(tally: Tally) -> str:
    """Said only when it happened, so a review without recorded decisions reads as before."""
    if not tally.answered:
        return ""
    return (f"; {tally.answered} more had such findings only where a recorded decision "
            "accepted or did not follow them")


def case_fields(tally: Tally, case: CaseSummary) -> tuple[str, str, str, str]:
    return (one_line(case.reference), ", ".join(case.charged) or "-",
            ", ".join(case.recommended) or "-", tally.worst(case) or "-")


CASE_COLUMNS = ("Reference", "Charged", "Recommended", "Worst finding")


class CaseLines:
    """The one-line-per-case part of a streamed review: a heading before the first."""

    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self.started = False

    def case(self, summary: CaseSummary) -> None:
        if not self.started:
            self.started = True
            _out(self.heading())
        _out(self.line(case_fields(self.tally, summary)))

    def heading(self) -> str:
        return self.line(CASE_COLUMNS)

    def line(self, fields: tuple[str, ...]) -> str:
        raise NotImplementedError


# --- markdown ----------------------------------------------------------------------------

def _md(value: str) -> str:
    return md(value) or " "  # an empty cell still has its place in the row


def _md_row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(_md(c) for c in cells) + " |\n"


def _md_table(columns: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    rule = "|" + "|".join("---" for _ in columns) + "|\n"
    return _md_row(columns) + rule + "".join(_md_row(row) for row in rows)


class MarkdownReporter(CaseLines):
    def heading(self) -> str:
        return "# chargecheck audit\n\n## Cases\n\n" + _md_table(CASE_COLUMNS, [])

    def line(self, fields: tuple[str, ...]) -> str:
        return _md_row(fields)

    def finish(self) -> None:
        if not self.started:
            _out("# chargecheck audit\n")
        _out("\n" + "".join(f"- {_md(line)}\n" for line in headline(self.tally)))
        for section in sections(self.tally):
            _out(f"\n## {_md(section.title)}\n\n" + _md_table(section.columns, section.rows))
        _out(f"\n**{_md(ADVISORY)}**\n")


# --- JSON --------------------------------------------------------------------------------

def summary_json(tally: Tally) -> dict[str, Any]:
    """The review as data; the keys are listed in docs/audit.md."""
    def counted(cases: int) -> dict[str, Any]:
        return {"cases": cases, "share": round(tally.share(cases), 4)}

    cross: dict[str, dict[str, int]] = {}
    for (charged, recommended), cases in sorted(tally.cross.items()):
        cross.setdefault(charged, {})[recommended] = cases
    return {
        "advisory": ADVISORY,
        "ruleset": {"version": tally.rules.version, "digest": tally.rules.digest},
        "files": tally.files,
        "cases_reviewed": tally.reviewed,
        "invalid_files": len(tally.invalid),
        "invalid": [{"file": c.file, "problems": list(c.problems)} for c in tally.invalid],
        "fail_on": tally.fail_on,
        "cases_failing": tally.failing,
        "cases_answered": tally.answered,
        "questions": [{"id": q.id, "title": q.title, "rules": sorted(q.rules),
                       **counted(tally.questions[q.id])} for q in tally.rules.questions],
        "categories": {c: counted(tally.categories[c]) for c in categories(tally)},
        "rules": {r.id: {"title": r.title, "category": r.category, "severity": r.severity,
                         **counted(tally.findings[r.id])} for r in tally.rules.rules},
        "escalation": {level: counted(tally.levels[level]) for level in LEVELS},
        "charged_vs_recommended": cross,
    }


def case_json(tally: Tally, case: CaseSummary) -> dict[str, Any]:
    return {"file": case.file, "reference": case.reference, "charged": list(case.charged),
            "recommended": list(case.recommended), "escalation": case.level,
            "worst": _worst_json(tally, case)}


def _worst_json(tally: Tally, case: CaseSummary) -> dict[str, Any] | None:
    if not case.rules:
        return None
    worst = case.rules[0]
    response = dict(case.answers).get(worst)  # an answered finding is marked, not hidden
    return {"rule": worst, "severity": tally.index[worst].severity} | (
        {"decision": response} if response else {})


class JsonReporter:
    """One JSON object; with `--cases` its `cases` list is written as cases arrive."""

    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self.started = False

    def case(self, summary: CaseSummary) -> None:
        _out(",\n    " if self.started else '{\n  "cases": [\n    ')
        self.started = True
        _out(json.dumps(case_json(self.tally, summary), ensure_ascii=False))

    def finish(self) -> None:
        body = json.dumps(summary_json(self.tally), indent=2, ensure_ascii=False)
        _out(("\n  ],\n" + body[2:] if self.started else body) + "\n")


# --- CSV ---------------------------------------------------------------------------------

CSV_COLUMNS = ("section", "key", "detail", "charged", "recommended", "worst", "cases", "share")


def _cell(value: str) -> str:
    """Case text that a spreadsheet would run as a formula gets a leading quote (OWASP)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class CsvReporter:
    """One flat table; the `section` column says what each row is (see docs/audit.md)."""

    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self.started = False

    def _row(self, *values: object) -> None:
        if not self.started:
            self.started = True
            self._row(*CSV_COLUMNS)
        csv.writer(sys.stdout, lineterminator="\n").writerow(values)

    def case(self, summary: CaseSummary) -> None:
        worst = self.tally.worst(summary)
        self._row("case", _cell(summary.file), _cell(summary.reference),
                  " ".join(summary.charged), " ".join(summary.recommended), worst, "", "")

    def _counted(self, section: str, key: str, detail: str, cases: int) -> None:
        self._row(section, key, detail, "", "", "", cases, round(self.tally.share(cases), 4))

    def finish(self) -> None:
        tally = self.tally
        self._row("files", "total", "", "", "", "", tally.files, "")
        self._row("files", "reviewed", "", "", "", "", tally.reviewed, "")
        self._row("files", "invalid", "", "", "", "", len(tally.invalid), "")
        self._counted("failing", tally.fail_on, "", tally.failing)
        self._counted("answered", tally.fail_on, "", tally.answered)
        for q in tally.rules.questions:
            self._counted("question", q.id, q.title, tally.questions[q.id])
        for category in categories(tally):
            self._counted("category", category, "", tally.categories[category])
        for rule in tally.rules.rules:
            self._counted("rule", rule.id, rule.title, tally.findings[rule.id])
        for level in LEVELS:
            self._counted("escalation", level, "", tally.levels[level])
        for (charged, recommended), cases in sorted(tally.cross.items()):
            self._row("charged-vs-recommended", "", "", charged, recommended, "", cases,
                      round(tally.share(cases), 4))
        for case in tally.invalid:
            for problem in case.problems:
                self._row("invalid", _cell(case.file), problem, "", "", "", "", "")


# The text reporter, drawn with rich, is audit_text.py: the command imports it only for
# `--format text`, so the other formats never load rich.
REPORTERS: dict[str, Callable[[Tally], Reporter]] = {
    "markdown": MarkdownReporter, "json": JsonReporter, "csv": CsvReporter,
}
