"""Rule test cases: named scenarios that say which rule must fire, stay silent, or be
not assessed.

A test file (`rules/tests/<RULE-ID>.yaml`) looks like this:

    rule: UC-001
    cases:
      - name: fires_when_stalking_evidenced_and_only_s2_charged
        base: ex-partner-stalking        # a full case in rules/tests/bases/
        case: {charges: [{offence: pha-s2}]}
        expect: fires                    # fires | silent | not-assessed
        incidents: [I1, I2]              # optional: what the finding must name
        offences:                        # optional: what a lawyer checks on the ladder
          pha-s4a: {status: supported, in_time: true, indictment_years: 10,
                    victims: {V: supported}}

`case` is merged over the base: mappings merge key by key, a list replaces the
base's list, and `null` removes a key (so the fact becomes unknown).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any

from chargecheck.case.loading import case_from_document
from chargecheck.case.model import Case
from chargecheck.case.yamlio import Document, load_rule_file
from chargecheck.errors import InputError
from chargecheck.rulebook.ruleset import RuleSet

EXPECTATIONS = ("fires", "silent", "not-assessed")
# What a case may expect of an offence on the ladder, as the JSON output names it.
OFFENCE_FIELDS = ("status", "in_force", "in_time", "summary_months", "indictment_years",
                  "victims")
TESTS_DIR, BASES_DIR = "tests", "bases"


@dataclass(frozen=True)
class RuleTestCase:
    """One named case of a rule test file, its case merged over its base and read."""

    rule: str
    name: str
    expect: str                   # fires | silent | not-assessed
    file: str
    line: int | None
    case: Case
    incidents: list[str] | None   # what a firing finding must name, if given
    offences: dict[str, dict[str, Any]] | None = None  # what the ladder must show, if given


def rule_test_files(rules_dir: str) -> list[str]:
    return sorted(str(p) for p in (FilePath(rules_dir) / TESTS_DIR).glob("*.yaml"))


def read_cases(file: str, rules: RuleSet, rules_dir: str) -> Iterator[RuleTestCase]:
    """Every case in one test file, in order; a malformed file or case is an input error.

    Running them is the command line's (cli/rule_tests.py): it needs the engine, which
    sits above the rule book.
    """
    doc = load_rule_file(file)
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("rule"), str):
        raise InputError([doc.problem(("rule",), "a rule test file starts with `rule: RULE-ID`")])
    rule_id = data["rule"]
    if rule_id not in {r.id for r in rules.rules}:
        raise InputError([doc.problem(("rule",), f"no rule has id {rule_id!r}")])
    cases = data.get("cases")
    if not isinstance(cases, list) or not cases:
        raise InputError([doc.problem(("cases",), "`cases` must be a non-empty list")])
    for n, spec in enumerate(cases):
        yield _read_case(doc, rule_id, n, spec, rules_dir)


def _read_case(doc: Document, rule_id: str, n: int, spec: Any, rules_dir: str
               ) -> RuleTestCase:
    path = ("cases", n)
    if not isinstance(spec, dict):
        raise InputError([doc.problem(path, "each case is a mapping with name, case and expect")])
    unknown = set(spec) - {"name", "base", "case", "expect", "incidents", "offences"}
    if unknown:
        where = (*path, sorted(unknown)[0])
        raise InputError([doc.problem(where, "unknown key in a rule test case")])
    name, expect = spec.get("name"), spec.get("expect")
    if not isinstance(name, str) or expect not in EXPECTATIONS:
        message = f"each case needs a name and expect: {', '.join(EXPECTATIONS)}"
        raise InputError([doc.problem(path, message)])
    data = _merged_case(doc, path, spec, rules_dir)
    case = case_from_document(Document(doc.file, data, _shifted(doc, path)))
    return RuleTestCase(rule_id, name, expect, doc.file, doc.line_of(path), case,
                        spec.get("incidents"), _offence_expectations(doc, path, spec))


def _offence_expectations(doc: Document, path: tuple[str | int, ...], spec: dict[str, Any]
                          ) -> dict[str, dict[str, Any]] | None:
    expected = spec.get("offences")
    if expected is None:
        return None
    where = (*path, "offences")
    if not isinstance(expected, dict) or not all(isinstance(v, dict) for v in expected.values()):
        raise InputError([doc.problem(where, "`offences` maps offence ids to what each must "
                                             "show, e.g. {pha-s4a: {status: supported}}")])
    for ident, fields in expected.items():
        wrong = sorted(set(fields) - set(OFFENCE_FIELDS))
        if wrong:
            raise InputError([doc.problem((*where, ident, wrong[0]), "an offence expectation "
                                          f"is one of: {', '.join(OFFENCE_FIELDS)}")])
    return expected


def _merged_case(doc: Document, path: tuple[str | int, ...], spec: dict[str, Any],
                 rules_dir: str) -> dict[str, Any]:
    base: dict[str, Any] = {}
    if spec.get("base") is not None:
        base_file = FilePath(rules_dir) / TESTS_DIR / BASES_DIR / f"{spec['base']}.yaml"
        if not base_file.is_file():
            raise InputError([doc.problem((*path, "base"), f"no base case {spec['base']!r}")])
        base = load_rule_file(str(base_file)).data
    overrides = spec.get("case") or {}
    if not isinstance(overrides, dict):
        raise InputError([doc.problem((*path, "case"), "`case` must be a mapping")])
    merged = merge(base, overrides)
    merged.setdefault("format", 1)
    merged.setdefault("reference", f"test {spec.get('name')}")
    return merged


def merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Mappings merge key by key; lists and scalars replace; `None` removes the key."""
    out = dict(base)
    for key, value in overrides.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def _shifted(doc: Document, path: tuple[str | int, ...]) -> dict[tuple[str | int, ...], int]:
    """Map a case's own key paths to lines in the test file, for error messages."""
    prefix = (*path, "case")
    lines = {k[len(prefix):]: v for k, v in doc.lines.items() if k[:len(prefix)] == prefix}
    lines.setdefault((), doc.lines.get(path, 1))
    return lines


def firing_examples(*rules_dirs: str) -> dict[str, str]:
    """For each rule, its first `fires` case, as `tests/ID.yaml: case_name`."""
    examples: dict[str, str] = {}
    for file in (f for d in rules_dirs for f in rule_test_files(d)):
        data = load_rule_file(file).data
        if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
            continue
        fires = [c.get("name") for c in data["cases"]
                 if isinstance(c, dict) and c.get("expect") == "fires"]
        if fires and isinstance(data.get("rule"), str):
            examples[data["rule"]] = f"tests/{FilePath(file).name}: {fires[0]}"
    return examples
