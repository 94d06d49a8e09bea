"""The rule condition language: a small closed vocabulary, compiled to closures.

A condition is a one-key mapping (or, for `fact:`/`offence:`/`indicator:`, a
mapping with the subject and one comparison). Evaluation is three-valued
(Kleene logic): True, False, or None for "not known". Each result also carries
the incidents that make it true, so findings can name what they rest on.

Anything outside the vocabulary is a load error at its key path, never a silent
false. There is no `eval` and no executable string anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from typing import Any, NamedTuple

from chargecheck.case.model import Incident
from chargecheck.conditions.facts import FACT_KINDS, BehaviourInfo, Context, Range
from chargecheck.conditions.months import add_months
from chargecheck.errors import Path
from chargecheck.spelling import closest

Result = tuple[bool | None, frozenset[str]]
Compiled = Callable[[Context], Result]
NONE: frozenset[str] = frozenset()

OFFENCE_STATUSES = ("supported", "not-supported", "unknown")
INDICATOR_STATUSES = ("met", "not-met", "unknown")
OFFENCE_FLAGS = ("in_time", "in_force", "absent", "spans_change", "spans_commencement")
UNKNOWN = "unknown"  # `{offence: X, in_time: unknown}`: the flag turns on what is not recorded
COMBINATORS = ("all", "any", "not", "unless")
SUBJECTS = ("test", "fact", "incidents", "charged", "plea_to", "plea_drops", "offence", "indicator",
            "marker", "any_charge")
COMPARISONS = {
    "count": ("at_least", "at_most", "equals", "known"),
    "yes-no": ("is", "known"),
    "word": ("equals", "in", "known"),
    "words": ("contains", "contains_any", "empty", "known"),
    "date": ("on_or_after", "before", "known"),
}
INCIDENT_FILTERS = ("behaviours", "stalking", "evidences", "marker", "fear_of_violence",
                    "channel", "hostility", "after", "not_after", "within_a_year_of",
                    "on_or_after", "before", "at_least")
AFTER_ANCHORS = ("made-clear-unwanted", "separation", "warning")


class ConditionError(Exception):
    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


class Vocabulary(NamedTuple):
    """The names a condition may use, taken from the rule set being loaded."""

    offences: frozenset[str]
    indicators: frozenset[str]
    markers: frozenset[str]
    behaviours: frozenset[str]
    channels: frozenset[str]
    hostilities: frozenset[str]
    tests: frozenset[str] = frozenset()


def compile_condition(cond: Any, path: Path, vocab: Vocabulary) -> Compiled:
    """Check `cond` against the vocabulary and return its evaluator."""
    if not isinstance(cond, Mapping) or not cond:
        raise ConditionError(path, "a condition must be a mapping such as {all: [...]}")
    keys = [k for k in cond if k in COMBINATORS or k in SUBJECTS]
    if len(keys) != 1:
        known = [*COMBINATORS, *SUBJECTS]
        unknown = [k for k in cond if k not in known and k not in _ALL_COMPARISONS]
        if unknown:
            raise ConditionError((*path, unknown[0]), _unknown("operator", unknown[0], known))
        raise ConditionError(path, f"a condition needs exactly one of: {', '.join(known)}")
    key = keys[0]
    if key in COMBINATORS:
        _only(cond, path, {key})
        return _combinator(key, cond[key], (*path, key), vocab)
    return _SUBJECT_COMPILERS[key](cond, path, vocab)


def _combinator(key: str, body: Any, path: Path, vocab: Vocabulary) -> Compiled:
    if key in ("not", "unless"):
        inner = compile_condition(body, path, vocab)
        return _negate(inner) if key == "not" else _unless(inner)
    if not isinstance(body, list) or not body:
        raise ConditionError(path, f"'{key}' takes a non-empty list of conditions")
    parts = [compile_condition(c, (*path, n), vocab) for n, c in enumerate(body)]
    return _all(parts) if key == "all" else _any(parts)


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

def _fact(cond: Mapping[str, Any], path: Path, vocab: Vocabulary) -> Compiled:
    name = cond["fact"]
    kind = FACT_KINDS.get(name) if isinstance(name, str) else None
    if kind is None:
        raise ConditionError((*path, "fact"), _unknown("fact", str(name), list(FACT_KINDS)))
    op, arg = _one_comparison(cond, path, {"fact"}, COMPARISONS[kind], f"a {kind} fact")
    test = _comparison(op, arg, (*path, op), kind)
    return lambda ctx: (test(ctx.facts[name]), NONE)


def _comparison(op: str, arg: Any, path: Path, kind: str) -> Callable[[Any], bool | None]:
    if op == "known":
        _expect(arg, bool, path, "true or false")
        return lambda v: (v is not None) == arg
    if op in ("at_least", "at_most", "equals") and kind == "count":
        _expect(arg, int, path, "a whole number")
        return _range_test(op, arg)
    if op in ("on_or_after", "before"):
        _expect(arg, date, path, "a date (YYYY-MM-DD)")
        return (lambda v: None if v is None else v >= arg) if op == "on_or_after" else (
            lambda v: None if v is None else v < arg)
    if op == "is":
        _expect(arg, bool, path, "true or false")
        return lambda v: None if v is None else v == arg
    if op in ("equals", "contains"):
        _expect(arg, str, path, "a word")
        return (lambda v: None if v is None else v == arg) if op == "equals" else (
            lambda v: None if v is None else arg in v)
    if op in ("in", "contains_any"):
        _expect_words(arg, path)
        words = frozenset(arg)
        return (lambda v: None if v is None else v in words) if op == "in" else (
            lambda v: None if v is None else bool(v & words))
    _expect(arg, bool, path, "true or false")  # empty
    return lambda v: None if v is None else (not v) == arg


def _range_test(op: str, n: int) -> Callable[[Range], bool | None]:
    def test(value: Range) -> bool | None:
        lo, hi = value
        if op == "at_least":
            return True if lo >= n else False if hi < n else None
        if op == "at_most":
            return True if hi <= n else False if lo > n else None
        return True if lo == hi == n else False if n < lo or n > hi else None
    return test


def _incidents(cond: Mapping[str, Any], path: Path, vocab: Vocabulary) -> Compiled:
    _only(cond, path, {"incidents"})
    spec = cond["incidents"]
    here = (*path, "incidents")
    if not isinstance(spec, Mapping):
        raise ConditionError(here, "'incidents' takes a mapping of filters")
    tests = [((k, _frozen(v)), _incident_filter(k, v, (*here, k), vocab))
             for k, v in spec.items() if k != "at_least"]
    need = spec.get("at_least", 1)
    _expect(need, int, (*here, "at_least"), "a whole number")
    at_least = _range_test("at_least", need)

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


def _frozen(arg: Any) -> Any:
    """A filter's argument as a dictionary key: the filter's results are shared by it."""
    return tuple(arg) if isinstance(arg, list) else arg


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


def _incident_filter(key: str, arg: Any, path: Path, vocab: Vocabulary) -> Masks:
    if key == "behaviours":
        words = _words_from(arg, path, vocab.behaviours, "behaviour")
        return _Shows(lambda word, _: word in words).masks
    if key in ("stalking", "fear_of_violence"):
        _expect(arg, bool, path, "true or false")
        if key == "stalking":
            return _Shows(lambda _, info: info.stalking, wanted=arg).masks
        return _Recorded("caused_fear_of_violence", frozenset({arg}), unknown=True).masks
    if key in ("evidences", "marker"):
        names = vocab.indicators if key == "evidences" else vocab.markers
        word = _word_from(arg, path, names, "indicator" if key == "evidences" else "marker")
        if key == "evidences":
            return _Shows(lambda _, info: word in info.evidences).masks
        return _Shows(lambda _, info: word in info.markers).masks
    if key == "channel":
        words = _words_from(arg, path, vocab.channels, key)
        return _Recorded("channel", words, unknown=True).masks
    if key == "hostility":
        # Hostility is recorded where it is evidenced; no entry means none is recorded.
        words = _words_from(arg, path, vocab.hostilities, key)
        return _Recorded("hostility", words, unknown=False).masks
    if key in ANCHORED:
        anchor = _word_from(arg, path, frozenset(AFTER_ANCHORS), "anchor")
        return _Anchored(anchor, ANCHORED[key]).masks
    if key in ("on_or_after", "before"):
        _expect(arg, date, path, "a date (YYYY-MM-DD)")
        if key == "on_or_after":
            return _each(lambda ctx, i: i.last_date >= arg)
        return _each(lambda ctx, i: i.date < arg)
    raise ConditionError(path, _unknown("incident filter", key, list(INCIDENT_FILTERS)))


def _after(anchor: date | None, incident: Incident) -> bool | None:
    return None if anchor is None else incident.last_date > anchor


def _not_after(anchor: date | None, incident: Incident) -> bool | None:
    """The incident began on or before the anchor date (e.g. while living together)."""
    return None if anchor is None else incident.date <= anchor


def _within_a_year(anchor: date | None, incident: Incident) -> bool | None:
    """The incident came after the anchor date and began within a year of it (DASH asks
    about a separation "within the past year")."""
    if anchor is None:
        return None
    return incident.last_date > anchor and incident.date <= add_months(anchor, 12)


ANCHORED = {"after": _after, "not_after": _not_after, "within_a_year_of": _within_a_year}


def _charged(cond: Mapping[str, Any], path: Path, vocab: Vocabulary) -> Compiled:
    _only(cond, path, {"charged"})
    wanted = _words_from(cond["charged"], (*path, "charged"), vocab.offences, "offence")
    return lambda ctx: (not wanted.isdisjoint(ctx.charges()), NONE)


def _plea(cond: Mapping[str, Any], path: Path, vocab: Vocabulary) -> Compiled:
    key = "plea_to" if "plea_to" in cond else "plea_drops"
    _only(cond, path, {key})
    wanted = _words_from(cond[key], (*path, key), vocab.offences, "offence")

    def run(ctx: Context) -> Result:
        plea = ctx.case.plea
        if plea is None:
            return False, NONE
        offered = {plea.offence} if key == "plea_to" else set(plea.in_place_of)
        return not wanted.isdisjoint(offered), NONE
    return run


def _status_of(subject: str, statuses: tuple[str, ...]) -> Callable[..., Compiled]:
    def compile_(cond: Mapping[str, Any], path: Path, vocab: Vocabulary) -> Compiled:
        names = vocab.offences if subject == "offence" else vocab.indicators
        name = _word_from(cond[subject], (*path, subject), names, subject)
        ops = ("is", "in", "holds", *(OFFENCE_FLAGS if subject == "offence" else ()))
        op, arg = _one_comparison(cond, path, {subject}, ops, f"an {subject}")
        table = "offences" if subject == "offence" else "indicators"
        if op == "holds":
            _expect(arg, bool, (*path, op), "true or false")
            return _holds(table, name, statuses, arg)
        if op in OFFENCE_FLAGS:
            if arg == UNKNOWN:
                return _flag_unknown(name, op)
            _expect(arg, bool, (*path, op), "true, false or unknown")
            return _flag(name, op, arg)
        allowed = _words_from([arg] if op == "is" else arg, (*path, op), frozenset(statuses),
                              "status")

        def run(ctx: Context) -> Result:
            entry = getattr(ctx, table).get(name)
            if entry is None:  # not raised in this case: nothing to say about it
                return False, NONE
            hit = entry["status"] in allowed
            return hit, frozenset(entry.get("incidents", ())) if hit else NONE
        return run
    return compile_


def _holds(table: str, name: str, statuses: tuple[str, ...], wanted: bool) -> Compiled:
    """Three-valued: the first status is true, the second false, the third unknown."""
    truth = {statuses[0]: True, statuses[1]: False, statuses[2]: None}

    def run(ctx: Context) -> Result:
        entry = getattr(ctx, table).get(name)
        value = False if entry is None else truth[entry["status"]]
        if value is None:
            return None, NONE
        hit = value == wanted
        return hit, frozenset(entry.get("incidents", ())) if hit and entry else NONE
    return run


def _marker(cond: Mapping[str, Any], path: Path, vocab: Vocabulary) -> Compiled:
    _only(cond, path, {"marker"})
    name = _word_from(cond["marker"], (*path, "marker"), vocab.markers, "marker")

    def run(ctx: Context) -> Result:
        ids = ctx.markers.get(name)
        return ids is not None, ids or NONE
    return run


def _flag(name: str, flag: str, wanted: bool) -> Compiled:
    """An offence's `in_time`, `in_force` or `absent` flag; None where it is not known."""
    def run(ctx: Context) -> Result:
        entry = ctx.offences.get(name)
        value = None if entry is None else entry[flag]
        return (None if value is None else value == wanted), NONE
    return run


