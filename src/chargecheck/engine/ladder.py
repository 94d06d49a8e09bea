"""The offence ladder: maxima by date, the order of seriousness, and what to recommend.

Read by the assessment (the maxima of each offence, the recommended charges), by the
messages that name them (`{recommended}`) and by the reports (the audit's cross-table,
the timeline's window), so that all of them rank and date offences the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from chargecheck.engine.assessment import OffenceResult
from chargecheck.rulebook.ruleset import OffenceDef, RuleSet
from chargecheck.scales import OffenceStatus


def maximum(offence: OffenceDef, offence_date: date, when: date, rules: RuleSet
            ) -> tuple[int, int | None]:
    """The maxima for an offence committed on `offence_date`, sentenced on `when`.

    The indictment maximum follows the offence date; the magistrates' general
    limit follows the date of conviction, for which the decision date stands in.
    """
    entry = offence.maxima[0]
    for candidate in offence.maxima:
        if candidate.starts <= offence_date:
            entry = candidate
    summary = entry.summary_months
    if summary == "general-limit":
        summary = general_limit(rules, offence_date, when)
    return int(summary), entry.indictment_years


def general_limit(rules: RuleSet, committed: date, convicted: date) -> int:
    """The magistrates' general limit for an either-way offence.

    Offences committed before the first rise keep the old limit whatever the date of
    conviction; the later changes apply by conviction date (legal reference 14.1.3).
    """
    floor = rules.general_limit_before
    if floor is not None and committed < floor[0]:
        return floor[1]
    return next((m for start, m in reversed(rules.general_limit) if start <= convicted),
                rules.general_limit[0][1])


def recommend(offences: Iterable[OffenceResult], rules: RuleSet) -> tuple[str, ...]:
    """Supported offences not superseded by another supported one, most serious first."""
    supported = {o.offence: o for o in offences if o.status == OffenceStatus.supported}
    superseded = {o.id: o.superseded_by for o in rules.offences}
    kept = [o for o in supported.values() if not (superseded[o.offence] & supported.keys())]
    return tuple(o.offence for o in most_serious_first(kept, rules))


def most_serious_first(offences: Iterable[OffenceResult], rules: RuleSet
                       ) -> list[OffenceResult]:
    """By maximum on indictment, then summary maximum, then the rule set's ladder order."""
    order = {o.id: n for n, o in enumerate(rules.offences)}
    return sorted(offences, key=lambda o: (
        -(o.indictment_years or 0), -o.summary_months, order[o.offence]))
