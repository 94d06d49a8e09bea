"""Conditions in plain English, for `explain` and the generated rule documentation.

The wording walks the condition's tree (tree.py), one phrase per form of the language,
so what a reviewer reads is what the engine evaluates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from chargecheck.conditions.parse import CHECKED, parse
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
    words,
)
from chargecheck.spelling import plural

_COMPARISON = {
    "is": "is {}", "equals": "is {}", "in": "is one of {}", "at_least": "is at least {}",
    "at_most": "is at most {}", "known": "is recorded: {}", "on_or_after": "is on or after {}",
    "before": "is before {}", "contains": "includes {}", "contains_any": "includes any of {}",
    "empty": "is empty: {}", "holds": "holds: {}", "in_time": "is in time: {}",
    "in_force": "is in force: {}", "absent": "lacks an element: {}",
    "spans_change": "runs across a change in its maximum: {}",
    "spans_commencement": "runs across its commencement: {}",
}
_FILTERS = {
    "behaviours": "with behaviour {}", "stalking": "associated with stalking: {}",
    "evidences": "evidencing the {} indicator", "marker": "showing the {} marker",
    "fear_of_violence": "causing fear of violence: {}", "channel": "by {}",
    "hostility": "showing {} hostility", "after": "after the {} date",
    "not_after": "starting on or before the {} date",
    "within_a_year_of": "within a year after the {} date",
    "on_or_after": "on or after {}", "before": "before {}",
}


class Names(NamedTuple):
    """What a description calls the rule set's names, by id. Without them (`None`) a
    description names each as written, for rule authors (`explain`, the rule docs); with
    them it speaks in words, for a prosecutor reading `assess --explain`."""

    offences: Mapping[str, str]    # `stalking (PHA 1997 s.2A)`
    indicators: Mapping[str, str]  # `Fixated`
    markers: Mapping[str, str]     # `Threats to kill`
    tests: Mapping[str, str]       # the test's text

# In words, the filters that measure from a day (parse.AFTER_ANCHORS) name it in full.
_ANCHORED = {"after": "after the {}", "not_after": "starting on or before the {}",
             "within_a_year_of": "within a year after the {}"}
_ANCHOR_WORDS = {"made-clear-unwanted": "day the victim made clear the conduct was unwanted",
                 "separation": "day of separation",
                 "warning": "day of the first warning on record"}


def describe(cond: Condition | Mapping[str, Any], depth: int = 0,
             names: Names | None = None) -> list[str]:
    """Indented lines describing a condition: its tree, or its YAML data once checked."""
    node = parse(cond, (), CHECKED) if isinstance(cond, Mapping) else cond
    return _lines(node, depth, names)


def _lines(node: Condition, depth: int, names: Names | None) -> list[str]:
    pad = "  " * depth
    if isinstance(node, AllOf | AnyOf):
        head = "all of:" if isinstance(node, AllOf) else "any of:"
        return [pad + head] + [line for part in node.parts
                               for line in _lines(part, depth + 1, names)]
    if isinstance(node, Not):
        return [pad + "not:", *_lines(node.inner, depth + 1, names)]
    if isinstance(node, Unless):
        return [pad + "unless it is known that:", *_lines(node.inner, depth + 1, names)]
    return [pad + leaf(node, names)]


def leaf(node: Condition, names: Names | None = None) -> str:
    """One condition that is not a combinator, in a phrase."""
    return _LEAVES[type(node)](node, names)


def _plea(node: Plea, names: Names | None) -> str:
    offences = _offences(node.offences, names)
    if node.key == "plea_to":
        return f"a plea is offered to {offences}"
    return f"the plea would drop {offences}"


def _offences(ids: tuple[str, ...], names: Names | None) -> str:
    """`any of pha-s2, pha-s2a` as written; in words `harassment (...) or stalking (...)`."""
    if names is None:
        return "any of " + ", ".join(ids)
    return _either([names.offences.get(i, i) for i in ids])


def _either(said: list[str]) -> str:
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " or " + said[-1]


def _compared(node: FactTest | Status, names: Names | None) -> str:
    if isinstance(node, FactTest):
        subject = f"fact {node.fact}"
    elif names is None:
        subject = f"{node.subject} {node.name}"
    elif node.subject == "offence":
        subject = names.offences.get(node.name, node.name)
    else:
        subject = f"the {names.indicators.get(node.name, node.name)} indicator"
    return f"{subject} " + _comparison(node.op, node.arg, names)


def _comparison(op: str, arg: object, names: Names | None) -> str:
    if names is not None and op in ("is", "in") and isinstance(arg, str | tuple):
        # A status in words: `not supported`, `supported or unknown`.
        return "is " + _either([s.replace("-", " ") for s in words(arg)])
    return _COMPARISON[op].format(_word(arg))


def _incidents(node: Incidents, names: Names | None) -> str:
    parts = [_filter(key, arg, names) for key, arg in node.filters]
    return f"at least {plural(node.at_least, 'occasion')}" + (
        " " + ", ".join(parts) if parts else "")


def _filter(key: str, arg: object, names: Names | None) -> str:
    if names is not None and key in _ANCHORED:
        return _ANCHORED[key].format(_ANCHOR_WORDS.get(str(arg), str(arg)))
    if names is not None and key in ("evidences", "marker"):
        table = names.indicators if key == "evidences" else names.markers
        return _FILTERS[key].format(_either([table.get(w, w) for w in words(arg)]))
    return _FILTERS[key].format(_word(arg))


def _word(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)


def _named(table: str, ident: str, names: Names | None) -> str:
    return ident if names is None else getattr(names, table).get(ident, ident)


_LEAVES: dict[type, Callable[[Any, Names | None], str]] = {
    NamedTest: lambda node, names: f"the legal test '{_named('tests', node.name, names)}' "
                                   "is met",
    Charged: lambda node, names: f"charged with {_offences(node.offences, names)}",
    Plea: _plea,
    Marker: lambda node, names: "the escalation marker "
                                f"'{_named('markers', node.name, names)}' is present",
    Incidents: _incidents,
    AnyCharge: lambda node, names: "some charge " + _comparison(node.op, node.arg, names),
    FactTest: _compared,
    Status: _compared,
}
