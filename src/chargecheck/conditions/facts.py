"""Neutral facts about one victim's part of a case, for the rule conditions to read.

Nothing here decides law. It counts occasions, measures gaps and reads recorded
facts; what those mean (how many occasions make a course of conduct, which
behaviours are associated with stalking) is said in `rules/`.

Unknown stays unknown: a yes/no fact left out is `None`, and a count that depends
on unknown facts is a range `(lo, hi)`.
"""

from __future__ import annotations

import itertools
import typing
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from chargecheck.case.model import (
    Case,
    Effect,
    HistoryEntry,
    HistoryKind,
    Incident,
    OrderKind,
    Relationship,
    RiskLevel,
    RiskTool,
    SpoStatus,
    Victim,
)

Range = tuple[int, int]


class WarningRecords(NamedTuple):
    """Which history entries show the suspect was warned about this kind of conduct.

    Read from the rule set (`warnings_on_record` in offences.yaml): warnings and orders
    count; convictions and cautions only for the offences listed. An unrelated record
    proves neither harassment nor risk (legal reference 14.1.6).
    """

    kinds: frozenset[str] = frozenset()
    kinds_by_offence: frozenset[str] = frozenset()
    offences: frozenset[str] = frozenset()

    def count(self, entry: HistoryEntry) -> bool:
        return entry.kind in self.kinds or (
            entry.kind in self.kinds_by_offence and entry.offence in self.offences)


class Rising(NamedTuple):
    """When the later half of a course counts as rising in frequency (escalation.yaml)."""

    min_occasions: int
    min_days: int
    ratio: int


class BehaviourInfo(NamedTuple):
    """What the rule set says about one behaviour word."""

    stalking: bool
    evidences: frozenset[str]
    markers: frozenset[str]


class JudgedIndicator(NamedTuple):
    """A FOUR indicator as the engine judged it for this victim: what conditions read."""

    status: str                # an IndicatorStatus: met, not-met or unknown
    incidents: frozenset[str]  # those that evidence it


class JudgedOffence(NamedTuple):
    """An offence as the engine judged it for this victim: what conditions read (its
    status and its flags, `rules/README.md`)."""

    status: str                # an OffenceStatus: supported, not-supported or unknown
    incidents: frozenset[str]  # those it rests on
    in_time: bool | None
    in_force: bool
    absent: bool               # an element is known to be missing
    spans_change: bool         # the conduct runs across a change in its maximum
    spans_commencement: bool   # ... or across its commencement


