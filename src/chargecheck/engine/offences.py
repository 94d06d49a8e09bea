"""One offence judged for one victim: its elements, whether it was in force and in time.

A course-of-conduct offence rests on the victim's whole course; a single-incident
offence on the incidents that evidence it. The dates of those incidents decide
commencement, the time limit and the maximum (engine/ladder.py).
"""

from __future__ import annotations

from datetime import date

from chargecheck.case.model import Incident
from chargecheck.conditions.facts import Context
from chargecheck.engine.assessment import OffenceResult
from chargecheck.engine.ladder import add_months, maximum
from chargecheck.rulebook.ruleset import OffenceDef, RuleSet


def judge_offence(ctx: Context, offence: OffenceDef, rules: RuleSet) -> OffenceResult | None:
    """The offence's result for this victim, or None if the case does not raise it."""
    charged = offence.id in ctx.charges()
    in_plea = ctx.case.plea is not None and offence.id in (
        ctx.case.plea.offence, *ctx.case.plea.in_place_of)
    if offence.raised is not None and not offence.raised(ctx)[0] and not (charged or in_plea):
        return None
    verdicts = [(element, *element.test(ctx)) for element in offence.elements]
    ids = frozenset().union(*(found for _, value, found in verdicts if value))
    resting_on = _resting_on(offence, ctx.incidents, ids)
    # The whole course's last date is already a fact; a part of it needs working out.
    last = ctx.facts["course.last"] if resting_on is ctx.incidents else _last(resting_on)
    in_force = _in_force(offence, resting_on)
    in_time = _in_time(offence, last, ctx.decision_date)
    absent = tuple(e.text for e, value, _ in verdicts if value is False)
    missing = tuple(e.text for e, value, _ in verdicts if value is None)
    status = "not-supported" if absent else "unknown" if missing else "supported"
    if not in_force or in_time is False:
        status = "not-supported"
    summary, indictment = maximum(offence, last, ctx.decision_date, rules)
    return OffenceResult(
        offence.id, offence.title, offence.citation, offence.mode_of_trial, status, in_force,
        in_time, summary, indictment, missing, absent, tuple(sorted(ids)), charged)


def _resting_on(offence: OffenceDef, incidents: list[Incident], ids: frozenset[str]
               ) -> list[Incident]:
    """The incidents whose dates decide in force, in time and the maximum.

    A course-of-conduct offence rests on the victim's whole course (it is committed at
    its last incident); a single-incident offence on the incidents that evidence it.
    Either way they stay in date order.
    """
    if offence.occasions_needed > 1:
        return incidents
    return [i for i in incidents if i.id in ids] or incidents


def _in_force(offence: OffenceDef, incidents: list[Incident]) -> bool:
    """Enough of the conduct falls on or after commencement to form the offence.

    With fewer occasions than the offence needs, the question is only whether those
    there are fall after commencement: a missing occasion is an absent element, not an
    offence out of force.
    """
    if incidents[0].date >= offence.commencement:  # in date order: all of it counts
        return True
    since = sum(occasions_from(i, offence.commencement) for i in incidents)
    total = sum(i.occasions for i in incidents)
    return since >= min(offence.occasions_needed, total)


def occasions_from(incident: Incident, start: date) -> int:
    """Occasions on or after `start`, prorated by days for an entry spanning it."""
    if incident.date >= start:
        return incident.occasions
    if incident.last_date < start:
        return 0
    days = (incident.last_date - incident.date).days + 1
    share = (incident.last_date - start).days + 1
    return max(1, incident.occasions * share // days)


def _in_time(offence: OffenceDef, last: date, when: date) -> bool | None:
    """Whether a charge decided on `when` is within the time limit from the `last` conduct."""
    if offence.time_limit_kind is None:
        return True
    if offence.time_limit_kind == "special" or offence.time_limit_months is None:
        return None
    return when <= add_months(last, offence.time_limit_months)


def _last(incidents: list[Incident]) -> date:
    return max(i.last_date for i in incidents)
