"""Load the rule set from `rules/`: validate it, cross-check it and compile it once.

A validated rule set is cached by the digest of its files, so a normal `assess`
reads a small pickle instead of parsing and validating YAML. `validate` never
uses the cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import string
import tempfile
import typing
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path as FilePath
from typing import Any, NamedTuple

from chargecheck import __version__
from chargecheck.case.model import Behaviour, Channel, Hostility, OffenceId
from chargecheck.case.yamlio import Document, load_rule_file
from chargecheck.conditions.compiler import Compiled, ConditionError, Vocabulary, compile_condition
from chargecheck.conditions.facts import BehaviourInfo
from chargecheck.errors import InputError, Path, Problem
from chargecheck.rulebook.placeholders import KEYED_PLACEHOLDERS, PLACEHOLDERS

CORE_FILES = ("ruleset.yaml", "offences.yaml", "behaviours.yaml", "indicators.yaml",
              "escalation.yaml")
CHECKS_DIR = "checks"
BUNDLED = "bundled"  # how the packaged rule set is named in output (never a local path)


class ElementDef(NamedTuple):
    id: str
    text: str
    citations: tuple[str, ...]
    obtain: str
    test: Compiled


class Maximum(NamedTuple):
    starts: date
    summary_months: int | str
    indictment_years: int | None


class OffenceDef(NamedTuple):
    id: str
    title: str
    citation: str
    mode_of_trial: str
    commencement: date
    occasions_needed: int
    maxima: tuple[Maximum, ...]
    time_limit_months: int | None
    time_limit_kind: str | None
    raised: Compiled | None
    elements: tuple[ElementDef, ...]
    superseded_by: frozenset[str]


class Judged(NamedTuple):
    """An indicator or escalation marker: a named condition with its authority."""

    id: str
    title: str
    citations: tuple[str, ...]
    test: Compiled
    level: str = ""


class RuleDef(NamedTuple):
    id: str
    title: str
    category: str
    severity: str
    confidence: str
    citations: tuple[str, ...]
    starts: date
    ends: date | None
    test: Compiled
    found: str
    why: str
    action: str


@dataclass(frozen=True)
class RuleSet:
    version: str
    digest: str
    packs: tuple[str, ...]
    offences: tuple[OffenceDef, ...]
    behaviours: dict[str, BehaviourInfo]
    indicators: tuple[Judged, ...]
    markers: tuple[Judged, ...]
    rules: tuple[RuleDef, ...]
    general_limit: tuple[tuple[date, int], ...]
    tests: dict[str, Compiled]
    sources: dict[str, Any] = field(default_factory=dict, compare=False)
    adjustments: tuple[dict[str, str], ...] = ()


def default_rules_dir() -> str:
    """The bundled rule set: inside the installed package, or the checkout's `rules/`."""
    package = FilePath(__file__).resolve().parents[1]  # chargecheck/, above rulebook/
    for candidate in (package / "rules", package.parents[1] / "rules"):
        if (candidate / "ruleset.yaml").is_file():
            return str(candidate)
    raise InputError.one(str(package / "rules"), None, (), "the bundled rule set is missing")


def rule_files(directory: str) -> list[str]:
    """The files of a rule directory, core files first, then `checks/*.yaml` sorted."""
    root = FilePath(directory)
    if not root.is_dir():
        raise InputError.one(directory, None, (), "not a rule directory")
    missing = [name for name in CORE_FILES if not (root / name).is_file()]
    if missing:
        raise InputError.one(directory, None, (), f"rule directory lacks {', '.join(missing)}")
    checks = sorted((root / CHECKS_DIR).glob("*.yaml"))
    return [str(root / name) for name in CORE_FILES] + [str(p) for p in checks]


