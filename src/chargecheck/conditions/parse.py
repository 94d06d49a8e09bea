"""The rule condition language's grammar: a condition's YAML read into a typed tree.

A condition is a one-key mapping (or, for `fact:`/`offence:`/`indicator:`, a mapping
with the subject and one comparison). `parse` checks it against the grammar and the
rule set's vocabulary and returns its tree (tree.py); anything outside the vocabulary
is a `ConditionError` at its key path, never a silent false. The key path gives the
file's line (`Document.problem`). There is no `eval` and no executable string anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, NamedTuple, TypeVar

from chargecheck.conditions.facts import FACT_KINDS
from chargecheck.conditions.tree import (
    AllOf,
    AnyCharge,
    AnyOf,
    Charged,
    Condition,
    FactTest,
    Filter,
    Incidents,
    Marker,
    NamedTest,
    Not,
    Plea,
    Status,
    Unless,
    Words,
)
from chargecheck.errors import Path
from chargecheck.scales import IndicatorStatus, OffenceStatus
from chargecheck.spelling import closest

T = TypeVar("T")

# The scales' words, in the order messages and the schema list them: the positive first.
OFFENCE_STATUSES = (OffenceStatus.supported.value, OffenceStatus.not_supported.value,
                    OffenceStatus.unknown.value)
INDICATOR_STATUSES = (IndicatorStatus.met.value, IndicatorStatus.not_met.value,
                      IndicatorStatus.unknown.value)
OFFENCE_FLAGS = ("in_time", "in_force", "absent", "spans_change", "spans_commencement")
UNKNOWN = "unknown"  # `{offence: X, in_time: unknown}`: the flag turns on what is not recorded
COMBINATORS = ("all", "any", "not", "unless")
SUBJECTS = ("test", "fact", "incidents", "charged", "plea_to", "plea_drops", "offence", "indicator",
            "marker", "any_charge")
# What each comparison of a fact takes, by the kind of fact (facts.FACT_KINDS): the
# comparisons a kind allows, and the kind of argument each reads (`_ARGUMENTS`). The JSON
# Schema of a condition (schema.py) is drawn from these tables too.
FACT_COMPARISONS: dict[str, dict[str, str]] = {
    "count": {"at_least": "whole", "at_most": "whole", "equals": "whole", "known": "yes-no"},
    "yes-no": {"is": "yes-no", "known": "yes-no"},
    "word": {"equals": "word", "in": "words", "known": "yes-no"},
    "words": {"contains": "word", "contains_any": "words", "empty": "yes-no", "known": "yes-no"},
    "date": {"on_or_after": "date", "before": "date", "known": "yes-no"},
}
COMPARISONS = {kind: tuple(ops) for kind, ops in FACT_COMPARISONS.items()}
# What each incident filter takes: `names`, one name or several from the rule set's
# vocabulary (`FILTER_NAMES`); `name`, exactly one; `anchor`, one of AFTER_ANCHORS.
INCIDENT_FILTER_ARGUMENTS: dict[str, str] = {
    "behaviours": "names", "stalking": "yes-no", "evidences": "name", "marker": "name",
    "fear_of_violence": "yes-no", "channel": "names", "hostility": "names",
    "after": "anchor", "not_after": "anchor", "within_a_year_of": "anchor",
    "on_or_after": "date", "before": "date", "at_least": "whole",
}
INCIDENT_FILTERS = tuple(INCIDENT_FILTER_ARGUMENTS)
# The vocabulary (a field of `Vocabulary`) a filter's names come from, and what one is called.
FILTER_NAMES = {"behaviours": ("behaviours", "behaviour"), "channel": ("channels", "channel"),
                "hostility": ("hostilities", "hostility"),
                "evidences": ("indicators", "indicator"), "marker": ("markers", "marker")}
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


class _AnyName(frozenset[str]):
    """Holds every name: for conditions already checked against their rule set."""

    def __contains__(self, item: object) -> bool:
        return True


# The vocabulary of a condition already checked (`parse(cond, path, CHECKED)`): the
# grammar is still followed, the rule set's names are taken as they are.
CHECKED = Vocabulary(*[_AnyName()] * 7)


def parse(cond: Any, path: Path, vocab: Vocabulary) -> Condition:
    """Check `cond` (a condition's YAML data) against the grammar and `vocab`; its tree."""
    if type(cond) is dict:  # the usual shapes first: {all: [...]}, {fact: NAME, is: true}
        if len(cond) == 1:
            for key in cond:
                form = _FORMS.get(key)
                if form is not None:
                    return form(cond, path, vocab)
        elif len(cond) == 2:
            subject, other = cond
            if subject in _COMPARED and other not in _FORMS:
                return _FORMS[subject](cond, path, vocab)
    if not cond or not (type(cond) is dict or isinstance(cond, Mapping)):
        raise ConditionError(path, "a condition must be a mapping such as {all: [...]}")
    keys = [k for k in cond if k in _FORMS]
    if len(keys) != 1:
        known = [*COMBINATORS, *SUBJECTS]
        unknown = [k for k in cond if k not in known and k not in _ALL_COMPARISONS]
        if unknown:
            raise ConditionError((*path, unknown[0]), _unknown("operator", unknown[0], known))
        raise ConditionError(path, f"a condition needs exactly one of: {', '.join(known)}")
    if keys[0] not in _COMPARED:  # every other form is its one key alone
        extra = next(k for k in cond if k != keys[0])
        raise ConditionError((*path, extra), f"unexpected key {extra!r} beside {keys[0]!r}")
    return _FORMS[keys[0]](cond, path, vocab)


# --- combinators -------------------------------------------------------------------------

def _all_or_any(key: str) -> Callable[[Mapping[str, Any], Path, Vocabulary], Condition]:
    def read(cond: Mapping[str, Any], path: Path, vocab: Vocabulary) -> Condition:
        body, here = cond[key], (*path, key)
        if not isinstance(body, list) or not body:
            raise ConditionError(here, f"'{key}' takes a non-empty list of conditions")
        parts = tuple([parse(c, (*here, n), vocab) for n, c in enumerate(body)])
        return AllOf(parts, path) if key == "all" else AnyOf(parts, path)
    return read


def _not_or_unless(key: str) -> Callable[[Mapping[str, Any], Path, Vocabulary], Condition]:
    def read(cond: Mapping[str, Any], path: Path, vocab: Vocabulary) -> Condition:
        inner = parse(cond[key], (*path, key), vocab)
        return Not(inner, path) if key == "not" else Unless(inner, path)
    return read


# --- subjects ----------------------------------------------------------------------------

def _fact(cond: Mapping[str, Any], path: Path, vocab: Vocabulary) -> FactTest:
    name = cond["fact"]
    kind = FACT_KINDS.get(name) if isinstance(name, str) else None
    if kind is None:
        raise ConditionError((*path, "fact"), _unknown("fact", str(name), list(FACT_KINDS)))
    op, arg = _one_comparison(cond, path, "fact", COMPARISONS[kind], _FACT_OF_KIND[kind])
    return FactTest(name, kind, op, _ARGUMENTS[FACT_COMPARISONS[kind][op]](arg, (*path, op)),
                    path)


def _incidents(cond: Mapping[str, Any], path: Path, vocab: Vocabulary) -> Incidents:
    spec = cond["incidents"]
    here = (*path, "incidents")
    if not (type(spec) is dict or isinstance(spec, Mapping)):
        raise ConditionError(here, "'incidents' takes a mapping of filters")
    filters = tuple([_incident_filter(k, v, (*here, k), vocab)
                     for k, v in spec.items() if k != "at_least"])
    need = _expect(spec.get("at_least", 1), int, (*here, "at_least"), "a whole number")
    return Incidents(filters, need, path)


def _incident_filter(key: str, arg: Any, path: Path, vocab: Vocabulary) -> Filter:
    takes = INCIDENT_FILTER_ARGUMENTS.get(key)
    if takes in ("names", "name"):
        field, what = FILTER_NAMES[key]
        names = getattr(vocab, field)
        if takes == "name":
            return key, _word_from(arg, path, names, what)
        _words_from(arg, path, names, what)
        return key, _as_written(arg)
    if takes == "anchor":
        return key, _word_from(arg, path, _ANCHORS, "anchor")
    if takes in ("yes-no", "date"):
        return key, _ARGUMENTS[takes](arg, path)
    raise ConditionError(path, _unknown("incident filter", key, list(INCIDENT_FILTERS)))


def _charged(cond: Mapping[str, Any], path: Path, vocab: Vocabulary) -> Charged:
    return Charged(_words_from(cond["charged"], (*path, "charged"), vocab.offences, "offence"),
                   path)


def _plea(cond: Mapping[str, Any], path: Path, vocab: Vocabulary) -> Plea:
    key = "plea_to" if "plea_to" in cond else "plea_drops"
    return Plea(key, _words_from(cond[key], (*path, key), vocab.offences, "offence"), path)


def _status(cond: Mapping[str, Any], path: Path, vocab: Vocabulary) -> Status:
    subject = "offence" if "offence" in cond else "indicator"
    names = vocab.offences if subject == "offence" else vocab.indicators
    name = _word_from(cond[subject], (*path, subject), names, subject)
    op, arg = _one_comparison(cond, path, subject, _STATUS_OPS[subject], _STATUS_OF[subject])
    if op == "holds":
        return Status(subject, name, op, _expect(arg, bool, (*path, op), "true or false"), path)
    if op in OFFENCE_FLAGS:
        if arg != UNKNOWN:
            _expect(arg, bool, (*path, op), "true, false or unknown")
        return Status(subject, name, op, arg, path)
    _words_from([arg] if op == "is" else arg, (*path, op), _STATUSES[subject], "status")
    return Status(subject, name, op, _as_written(arg), path)


def _marker(cond: Mapping[str, Any], path: Path, vocab: Vocabulary) -> Marker:
    return Marker(_word_from(cond["marker"], (*path, "marker"), vocab.markers, "marker"), path)


def _any_charge(cond: Mapping[str, Any], path: Path, vocab: Vocabulary) -> AnyCharge:
    body, here = cond["any_charge"], (*path, "any_charge")
    if not isinstance(body, Mapping):
        raise ConditionError(here, "'any_charge' takes a mapping such as {is: not-supported}")
    op, arg = _one_comparison(body, here, None, ("is", *OFFENCE_FLAGS), "any_charge")
    if op == "is":
        return AnyCharge(op, _word_from(arg, (*here, op), _STATUSES["offence"], "status"), path)
    return AnyCharge(op, _expect(arg, bool, (*here, op), "true or false"), path)


def _named_test(cond: Mapping[str, Any], path: Path, vocab: Vocabulary) -> NamedTest:
    return NamedTest(_word_from(cond["test"], (*path, "test"), vocab.tests, "named test"), path)


_FORMS: dict[str, Callable[[Mapping[str, Any], Path, Vocabulary], Condition]] = {
    "all": _all_or_any("all"),
    "any": _all_or_any("any"),
    "not": _not_or_unless("not"),
    "unless": _not_or_unless("unless"),
    "test": _named_test,
    "fact": _fact,
    "incidents": _incidents,
    "charged": _charged,
    "plea_to": _plea,
    "plea_drops": _plea,
    "offence": _status,
    "indicator": _status,
    "marker": _marker,
    "any_charge": _any_charge,
}
# The forms written with a comparison beside their subject; the others stand alone.
_COMPARED = frozenset({"fact", "offence", "indicator"})
# Worked out once rather than for every condition read.
_FACT_OF_KIND = {kind: f"a {kind} fact" for kind in COMPARISONS}
_STATUS_OPS = {"offence": ("is", "in", "holds", *OFFENCE_FLAGS), "indicator": ("is", "in", "holds")}
_STATUS_OF = {"offence": "an offence", "indicator": "an indicator"}
_STATUSES = {"offence": frozenset(OFFENCE_STATUSES), "indicator": frozenset(INDICATOR_STATUSES)}
_ALL_COMPARISONS = {op for ops in COMPARISONS.values() for op in ops} | {"in", "is"}
_ANCHORS = frozenset(AFTER_ANCHORS)


# --- argument checks ---------------------------------------------------------------------

def _one_comparison(cond: Mapping[str, Any], path: Path, subject: str | None,
                    allowed: tuple[str, ...], what: str) -> tuple[str, Any]:
    ops = [k for k in cond if k != subject]
    if len(ops) != 1:
        raise ConditionError(path, f"{what} needs exactly one comparison: {', '.join(allowed)}")
    if ops[0] not in allowed:
        message = _unknown(f"comparison for {what}", ops[0], list(allowed))
        raise ConditionError((*path, ops[0]), message)
    return ops[0], cond[ops[0]]


def _expect(arg: Any, kind: type[T], path: Path, what: str) -> T:
    if not isinstance(arg, kind) or (kind is int and isinstance(arg, bool)):
        raise ConditionError(path, f"expected {what}, got {arg!r}")
    return arg


def _words_argument(arg: Any, path: Path) -> tuple[str, ...]:
    if not isinstance(arg, list) or not all(isinstance(a, str) for a in arg):
        raise ConditionError(path, f"expected a list of words, got {arg!r}")
    return tuple(arg)


# How each kind of argument is read, by its name in the tables above.
_ARGUMENTS: dict[str, Callable[[Any, Path], Any]] = {
    "yes-no": lambda arg, path: _expect(arg, bool, path, "true or false"),
    "whole": lambda arg, path: _expect(arg, int, path, "a whole number"),
    "date": lambda arg, path: _expect(arg, date, path, "a date (YYYY-MM-DD)"),
    "word": lambda arg, path: _expect(arg, str, path, "a word"),
    "words": _words_argument,
}


def _word_from(arg: Any, path: Path, allowed: frozenset[str], what: str) -> str:
    if not isinstance(arg, str) or arg not in allowed:
        raise ConditionError(path, _unknown(what, str(arg), sorted(allowed)))
    return arg


def _words_from(arg: Any, path: Path, allowed: frozenset[str], what: str) -> tuple[str, ...]:
    """A word or a list of words, each from `allowed`; a mistake names its place in the list."""
    items = arg if isinstance(arg, list) else [arg]
    for n, item in enumerate(items):
        if not isinstance(item, str) or item not in allowed:
            _word_from(item, (*path, n), allowed, what)  # raises, with the item's path
    return tuple(items)


def _as_written(arg: str | list[str]) -> Words:
    """A word or a list of words (already checked) as the tree keeps it."""
    return arg if isinstance(arg, str) else tuple(arg)


def _unknown(what: str, word: str, choices: list[str]) -> str:
    match = closest(word, choices)
    hint = f"; did you mean {match!r}?" if match is not None else ""
    return f"unknown {what} {word!r}{hint}"
