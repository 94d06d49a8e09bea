"""The rule condition language compiled: a condition's tree (tree.py) to a closure.

Evaluation is three-valued (Kleene logic): True, False, or None for "not known". Each
result also carries the incidents that make it true, so findings can name what they
rest on. What a condition may say, and every check of it, is the grammar's (parse.py):
compiling a tree cannot fail.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from operator import attrgetter
from typing import Any

from chargecheck.case.model import Incident
from chargecheck.conditions.facts import (
    BehaviourInfo,
    Context,
    JudgedIndicator,
    JudgedOffence,
    Range,
)
from chargecheck.conditions.months import add_months
from chargecheck.conditions.parse import (
    INDICATOR_STATUSES,
    OFFENCE_STATUSES,
    UNKNOWN,
    ConditionError,
    Vocabulary,
    parse,
)
from chargecheck.conditions.tree import (
    AllOf,
    AnyCharge,
    AnyOf,
    Charged,
    Condition,
    FactTest,
    Incidents,
    Marker,
    NamedTest,
    Not,
    Plea,
    Status,
    Unless,
    Words,
    words,
)
from chargecheck.errors import Path

# What those who compile from YAML data (`compile_condition`) need, the grammar's
# error and vocabulary among them.
__all__ = ["Compiled", "ConditionError", "Result", "Vocabulary", "compile_condition",
           "compile_tree"]

Result = tuple[bool | None, frozenset[str]]
Compiled = Callable[[Context], Result]
# Where a status condition looks up what the engine judged: the offences or the indicators.
Judged = Callable[[Context], Mapping[str, JudgedIndicator | JudgedOffence]]
NONE: frozenset[str] = frozenset()


def compile_condition(cond: Any, path: Path, vocab: Vocabulary) -> Compiled:
    """Check `cond` (YAML data) against the grammar and the vocabulary; its evaluator."""
    return compile_tree(parse(cond, path, vocab))


def compile_tree(node: Condition) -> Compiled:
    """The evaluator of a parsed condition."""
    return _COMPILERS[type(node)](node)


def _all_of(node: AllOf) -> Compiled:
    return _all([_COMPILERS[type(part)](part) for part in node.parts])


def _any_of(node: AnyOf) -> Compiled:
    return _any([_COMPILERS[type(part)](part) for part in node.parts])


def _not(node: Not) -> Compiled:
    return _negate(compile_tree(node.inner))


def _unless_(node: Unless) -> Compiled:
    return _unless(compile_tree(node.inner))


def _all(parts: list[Compiled]) -> Compiled:
    def run(ctx: Context) -> Result:
        verdict: bool | None = True
        ids: set[str] = set()
        for part in parts:
            value, found = part(ctx)
            if value is False:
                return False, NONE
            if value is None:
                verdict = None
            ids |= found
        return verdict, frozenset(ids) if verdict else NONE
    return run


def _any(parts: list[Compiled]) -> Compiled:
    def run(ctx: Context) -> Result:
        verdict: bool | None = False
        ids: set[str] = set()
        for part in parts:
            value, found = part(ctx)
            if value:
                verdict = True
                ids |= found
            elif value is None and verdict is False:
                verdict = None
        return verdict, frozenset(ids)
    return run


def _negate(inner: Compiled) -> Compiled:
    def run(ctx: Context) -> Result:
        value, _ = inner(ctx)
        return (None if value is None else not value), NONE
    return run


def _unless(inner: Compiled) -> Compiled:
    """True unless the inner condition is known to hold (an unknown does not block)."""
    def run(ctx: Context) -> Result:
        return inner(ctx)[0] is not True, NONE
    return run


# --- subjects ----------------------------------------------------------------------------

def _fact(node: FactTest) -> Compiled:
    name, test = node.fact, _comparison(node.op, node.arg, node.kind)
    return lambda ctx: (test(ctx.facts[name]), NONE)


def _comparison(op: str, arg: Any, kind: str) -> Callable[[Any], bool | None]:
    if op == "known":
        return lambda v: (v is not None) == arg
    if op in ("at_least", "at_most", "equals") and kind == "count":
        return _range_test(op, arg)
    if op == "on_or_after":
        return lambda v: None if v is None else v >= arg
    if op == "before":
        return lambda v: None if v is None else v < arg
    if op in ("is", "equals"):
        return lambda v: None if v is None else v == arg
    if op == "contains":
        return lambda v: None if v is None else arg in v
    if op in ("in", "contains_any"):
        chosen = frozenset(arg)
        return (lambda v: None if v is None else v in chosen) if op == "in" else (
            lambda v: None if v is None else bool(v & chosen))
    return lambda v: None if v is None else (not v) == arg  # empty


def _range_test(op: str, n: int) -> Callable[[Range], bool | None]:
    def test(value: Range) -> bool | None:
        lo, hi = value
        if op == "at_least":
            return True if lo >= n else False if hi < n else None
        if op == "at_most":
            return True if hi <= n else False if lo > n else None
        return True if lo == hi == n else False if n < lo or n > hi else None
    return test


def _incidents(node: Incidents) -> Compiled:
    # A filter's results are shared, through the Context, by every filter written alike.
    tests = [(part, _incident_filter(*part)) for part in node.filters]
    at_least = _range_test("at_least", node.at_least)

    def run(ctx: Context) -> Result:
        # An incident surely matches if every filter surely holds, and might if none fails.
        sure = possible = ctx.every
        for key, masks in tests:
            test_sure, test_possible = ctx.masks(key, masks)
            sure &= test_sure
            possible &= test_possible
        value = at_least((ctx.occasions_in(sure), ctx.occasions_in(possible)))
        return value, ctx.ids_in(sure) if value else NONE
    return run


IncidentTest = Callable[[Context, Incident], bool | None]
Masks = Callable[[Context], tuple[int, int]]


class _Shows:
    """An incident filter on behaviours: the incident shows one that `picks` (or none)."""

    def __init__(self, picks: Callable[[str, BehaviourInfo], bool], wanted: bool = True) -> None:
        self.picks, self.wanted = picks, wanted
        self._table: dict[str, BehaviourInfo] | None = None
        self._words: frozenset[str] = frozenset()

    def words(self, behaviours: dict[str, BehaviourInfo]) -> frozenset[str]:
        """The behaviour words picked, worked out once per rule set rather than per victim."""
        if self._table is not behaviours:
            self._words = frozenset(word for word, info in behaviours.items()
                                    if self.picks(word, info))
            self._table = behaviours
        return self._words

    def masks(self, ctx: Context) -> tuple[int, int]:
        """All incidents at once, through the per-behaviour index (never unknown)."""
        found = ctx.showing(self.words(ctx.behaviours))
        found = found if self.wanted else ctx.every & ~found
        return found, found


class _Recorded:
    """An incident filter on a recorded field: its value is one of `values`.

    A field left out is unknown if `unknown`, else simply not one of the values.
    """

    def __init__(self, name: str, values: frozenset[Any], unknown: bool) -> None:
        self.name, self.values, self.unknown = name, values, unknown

    def masks(self, ctx: Context) -> tuple[int, int]:
        """All incidents at once, through the per-victim index of the field's values."""
        sure = ctx.having(self.name, self.values)
        return sure, (sure | ctx.having(self.name, _LEFT_OUT)) if self.unknown else sure


