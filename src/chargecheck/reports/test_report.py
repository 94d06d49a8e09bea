"""The report of a rule-test run (`chargecheck test`): text, JUnit XML, GitHub annotations
or SARIF, with a coverage table of the rules under test (and, for a full rule set, its
offence elements and FOUR indicators). The run itself is the command line's
(cli/rule_tests.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from chargecheck.errors import Problem, dotted
from chargecheck.reports.sarif import Located, github_annotations, sarif_log
from chargecheck.rulebook.ruleset import RuleSet
from chargecheck.scales import IndicatorStatus
from chargecheck.spelling import plural


@dataclass(frozen=True)
class CaseOutcome:
    """How one rule test case came out."""

    rule: str
    name: str
    expect: str
    file: str
    line: int | None
    passed: bool
    detail: str
    coverage: frozenset[str] = frozenset()

    @property
    def test_id(self) -> str:
        return f"{self.rule}_{self.name}"


@dataclass
class TestRun:
    rules: list[RuleSet] = field(default_factory=list)
    outcomes: list[CaseOutcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    owned: set[str] = field(default_factory=set)  # rules whose tests live in these dirs
    full: list[RuleSet] = field(default_factory=list)  # full rule sets under test (not packs)
    everything: bool = False  # `--coverage all`: every rule, element and indicator loaded
    fail_under: float | None = None  # `--fail-under`: the least coverage that passes
    directories: list[str] = field(default_factory=list)  # the rule directories tested

    @property
    def failed(self) -> list[CaseOutcome]:
        return [o for o in self.outcomes if not o.passed]

    def ok(self) -> bool:
        return (not self.failed and not self.problems and not self.uncovered()
                and not self.below_threshold())

    def uncovered(self) -> list[str]:
        """Active rules lacking a passing firing case or a passing silent case."""
        have = {(o.rule, o.expect) for o in self.outcomes if o.passed}
        return [f"{rule} has no passing '{need}' case" for rule in sorted(self.owned)
                for need in ("fires", "silent") if (rule, need) not in have]

    def below_threshold(self) -> bool:
        return self.fail_under is not None and coverage_percent(self) < self.fail_under


# What each kind of row can show: a rule fires or stays silent, an offence element is
# met, absent or unknown, an indicator is met, not met or unknown.
RULE_OUTCOMES = ("fires", "silent")
ELEMENT_OUTCOMES = ("absent", "met", "unknown")
INDICATOR_OUTCOMES = tuple(sorted(IndicatorStatus))  # in words' order, as the others


def coverage_rows(run: TestRun) -> list[tuple[str, str, tuple[str, ...], list[str]]]:
    """(kind, name, outcomes possible, outcomes exercised) for each row under test: the
    rules whose tests were run (a pack's own), and the elements and indicators of a full
    rule set under test; with `everything`, all that was loaded."""
    seen: set[str] = set()
    for outcome in run.outcomes:
        seen |= outcome.coverage
    rows: list[tuple[str, str, tuple[str, ...], list[str]]] = []
    listed: set[str] = set()
    for rules in run.rules:
        for rule in rules.rules:
            if (run.everything or rule.id in run.owned) and rule.id not in listed:
                listed.add(rule.id)
                kinds = sorted({o.expect for o in run.outcomes
                                if o.rule == rule.id and o.passed})
                rows.append(("rule", rule.id, RULE_OUTCOMES, kinds))
        if not (run.everything or any(rules is full for full in run.full)):
            continue
        for offence in rules.offences:
            for element in offence.elements:
                key = f"{offence.id}/{element.id}"
                got = sorted(k.split("=")[1] for k in seen if k.split("=")[0] == key)
                rows.append(("element", key, ELEMENT_OUTCOMES, got))
        for indicator in rules.indicators:
            got = sorted(k.split("=")[1] for k in seen if k.split("=")[0] == indicator.id)
            rows.append(("indicator", indicator.id, INDICATOR_OUTCOMES, got))
    return rows


def coverage_percent(run: TestRun) -> float:
    """The share of the outcomes possible under test that some case exercised."""
    rows = coverage_rows(run)
    possible = sum(len(wanted) for _, _, wanted, _ in rows)
    exercised = sum(len(set(wanted) & set(got)) for _, _, wanted, got in rows)
    return 100.0 if not possible else 100.0 * exercised / possible


def as_text(run: TestRun) -> str:
    """The results (each failure, error and gap), the coverage table, then one summary."""
    lines = _results(run)
    if lines:
        lines.append("")
    lines += [*coverage_table(run), "", summary(run)]
    return "\n".join(lines) + "\n"


def _results(run: TestRun) -> list[str]:
    """Each failure, error and gap: what is wrong, one entry each."""
    lines = [f"FAIL {o.test_id}\n  {o.file}:{o.line}: {o.detail}" for o in run.failed]
    lines += [f"ERROR {p}" for p in run.problems]
    return lines + [f"MISSING {gap}" for gap in run.uncovered()]


def printed(run: TestRun, format_name: str, quiet: bool) -> str:
    """What `chargecheck test` prints: the report in its format. `--quiet` quiets the
    text for people: nothing when the run passes; when it fails, only the results and the
    summary line (which also says when coverage is below `--fail-under`). A machine
    format is printed whole either way: part of a document would not parse, and a CI
    step that always uploads the report needs one when all is well too (GitHub
    annotations are only what is wrong anyway)."""
    if quiet and format_name == "text":
        return "" if run.ok() else "\n".join([*_results(run), summary(run)]) + "\n"
    return FORMATTERS[format_name](run)


def summary(run: TestRun) -> str:
    passed = len(run.outcomes) - len(run.failed)
    parts = [f"{passed} passed", f"{len(run.failed)} failed"]
    if run.problems:
        parts.append(plural(len(run.problems), "error"))
    if run.uncovered():
        parts.append(plural(len(run.uncovered()), "missing case"))
    coverage = f"coverage {coverage_percent(run):.1f}%"
    if run.fail_under is not None:
        coverage += f" ({'below' if run.below_threshold() else 'meets'} the "
        coverage += f"{run.fail_under:g}% required)"
    return ", ".join(parts) + f"; {coverage}"


def coverage_table(run: TestRun) -> list[str]:
    """Per rule, offence element and indicator under test: the outcomes exercised."""
    rows = ["Coverage (outcomes exercised by at least one case):"]
    width = {"rule": 8, "element": 36, "indicator": 10}
    for kind, name, _, got in coverage_rows(run):
        rows.append(f"  {kind} {name:<{width[kind]}} {', '.join(got) or 'NONE'}")
    return rows


def as_junit(run: TestRun) -> str:
    """JUnit XML: one testsuite per rule, one testcase per named case; a test file that
    cannot be read is an error, a rule without a firing or silent case a failure. The
    totals count exactly the test cases written."""
    suites = ET.Element("testsuites", name="chargecheck rule tests")
    by_rule: dict[str, list[CaseOutcome]] = {}
    for outcome in run.outcomes:
        by_rule.setdefault(outcome.rule, []).append(outcome)
    for rule, outcomes in by_rule.items():
        failures = sum(not o.passed for o in outcomes)
        suite = ET.SubElement(suites, "testsuite", name=rule, tests=str(len(outcomes)),
                              failures=str(failures), errors="0", skipped="0")
        for o in outcomes:
            case = ET.SubElement(suite, "testcase", name=o.name, classname=f"rules.{rule}",
                                 file=o.file, line=str(o.line or 0))
            if not o.passed:
                ET.SubElement(case, "failure", message=o.detail).text = (
                    f"{o.file}:{o.line}: {o.detail}")
    gaps = run.uncovered()
    short = shortfall(run)
    failing = [*gaps, *([short] if short else [])]
    if run.problems or failing:
        suite = ET.SubElement(suites, "testsuite", name="rule-set",
                              tests=str(len(run.problems) + len(failing)),
                              failures=str(len(failing)), errors=str(len(run.problems)),
                              skipped="0")
        for problem in run.problems:
            case = ET.SubElement(suite, "testcase", name=f"readable {problem.file}",
                                 classname="rules", file=problem.file,
                                 line=str(problem.line or 0))
            ET.SubElement(case, "error", message=problem.message).text = str(problem)
        for gap in gaps:
            case = ET.SubElement(suite, "testcase", name=gap, classname="rules")
            ET.SubElement(case, "failure", message=gap).text = gap
        if short:
            case = ET.SubElement(suite, "testcase", name="coverage", classname="rules")
            ET.SubElement(case, "failure", message=short).text = short
    for total in ("tests", "failures", "errors"):
        suites.set(total, str(sum(int(s.get(total, "0")) for s in suites)))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


CHECKS = {
    "rule-test-failed": "A rule test case came out other than it expects.",
    "rule-test-error": "A rule test file or one of its cases cannot be read.",
    "rule-test-missing": "A rule has no passing firing case or no passing silent case.",
    "rule-test-coverage": "The rule tests exercise fewer outcomes than --fail-under requires.",
}


def shortfall(run: TestRun) -> str | None:
    """Why coverage fails `--fail-under`, if it does."""
    if not run.below_threshold():
        return None
    return (f"coverage {coverage_percent(run):.1f}% is below the {run.fail_under:g}% "
            "required (--fail-under)")


def _located(run: TestRun) -> list[Located]:
    found = [Located("rule-test-failed", o.file, o.line, f"{o.name}: {o.detail}", o.rule)
             for o in run.failed]
    found += [Located("rule-test-error", p.file, p.line, _said(p), p.rule)
              for p in run.problems]
    found += [Located("rule-test-missing", _rule_file(run, gap), None, gap, gap.split()[0])
              for gap in run.uncovered()]
    short = shortfall(run)
    if short is not None:  # the run as a whole: placed at the first directory tested
        found.append(Located("rule-test-coverage", (run.directories or ["."])[0], None, short))
    return found


def _said(problem: Problem) -> str:
    where = dotted(problem.path)
    return f"{where}: {problem.message}" if where else problem.message


def _rule_file(run: TestRun, gap: str) -> str:
    """Where a missing case belongs: the rule's test file, once written."""
    rule = gap.split()[0]
    files = {o.file for o in run.outcomes if o.rule == rule}
    return min(files) if files else f"tests/{rule}.yaml"


def as_github(run: TestRun) -> str:
    """One `::error` annotation per failed case, unreadable test file and missing case."""
    return github_annotations(_located(run))


def as_sarif(run: TestRun) -> str:
    return sarif_log(CHECKS, _located(run))


FORMATTERS = {"text": as_text, "junit": as_junit, "github": as_github, "sarif": as_sarif}