@dataclass
class Context:
    """Everything a condition may ask about one victim's course of conduct."""

    case: Case
    victim: Victim
    decision_date: date
    behaviours: dict[str, BehaviourInfo]
    incidents: list[Incident]
    facts: dict[str, Any] = field(default_factory=dict)
    tests: dict[str, Callable[[Context], tuple[bool | None, frozenset[str]]]] = field(
        default_factory=dict)
    _tested: dict[str, tuple[bool | None, frozenset[str]]] = field(default_factory=dict)
    # Worked out once per victim and shared by every condition that asks.
    _masks: dict[Hashable, tuple[int, int]] = field(default_factory=dict)
    _by_behaviour: dict[str, int] | None = None
    _by_field: dict[str, dict[Any, int]] = field(default_factory=dict)
    _extra: list[tuple[int, int]] | None = None
    _occasions: dict[int, int] = field(default_factory=dict)  # by mask
    _ids: dict[int, frozenset[str]] = field(default_factory=dict)  # by mask
    _charges: tuple[str, ...] | None = None
    # This victim's conduct from a commencement date on, built once per date (engine).
    since: dict[date, Context] = field(default_factory=dict)
    # Filled in by the engine as the assessment proceeds (later stages read earlier ones).
    indicators: dict[str, JudgedIndicator] = field(default_factory=dict)
    markers: dict[str, frozenset[str]] = field(default_factory=dict)
    offences: dict[str, JudgedOffence] = field(default_factory=dict)
    level: str = "standard"
    warnings: WarningRecords = field(default_factory=WarningRecords)
    rising: Rising | None = None  # from the rule set; without it, rising is unknown

    def run_test(self, name: str) -> tuple[bool | None, frozenset[str]]:
        """A named legal test from the rule set, judged once per victim."""
        if name not in self._tested:
            self._tested[name] = self.tests[name](self)
        return self._tested[name]

    # --- charges and plea -------------------------------------------------------------
    def charges(self) -> tuple[str, ...]:
        """The offences charged (or proposed) for this victim, in the file's order."""
        if self._charges is None:
            self._charges = tuple(c.offence for c in self.case.charges
                                  if self._names_victim(c.victims))
        return self._charges

    def _names_victim(self, victims: list[str] | None) -> bool:
        return victims is None or self.victim.id in victims

    # --- counting incidents -----------------------------------------------------------
    # Sets of incidents are bit masks (bit n stands for self.incidents[n]), so a filter
    # is worked out once per victim however many conditions use it.
    @property
    def every(self) -> int:
        return (1 << len(self.incidents)) - 1

    def masks(self, key: Hashable, compute: Callable[[Context], tuple[int, int]]
              ) -> tuple[int, int]:
        """The incidents a filter (named by `key`) surely and possibly passes, computed once."""
        found = self._masks.get(key)
        if found is None:
            found = self._masks[key] = compute(self)
        return found

    def passing(self, test: Callable[[Incident], bool | None]) -> tuple[int, int]:
        """The incidents known to pass `test`, and those that might (unknown counts)."""
        sure = possible = 0
        for bit, incident in enumerate(self.incidents):
            verdict = test(incident)
            if verdict is not False:
                possible |= 1 << bit
                if verdict:
                    sure |= 1 << bit
        return sure, possible

    def showing(self, words: frozenset[str]) -> int:
        """The incidents showing at least one of the behaviour `words`."""
        if self._by_behaviour is None:
            index: dict[str, int] = {}
            for bit, incident in enumerate(self.incidents):
                for behaviour in incident.behaviours:
                    index[behaviour] = index.get(behaviour, 0) | 1 << bit
            self._by_behaviour = index
        found = 0
        for word, bits in self._by_behaviour.items():
            if word in words:
                found |= bits
        return found

    def having(self, name: str, values: frozenset[Any]) -> int:
        """The incidents whose field `name` holds one of `values` (None: left out)."""
        index = self._by_field.get(name)
        if index is None:
            index = self._by_field[name] = {}
            for bit, incident in enumerate(self.incidents):
                value = getattr(incident, name)
                index[value] = index.get(value, 0) | 1 << bit
        found = 0
        for value, bits in index.items():
            if value in values:
                found |= bits
        return found

    # Many conditions end on the same few sets of incidents: count and name each set once.
    def occasions_in(self, mask: int) -> int:
        found = self._occasions.get(mask)
        if found is None:
            found = self._occasions[mask] = self._count_occasions(mask)
        return found

    def _count_occasions(self, mask: int) -> int:
        if self._extra is None:  # occasions beyond the first, for entries standing for several
            self._extra = [(bit, i.occasions - 1) for bit, i in enumerate(self.incidents)
                           if i.occasions > 1]
        return mask.bit_count() + sum(extra for bit, extra in self._extra if mask >> bit & 1)

    def ids_in(self, mask: int) -> frozenset[str]:
        found = self._ids.get(mask)
        if found is None:
            found = self._ids[mask] = frozenset(
                i.id for bit, i in enumerate(self.incidents) if mask >> bit & 1)
        return found

    def after(self, anchor: str) -> date | None:
        """The date conduct is measured from for `after:` filters, if known."""
        if anchor == "made-clear-unwanted":
            return self.victim.made_clear_unwanted_on
        if anchor == "separation":
            return self.case.suspect.separated_on
        warnings = [h for h in self.case.suspect.history if self.warnings.count(h)]
        if not warnings:
            return date.max  # no warning on record: no conduct can come after one
        dates = [h.date for h in warnings if h.date]
        return min(dates) if dates else None


