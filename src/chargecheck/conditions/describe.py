"""Conditions in plain English, for `explain` and the generated rule documentation.

The wording walks the condition's tree (tree.py), one phrase per form of the language,
so what a reviewer reads is what the engine evaluates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

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


def describe(cond: Condition | Mapping[str, Any], depth: int = 0) -> list[str]:
    """Indented lines describing a condition: its tree, or its YAML data once checked."""
    node = parse(cond, (), CHECKED) if isinstance(cond, Mapping) else cond
    return _lines(node, depth)


def _lines(node: Condition, depth: int) -> list[str]:
    pad = "  " * depth
    if isinstance(node, AllOf | AnyOf):
        head = "all of:" if isinstance(node, AllOf) else "any of:"
        return [pad + head] + [line for part in node.parts for line in _lines(part, depth + 1)]
    if isinstance(node, Not):
        return [pad + "not:", *_lines(node.inner, depth + 1)]
    if isinstance(node, Unless):
        return [pad + "unless it is known that:", *_lines(node.inner, depth + 1)]
    return [pad + _leaf(node)]


def _leaf(node: Condition) -> str:
    return _LEAVES[type(node)](node)


def _plea(node: Plea) -> str:
    if node.key == "plea_to":
        return f"a plea is offered to any of {_word(node.offences)}"
    return f"the plea would drop any of {_word(node.offences)}"


def _compared(node: FactTest | Status) -> str:
    subject = f"fact {node.fact}" if isinstance(node, FactTest) else (
        f"{node.subject} {node.name}")
    return f"{subject} " + _COMPARISON[node.op].format(_word(node.arg))


def _incidents(node: Incidents) -> str:
    parts = [_FILTERS[key].format(_word(arg)) for key, arg in node.filters]
    return f"at least {plural(node.at_least, 'occasion')}" + (
        " " + ", ".join(parts) if parts else "")


def _word(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)


_LEAVES: dict[type, Callable[[Any], str]] = {
    NamedTest: lambda node: f"the legal test '{node.name}' is met",
    Charged: lambda node: f"charged with any of {_word(node.offences)}",
    Plea: _plea,
    Marker: lambda node: f"the escalation marker '{node.name}' is present",
    Incidents: lambda node: _incidents(node),
    AnyCharge: lambda node: "some charge " + _COMPARISON[node.op].format(_word(node.arg)),
    FactTest: _compared,
    Status: _compared,
}
