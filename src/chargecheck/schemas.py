"""JSON Schema for case files and rule files, generated from the pydantic models."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

SCHEMA_KINDS = ("case", "rules", "offences", "behaviours", "indicators", "escalation",
                "manifest")
SCHEMA_URL = "https://json-schema.org/draft/2020-12/schema"


def schema_for(kind: str) -> dict[str, Any]:
    from chargecheck.model import Case
    from chargecheck.rulefiles import FILE_MODELS, RulesFile

    models: dict[str, type[BaseModel]] = {
        "case": Case, "rules": RulesFile, "manifest": FILE_MODELS["ruleset.yaml"],
        **{name.removesuffix(".yaml"): model for name, model in FILE_MODELS.items()
           if name != "ruleset.yaml"},
    }
    schema = models[kind].model_json_schema(by_alias=True)
    return {"$schema": SCHEMA_URL, "$id": f"chargecheck/{kind}.schema.json", **schema}