def incidents_for(case: Case, victim: Victim) -> list[Incident]:
    """The incidents aimed at `victim`, in date order."""
    chosen = [i for i in case.incidents if i.victims is None or victim.id in i.victims]
    return sorted(chosen, key=lambda i: (i.date, i.id))


def longest_gap(incidents: Iterable[Incident]) -> int:
    """The longest quiet spell, in days, between one incident's end and the next start."""
    ordered = sorted(incidents, key=lambda i: i.date)
    gaps = [b.date - a.last_date for a, b in itertools.pairwise(ordered)]
    return max((g.days for g in gaps), default=0)


def frequency_rising(incidents: list[Incident], rising: Rising) -> bool | None:
    """Whether the later half of the course shows at least `ratio` times the first's rate.

    A course too short or too sparse to tell gives None rather than a guess.
    """
    total = sum(i.occasions for i in incidents)
    if total < rising.min_occasions:
        return None
    start, end = incidents[0].date, max(i.last_date for i in incidents)
    span = (end - start).days
    if span < rising.min_days:
        return None
    middle = start.toordinal() + span / 2
    early = sum(i.occasions for i in incidents if i.date.toordinal() < middle)
    late = total - early
    return late >= rising.ratio * max(early, 1)


def fact_table(ctx: Context) -> dict[str, Any]:
    """Named facts for `fact:` conditions. Counts are ranges; unknowns are None."""
    case, victim, incidents = ctx.case, ctx.victim, ctx.incidents
    occasions = sum(i.occasions for i in incidents)
    first = incidents[0].date if incidents else None
    last = max((i.last_date for i in incidents), default=None)
    effects = victim.day_to_day_effects
    suspect, safeguarding, plea = case.suspect, case.safeguarding, case.plea
    orders = safeguarding.orders_in_force
    return {
        "course.occasions": (occasions, occasions),
        "course.incidents": (len(incidents), len(incidents)),
        "course.span_days": _exact((last - first).days if first and last else 0),
        "course.longest_gap_days": _exact(longest_gap(incidents)),
        "course.first": first,
        "course.last": last,
        "course.frequency_rising": (
            frequency_rising(incidents, ctx.rising) if incidents and ctx.rising else None),
        "case.victims": _exact(len(case.victims)),
        "decision_date": ctx.decision_date,
        "suspect.relationship": _relationship(case, victim),
        "suspect.lived_together": suspect.lived_together,
        "suspect.separated_on": suspect.separated_on,
        "history.kinds": frozenset(h.kind for h in suspect.history),
        "history.warned": any(ctx.warnings.count(h) for h in suspect.history),
        "history.order_before_conduct": _order_before(case, first),
        "victim.made_clear_unwanted_on": victim.made_clear_unwanted_on,
        "victim.very_frightened": victim.very_frightened,
        "victim.serious_alarm_or_distress": victim.serious_alarm_or_distress,
        "victim.daily_life_affected": None if effects is None else bool(effects),
        "victim.day_to_day_effects": None if effects is None else frozenset(effects),
        "victim.fears_for_others_only": victim.fears_for_others_only,
        "victim.supports_prosecution": victim.supports_prosecution,
        "victim.personal_statement": victim.personal_statement,
        "charges.any": bool(ctx.charges()),
        "safeguarding.risk_assessment": safeguarding.risk_assessment,
        "safeguarding.risk_level": safeguarding.risk_level,
        "safeguarding.risk_management_plan": safeguarding.risk_management_plan,
        "safeguarding.bail_conditions": safeguarding.bail_conditions,
        "safeguarding.restraining_order_sought": safeguarding.restraining_order_sought,
        "safeguarding.stalking_protection_order": safeguarding.stalking_protection_order,
        "safeguarding.marac_referral": safeguarding.marac_referral,
        "safeguarding.specialist_advocate": safeguarding.specialist_advocate,
        "safeguarding.orders_in_force": None if orders is None else frozenset(orders),
        "plea.offered": plea is not None,
        "plea.offence": plea.offence if plea else None,
        "plea.victim_consulted": plea.victim_consulted if plea else None,
        "plea.basis_in_writing": plea.basis_in_writing if plea else None,
        "plea.reasons_given": bool(plea.reasons and plea.reasons.strip()) if plea else None,
        "escalation.level": ctx.level,
        "four.met": four_met(ctx),
        # For elements the case format cannot record: always "not known", so the
        # offence stays `unknown` and the element's `obtain:` text says what to get.
        "not_recorded": None,
    }


