"""`chargecheck rules diff`: what a rule change does to real cases, case by case.

Each case is assessed under the old and the new rule set; this module compares the two
assessments (findings gained and lost, severities changed, offence statuses and maxima,
recommended charges) and writes the result as text, JSON or Markdown, with totals.
Reading the rule sets and the cases is the command line's (cli/rules_diff.py).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from chargecheck.engine.assessment import Assessment, Finding, OffenceResult
from chargecheck.errors import Problem, printable
from chargecheck.spelling import plural


@dataclass(frozen=True)
class FindingBrief:
    rule: str
    severity: str
    title: str


@dataclass(frozen=True)
class SeverityMove:
    rule: str
    before: str
    after: str


@dataclass(frozen=True)
class OffenceMove:
    offence: str
    what: str            # `status` or `maximum`
    before: str | None   # None: the offence is not raised on that side
    after: str | None


@dataclass(frozen=True)
class ChargesMove:
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class CaseDiff:
    """What moved in one case between the old and the new rule set."""

    file: str
    reference: str
    gained: list[FindingBrief]        # findings only the new rules make
    lost: list[FindingBrief]          # findings only the old rules made
    severities: list[SeverityMove]    # same finding, another severity
    offences: list[OffenceMove]       # status or maximum
    recommended: ChargesMove | None   # when the recommended charges differ

    @property
    def changed(self) -> bool:
        return bool(self.gained or self.lost or self.severities or self.offences
                    or self.recommended)


@dataclass
class RulesDiff:
    old: str
    new: str
    cases: list[CaseDiff] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # cases that could not be read

    @property
    def changed(self) -> list[CaseDiff]:
        return [c for c in self.cases if c.changed]

    def totals(self) -> dict[str, int]:
        return {
            "cases": len(self.cases), "cases_changed": len(self.changed),
            "unreadable": len(self.problems),
            "findings_gained": sum(len(c.gained) for c in self.cases),
            "findings_lost": sum(len(c.lost) for c in self.cases),
            "severity_changes": sum(len(c.severities) for c in self.cases),
            "offence_changes": sum(len(c.offences) for c in self.cases),
            "recommendation_changes": sum(c.recommended is not None for c in self.cases),
        }


def diff_case(file: str, old: Assessment, new: Assessment) -> CaseDiff:
    before = {f.rule: f for f in old.findings}
    after = {f.rule: f for f in new.findings}
    gained = [_brief(f) for rule, f in after.items() if rule not in before]
    lost = [_brief(f) for rule, f in before.items() if rule not in after]
    severities = [SeverityMove(rule, before[rule].severity, f.severity)
                  for rule, f in after.items()
                  if rule in before and before[rule].severity != f.severity]
    offences: list[OffenceMove] = []
    was = {o.offence: o for o in old.offences}
    now = {o.offence: o for o in new.offences}
    for name in dict.fromkeys([*was, *now]):
        a, b = was.get(name), now.get(name)
        if (a and a.status) != (b and b.status):
            offences.append(OffenceMove(name, "status", a and a.status, b and b.status))
        if a and b and _maximum(a) != _maximum(b):
            offences.append(OffenceMove(name, "maximum", _maximum(a), _maximum(b)))
    recommended = None
    if old.recommended != new.recommended:
        recommended = ChargesMove(old.recommended, new.recommended)
    return CaseDiff(file, old.reference, gained, lost, severities, offences, recommended)


def _brief(finding: Finding) -> FindingBrief:
    return FindingBrief(finding.rule, finding.severity, finding.title)


def _maximum(offence: OffenceResult) -> str:
    """An offence's maxima in words: `6 months summarily; 5 years on indictment`."""
    summary = f"{offence.summary_months} months summarily"
    if offence.indictment_years is None:
        return summary
    return f"{summary}; {offence.indictment_years} years on indictment"


# --- output ------------------------------------------------------------------------------

def _lines(case: CaseDiff) -> list[str]:
    lines = [f"+ finding {f.rule} ({f.severity}): {f.title}" for f in case.gained]
    lines += [f"- finding {f.rule} ({f.severity}): {f.title}" for f in case.lost]
    lines += [f"~ severity of {s.rule}: {s.before} -> {s.after}" for s in case.severities]
    lines += [f"~ {o.offence} {o.what}: {o.before} -> {o.after}" for o in case.offences]
    if case.recommended is not None:
        before = ", ".join(case.recommended.before) or "none"
        after = ", ".join(case.recommended.after) or "none"
        lines.append(f"~ recommended charges: {before} -> {after}")
    return [printable(line) for line in lines]


def _verdict(diff: RulesDiff) -> str:
    t = diff.totals()
    unread = (f"; {plural(t['unreadable'], 'case file')} could not be read"
              if t["unreadable"] else "")
    return (f"{t['cases_changed']} of {plural(t['cases'], 'case')} changed: "
            f"{plural(t['findings_gained'], 'finding')} gained, {t['findings_lost']} lost, "
            f"{plural(t['severity_changes'], 'severity change')}, "
            f"{plural(t['offence_changes'], 'offence change')}, "
            f"{plural(t['recommendation_changes'], 'recommendation change')}{unread}")


def as_text(diff: RulesDiff) -> str:
    out = [f"Rules diff: {printable(diff.old)} -> {printable(diff.new)}", ""]
    for case in diff.changed:
        out.append(printable(f"{case.file} ({case.reference})"))
        out += [f"  {line}" for line in _lines(case)]
        out.append("")
    out += [f"error: {p}" for p in diff.problems]
    out.append(_verdict(diff))
    return "\n".join(out) + "\n"


def as_markdown(diff: RulesDiff) -> str:
    out = [f"# Rules diff: `{_md(diff.old)}` -> `{_md(diff.new)}`", "", _verdict(diff), ""]
    for case in diff.changed:
        out += [f"## `{_md(case.file)}` ({_md(case.reference)})", ""]
        out += [f"- `{_md(line)}`" for line in _lines(case)]
        out.append("")
    if diff.problems:
        out += ["## Case files that could not be read", ""]
        out += [f"- `{_md(str(p))}`" for p in diff.problems]
        out.append("")
    return "\n".join(out)


def _md(text: str) -> str:
    return printable(text).replace("`", "'")


def as_json(diff: RulesDiff) -> str:
    body = {
        "old": diff.old, "new": diff.new, "changed": bool(diff.changed),
        "totals": diff.totals(),
        "cases": [{"file": c.file, "reference": c.reference,
                   "findings_gained": [asdict(f) for f in c.gained],
                   "findings_lost": [asdict(f) for f in c.lost],
                   "severity_changes": [asdict(s) for s in c.severities],
                   "offence_changes": [asdict(o) for o in c.offences],
                   "recommended_charges": _charges(c.recommended)}
                  for c in diff.changed],
        "unreadable": [{"file": p.file, "line": p.line, "message": p.message}
                       for p in diff.problems],
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def _charges(moved: ChargesMove | None) -> dict[str, list[str]] | None:
    return None if moved is None else {"before": list(moved.before), "after": list(moved.after)}


FORMATTERS = {"text": as_text, "json": as_json, "markdown": as_markdown}
