"""Check a rule set's files before it is used: every problem, with file, line and rule.

Each file against its pydantic model (file_models.py), then across files: the
vocabulary the case model fixes, duplicate ids, the placeholders of messages and every
condition. Conditions are checked by compiling them, so a rule set that passes comes
out compiled. Only a cache miss, `validate` and the rule tests need this; a cache hit
compiles the cached data directly (cli/rule_loading.py makes that choice).
"""

from __future__ import annotations

import string
import typing
from collections.abc import Iterator
from pathlib import Path as FilePath
from typing import Any

from pydantic import BaseModel, ValidationError

from chargecheck.case.model import Behaviour, OffenceId
from chargecheck.case.yamlio import Document, load_rule_file
from chargecheck.conditions.compiler import ConditionError, compile_condition
from chargecheck.errors import InputError, Path, Problem
from chargecheck.rulebook.declared import declared_name_problems
from chargecheck.rulebook.directory import CHECKS_DIR, CORE_FILES, RuleFiles
from chargecheck.rulebook.file_models import FILE_MODELS, RulesFile
from chargecheck.rulebook.placeholders import KEYED_PLACEHOLDERS, PLACEHOLDERS
from chargecheck.rulebook.ruleset import RuleSet, SourcedConditionError, build, vocabulary
from chargecheck.rulebook.schema_messages import schema_messages
from chargecheck.spelling import closest


def checked_ruleset(files: RuleFiles) -> RuleSet:
    """The rule set in `files`, parsed, checked and compiled; or every problem in it."""
    docs = {f: load_rule_file(f, _decode(f, blob)) for f, blob in files.blobs.items()}
    problems, compiled = check_documents(docs)
    if compiled is None:
        raise InputError(problems)
    return compiled._replace(digest=files.digest, packs=(files.label,))


def _decode(file: str, blob: bytes) -> str:
    try:
        return blob.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError.one(file, None, (), "rule file is not UTF-8 text") from None


def check_documents(docs: dict[str, Document]) -> tuple[list[Problem], RuleSet | None]:
    """Every problem in a rule set's files (schema, cross-references, conditions), and
    the rule set compiled from them when there is none.

    A schema mistake hides nothing else: the cross-references and conditions of every
    rule are still checked, skipping only what the mistake makes unreadable. Conditions
    are checked by compiling them, so the compiled rule set comes for free.
    """
    problems: list[Problem] = []
    for file, doc in docs.items():
        problems += schema_problems(doc, FILE_MODELS.get(_key(file), RulesFile))
    by_name = {_key(f): d for f, d in docs.items() if _key(f) in CORE_FILES}
    checks = [d for f, d in docs.items() if _key(f).startswith(CHECKS_DIR + "/")]
    core_files = {d.file for d in by_name.values()}
    core_ok = not any(p.file in core_files for p in problems)
    whole = not problems  # every file has its schema's shape: the set compiles whole
    if core_ok:
        problems += _vocabulary_problems(by_name) + declared_name_problems(by_name, checks)
    problems += _duplicate_rule_ids(checks)
    problems += _placeholder_problems(checks, _offence_ids(by_name))
    if not core_ok:
        return problems, None  # conditions need the vocabulary the core files define
    if whole:
        found, compiled = _compiled(by_name, checks)
        problems += found
        return problems, None if problems else compiled
    return problems + _rule_by_rule(by_name, checks), None


def schema_problems(doc: Document, model: type[BaseModel]) -> list[Problem]:
    """Each way `doc` departs from `model`, in our words, at its line and rule."""
    if not isinstance(doc.data, dict):
        return [doc.problem((), "the top level must be a mapping of keys to values")]
    try:
        model.model_validate(doc.data)
    except ValidationError as exc:
        found = schema_messages(model, doc.data, exc.errors(include_url=False))
        return [doc.problem(path, message, _rule_id(doc, path)) for path, message in found]
    return []


def _rule_id(doc: Document, path: Path) -> str | None:
    if len(path) >= 2 and path[0] in ("rules", "offences", "markers", "indicators"):
        try:
            found = doc.data[path[0]][path[1]].get("id")
        except (KeyError, IndexError, TypeError, AttributeError):
            return None
        return found if isinstance(found, str) else None
    return None