def _relationship(case: Case, victim: Victim) -> str | None:
    """The suspect's relationship to this victim (contract 1.1), else to the victims."""
    relationship = victim.relationship or case.suspect.relationship
    return None if relationship == "unknown" else relationship


def _order_before(case: Case, first: date | None) -> bool | None:
    """Whether an order on the history predates this victim's conduct; None where the
    history records no order, or an order without its date."""
    orders = [h for h in case.suspect.history if h.kind == "order"]
    if first is None or not orders:
        return None
    if any(h.date is not None and h.date < first for h in orders):
        return True
    return None if any(h.date is None for h in orders) else False


def _exact(n: int) -> Range:
    return (n, n)


def four_met(ctx: Context) -> Range:
    statuses = [v.status for v in ctx.indicators.values()]
    met = statuses.count("met")
    return (met, met + statuses.count("unknown"))


# The kind of each fact, so the loader can refuse a comparison that cannot apply.
FACT_KINDS: dict[str, str] = {
    "course.occasions": "count", "course.incidents": "count", "course.span_days": "count",
    "course.longest_gap_days": "count", "course.first": "date", "course.last": "date",
    "course.frequency_rising": "yes-no", "case.victims": "count", "decision_date": "date",
    "suspect.relationship": "word", "suspect.lived_together": "yes-no",
    "suspect.separated_on": "date", "history.kinds": "words", "history.warned": "yes-no",
    "history.order_before_conduct": "yes-no",
    "victim.made_clear_unwanted_on": "date", "victim.very_frightened": "yes-no",
    "victim.serious_alarm_or_distress": "yes-no", "victim.daily_life_affected": "yes-no",
    "victim.day_to_day_effects": "words", "victim.fears_for_others_only": "yes-no",
    "victim.supports_prosecution": "yes-no", "victim.personal_statement": "yes-no",
    "charges.any": "yes-no",
    "safeguarding.risk_assessment": "word", "safeguarding.risk_level": "word",
    "safeguarding.risk_management_plan": "yes-no", "safeguarding.bail_conditions": "yes-no",
    "safeguarding.restraining_order_sought": "yes-no",
    "safeguarding.stalking_protection_order": "word", "safeguarding.marac_referral": "yes-no",
    "safeguarding.specialist_advocate": "yes-no", "safeguarding.orders_in_force": "words",
    "plea.offered": "yes-no", "plea.offence": "word", "plea.victim_consulted": "yes-no",
    "plea.basis_in_writing": "yes-no", "plea.reasons_given": "yes-no",
    "escalation.level": "word", "four.met": "count", "not_recorded": "yes-no",
}
# The words a `word` or `words` fact can hold where the case format fixes them, so a
# condition comparing one with another word can never hold (rulebook/static_checks.py).
# A relationship of `unknown` is read as not recorded (`_relationship`), so it is none.
# `plea.offence` and `escalation.level` hold words of the rule set (its offences, its
# markers' levels).
FACT_WORDS: dict[str, frozenset[str]] = {
    "suspect.relationship": frozenset(typing.get_args(Relationship)) - {"unknown"},
    "history.kinds": frozenset(typing.get_args(HistoryKind)),
    "victim.day_to_day_effects": frozenset(typing.get_args(Effect)),
    "safeguarding.risk_assessment": frozenset(typing.get_args(RiskTool)),
    "safeguarding.risk_level": frozenset(typing.get_args(RiskLevel)),
    "safeguarding.stalking_protection_order": frozenset(typing.get_args(SpoStatus)),
    "safeguarding.orders_in_force": frozenset(typing.get_args(OrderKind)),
}
