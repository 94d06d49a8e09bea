"""Assess a case against a rule set: a pure, deterministic function.

Each victim's course of conduct is judged on its own (PHA 1997 s.7(3)), in the
order the rule set implies: FOUR indicators, escalation markers, the offence
ladder, then the checks. The case-level result keeps, for each offence, the
strongest position across victims, and merges the findings.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

from chargecheck.case.consistency import contradictions
from chargecheck.case.model import Case, Incident
from chargecheck.conditions.facts import (
    Context,
    JudgedIndicator,
    JudgedOffence,
    fact_table,
    four_met,
    incidents_for,
)
from chargecheck.engine.assessment import (
    INDICATOR_RANK,
    LEVELS,
    STATUS_RANK,
    Assessment,
    Course,
    Escalation,
    Finding,
    IndicatorResult,
    OffenceResult,
    VictimCourse,
)
from chargecheck.engine.ladder import recommend
from chargecheck.engine.messages import render
from chargecheck.engine.offences import judge_offence
from chargecheck.rulebook.ruleset import RuleDef, RuleSet
from chargecheck.scales import IndicatorStatus

# The named test in offences.yaml that says what makes a course of conduct.
COURSE_TEST = "course-of-conduct"


class VictimResult(NamedTuple):
    ctx: Context
    offences: dict[str, OffenceResult]
    findings: list[Finding]
    not_assessed: list[str]


def assess(case: Case, rules: RuleSet, decision_date: date | None = None) -> Assessment:
    """Judge `case` on `decision_date` (the case's own, else the one given).

    The result keeps the per-victim Contexts the rules were judged on, which is what
    `--explain` reads (engine/reasoning.py `explained`); the caller decides whether to.
    """
    when = case.decision_date or decision_date or date.today()
    # A victim with no incidents has no course of conduct to judge; the consistency
    # warnings say so if a charge names them.
    # Victims are judged in the order of their ids, not of the file: the order a file
    # happens to list them in is not evidence, and must not change any result.
    aimed = [(victim, incidents_for(case, victim))
             for victim in sorted(case.victims, key=lambda v: v.id)]
    results = [_victim(case, victim, incidents, rules, when)
               for victim, incidents in aimed if incidents]
    offences = _merge_offences(results, rules)
    return Assessment(
        reference=case.reference,
        decision_date=when,
        synthetic=bool(case.synthetic),
        ruleset_version=rules.version,
        ruleset_digest=rules.digest,
        packs=rules.packs,
        course=_course(case, results),
        indicators=_merge_indicators(results),
        escalation=_merge_escalation(results),
        offences=offences,
        recommended=recommend(offences, rules),
        findings=_merge_findings(results),
        not_assessed=_not_assessed(results, rules),
        adjustments=rules.adjustments,
        warnings=tuple(contradictions(case)),
        contexts=tuple(r.ctx for r in results),
    )


def _victim(case: Case, victim: Any, incidents: list[Incident], rules: RuleSet, when: date
            ) -> VictimResult:
    ctx = Context(case, victim, when, rules.behaviours, incidents)
    ctx.tests, ctx.warnings, ctx.rising = rules.tests, rules.warnings, rules.rising
    ctx.facts = fact_table(ctx)
    for indicator in rules.indicators:
        value, ids = indicator.test(ctx)
        status = (IndicatorStatus.met if value else IndicatorStatus.unknown if value is None
                  else IndicatorStatus.not_met)
        ctx.indicators[indicator.id] = JudgedIndicator(status, ids)
    ctx.facts["four.met"] = four_met(ctx)  # the only fact the indicators change
    for marker in rules.markers:
        value, ids = marker.test(ctx)
        if value:
            ctx.markers[marker.id] = ids
    levels = [m.level for m in rules.markers if m.id in ctx.markers]
    ctx.level = max(levels, key=LEVELS.index, default="standard")
    ctx.facts["escalation.level"] = ctx.level  # the only fact the markers change
    offences: dict[str, OffenceResult] = {}
    for offence in rules.offences:
        result = judge_offence(ctx, offence, rules)
        if result is not None:
            offences[offence.id] = result
            ctx.offences[offence.id] = _judged(result)
    findings: list[Finding] = []
    undecided: list[str] = []
    for rule in rules.rules:
        if rule.starts > when or (rule.ends is not None and when >= rule.ends):
            continue
        value, ids = rule.test(ctx)
        if value:
            findings.append(_finding(ctx, rule, ids, offences, rules))
        elif value is None:
            undecided.append(rule.id)
    return VictimResult(ctx, offences, findings, undecided)


def _judged(result: OffenceResult) -> JudgedOffence:
    """What the later conditions may read of an offence judged for this victim."""
    return JudgedOffence(result.status, frozenset(result.incidents), result.in_time,
                         result.in_force, bool(result.absent), result.spans_change,
                         result.spans_commencement)


# --- merging victims ---------------------------------------------------------------------

def _merge_offences(results: list[VictimResult], rules: RuleSet
                    ) -> tuple[OffenceResult, ...]:
    """Each offence at its strongest across victims, saying where it stands for each.

    Victims at the same best status pool what is missing and absent, so the result does
    not depend on which of them comes first.
    """
    per_offence: dict[str, list[tuple[str, OffenceResult]]] = {}
    for result in results:
        for ident, offence in result.offences.items():
            per_offence.setdefault(ident, []).append((result.ctx.victim.shown_as, offence))
    return tuple(_strongest(per_offence[o.id]) for o in rules.offences if o.id in per_offence)


def _strongest(entries: list[tuple[str, OffenceResult]]) -> OffenceResult:
    rank = max(STATUS_RANK[o.status] for _, o in entries)
    best = [o for _, o in entries if STATUS_RANK[o.status] == rank]
    return best[0]._replace(
        missing=_pooled(o.missing for o in best), absent=_pooled(o.absent for o in best),
        incidents=tuple(sorted({i for o in best for i in o.incidents})),
        charged=any(o.charged for _, o in entries),
        victims=tuple((label, o.status) for label, o in entries))


def _pooled(parts: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(text for part in parts for text in part))


def _merge_indicators(results: list[VictimResult]) -> dict[str, IndicatorResult]:
    """Each indicator at its strongest for any victim; where met for several, their
    incidents pooled."""
    merged: dict[str, IndicatorResult] = {}
    for result in results:
        for name, judged in result.ctx.indicators.items():
            status = IndicatorStatus(judged.status)
            held = merged.get(name)
            if held is None or INDICATOR_RANK[status] > INDICATOR_RANK[held.status]:
                merged[name] = IndicatorResult(status, tuple(sorted(judged.incidents)))
            elif status == held.status == IndicatorStatus.met:
                merged[name] = IndicatorResult(
                    status, tuple(sorted({*held.incidents, *judged.incidents})))
    return merged


def _merge_escalation(results: list[VictimResult]) -> Escalation:
    markers: dict[str, set[str]] = {}
    for result in results:
        for name, ids in result.ctx.markers.items():
            markers.setdefault(name, set()).update(ids)
    level = max((r.ctx.level for r in results), key=LEVELS.index, default="standard")
    return Escalation(level, {name: tuple(sorted(ids)) for name, ids in markers.items()})


def _merge_findings(results: list[VictimResult]) -> tuple[Finding, ...]:
    merged: dict[str, Finding] = {}
    for result in results:
        for finding in result.findings:
            held = merged.get(finding.rule)
            if held is None:
                merged[finding.rule] = finding
                continue
            merged[finding.rule] = Finding(
                held.rule, held.category, held.severity, held.title, held.message,
                held.citations, tuple(sorted({*held.incidents, *finding.incidents})),
                held.confidence, (*held.victims, *finding.victims))
    return tuple(sorted(merged.values(), key=Finding.sort_key))


def _course(case: Case, results: list[VictimResult]) -> Course:
    per_victim = tuple(_victim_course(result.ctx) for result in results)
    first_date = min(i.date for i in case.incidents)
    last_date = max(i.last_date for i in case.incidents)
    return Course(
        established=any(v.established for v in per_victim),
        occasions=sum(i.occasions for i in case.incidents),
        first=first_date.isoformat(),
        last=last_date.isoformat(),
        span_days=(last_date - first_date).days,
        victims=per_victim,
    )


def _victim_course(ctx: Context) -> VictimCourse:
    facts = ctx.facts
    first, last = facts["course.first"], facts["course.last"]
    return VictimCourse(
        victim=ctx.victim.shown_as,
        occasions=facts["course.occasions"][0],
        established=bool(ctx.run_test(COURSE_TEST)[0]),
        first=first.isoformat() if first else None,
        last=last.isoformat() if last else None,
        span_days=facts["course.span_days"][0],
        longest_gap_days=facts["course.longest_gap_days"][0],
        frequency_rising=facts["course.frequency_rising"],
    )


def _finding(ctx: Context, rule: RuleDef, ids: frozenset[str],
             offences: dict[str, OffenceResult], rules: RuleSet) -> Finding:
    incidents = tuple(sorted(ids))
    message = render((rule.found, rule.why, rule.action), ctx, offences, rules, incidents)
    return Finding(rule.id, rule.category, rule.severity, rule.title, message, rule.citations,
                   incidents, rule.confidence, (ctx.victim.shown_as,))


def _not_assessed(results: list[VictimResult], rules: RuleSet) -> tuple[tuple[str, str], ...]:
    """Rules whose condition turned on unknown facts and did not fire for any victim.

    These are not passes: the file does not hold what the rule needs.
    """
    fired = {f.rule for r in results for f in r.findings}
    undecided = {rule for r in results for rule in r.not_assessed} - fired
    return tuple((r.id, r.title) for r in rules.rules if r.id in undecided)
