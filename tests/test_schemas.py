"""The committed JSON Schemas match the models, accept every example and reject a
broken case."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from chargecheck.schemas import SCHEMA_KINDS, schema_for
from chargecheck.yamlio import load
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
    from chargecheck.cli import SchemaKind

    assert [kind.value for kind in SchemaKind] == list(SCHEMA_KINDS)


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


def test_rules_schema_accepts_the_rule_files() -> None:
    for file in sorted((ROOT / "rules" / "checks").glob("*.yaml")):
        jsonschema.validate(as_json_data(load(str(file)).data), schema_for("rules"))
