"""The JSON Schema of a rule condition (`when:`), built from the grammar in parse.py.

So an editor can check a condition's shape while a rule is written: which keys go
together, and what each takes. Names that belong to the rule set being written
(offence ids, behaviours, indicators, markers, named tests) are left as text; the
schema fixes everything the code fixes: combinators, subjects, fact names and their
comparisons, incident filters, statuses and anchors. `chargecheck validate` still does
the full check, with file and line.
"""

from __future__ import annotations

from typing import Any

from chargecheck.conditions.facts import FACT_KINDS
from chargecheck.conditions.parse import (
    AFTER_ANCHORS,
    COMPARISONS,
    FACT_COMPARISONS,
    INCIDENT_FILTER_ARGUMENTS,
    INDICATOR_STATUSES,
    OFFENCE_FLAGS,
    OFFENCE_STATUSES,
    UNKNOWN,
)

Schema = dict[str, Any]

REF: Schema = {"$ref": "#/$defs/Condition"}
TEXT: Schema = {"type": "string"}
WORDS: Schema = {"type": "array", "items": TEXT}
WORD_OR_WORDS: Schema = {"anyOf": [TEXT, WORDS]}
YES_NO: Schema = {"type": "boolean"}
WHOLE: Schema = {"type": "integer"}
DATE: Schema = {"type": "string", "format": "date"}

# Each kind of argument the grammar reads (parse.FACT_COMPARISONS and
# INCIDENT_FILTER_ARGUMENTS name them), as a schema.
TAKES: dict[str, Schema] = {
    "yes-no": YES_NO, "whole": WHOLE, "date": DATE, "word": TEXT, "words": WORDS,
    "name": TEXT, "names": WORD_OR_WORDS, "anchor": {"enum": list(AFTER_ANCHORS)},
}
# What each comparison takes, by the kind of fact compared; `known: true|false` goes with
# every kind and is added to each (`_facts`).
ARGUMENTS: dict[str, dict[str, Schema]] = {
    kind: {op: TAKES[takes] for op, takes in ops.items() if op != "known"}
    for kind, ops in FACT_COMPARISONS.items()
}
FILTERS: dict[str, Schema] = {key: TAKES[takes] for key, takes in INCIDENT_FILTER_ARGUMENTS.items()}


def condition_schema() -> Schema:
    """One condition: a combinator or a subject, exactly as `compile_condition` accepts."""
    return {
        "description": "A rule condition (docs/rules.md): all/any/not/unless, or one subject.",
        "oneOf": [*_combinators(), *_facts(), _incidents(), *_word_subjects(),
                  *_statuses(), _exactly({"marker": TEXT}), _any_charge(),
                  _exactly({"test": TEXT})],
    }


def _exactly(properties: Schema, optional: Schema | None = None) -> Schema:
    """An object with all of `properties` and, if given, one of `optional`."""
    return {
        "type": "object", "required": list(properties),
        "properties": {**properties, **(optional or {})},
        "additionalProperties": False,
        "minProperties": len(properties) + (1 if optional else 0),
        "maxProperties": len(properties) + (1 if optional else 0),
    }


def _combinators() -> list[Schema]:
    listed = {"type": "array", "minItems": 1, "items": REF}
    return [_exactly({"all": listed}), _exactly({"any": listed}), _exactly({"not": REF}),
            _exactly({"unless": REF})]


def _facts() -> list[Schema]:
    """One alternative per kind of fact, so each fact takes only its own comparisons."""
    return [_exactly({"fact": {"enum": sorted(n for n, k in FACT_KINDS.items() if k == kind)}},
                     {**ARGUMENTS[kind], "known": YES_NO})
            for kind in COMPARISONS]


def _incidents() -> Schema:
    return _exactly({"incidents": {"type": "object", "properties": FILTERS,
                                   "additionalProperties": False}})


def _word_subjects() -> list[Schema]:
    return [_exactly({key: WORD_OR_WORDS}) for key in ("charged", "plea_to", "plea_drops")]


def _statuses() -> list[Schema]:
    offence = {"enum": list(OFFENCE_STATUSES)}
    indicator = {"enum": list(INDICATOR_STATUSES)}
    flags = {flag: {"anyOf": [YES_NO, {"const": UNKNOWN}]} for flag in OFFENCE_FLAGS}
    return [
        _exactly({"offence": TEXT}, {"is": offence, "in": _one_or_many(offence),
                                     "holds": YES_NO, **flags}),
        _exactly({"indicator": TEXT}, {"is": indicator, "in": _one_or_many(indicator),
                                       "holds": YES_NO}),
    ]


def _one_or_many(word: Schema) -> Schema:
    return {"anyOf": [word, {"type": "array", "items": word}]}


def _any_charge() -> Schema:
    comparison = _exactly({}, {"is": {"enum": list(OFFENCE_STATUSES)},
                               **{flag: YES_NO for flag in OFFENCE_FLAGS}})
    return _exactly({"any_charge": comparison})
