"""The committed JSON Schemas match the models, accept every example and reject a
broken case."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from chargecheck.case.yamlio import load
from chargecheck.cli import regenerate
from chargecheck.cli.commands.schema import SchemaKind
from chargecheck.conditions.compiler import compile_condition
from chargecheck.conditions.facts import FACT_KINDS
from chargecheck.conditions.parse import (
    COMBINATORS,
    FACT_COMPARISONS,
    INCIDENT_FILTER_ARGUMENTS,
    SUBJECTS,
    ConditionError,
    Vocabulary,
    parse,
)
from chargecheck.rulebook.ruleset import RuleSet
from chargecheck.rulebook.ruleset import vocabulary as ruleset_vocabulary_of
from chargecheck.rulebook.schemas import SCHEMA_KINDS, schema_for
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def as_json_data(value: Any) -> Any:
    """YAML gives dates; JSON Schema sees them as ISO strings, as an editor would."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat()))


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_committed_schema_is_in_sync(kind: str) -> None:
    committed = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text())
    assert committed == schema_for(kind), (
        f"schemas/{kind}.schema.json is stale: run "
        f"`chargecheck schema {kind} > schemas/{kind}.schema.json`")


def test_the_schema_command_offers_every_kind() -> None:
    assert [kind.value for kind in SchemaKind] == list(SCHEMA_KINDS)
    assert regenerate.SCHEMA_KINDS == SCHEMA_KINDS  # the files `regenerate` writes


def test_schema_command_prints_the_case_schema() -> None:
    result = run_cli("schema", "case")
    assert result.code == 0
    assert json.loads(result.out) == schema_for("case")


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_case_schema_accepts_every_example(example: Path) -> None:
    data = as_json_data(load(str(example)).data)
    jsonschema.validate(data, schema_for("case"))
    first_line = example.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../schemas/case.schema.json"


def test_case_schema_rejects_a_broken_case() -> None:
    data = as_json_data(load(str(ROOT / "rules/tests/bases/stalking-well-handled.yaml")).data)
    jsonschema.validate(data, schema_for("case"))
    data["incidents"][0]["behaviours"] = ["folowing"]
    with pytest.raises(jsonschema.ValidationError, match="folowing"):
        jsonschema.validate(data, schema_for("case"))


RULE_FILES = [
    *(("rules", f) for f in sorted((ROOT / "rules" / "checks").glob("*.yaml"))),
    ("rules", ROOT / "docs/example-pack/checks/area.yaml"),
    *((kind, ROOT / "rules" / f"{kind}.yaml") for kind in ("offences", "indicators",
                                                          "escalation", "behaviours")),
]


@pytest.mark.parametrize(("kind", "file"), RULE_FILES, ids=[f.name for _, f in RULE_FILES])
def test_rule_schemas_accept_the_rule_files(kind: str, file: Path) -> None:
    jsonschema.validate(as_json_data(load(str(file)).data), schema_for(kind))


VALID_CONDITIONS = [
    {"charged": "pha-s2"},
    {"offence": "pha-s4a", "in": "supported"},
    {"any_charge": {"in_time": False}},
    {"unless": {"fact": "victim.very_frightened", "known": True}},
    {"incidents": {"behaviours": "following", "at_least": 2, "after": "separation"}},
]
BROKEN_CONDITIONS = {
    "misspelt combinator": {"al": [{"marker": "weapon"}]},
    "empty list": {"all": []},
    "two subjects": {"marker": "weapon", "charged": ["pha-s2"]},
    "unknown fact": {"fact": "course.ocasions", "known": True},
    "comparison of another kind": {"fact": "course.occasions", "is": True},
    "two comparisons": {"fact": "course.occasions", "at_least": 2, "at_most": 5},
    "no comparison": {"fact": "course.occasions"},
    "count as text": {"fact": "course.occasions", "at_least": "two"},
    "unknown filter": {"incidents": {"behavior": ["following"]}},
    "unknown anchor": {"incidents": {"after": "break-up"}},
    "unknown status": {"offence": "pha-s2", "is": "proved"},
    "flag on an indicator": {"indicator": "fixated", "in_time": True},
    "comparison on a marker": {"marker": "weapon", "is": "met"},
    "two comparisons on any charge": {"any_charge": {"is": "supported", "in_time": True}},
}


def ruleset_vocabulary(rules: RuleSet) -> Vocabulary:
    return ruleset_vocabulary_of(rules.sources)._replace(tests=frozenset(rules.tests))


def condition_schema_of(kind: str) -> dict[str, Any]:
    schema = schema_for(kind)
    return {"$schema": schema["$schema"], "$defs": schema["$defs"],
            "$ref": "#/$defs/Condition"}


@pytest.mark.parametrize("condition", VALID_CONDITIONS, ids=[str(c) for c in VALID_CONDITIONS])
def test_the_condition_schema_accepts_what_the_rule_compiler_accepts(
        condition: dict[str, Any], rules: RuleSet) -> None:
    compile_condition(condition, ("when",), ruleset_vocabulary(rules))  # must not raise
    jsonschema.validate(condition, condition_schema_of("rules"))


@pytest.mark.parametrize("condition", BROKEN_CONDITIONS.values(), ids=BROKEN_CONDITIONS.keys())
def test_the_condition_schema_refuses_what_the_rule_compiler_refuses(
        condition: dict[str, Any], rules: RuleSet) -> None:
    with pytest.raises(ConditionError):
        compile_condition(condition, ("when",), ruleset_vocabulary(rules))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(condition, condition_schema_of("rules"))


# An argument of each kind the grammar reads, and one of the wrong type for it.
SAMPLES: dict[str, tuple[Any, Any]] = {
    "yes-no": (True, "yes"), "whole": (2, "two"), "date": (date(2020, 1, 1), 2020),
    "word": ("x", ["x"]), "words": (["x", "y"], "x"), "anchor": ("separation", "break-up"),
}
NAMES = {"behaviours": "following", "channel": "text", "hostility": "racial",
         "evidences": "fixated", "marker": "weapon"}


def every_comparison_and_filter() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each comparison of each kind of fact and each incident filter, written once with a
    good argument and once with a bad one."""
    found = []
    for kind, ops in FACT_COMPARISONS.items():
        fact = next(name for name, k in FACT_KINDS.items() if k == kind)
        for op, takes in ops.items():
            good, bad = SAMPLES[takes]
            found.append(({"fact": fact, op: good}, {"fact": fact, op: bad}))
    for key, takes in INCIDENT_FILTER_ARGUMENTS.items():
        good, bad = (NAMES[key], 5) if takes in ("name", "names") else SAMPLES[takes]
        found.append(({"incidents": {key: good}}, {"incidents": {key: bad}}))
    return found


def test_the_condition_schema_knows_the_whole_grammar(rules: RuleSet) -> None:
    """Every form, comparison and filter the parser reads, the schema accepts, and each
    argument of the wrong type both refuse."""
    forms = {key for alternative in condition_schema_of("rules")["$defs"]["Condition"]["oneOf"]
             for key in alternative["required"]}
    assert forms == {*COMBINATORS, *SUBJECTS}
    vocab = ruleset_vocabulary(rules)
    schema = condition_schema_of("rules")
    for good, bad in every_comparison_and_filter():
        parse(good, (), vocab)
        jsonschema.validate(as_json_data(good), schema)
        with pytest.raises(ConditionError):
            parse(bad, (), vocab)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(as_json_data(bad), schema)