_LEFT_OUT = frozenset({None})


class _Anchored:
    """An incident filter on the date of an event of the case (`after: separation`)."""

    def __init__(self, anchor: str, test: Callable[[date | None, Incident], bool | None]
                 ) -> None:
        self.anchor, self.test = anchor, test

    def masks(self, ctx: Context) -> tuple[int, int]:
        """All incidents at once, finding the anchor's date once rather than per incident."""
        return ctx.passing(partial(self.test, ctx.after(self.anchor)))


def _each(test: IncidentTest) -> Masks:
    """A filter judged incident by incident."""
    return lambda ctx: ctx.passing(partial(test, ctx))


def _incident_filter(key: str, arg: bool | date | Words) -> Masks:
    if isinstance(arg, date):
        day = arg
        if key == "on_or_after":
            return _each(lambda ctx, i: i.last_date >= day)
        return _each(lambda ctx, i: i.date < day)  # before
    if isinstance(arg, bool):
        if key == "stalking":
            return _Shows(lambda _, info: info.stalking, wanted=arg).masks
        return _Recorded("caused_fear_of_violence", frozenset({arg}), unknown=True).masks
    chosen = frozenset(words(arg))
    if key == "behaviours":
        return _Shows(lambda word, _: word in chosen).masks
    if key == "evidences":
        return _Shows(lambda _, info: arg in info.evidences).masks
    if key == "marker":
        return _Shows(lambda _, info: arg in info.markers).masks
    if key == "channel":
        return _Recorded("channel", chosen, unknown=True).masks
    if key == "hostility":
        # Hostility is recorded where it is evidenced; no entry means none is recorded.
        return _Recorded("hostility", chosen, unknown=False).masks
    return _Anchored(str(arg), ANCHORED[key]).masks


