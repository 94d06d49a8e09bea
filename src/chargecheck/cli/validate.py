"""`chargecheck validate`: check rule directories and case files, reporting every problem.

A directory holding `ruleset.yaml` is a rule set; a directory holding `pack.yaml` is a
local rule pack; any other directory is searched for case files (`*.yaml`, `*.yml`).
Rule sets are always read fresh (never from the cache).

Each problem is filed under the check that found it (`rule-file`, `rule-test`,
`rule-coverage`, `case-file`, and for a rule directory that loads, the static checks of
rulebook/static_checks.py): SARIF names those as its rules. Most are errors; a static
check may report a warning instead, for a reviewer to confirm: warnings are shown in every
format but never fail the run (exit 0) and never make a file's JUnit test case fail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, NamedTuple
from xml.etree import ElementTree as ET

from chargecheck.case.loading import load_case
from chargecheck.cli.runner import must_exist
from chargecheck.errors import InputError, Problem, dotted
from chargecheck.reports.sarif import Located, github_annotations, sarif_log
from chargecheck.spelling import plural

if TYPE_CHECKING:  # validating case files alone never loads the rule book
    from chargecheck.rulebook.ruleset import RuleSet

CASE_SUFFIXES = (".yaml", ".yml")

CHECKS = {
    "rule-file": "A rule file departs from its schema, refers to something that does not "
                 "exist, or has a condition or message that cannot work.",
    "rule-test": "A rule test file or one of its cases cannot be read.",
    "rule-coverage": "A rule has no passing test case that makes it fire.",
    "case-file": "A case file cannot be read or contradicts itself.",
}
class Found(NamedTuple):
    """One problem, the check that found it, and how grave it is."""

    check: str
    problem: Problem
    severity: str = "error"  # or "warning"

    @property
    def rule(self) -> str:
        """The rule (or offence, marker, indicator) the problem is in; for a problem
        outside any rule, the check that found it."""
        return self.problem.rule or self.check


@dataclass
class Report:
    files: list[str] = field(default_factory=list)
    found: list[Found] = field(default_factory=list)
    # The checks that ran: what each finds, and each one's severity (default "error").
    checks: dict[str, str] = field(default_factory=lambda: dict(CHECKS))
    levels: dict[str, str] = field(default_factory=dict)

    @property
    def problems(self) -> list[Problem]:
        """The errors: what fails the run."""
        return [f.problem for f in self.found if f.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [f.problem for f in self.found if f.severity == "warning"]

    def add(self, check: str, problems: list[Problem]) -> None:
        self.found += [Found(check, p, self.levels.get(check, "error")) for p in problems]


def validate_paths(paths: list[str]) -> Report:
    report = Report()
    for path in paths:
        must_exist(path)
        target = FilePath(path)
        if (target / "ruleset.yaml").is_file() or (target / "pack.yaml").is_file():
            _rule_dir(path, report)
        elif target.is_dir():
            for file in sorted(p for p in target.rglob("*") if p.suffix in CASE_SUFFIXES):
                _case_file(str(file), report)
        else:
            _case_file(path, report)
    report.found.sort(key=lambda f: (f.problem.file, f.problem.line or 0))
    return report


def _case_file(file: str, report: Report) -> None:
    report.files.append(file)
    try:
        load_case(file)
    except InputError as exc:
        report.add("case-file", exc.problems)


def _rule_dir(directory: str, report: Report) -> None:
    """A full rule set, or a local pack checked on top of the bundled set."""
    # Only a rule directory needs the rule checker, packs and the engine (for its tests):
    # validating case files alone loads none of them.
    from chargecheck.cli.rule_loading import load_rules
    from chargecheck.cli.rule_tests import run_file
    from chargecheck.rulebook.directory import is_pack
    from chargecheck.rulebook.packs import pack_rule_ids
    from chargecheck.rulebook.rule_tests import rule_test_files

    report.files += sorted(str(p) for p in FilePath(directory).rglob("*.yaml"))
    try:
        rules = load_rules([directory], use_cache=False)
    except InputError as exc:
        report.add("rule-file", exc.problems)
        return
    _static_checks(directory, rules, report)
    own = {r.id for r in rules.rules} if not is_pack(directory) else pack_rule_ids(rules)
    fired: set[str] = set()
    for file in rule_test_files(directory):
        try:
            fired |= {o.rule for o in run_file(file, rules, directory)
                      if o.expect == "fires" and o.passed}
        except InputError as exc:
            # A case's own mistake names no rule: the test file is the rule's.
            stem = FilePath(file).stem
            report.add("rule-test", [p._replace(rule=p.rule or stem) for p in exc.problems])
    for rule in rules.rules:
        if rule.id in own and rule.id not in fired:
            test_file = FilePath(directory) / "tests" / f"{rule.id}.yaml"
            report.add("rule-coverage", [Problem(
                str(test_file), 1 if test_file.is_file() else None, (),
                "no passing test case makes this rule fire", rule.id)])


def _static_checks(directory: str, rules: RuleSet, report: Report) -> None:
    """What a rule set or pack that loads may still get wrong (rulebook/static_checks.py)."""
    from chargecheck.rulebook.static_checks import CHECKS as STATIC
    from chargecheck.rulebook.static_checks import static_findings

    for check, (level, text) in STATIC.items():
        report.checks[check], report.levels[check] = text, level
    for finding in static_findings(rules, directory):
        report.add(finding.check, [finding.problem])


# --- output ------------------------------------------------------------------------------

def as_text(report: Report) -> str:
    lines = [str(_said_as(f)) for f in report.found]
    verdict = "no problems" if not report.problems else plural(len(report.problems), "problem")
    if report.warnings:
        verdict += ", " + plural(len(report.warnings), "warning")
    return "\n".join([*lines, f"{plural(len(report.files), 'file')} checked: {verdict}"]) + "\n"


def _said_as(found: Found) -> Problem:
    """A problem as the text and JUnit formats say it: a warning says it is one."""
    if found.severity == "error":
        return found.problem
    return found.problem._replace(message=f"{found.severity}: {found.problem.message}")


def as_json(report: Report) -> str:
    body = {
        "files_checked": len(report.files),
        "valid": not report.problems,
        "problems": [{"file": f.problem.file, "line": f.problem.line, "rule": f.rule,
                      "check": f.check, "severity": f.severity, "path": dotted(f.problem.path),
                      "message": f.problem.message}
                     for f in report.found],
    }
    return json.dumps(body, indent=2) + "\n"


def _located(report: Report) -> list[Located]:
    return [Located(f.check, f.problem.file, f.problem.line, _said(f.problem), f.problem.rule,
                    f.severity) for f in report.found]


def as_github(report: Report) -> str:
    """GitHub Actions workflow commands, one `::error` or `::warning` annotation per
    problem."""
    return github_annotations(_located(report))


def _said(p: Problem) -> str:
    where = dotted(p.path)
    return f"{where}: {p.message}" if where else p.message


def as_sarif(report: Report) -> str:
    """SARIF 2.1.0, for GitHub code scanning and other static-analysis viewers."""
    return sarif_log(report.checks, _located(report), report.levels)


def as_junit(report: Report) -> str:
    """JUnit XML: one test case per file checked, failed by the errors found in it; its
    warnings are the test case's output."""
    by_file: dict[str, list[Problem]] = {file: [] for file in report.files}
    warned: dict[str, list[Problem]] = {}
    for f in report.found:
        shelf = by_file if f.severity == "error" else warned
        shelf.setdefault(f.problem.file, []).append(_said_as(f))
        by_file.setdefault(f.problem.file, [])
    failures = sum(bool(found) for found in by_file.values())
    suites = ET.Element("testsuites", name="chargecheck validate", tests=str(len(by_file)),
                        failures=str(failures), errors="0")
    suite = ET.SubElement(suites, "testsuite", name="validate", tests=str(len(by_file)),
                          failures=str(failures), errors="0", skipped="0")
    for file, found in by_file.items():
        case = ET.SubElement(suite, "testcase", name=file, classname="validate", file=file)
        if found:
            ET.SubElement(case, "failure", message=plural(len(found), "problem")).text = (
                "\n".join(str(p) for p in found))
        if file in warned:
            ET.SubElement(case, "system-out").text = "\n".join(str(p) for p in warned[file])
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


FORMATTERS = {"text": as_text, "json": as_json, "github": as_github, "sarif": as_sarif,
              "junit": as_junit}


def printed(report: Report, format_name: str, quiet: bool) -> str:
    """What `chargecheck validate` prints: the report in its format. `--quiet` quiets
    the text for people: only the problem lines (not the count of files checked), so
    nothing when there is none. A machine format is printed whole either way: part of a
    document would not parse, and a CI step that always uploads the report needs one
    when all is well too (GitHub annotations are only the problems anyway)."""
    if quiet and format_name == "text":
        return "".join(f"{p}\n" for p in report.problems)
    return FORMATTERS[format_name](report)