def _flag_unknown(name: str, flag: str) -> Compiled:
    """Whether an offence's flag is not known: itself always known (asks what to obtain)."""
    def run(ctx: Context) -> Result:
        entry = ctx.offences.get(name)
        return (entry is not None and entry[flag] is None), NONE
    return run


def _any_charge(cond: Mapping[str, Any], path: Path, vocab: Vocabulary) -> Compiled:
    """True if some offence charged for this victim has the given status or flag."""
    _only(cond, path, {"any_charge"})
    body, path = cond["any_charge"], (*path, "any_charge")
    if not isinstance(body, Mapping):
        raise ConditionError(path, "'any_charge' takes a mapping such as {is: not-supported}")
    op, arg = _one_comparison(body, path, set(), ("is", *OFFENCE_FLAGS), "any_charge")
    if op == "is":
        key: str = "status"
        wanted: object = _word_from(arg, (*path, op), frozenset(OFFENCE_STATUSES), "status")
    else:
        key = op
        _expect(arg, bool, (*path, op), "true or false")
        wanted = arg

    def run(ctx: Context) -> Result:
        hits = [o for o in ctx.charges() if o in ctx.offences and ctx.offences[o][key] == wanted]
        return bool(hits), NONE
    return run


def _named_test(cond: Mapping[str, Any], path: Path, vocab: Vocabulary) -> Compiled:
    _only(cond, path, {"test"})
    name = _word_from(cond["test"], (*path, "test"), vocab.tests, "named test")
    return lambda ctx: ctx.run_test(name)


