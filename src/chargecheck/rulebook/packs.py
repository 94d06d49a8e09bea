"""Local rule packs: an Area's own additions and adjustments on top of a full rule set.

A pack directory holds `pack.yaml` (name, version, and rules to disable or re-grade,
each with a written reason) and optionally `checks/*.yaml` with further rules and
`tests/` with their cases. Packs are validated exactly like the base set, and every
assessment records which packs were applied and what they changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path as FilePath
from typing import Any

from pydantic import BaseModel, ValidationError

from chargecheck.case.yamlio import Document, load_rule_file
from chargecheck.errors import InputError, Problem
from chargecheck.rulebook.checking import placeholder_errors
from chargecheck.rulebook.directory import CHECKS_DIR, PACK_FILE, is_pack
from chargecheck.rulebook.file_models import SEVERITIES, PackFile, RulesFile
from chargecheck.rulebook.ruleset import (
    RuleDef,
    RuleSet,
    SourcedConditionError,
    compile_rule,
    vocabulary,
)


def apply_pack(base: RuleSet, directory: str) -> RuleSet:
    if not is_pack(directory):
        raise InputError.one(directory, None, (), "not a rule pack (no pack.yaml) or rule set")
    root = FilePath(directory)
    files = [root / PACK_FILE, *sorted((root / CHECKS_DIR).glob("*.yaml"))]
    docs = [load_rule_file(str(file)) for file in files]
    manifest, added, problems = _validated(docs, base)
    if problems:
        raise InputError(problems)
    rules = [*base.rules, *added]
    adjustments = [*base.adjustments]
    by_id = {r.id: r for r in rules}
    for entry in manifest["disable"]:
        rules.remove(by_id[entry["rule"]])
        adjustments.append({"pack": manifest["name"], "rule": entry["rule"],
                            "change": "disabled", "reason": entry["reason"]})
    for entry in manifest["severity"]:
        changed = by_id[entry["rule"]]._replace(severity=entry["severity"])
        rules = [changed if r.id == changed.id else r for r in rules]
        adjustments.append({"pack": manifest["name"], "rule": entry["rule"],
                            "change": f"severity {entry['severity']}", "reason": entry["reason"]})
    sources = {**base.sources, **{f"{CHECKS_DIR}/{manifest['name']}:{FilePath(d.file).name}":
                                   d.data for d in docs[1:]}}
    return replace(base, rules=tuple(rules), adjustments=tuple(adjustments), sources=sources,
                   packs=(*base.packs, f"{manifest['name']}@{manifest['version']}"),
                   digest=_digest(base.digest, docs))


def _validated(docs: list[Document], base: RuleSet
               ) -> tuple[dict[str, Any], list[RuleDef], list[Problem]]:
    problems: list[Problem] = []
    models: list[tuple[Document, type[BaseModel]]] = [
        (docs[0], PackFile), *((d, RulesFile) for d in docs[1:])]
    for doc, model in models:
        try:
            model.model_validate(doc.data)
        except ValidationError as exc:
            problems += [doc.problem(tuple(e["loc"]), e["msg"])
                         for e in exc.errors(include_url=False)]
    if problems:
        return {}, [], problems
    manifest = {"disable": [], "severity": [], **docs[0].data}
    words = vocabulary(base.sources)
    known = {r.id: r for r in base.rules}
    added: list[RuleDef] = []
    errors: list[SourcedConditionError] = []
    for doc in docs[1:]:
        for n, data in enumerate(doc.data["rules"]):
            if data["id"] in known:
                problems.append(doc.problem(("rules", n, "id"),
                                            "rule id already used by the base rule set",
                                            data["id"]))
            for key in ("found", "why", "action"):
                problems += [doc.problem(("rules", n, key), message, data["id"])
                             for message in placeholder_errors(data[key], words.offences)]
            rule = compile_rule(data, doc.file, ("rules", n), words, errors)
            added.append(rule)
            known[rule.id] = rule
    problems += [Problem(e.file, None, e.path, e.message) for e in errors]
    for kind in ("disable", "severity"):
        for n, entry in enumerate(manifest[kind]):
            target = known.get(entry["rule"])
            if target is None:
                problems.append(docs[0].problem((kind, n, "rule"),
                                                f"no rule has id {entry['rule']!r}"))
            elif (kind == "severity" and target.confidence == "verify"
                  and SEVERITIES.index(entry["severity"]) > 2):
                problems.append(docs[0].problem(
                    (kind, n, "severity"),
                    "a rule resting on unconfirmed law may be at most 'medium' severity"))
    return manifest, added, problems


def _digest(base: str, docs: list[Document]) -> str:
    hasher = hashlib.sha256(base.encode())
    for doc in docs:
        hasher.update(FilePath(doc.file).read_bytes())
    return "sha256:" + hasher.hexdigest()


def pack_rule_ids(rules: RuleSet) -> set[str]:
    """The ids of rules added by packs (their sources are keyed `checks/<pack>:<file>`)."""
    return {r["id"] for key, raw in rules.sources.items() if ":" in key for r in raw["rules"]}
