"""The what-if report (`assess CASE --set ...`): what moved between two assessments.

The difference (statuses, findings, recommended charges, escalation) as data for JSON
and as plain lines set in front of the after-report in text, Markdown and HTML.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import textwrap
from datetime import date
from typing import Any

from chargecheck.case.edits import Change
from chargecheck.case.model import Case
from chargecheck.engine.assessment import Assessment
from chargecheck.errors import dotted
from chargecheck.reports.escaping import safe
from chargecheck.reports.json_report import report_data
from chargecheck.reports.options import ReportOptions


def as_json(changes: list[Change], before: Assessment, after: Assessment, changed: Case,
            options: ReportOptions, diff: dict[str, Any]) -> str:
    """The whole what-if report as JSON: the changes, before, after and the difference."""
    body = {"changes": [{"set": dotted(c.path), "value": _plain(c.value), "hypothetical": True}
                        for c in changes],
            "before": summary(before), "after": report_data(after, changed, options),
            "diff": diff}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def _plain(value: Any) -> Any:
    """A changed value as JSON: dates in ISO form."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def summary(result: Assessment) -> dict[str, Any]:
    """The parts of an assessment a what-if compares."""
    return {
        "offences": {o.offence: o.status for o in result.offences},
        "indicators": {name: v.status for name, v in result.indicators.items()},
        "escalation": result.escalation.level,
        "recommended_charges": list(result.recommended),
        "findings": [f.rule for f in result.findings],
    }


def compare(before: Assessment, after: Assessment) -> dict[str, Any]:
    """What moved: offence and indicator statuses, findings, charges, escalation."""
    old, new = summary(before), summary(after)
    found_before = {f.rule: f for f in before.findings}
    found_after = {f.rule: f for f in after.findings}
    return {
        "offences": _moved(old["offences"], new["offences"], "offence"),
        "indicators": _moved(old["indicators"], new["indicators"], "indicator"),
        "findings_gained": [_brief(f) for r, f in found_after.items() if r not in found_before],
        "findings_lost": [_brief(f) for r, f in found_before.items() if r not in found_after],
        "recommended_charges": {"before": old["recommended_charges"],
                                "after": new["recommended_charges"]},
        "escalation": {"before": old["escalation"], "after": new["escalation"]},
    }


def _moved(old: dict[str, str], new: dict[str, str], kind: str) -> list[dict[str, Any]]:
    names = dict.fromkeys([*old, *new])  # an offence may be raised on one side only
    return [{kind: n, "before": old.get(n), "after": new.get(n)} for n in names
            if old.get(n) != new.get(n)]


def _brief(finding: Any) -> dict[str, str]:
    return {"rule": finding.rule, "severity": finding.severity, "title": finding.title}


def diff_lines(changes: list[Change], diff: dict[str, Any],
               names: dict[str, str] | None = None) -> list[str]:
    """The difference in plain lines, for text, Markdown and HTML alike; offences by
    `names` (title and section, the id in brackets) where given."""
    named = names or {}

    def offence(ident: str) -> str:
        return f"{named[ident]} ({ident})" if ident in named else ident

    lines = ["WHAT IF: a hypothetical case, the file re-assessed with these changes (the file "
             "itself is unchanged)"]
    lines += [f"  --set {safe(c.argument)} (hypothetical)" for c in changes]
    moved = [(offence(m["offence"]), m) for m in diff["offences"]] + [
        (f"indicator {m['indicator']}", m) for m in diff["indicators"]]
    lines.append("Statuses that moved:" if moved else "No offence or indicator status moved.")
    lines += [f"  {name}: {m['before'] or 'not raised'} -> {m['after'] or 'not raised'}"
              for name, m in moved]
    for key, mark, label in (("findings_gained", "+", "Findings gained:"),
                             ("findings_lost", "-", "Findings lost:")):
        if diff[key]:
            lines.append(label)
            lines += [f"  {mark} {f['rule']} [{f['severity']}] {f['title']}" for f in diff[key]]
    for key, label in (("recommended_charges", "Recommended charges"),
                       ("escalation", "Escalation")):
        was, now = diff[key]["before"], diff[key]["after"]
        if isinstance(was, list):
            was = "; ".join(map(offence, was)) or "none"
            now = "; ".join(map(offence, now)) or "none"
        lines.append(f"{label}: {was} -> {now}" if was != now else f"{label}: {now} (unchanged)")
    return lines


def with_diff(format_name: str, report: str, lines: list[str]) -> str:
    """The after-report with the difference in front, in the report's own format."""
    if format_name == "markdown":
        runs = [len(run) for run in re.findall("~+", "\n".join(lines))]
        fence = "~" * max([4, *(n + 1 for n in runs)])  # longer than any typed into --set
        section = f"## What if\n\n{fence}\n" + "\n".join(lines) + f"\n{fence}\n\n"
        title, _, rest = report.partition("\n")
        if title.startswith("# "):  # keep the report's own title on top
            return f"{title}\n\n{section}{rest.lstrip(chr(10))}"
        return section + report
    if format_name == "html":
        section = ("<section class=\"what-if\">\n<h2>What if</h2>\n<pre>"
                   + html.escape("\n".join(lines)) + "</pre>\n</section>\n")
        head, found, rest = report.partition("<body>\n")
        return head + found + section + rest if found else section + report
    return "\n".join(map(_wrapped, lines)) + "\n\n" + report


def _wrapped(line: str) -> str:
    """One line of the difference wrapped to the text report's width, indent hanging."""
    indent = " " * (len(line) - len(line.lstrip(" ")) + 4)
    width = max(40, shutil.get_terminal_size((100, 24)).columns)
    return "\n".join(textwrap.wrap(line, width, subsequent_indent=indent,
                                    break_long_words=False, break_on_hyphens=False)) or line