# A case file records days, not times: conduct on the anchor's own day may have come before
# or after the event (being told to stop, a warning, the separation), so on that day each
# of these is unknown, never false.

def _after(anchor: date | None, incident: Incident) -> bool | None:
    """Some of the incident fell after the anchor date."""
    if anchor is None or incident.last_date == anchor:
        return None
    return incident.last_date > anchor


def _not_after(anchor: date | None, incident: Incident) -> bool | None:
    """The incident began before the anchor date (e.g. while living together)."""
    if anchor is None or incident.date == anchor:
        return None
    return incident.date < anchor


def _within_a_year(anchor: date | None, incident: Incident) -> bool | None:
    """The incident came after the anchor date and began within a year of it (DASH asks
    about a separation "within the past year")."""
    if anchor is not None and incident.date > add_months(anchor, 12):
        return False
    return _after(anchor, incident)


ANCHORED = {"after": _after, "not_after": _not_after, "within_a_year_of": _within_a_year}


def _charged(node: Charged) -> Compiled:
    wanted = frozenset(node.offences)
    return lambda ctx: (not wanted.isdisjoint(ctx.charges()), NONE)


def _plea(node: Plea) -> Compiled:
    wanted, key = frozenset(node.offences), node.key

    def run(ctx: Context) -> Result:
        plea = ctx.case.plea
        if plea is None:
            return False, NONE
        offered = {plea.offence} if key == "plea_to" else set(plea.in_place_of)
        return not wanted.isdisjoint(offered), NONE
    return run


def _status(node: Status) -> Compiled:
    name, op, arg = node.name, node.op, node.arg
    judged = attrgetter("offences" if node.subject == "offence" else "indicators")
    if op == "holds":
        statuses = OFFENCE_STATUSES if node.subject == "offence" else INDICATOR_STATUSES
        return _holds(judged, name, statuses, bool(arg))
    if op not in ("is", "in"):  # an offence's flag
        return _flag_unknown(name, op) if arg == UNKNOWN else _flag(name, op, bool(arg))
    allowed = frozenset(words(arg))

    def run(ctx: Context) -> Result:
        entry = judged(ctx).get(name)
        if entry is None:  # not raised in this case: nothing to say about it
            return False, NONE
        hit = entry.status in allowed
        return hit, entry.incidents if hit else NONE
    return run


def _holds(judged: Judged, name: str, statuses: tuple[str, ...], wanted: bool) -> Compiled:
    """Three-valued: the first status is true, the second false, the third unknown."""
    truth = {statuses[0]: True, statuses[1]: False, statuses[2]: None}

    def run(ctx: Context) -> Result:
        entry = judged(ctx).get(name)
        value = False if entry is None else truth[entry.status]
        if value is None:
            return None, NONE
        hit = value == wanted
        return hit, entry.incidents if hit and entry else NONE
    return run


def _marker(node: Marker) -> Compiled:
    name = node.name

    def run(ctx: Context) -> Result:
        ids = ctx.markers.get(name)
        return ids is not None, ids or NONE
    return run


def _flag(name: str, flag: str, wanted: bool) -> Compiled:
    """An offence's `in_time`, `in_force` or `absent` flag; None where it is not known."""
    read = attrgetter(flag)

    def run(ctx: Context) -> Result:
        entry = ctx.offences.get(name)
        value = None if entry is None else read(entry)
        return (None if value is None else value == wanted), NONE
    return run


def _flag_unknown(name: str, flag: str) -> Compiled:
    """Whether an offence's flag is not known: itself always known (asks what to obtain)."""
    read = attrgetter(flag)

    def run(ctx: Context) -> Result:
        entry = ctx.offences.get(name)
        return (entry is not None and read(entry) is None), NONE
    return run


def _any_charge(node: AnyCharge) -> Compiled:
    """True if some offence charged for this victim has the given status or flag."""
    read = attrgetter("status" if node.op == "is" else node.op)
    wanted = node.arg

    def run(ctx: Context) -> Result:
        judged = ctx.offences
        hits = [o for o in ctx.charges() if o in judged and read(judged[o]) == wanted]
        return bool(hits), NONE
    return run


def _named_test(node: NamedTest) -> Compiled:
    name = node.name
    return lambda ctx: ctx.run_test(name)


_COMPILERS: dict[type, Callable[[Any], Compiled]] = {
    AllOf: _all_of, AnyOf: _any_of, Not: _not, Unless: _unless_, FactTest: _fact,
    Incidents: _incidents, Charged: _charged, Plea: _plea, Status: _status, Marker: _marker,
    AnyCharge: _any_charge, NamedTest: _named_test,
}
