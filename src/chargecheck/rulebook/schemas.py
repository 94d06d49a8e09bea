"""JSON Schema for case files and rule files, generated from the pydantic models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from chargecheck.case.model import Case
from chargecheck.conditions.schema import condition_schema
from chargecheck.rulebook.file_models import CONDITION_PLACEHOLDER, FILE_MODELS, RulesFile

SCHEMA_KINDS = ("case", "rules", "offences", "behaviours", "indicators", "escalation",
                "audit", "manifest")
SCHEMA_URL = "https://json-schema.org/draft/2020-12/schema"


def schema_for(kind: str) -> dict[str, Any]:
    models: dict[str, type[BaseModel]] = {
        "case": Case, "rules": RulesFile, "manifest": FILE_MODELS["ruleset.yaml"],
        **{name.removesuffix(".yaml"): model for name, model in FILE_MODELS.items()
           if name != "ruleset.yaml"},
    }
    schema = _with_conditions(models[kind].model_json_schema(by_alias=True))
    return {"$schema": SCHEMA_URL, "$id": f"chargecheck/{kind}.schema.json", **schema}


def _with_conditions(schema: dict[str, Any]) -> dict[str, Any]:
    """Conditions in rule files point to one recursive definition of their shape."""
    def swap(value: Any) -> Any:
        if isinstance(value, dict) and CONDITION_PLACEHOLDER.items() <= value.items():
            # pydantic adds a title beside the placeholder; keep it next to the reference
            return {**{k: v for k, v in value.items() if k not in CONDITION_PLACEHOLDER},
                    "$ref": "#/$defs/Condition"}
        if isinstance(value, dict):
            return {key: swap(item) for key, item in value.items()}
        return [swap(item) for item in value] if isinstance(value, list) else value

    swapped: dict[str, Any] = swap(schema)
    if swapped != schema:
        swapped.setdefault("$defs", {})["Condition"] = condition_schema()
    return swapped
