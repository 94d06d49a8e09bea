"""Local rule packs: an Area's own additions and adjustments on top of a full rule set.

A pack directory holds `pack.yaml` (name, version, and rules to disable or re-grade,
each with a written reason) and optionally `checks/*.yaml` with further rules and
`tests/` with their cases. Packs are validated exactly like the base set, and every
assessment records which packs were applied and what they changed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path as FilePath
from typing import Any

from pydantic import BaseModel

from chargecheck.case.yamlio import Document, load_rule_file
from chargecheck.conditions.compiler import ConditionError, Vocabulary, compile_condition
from chargecheck.errors import InputError, Problem
from chargecheck.rulebook.checking import placeholder_errors, schema_problems
from chargecheck.rulebook.directory import CHECKS_DIR, PACK_FILE, is_pack
from chargecheck.rulebook.file_models import PackFile, RulesFile, capped
from chargecheck.rulebook.ruleset import (
    Adjustment,
    RuleDef,
    RuleSet,
    SourcedConditionError,
    compile_rule,
    vocabulary,
)
from chargecheck.spelling import closest


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
        adjustments.append(Adjustment(manifest["name"], entry["rule"], "disabled",
                                      entry["reason"]))
    for entry in manifest["severity"]:
        changed = by_id[entry["rule"]]._replace(severity=entry["severity"])
        rules = [changed if r.id == changed.id else r for r in rules]
        adjustments.append(Adjustment(manifest["name"], entry["rule"],
                                      f"severity {entry['severity']}", entry["reason"]))
    sources = {**base.sources, **{f"{CHECKS_DIR}/{manifest['name']}:{FilePath(d.file).name}":
                                   d.data for d in docs[1:]}}
    return base._replace(rules=tuple(rules), adjustments=tuple(adjustments), sources=sources,
                   packs=(*base.packs, f"{manifest['name']}@{manifest['version']}"),
                   digest=_digest(base.digest, docs))


def _validated(docs: list[Document], base: RuleSet
               ) -> tuple[dict[str, Any], list[RuleDef], list[Problem]]:
    problems: list[Problem] = []
    models: list[tuple[Document, type[BaseModel]]] = [
        (docs[0], PackFile), *((d, RulesFile) for d in docs[1:])]
    for doc, model in models:
        problems += schema_problems(doc, model)
    # A schema mistake hides nothing else: the rules that have their schema's shape are
    # still checked and compiled, so one run reports every mistake in the pack.
    broken = {(p.file, p.path[:2]) for p in problems}
    manifest = {"disable": [], "severity": [], **_mapping(docs[0].data)}
    words = vocabulary(base.sources)
    known = {r.id: r for r in base.rules}
    added: list[RuleDef] = []
    errors: list[SourcedConditionError] = []
    by_file = {doc.file: doc for doc in docs}
    for doc in docs[1:]:
        rules = _mapping(doc.data).get("rules")
        for n, data in enumerate(rules if isinstance(rules, list) else []):
            if (doc.file, ("rules", n)) in broken or (doc.file, ()) in broken:
                _check_condition(doc, n, data, words, problems)
                continue
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
    for e in errors:
        doc = by_file[e.file]
        problems.append(doc.problem(e.path, e.message, _rule_at(doc, e.path)))
    if any(p.file == docs[0].file for p in problems):
        return manifest, added, problems  # the manifest's entries cannot be trusted
    for kind in ("disable", "severity"):
        for n, entry in enumerate(manifest[kind]):
            target = known.get(entry["rule"])
            if target is None:
                guess = closest(entry["rule"], known)
                hint = f"; did you mean {guess!r}?" if guess else ""
                problems.append(docs[0].problem((kind, n, "rule"),
                                                f"no rule has id {entry['rule']!r}{hint}",
                                                entry["rule"]))
            elif (kind == "severity" and target.confidence == "verify"
                  and not capped(entry["severity"])):
                problems.append(docs[0].problem(
                    (kind, n, "severity"),
                    "a rule resting on unconfirmed law may be at most 'medium' severity",
                    entry["rule"]))
    return manifest, added, problems


def _mapping(data: Any) -> dict[str, Any]:
    return data if isinstance(data, dict) else {}


def _rule_at(doc: Document, path: tuple[str | int, ...]) -> str | None:
    """The id of the rule at `path` in a checks file, if it has one."""
    rules = _mapping(doc.data).get("rules")
    if len(path) < 2 or not isinstance(rules, list) or not isinstance(path[1], int):
        return None
    rule = rules[path[1]] if path[1] < len(rules) else None
    ident = rule.get("id") if isinstance(rule, dict) else None
    return ident if isinstance(ident, str) else None


def _check_condition(doc: Document, n: int, data: Any, words: Vocabulary,
                     problems: list[Problem]) -> None:
    """The condition of a rule with schema problems, checked on its own."""
    if not isinstance(data, dict) or "when" not in data:
        return
    try:
        compile_condition(data["when"], ("rules", n, "when"), words)
    except ConditionError as exc:
        problems.append(doc.problem(exc.path, exc.message, _rule_at(doc, exc.path)))


def _digest(base: str, docs: list[Document]) -> str:
    hasher = hashlib.sha256(base.encode())
    for doc in docs:
        hasher.update(FilePath(doc.file).read_bytes())
    return "sha256:" + hasher.hexdigest()


def pack_rule_ids(rules: RuleSet) -> set[str]:
    """The ids of rules added by packs (their sources are keyed `checks/<pack>:<file>`)."""
    return {r["id"] for key, raw in rules.sources.items() if ":" in key for r in raw["rules"]}
