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
from dataclasses import replace
from pathlib import Path as FilePath

from pydantic import BaseModel, ValidationError

from chargecheck.case.model import Behaviour, OffenceId
from chargecheck.case.yamlio import Document, load_rule_file
from chargecheck.errors import InputError, Path, Problem
from chargecheck.rulebook.directory import CHECKS_DIR, CORE_FILES, RuleFiles
from chargecheck.rulebook.file_models import FILE_MODELS, RulesFile
from chargecheck.rulebook.placeholders import KEYED_PLACEHOLDERS, PLACEHOLDERS
from chargecheck.rulebook.ruleset import RuleSet, SourcedConditionError, build


def checked_ruleset(files: RuleFiles) -> RuleSet:
    """The rule set in `files`, parsed, checked and compiled; or every problem in it."""
    docs = {f: load_rule_file(f, _decode(f, blob)) for f, blob in files.blobs.items()}
    problems, compiled = check_documents(docs)
    if compiled is None:
        raise InputError(problems)
    return replace(compiled, digest=files.digest, packs=(files.label,))


def _decode(file: str, blob: bytes) -> str:
    try:
        return blob.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError.one(file, None, (), "rule file is not UTF-8 text") from None


def check_documents(docs: dict[str, Document]) -> tuple[list[Problem], RuleSet | None]:
    """Every problem in a rule set's files (schema, cross-references, conditions), and
    the rule set compiled from them when there is none.

    Conditions are checked by compiling them, so the compiled rule set comes for free.
    """
    problems: list[Problem] = []
    for file, doc in docs.items():
        model = FILE_MODELS.get(_key(file), RulesFile)
        problems += _schema_problems(doc, model)
    if problems:
        return problems, None
    by_name = {_key(f): d for f, d in docs.items() if _key(f) in CORE_FILES}
    checks = [d for f, d in docs.items() if _key(f).startswith(CHECKS_DIR + "/")]
    problems += _vocabulary_problems(by_name)
    problems += _duplicate_rule_ids(checks)
    problems += _placeholder_problems(checks, by_name)
    if problems:
        return problems, None
    return _compiled(by_name, checks)


def _schema_problems(doc: Document, model: type[BaseModel]) -> list[Problem]:
    if not isinstance(doc.data, dict):
        return [doc.problem((), "the top level must be a mapping")]
    try:
        model.model_validate(doc.data)
    except ValidationError as exc:
        return [doc.problem(tuple(e["loc"]), e["msg"], _rule_id(doc, tuple(e["loc"])))
                for e in exc.errors(include_url=False)]
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


def _duplicate_rule_ids(checks: list[Document]) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for doc in checks:
        for n, rule in enumerate(doc.data["rules"]):
            where = f"{doc.file}:{doc.line_of(('rules', n, 'id'))}"
            if rule["id"] in seen:
                problems.append(doc.problem(("rules", n, "id"),
                                            f"duplicate rule id (first at {seen[rule['id']]})",
                                            rule["id"]))
            seen.setdefault(rule["id"], where)
    return problems


def _placeholder_problems(checks: list[Document], core: dict[str, Document]) -> list[Problem]:
    offences = {o["id"] for o in core["offences.yaml"].data["offences"]}
    problems = []
    for doc in checks:
        for n, rule in enumerate(doc.data["rules"]):
            for key in ("found", "why", "action"):
                for message in placeholder_errors(rule[key], offences):
                    problems.append(doc.problem(("rules", n, key), message, rule["id"]))
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
            errors.append(f"unknown placeholder {{{name}}}")
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
