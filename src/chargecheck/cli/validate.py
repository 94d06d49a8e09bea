"""`chargecheck validate`: check rule directories and case files, reporting every problem.

A directory holding `ruleset.yaml` is a rule set; a directory holding `pack.yaml` is a
local rule pack; any other directory is searched for case files (`*.yaml`, `*.yml`).
Rule sets are always read fresh (never from the cache).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path as FilePath

from chargecheck.case.loading import load_case
from chargecheck.errors import InputError, Problem

CASE_SUFFIXES = (".yaml", ".yml")


@dataclass
class Report:
    files: int = 0
    problems: list[Problem] = field(default_factory=list)


def validate_paths(paths: list[str]) -> Report:
    report = Report()
    for path in paths:
        target = FilePath(path)
        if not target.exists():
            raise InputError.one(path, None, (), "no such file or directory")
        if (target / "ruleset.yaml").is_file() or (target / "pack.yaml").is_file():
            _rule_dir(path, report)
        elif target.is_dir():
            for file in sorted(p for p in target.rglob("*") if p.suffix in CASE_SUFFIXES):
                _case_file(str(file), report)
        else:
            _case_file(path, report)
    return report


def _case_file(file: str, report: Report) -> None:
    report.files += 1
    try:
        load_case(file)
    except InputError as exc:
        report.problems += exc.problems


def _rule_dir(directory: str, report: Report) -> None:
    """A full rule set, or a local pack checked on top of the bundled set."""
    # Only a rule directory needs the rule checker, packs and the engine (for its tests):
    # validating case files alone loads none of them.
    from chargecheck.cli.rule_loading import load_rules
    from chargecheck.cli.rule_tests import run_file
    from chargecheck.rulebook.directory import is_pack
    from chargecheck.rulebook.packs import pack_rule_ids
    from chargecheck.rulebook.rule_tests import rule_test_files

    report.files += sum(1 for _ in FilePath(directory).rglob("*.yaml"))
    try:
        rules = load_rules([directory], use_cache=False)
    except InputError as exc:
        report.problems += exc.problems
        return
    own = {r.id for r in rules.rules} if not is_pack(directory) else pack_rule_ids(rules)
    fired: set[str] = set()
    for file in rule_test_files(directory):
        try:
            fired |= {o.rule for o in run_file(file, rules, directory)
                      if o.expect == "fires" and o.passed}
        except InputError as exc:
            report.problems += exc.problems
    for rule in rules.rules:
        if rule.id in own and rule.id not in fired:
            report.problems.append(Problem(
                f"{directory}/tests/{rule.id}.yaml", None, (),
                "no passing test case makes this rule fire", rule.id))


# --- output ------------------------------------------------------------------------------

def as_text(report: Report) -> str:
    lines = [str(p) for p in report.problems]
    verdict = "no problems" if not report.problems else f"{len(report.problems)} problem(s)"
    return "\n".join([*lines, f"{report.files} file(s) checked: {verdict}"]) + "\n"


def as_json(report: Report) -> str:
    body = {
        "files_checked": report.files,
        "valid": not report.problems,
        "problems": [{"file": p.file, "line": p.line, "rule": p.rule,
                      "path": ".".join(map(str, p.path)), "message": p.message}
                     for p in report.problems],
    }
    return json.dumps(body, indent=2) + "\n"


def as_github(report: Report) -> str:
    """GitHub Actions workflow commands, one `::error` annotation per problem."""
    out = []
    for p in report.problems:
        props = f"file={_prop(p.file)}" + (f",line={p.line}" if p.line else "")
        title = f"chargecheck {p.rule}" if p.rule else "chargecheck"
        where = ".".join(map(str, p.path))
        message = f"{where}: {p.message}" if where else p.message
        out.append(f"::error {props},title={_prop(title)}::{_data(message)}")
    return "\n".join(out) + ("\n" if out else "")


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


FORMATTERS = {"text": as_text, "json": as_json, "github": as_github}