def load_ruleset(directory: str | None = None, use_cache: bool = True) -> RuleSet:
    """Load, validate and compile a rule set, using the digest-keyed cache if allowed."""
    label = directory or BUNDLED
    directory = directory or default_rules_dir()
    files = rule_files(directory)
    blobs = {f: FilePath(f).read_bytes() for f in files}
    digest = _digest(directory, blobs)
    raw = _read_cache(digest) if use_cache else None
    if raw is not None:
        return build(raw, digest, (label,))
    docs = {f: load_rule_file(f, _decode(f, blob)) for f, blob in blobs.items()}
    problems, compiled = check_documents(docs)
    if compiled is None:
        raise InputError(problems)
    if use_cache:
        _write_cache(digest, compiled.sources)
    return replace(compiled, digest=digest, packs=(label,))


def _decode(file: str, blob: bytes) -> str:
    try:
        return blob.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError.one(file, None, (), "rule file is not UTF-8 text") from None


def _relative(directory: str, file: str) -> str:
    return FilePath(file).relative_to(directory).as_posix()


def _digest(directory: str, blobs: dict[str, bytes]) -> str:
    hasher = hashlib.sha256()
    for file in sorted(blobs, key=lambda f: _relative(directory, f)):
        hasher.update(_relative(directory, file).encode() + b"\0" + blobs[file] + b"\0")
    return "sha256:" + hasher.hexdigest()


# --- validation --------------------------------------------------------------------------

def check_documents(docs: dict[str, Document]) -> tuple[list[Problem], RuleSet | None]:
    """Every problem in a rule set's files (schema, cross-references, conditions), and
    the rule set compiled from them when there is none.

    Conditions are checked by compiling them, so the compiled rule set comes for free.
    """
    from chargecheck.rulebook.file_models import FILE_MODELS, RulesFile

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


def _schema_problems(doc: Document, model: Any) -> list[Problem]:
    from pydantic import ValidationError

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


class SourcedConditionError(Exception):
    def __init__(self, file: str, error: ConditionError) -> None:
        super().__init__(error.message)
        self.file, self.path, self.message = file, error.path, error.message


# --- compilation -------------------------------------------------------------------------

def build(raw: dict[str, Any], digest: str, packs: tuple[str, ...],
          errors: list[SourcedConditionError] | None = None) -> RuleSet:
    """Compile validated rule data into the runtime rule set.

    With `errors`, condition mistakes are collected there (to report them all) instead
    of stopping at the first.
    """
    manifest = raw["ruleset.yaml"]
    offence_data = raw["offences.yaml"]
    behaviours = {b["id"]: BehaviourInfo(b["associated_with_stalking"],
                                         frozenset(b.get("evidences", [])),
                                         frozenset(b.get("markers", [])))
                  for b in raw["behaviours.yaml"]["behaviours"]}
    markers_raw = raw["escalation.yaml"]["markers"]
    indicator_raw = raw["indicators.yaml"]["indicators"]
    words = vocabulary(raw)._replace(tests=frozenset())
    compile_in = _compiler(words, errors)
    tests: dict[str, Compiled] = {}
    for n, test in enumerate(offence_data["tests"]):
        tests[test["id"]] = compile_in(test["when"], "offences.yaml", ("tests", n, "when"))
        words = words._replace(tests=frozenset(tests))
        compile_in = _compiler(words, errors)
    indicators = tuple(_judged(i, "indicators.yaml", ("indicators", n), compile_in)
                       for n, i in enumerate(indicator_raw))
    markers = tuple(_judged(m, "escalation.yaml", ("markers", n), compile_in)
                    for n, m in enumerate(markers_raw))
    offences = tuple(_offence(o, ("offences", n), compile_in)
                     for n, o in enumerate(offence_data["offences"]))
    rules = tuple(_rule(r, key, ("rules", n), compile_in)
                  for key in sorted(k for k in raw if k.startswith(CHECKS_DIR + "/"))
                  for n, r in enumerate(raw[key]["rules"]))
    limit = tuple((v["from"], v["months"])
                  for v in offence_data["magistrates_general_limit"]["values"])
    return RuleSet(str(manifest["version"]), digest, packs, offences, behaviours, indicators,
                   markers, rules, limit, tests, raw)


