"""The words a prosecutor reads, shared by the text, Markdown and HTML reports.

Offences by title and section with the maximum that applies, counts in the right number,
incidents by date and summary, behaviours by their titles in the rule set, and the bottom
line: what is charged, what the evidence supports, how urgent it is and what to do first.
Plain, unescaped strings only (no rich): each format escapes them for its own syntax.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from chargecheck.case.model import Case, Decision, Incident
from chargecheck.engine.assessment import Assessment, Finding, OffenceResult
from chargecheck.engine.decisions import heading
from chargecheck.reports.hypothetical import WhatIf, any_changed, charge_touched, mark_if
from chargecheck.spelling import plural as plural  # shared with every layer

if TYPE_CHECKING:
    from chargecheck.rulebook.ruleset import RuleSet

NOTHING_SUPPORTED = "no offence is supported on this file"
ACTIONS_SHOWN = 3


def maximum(o: OffenceResult) -> str:
    """The maximum that applies on the decision date, in a sentencing lawyer's words."""
    if o.indictment_years is None:
        return f"{plural(o.summary_months, 'month')}, summary only"
    return f"{plural(o.indictment_years, 'year')} on indictment"


def offence_name(o: OffenceResult) -> str:
    """`Stalking, PHA 1997 s.2A`."""
    return f"{o.title}, {o.citation}"


def offence_line(o: OffenceResult) -> str:
    """`Stalking, PHA 1997 s.2A: 6 months, summary only`."""
    return f"{offence_name(o)}: {maximum(o)}"


def offence_lines(result: Assessment, ids: Iterable[str]) -> list[str]:
    """Each offence id as its title, section and maximum (an unknown id as itself)."""
    known = {o.offence: o for o in result.offences}
    return [offence_line(known[i]) if i in known else i for i in ids]


def charged_ids(result: Assessment) -> list[str]:
    return sorted({o.offence for o in result.offences if o.charged})


def escalation_line(result: Assessment, rules: RuleSet | None,
                    supposed: Collection[str] = ()) -> str:
    """`MEDIUM: third parties contacted, victim very frightened` (marker titles if known);
    a marker only a what-if's changes brought (`supposed`) is labelled (hypothetical)."""
    titles = {m.id: m.title for m in rules.markers} if rules is not None else {}
    markers = [mark_if(titles.get(m, m), m in supposed) for m in result.escalation.markers]
    level = result.escalation.level.upper()
    return level + (": " + "; ".join(markers) if markers else "")


class BottomLine(NamedTuple):
    charged: list[str]
    recommended: list[str]
    escalation: str
    actions: list[tuple[str, str]]  # (rule id, what to do)


def bottom_line(result: Assessment, rules: RuleSet | None, case: Case | None = None,
                what_if: WhatIf | None = None) -> BottomLine:
    """The answer first: the charge, the charge the evidence supports, urgency, actions;
    what a what-if changed (a charge, a marker) labelled (hypothetical)."""
    charged = charged_ids(result)
    lines = offence_lines(result, charged)
    if case is not None:
        lines = [mark_if(line, charge_touched(what_if, case, ident))
                 for ident, line in zip(charged, lines, strict=True)]
    markers = what_if.markers if what_if is not None else frozenset()
    return BottomLine(lines, offence_lines(result, result.recommended),
                      escalation_line(result, rules, markers), actions(result, rules))


def actions(result: Assessment, rules: RuleSet | None,
            limit: int = ACTIONS_SHOWN) -> list[tuple[str, str]]:
    """What to do first: the top findings' actions, in the findings' order, each once.

    A finding the lawyer has settled (accepted, or considered and not followed) stays in
    the report beside its decision, but is no longer something to do first."""
    templates = {r.id: r.action for r in rules.rules} if rules is not None else {}
    chosen: list[tuple[str, str]] = []
    for finding in (f for f in result.findings if not f.settled):
        action = action_of(finding, templates.get(finding.rule, ""))
        if action and action not in (a for _, a in chosen):
            chosen.append((finding.rule, action))
        if len(chosen) == limit:
            break
    return chosen


def action_of(finding: Finding, template: str) -> str:
    """The filled-in action of a finding: the end of its message that its rule's action
    template matches (a message is the rule's found, why and action texts, filled in)."""
    if not template:
        return ""
    literal = [re.escape(part) for part in re.split(r"\{[^{}]*\}", template)]
    match = re.search("(" + "(.+?)".join(literal) + r")\s*$", finding.message, re.DOTALL)
    return match.group(1) if match else template


def when(i: Incident, what_if: WhatIf | None = None) -> str:
    """An incident's date, or its date range; (hypothetical) where a what-if changed it."""
    text = i.date.isoformat() + (f" to {i.end_date.isoformat()}" if i.end_date else "")
    return mark_if(text, any_changed(what_if, ("incidents", i.id), ("date", "end_date")))


def occasions(i: Incident, what_if: WhatIf | None = None) -> str:
    """`7 occasions`; (hypothetical) where a what-if changed the count or the end date."""
    return mark_if(plural(i.occasions, "occasion"),
                   any_changed(what_if, ("incidents", i.id), ("count", "end_date", "date")))


def behaviour_titles(behaviours: Sequence[str], rules: RuleSet | None) -> list[str]:
    """Behaviours by their titles in the rule set (an unknown one by its id)."""
    if rules is None:
        return list(behaviours)
    titles = {b["id"]: b.get("title", b["id"])
              for b in rules.sources.get("behaviours.yaml", {}).get("behaviours", [])}
    return [titles.get(b, b) for b in behaviours]


def incident_words(ids: Sequence[str], case: Case, what_if: WhatIf | None = None
                   ) -> list[str]:
    """Each incident id with its date and summary: `I2 (2016-03-08): Posted ...`."""
    known = {i.id: i for i in case.incidents}
    words = []
    for incident_id in ids:
        incident = known.get(incident_id)
        if incident is None:
            words.append(f"incident {incident_id}")
            continue
        summary = f": {summary_of(incident, what_if)}" if incident.summary else ""
        words.append(f"{incident_id} ({when(incident, what_if)}){summary}")
    return words


def summary_of(i: Incident, what_if: WhatIf | None = None) -> str:
    return mark_if(i.summary or "", any_changed(what_if, ("incidents", i.id), ("summary",)))


def decision_line(decision: Decision, case: Case, what_if: WhatIf | None = None) -> str:
    """`Decision (not followed, 2017-03-02, ...): reason`."""
    return f"{heading(decision)}: {decision_reason(decision, case, what_if)}"


def decision_reason(decision: Decision, case: Case, what_if: WhatIf | None = None) -> str:
    """The recorded reason, (hypothetical) if a what-if changed the decision."""
    at = next((n for n, d in enumerate(case.decisions) if d == decision), None)
    supposed = what_if is not None and at is not None and what_if.touched("decisions", str(at))
    return mark_if(decision.reason, supposed)


def incidents_label(count: int) -> str:
    return "Incident" if count == 1 else "Incidents"