def _vocabulary_problems(core: dict[str, Document]) -> list[Problem]:
    problems: list[Problem] = []
    behaviours = core["behaviours.yaml"]
    declared = [b["id"] for b in behaviours.data["behaviours"]]
    for word in sorted(set(typing.get_args(Behaviour)) - set(declared)):
        problems.append(behaviours.problem(("behaviours",), f"behaviour {word!r} is not described"))
    markers = {m["id"] for m in core["escalation.yaml"].data["markers"]}
    for n, entry in enumerate(behaviours.data["behaviours"]):
        for k, marker in enumerate(entry.get("markers", [])):
            if marker not in markers:
                problems.append(behaviours.problem(
                    ("behaviours", n, "markers", k), f"unknown escalation marker {marker!r}",
                    entry["id"]))
    offences = core["offences.yaml"]
    ids = [o["id"] for o in offences.data["offences"]]
    for n, ident in enumerate(ids):
        if ident in ids[:n]:
            problems.append(offences.problem(("offences", n, "id"), f"duplicate offence {ident!r}"))
    for word in sorted(set(typing.get_args(OffenceId)) - set(ids)):
        problems.append(offences.problem(("offences",), f"offence {word!r} is not described"))
    return problems


def _rules_of(doc: Document) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rules of a checks file that are mappings, with their places; a file or rule
    of the wrong shape has its schema problem already."""
    rules = doc.data.get("rules") if isinstance(doc.data, dict) else None
    for n, rule in enumerate(rules if isinstance(rules, list) else []):
        if isinstance(rule, dict):
            yield n, rule


def _offence_ids(core: dict[str, Document]) -> frozenset[str]:
    """The offence ids the offences file declares, read leniently (it may be broken)."""
    doc = core.get("offences.yaml")
    offences = doc.data.get("offences") if doc and isinstance(doc.data, dict) else None
    return frozenset(o["id"] for o in (offences if isinstance(offences, list) else [])
                     if isinstance(o, dict) and isinstance(o.get("id"), str))


def _duplicate_rule_ids(checks: list[Document]) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for doc in checks:
        for n, rule in _rules_of(doc):
            ident = rule.get("id")
            if not isinstance(ident, str):
                continue
            where = f"{doc.file}:{doc.line_of(('rules', n, 'id'))}"
            if ident in seen:
                problems.append(doc.problem(("rules", n, "id"),
                                            f"duplicate rule id (first at {seen[ident]})",
                                            ident))
            seen.setdefault(ident, where)
    return problems


def _placeholder_problems(checks: list[Document], offences: frozenset[str]) -> list[Problem]:
    problems = []
    for doc in checks:
        for n, rule in _rules_of(doc):
            ident = rule.get("id") if isinstance(rule.get("id"), str) else None
            for key in ("found", "why", "action"):
                text = rule.get(key)
                for message in placeholder_errors(text, offences) if isinstance(text, str) else []:
                    problems.append(doc.problem(("rules", n, key), message, ident))
    return problems


def _rule_by_rule(core: dict[str, Document], checks: list[Document]) -> list[Problem]:
    """Every mistake in the conditions when some rules cannot be compiled whole: the core
    files compiled alone, then each rule's condition on its own, against their vocabulary."""
    problems = _compiled(core, [])[0]
    words = vocabulary({key: d.data for key, d in core.items()})
    for doc in checks:
        for n, rule in _rules_of(doc):
            if "when" not in rule:
                continue
            try:
                compile_condition(rule["when"], ("rules", n, "when"), words)
            except ConditionError as exc:
                problems.append(doc.problem(exc.path, exc.message, _rule_id(doc, exc.path)))
    return problems


def placeholder_errors(text: str, offences: set[str] | frozenset[str]) -> list[str]:
    errors = []
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError as exc:
        return [f"message braces do not match: {exc}"]
    for name in fields:
        base, _, key = name.partition("[")
        key = key.rstrip("]")
        if base not in PLACEHOLDERS:
            guess = closest(base, PLACEHOLDERS)
            hint = f"; did you mean {{{guess}}}?" if guess else ""
            errors.append(f"unknown placeholder {{{name}}}{hint}")
        elif (base in KEYED_PLACEHOLDERS) != bool(key) or (key and key not in offences):
            errors.append(f"placeholder {{{name}}} needs the form {{{base}[offence-id]}}")
    return errors


def _compiled(core: dict[str, Document], checks: list[Document]
              ) -> tuple[list[Problem], RuleSet | None]:
    """The rule set compiled, or every mistake in its conditions."""
    docs = {_key(f): d for f, d in _all_docs(core, checks)}
    errors: list[SourcedConditionError] = []
    compiled = build({key: d.data for key, d in docs.items()}, "", (), errors)
    problems = [docs[e.file].problem(e.path, e.message, _rule_id(docs[e.file], e.path))
                for e in errors]
    return problems, None if problems else compiled


def _all_docs(core: dict[str, Document], checks: list[Document]) -> list[tuple[str, Document]]:
    return [(doc.file, doc) for doc in [*core.values(), *checks]]


def _key(file: str) -> str:
    path = FilePath(file)
    return f"{CHECKS_DIR}/{path.name}" if path.parent.name == CHECKS_DIR else path.name