_SUBJECT_COMPILERS: dict[str, Callable[[Mapping[str, Any], Path, Vocabulary], Compiled]] = {
    "test": _named_test,
    "fact": _fact,
    "incidents": _incidents,
    "charged": _charged,
    "plea_to": _plea,
    "plea_drops": _plea,
    "offence": _status_of("offence", OFFENCE_STATUSES),
    "indicator": _status_of("indicator", INDICATOR_STATUSES),
    "marker": _marker,
    "any_charge": _any_charge,
}
_ALL_COMPARISONS = {op for ops in COMPARISONS.values() for op in ops} | {"in", "is"}


# --- argument checks ---------------------------------------------------------------------

def _one_comparison(
    cond: Mapping[str, Any], path: Path, subject: set[str], allowed: tuple[str, ...], what: str
) -> tuple[str, Any]:
    ops = [k for k in cond if k not in subject]
    if len(ops) != 1:
        raise ConditionError(path, f"{what} needs exactly one comparison: {', '.join(allowed)}")
    if ops[0] not in allowed:
        message = _unknown(f"comparison for {what}", ops[0], list(allowed))
        raise ConditionError((*path, ops[0]), message)
    return ops[0], cond[ops[0]]


def _only(cond: Mapping[str, Any], path: Path, keys: set[str]) -> None:
    extra = [k for k in cond if k not in keys]
    if extra:
        message = f"unexpected key {extra[0]!r} beside {sorted(keys)[0]!r}"
        raise ConditionError((*path, extra[0]), message)


def _expect(arg: Any, kind: type, path: Path, what: str) -> None:
    if not isinstance(arg, kind) or (kind is int and isinstance(arg, bool)):
        raise ConditionError(path, f"expected {what}, got {arg!r}")


def _word_from(arg: Any, path: Path, allowed: frozenset[str], what: str) -> str:
    if not isinstance(arg, str) or arg not in allowed:
        raise ConditionError(path, _unknown(what, str(arg), sorted(allowed)))
    return arg


def _words_from(arg: Any, path: Path, allowed: frozenset[str], what: str) -> frozenset[str]:
    items = arg if isinstance(arg, list) else [arg]
    return frozenset(_word_from(a, (*path, n), allowed, what) for n, a in enumerate(items))


def _expect_words(arg: Any, path: Path) -> None:
    if not isinstance(arg, list) or not all(isinstance(a, str) for a in arg):
        raise ConditionError(path, f"expected a list of words, got {arg!r}")


def _unknown(what: str, word: str, choices: list[str]) -> str:
    match = closest(word, choices)
    hint = f"; did you mean {match!r}?" if match is not None else ""
    return f"unknown {what} {word!r}{hint}"