def vocabulary(raw: dict[str, Any]) -> Vocabulary:
    """The names conditions may use in the rule set whose raw data is `raw`."""
    return Vocabulary(
        offences=frozenset(o["id"] for o in raw["offences.yaml"]["offences"]),
        indicators=frozenset(i["id"] for i in raw["indicators.yaml"]["indicators"]),
        markers=frozenset(m["id"] for m in raw["escalation.yaml"]["markers"]),
        behaviours=frozenset(b["id"] for b in raw["behaviours.yaml"]["behaviours"]),
        channels=frozenset(typing.get_args(Channel)),
        hostilities=frozenset(typing.get_args(Hostility)),
        tests=frozenset(t["id"] for t in raw["offences.yaml"]["tests"]),
    )


def compile_rule(data: dict[str, Any], file: str, path: Path, words: Vocabulary,
                 errors: list[SourcedConditionError] | None = None) -> RuleDef:
    """Compile one validated rule (used for local packs' rules)."""
    return _rule(data, file, path, _compiler(words, errors))


def _compiler(words: Vocabulary, errors: list[SourcedConditionError] | None) -> Any:
    def compile_in(cond: Any, file: str, path: Path) -> Compiled:
        try:
            return compile_condition(cond, path, words)
        except ConditionError as exc:
            if errors is None:
                raise SourcedConditionError(file, exc) from None
            errors.append(SourcedConditionError(file, exc))
            return _never
    return compile_in


def _never(ctx: Any) -> tuple[bool | None, frozenset[str]]:
    """Stands in for a condition that failed to compile while collecting errors."""
    return False, frozenset()


def _judged(data: dict[str, Any], file: str, path: Path, compile_in: Any) -> Judged:
    return Judged(data["id"], data["title"], tuple(data["citations"]),
                  compile_in(data["when"], file, (*path, "when")), data.get("level", ""))


def _offence(data: dict[str, Any], path: Path, compile_in: Any) -> OffenceDef:
    file = "offences.yaml"
    elements = tuple(
        ElementDef(e["id"], e["text"], tuple(e["citations"]), e["obtain"],
                   compile_in(e["when"], file, (*path, "elements", n, "when")))
        for n, e in enumerate(data["elements"]))
    raised = data.get("raised_when")
    limit = data.get("time_limit") or {}
    return OffenceDef(
        id=data["id"], title=data["title"], citation=data["citation"],
        mode_of_trial=data["mode_of_trial"], commencement=data["commencement"],
        occasions_needed=data.get("occasions_needed", 1),
        maxima=tuple(Maximum(m["from"], m["summary_months"], m["indictment_years"])
                     for m in data["maxima"]),
        time_limit_months=limit.get("months"), time_limit_kind=limit.get("kind"),
        raised=None if raised is None else compile_in(raised, file, (*path, "raised_when")),
        elements=elements, superseded_by=frozenset(data.get("superseded_by", [])),
    )


def _rule(data: dict[str, Any], file: str, path: Path, compile_in: Any) -> RuleDef:
    in_force = data["in_force"]
    return RuleDef(
        id=data["id"], title=data["title"], category=data["category"],
        severity=data["severity"], confidence=data["confidence"],
        citations=tuple(data["citations"]), starts=in_force["from"],
        ends=in_force.get("until"), test=compile_in(data["when"], file, (*path, "when")),
        found=data["found"], why=data["why"], action=data["action"],
    )


# --- cache -------------------------------------------------------------------------------

def _cache_file(digest: str) -> FilePath | None:
    if os.environ.get("CHARGECHECK_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    key = hashlib.sha256(f"{__version__}:{digest}".encode()).hexdigest()[:32]
    return FilePath(base) / "chargecheck" / f"rules-{key}.pickle"


def _read_cache(digest: str) -> dict[str, Any] | None:
    path = _cache_file(digest)
    if path is None:
        return None
    try:
        with path.open("rb") as handle:
            data = pickle.load(handle)
    except Exception:  # a missing or damaged cache is rebuilt, never fatal
        return None
    return data if isinstance(data, dict) else None


def _write_cache(digest: str, raw: dict[str, Any]) -> None:
    path = _cache_file(digest)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".rules-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(raw, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:  # an unwritable cache only costs speed
        return
