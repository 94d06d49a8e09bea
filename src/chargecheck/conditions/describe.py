"""Conditions in plain English, for `explain` and the generated rule documentation.

The wording mirrors the condition vocabulary in `compiler.py` one to one, so what a
reviewer reads is what the engine evaluates.
"""

from __future__ import annotations

from typing import Any

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


def describe(cond: Any, depth: int = 0) -> list[str]:
    """Indented lines describing a (validated) condition."""
    pad = "  " * depth
    if "all" in cond or "any" in cond:
        key = "all" if "all" in cond else "any"
        head = "all of:" if key == "all" else "any of:"
        return [pad + head] + [line for c in cond[key] for line in describe(c, depth + 1)]
    if "not" in cond:
        return [pad + "not:", *describe(cond["not"], depth + 1)]
    if "unless" in cond:
        return [pad + "unless it is known that:", *describe(cond["unless"], depth + 1)]
    return [pad + _leaf(cond)]


def _leaf(cond: dict[str, Any]) -> str:
    if "test" in cond:
        return f"the legal test '{cond['test']}' is met"
    if "charged" in cond:
        return f"charged with any of {_words(cond['charged'])}"
    if "plea_to" in cond:
        return f"a plea is offered to any of {_words(cond['plea_to'])}"
    if "plea_drops" in cond:
        return f"the plea would drop any of {_words(cond['plea_drops'])}"
    if "marker" in cond:
        return f"the escalation marker '{cond['marker']}' is present"
    if "incidents" in cond:
        return _incidents(cond["incidents"])
    if "any_charge" in cond:
        op, arg = next(iter(cond["any_charge"].items()))
        return "some charge " + _COMPARISON[op].format(_word(arg))
    subject = next(k for k in ("fact", "offence", "indicator") if k in cond)
    op = next(k for k in cond if k != subject)
    return f"{subject} {cond[subject]} " + _COMPARISON[op].format(_word(cond[op]))


def _incidents(spec: dict[str, Any]) -> str:
    parts = [_FILTERS[k].format(_word(v)) for k, v in spec.items() if k != "at_least"]
    count = spec.get("at_least", 1)
    return f"at least {plural(count, 'occasion')}" + (" " + ", ".join(parts) if parts else "")


def _words(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _word(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _words(value)
