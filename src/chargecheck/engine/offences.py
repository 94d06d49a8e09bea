"""One offence judged for one victim: its elements, whether it was in force and in time.

A course-of-conduct offence rests on the victim's whole course; a single-incident
offence on the incidents that evidence it. The dates of those incidents decide
commencement, the time limit and the maximum (engine/ladder.py). Conduct before an
offence existed supplies none of its elements (no retrospective liability; legal
reference 14.1.4), so the elements are judged on the conduct from commencement on.
"""

from __future__ import annotations

from datetime import date

from chargecheck.case.model import Incident
from chargecheck.conditions.facts import Context, fact_table
from chargecheck.conditions.months import add_months
from chargecheck.engine.assessment import OffenceResult
from chargecheck.engine.ladder import maximum
from chargecheck.rulebook.ruleset import OffenceDef, RuleSet
from chargecheck.scales import OffenceStatus


def judge_offence(ctx: Context, offence: OffenceDef, rules: RuleSet) -> OffenceResult | None:
    """The offence's result for this victim, or None if the case does not raise it."""
    charged = offence.id in ctx.charges()
    in_plea = ctx.case.plea is not None and offence.id in (
        ctx.case.plea.offence, *ctx.case.plea.in_place_of)
    if offence.raised is not None and not offence.raised(ctx)[0] and not (charged or in_plea):
        return None
    since = from_commencement(ctx, offence.commencement)
    # With no conduct since commencement the offence is simply not in force: its
    # elements are not judged, so none is reported missing or absent.
    verdicts = [(element, *element.test(since))
                for element in offence.elements] if since.incidents else []
    ids = frozenset().union(*(found for _, value, found in verdicts if value))
    # Which conduct the offence rests on is read from the whole course, so that conduct
    # before commencement shows as an offence not in force rather than as no conduct.
    resting_on = _resting_on(offence, ctx.incidents, ids if since is ctx else _evidence(
        ctx, offence))
    # The whole course's last date is already a fact; a part of it needs working out.
    last = ctx.facts["course.last"] if resting_on is ctx.incidents else _last(resting_on)
    in_force = _in_force(offence, resting_on)
    in_time = _in_time(offence, last, ctx.decision_date, _laid_on(ctx, offence.id))
    absent = tuple(e.text for e, value, _ in verdicts if value is False)
    missing = tuple(e.text for e, value, _ in verdicts if value is None)
    status = (OffenceStatus.not_supported if absent else OffenceStatus.unknown if missing
              else OffenceStatus.supported)
    if not in_force or in_time is False:
        status = OffenceStatus.not_supported
    summary, indictment = maximum(offence, last, ctx.decision_date, rules)
    first = resting_on[0].date
    return OffenceResult(
        offence.id, offence.title, offence.citation, offence.mode_of_trial, status, in_force,
        in_time, summary, indictment, missing, absent, tuple(sorted(ids)), charged,
        spans_change=any(first < m.starts <= last for m in offence.maxima[1:]),
        spans_commencement=first < offence.commencement <= last,
        confidence=offence.confidence)


def from_commencement(ctx: Context, start: date) -> Context:
    """The victim's Context with only the conduct on or after `start`.

    An entry spanning `start` keeps the occasions from it (prorated by days). The
    indicators, markers and offences judged so far are shared, not judged again.
    """
    if not ctx.incidents or ctx.incidents[0].date >= start:
        return ctx
    if start in ctx.since:
        return ctx.since[start]
    clipped = [_clip(i, start) for i in ctx.incidents if i.last_date >= start]
    since = Context(ctx.case, ctx.victim, ctx.decision_date, ctx.behaviours, clipped)
    since.tests, since.indicators, since.markers = ctx.tests, ctx.indicators, ctx.markers
    since.offences, since.level, since.warnings = ctx.offences, ctx.level, ctx.warnings
    since.rising = ctx.rising
    since.facts = fact_table(since)
    ctx.since[start] = since
    return since


def _clip(incident: Incident, start: date) -> Incident:
    if incident.date >= start:
        return incident
    return incident.model_copy(update={"date": start,
                                       "count": occasions_from(incident, start)})


def _evidence(ctx: Context, offence: OffenceDef) -> frozenset[str]:
    """The incidents that evidence the offence's elements on the whole course."""
    found = (element.test(ctx) for element in offence.elements)
    return frozenset().union(*(ids for value, ids in found if value))


def _laid_on(ctx: Context, offence_id: str) -> list[date | None] | None:
    """The days this victim's charges for the offence were laid, or None if none is laid.

    A proposed charge is not laid yet: it would be laid on the decision date.
    """
    laid = [c.charged_on for c in ctx.case.charges
            if c.offence == offence_id and c.status == "charged"
            and (c.victims is None or ctx.victim.id in c.victims)]
    return laid or None


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


def _in_time(offence: OffenceDef, last: date, when: date, laid: list[date | None] | None
             ) -> bool | None:
    """Whether the charge is within the time limit that runs from the `last` conduct.

    A charge not yet laid is judged on the decision date `when`; a laid charge on the
    day it was laid (MCA 1980 s.127(1)), never on a later review (legal reference 14.1.2).
    """
    if offence.time_limit_kind is None or (
            offence.time_limit_until is not None and last >= offence.time_limit_until):
        return True
    if offence.time_limit_kind == "special" or offence.time_limit_months is None:
        return None
    deadline = add_months(last, offence.time_limit_months)
    if laid is None:
        return when <= deadline
    return _laid_in_time(laid, when, deadline)


def _laid_in_time(laid: list[date | None], when: date, deadline: date) -> bool | None:
    """In time if a charge was laid by the deadline. A charge whose day is not recorded
    was laid by the decision date at the latest, so it is in time if that is; otherwise
    whether it was in time is unknown (ask for the date), never 'out of time'."""
    known = [day for day in laid if day is not None]
    if any(day <= deadline for day in known):
        return True
    if len(known) == len(laid):
        return False
    return True if when <= deadline else None


def _last(incidents: list[Incident]) -> date:
    return max(i.last_date for i in incidents)
