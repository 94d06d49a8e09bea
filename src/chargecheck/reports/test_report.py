"""The report of a rule-test run (`chargecheck test`): text or JUnit XML, with a coverage
table of rules, offence elements and FOUR indicators. The run itself is the command
line's (cli/rule_tests.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from chargecheck.errors import Problem
from chargecheck.rulebook.ruleset import RuleSet


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

    @property
    def failed(self) -> list[CaseOutcome]:
        return [o for o in self.outcomes if not o.passed]

    def ok(self) -> bool:
        return not self.failed and not self.problems and not self.uncovered()

    def uncovered(self) -> list[str]:
        """Active rules lacking a passing firing case or a passing silent case."""
        have = {(o.rule, o.expect) for o in self.outcomes if o.passed}
        return [f"{rule} has no passing '{need}' case" for rule in sorted(self.owned)
                for need in ("fires", "silent") if (rule, need) not in have]


def as_text(run: TestRun) -> str:
    lines = [f"FAIL {o.test_id}\n  {o.file}:{o.line}: {o.detail}" for o in run.failed]
    lines += [f"ERROR {p}" for p in run.problems]
    lines += [f"MISSING {gap}" for gap in run.uncovered()]
    lines += ["", *coverage_table(run), ""]
    passed = len(run.outcomes) - len(run.failed)
    lines.append(f"{passed} passed, {len(run.failed)} failed")
    return "\n".join(lines) + "\n"


def coverage_table(run: TestRun) -> list[str]:
    """Per rule, offence element and indicator: which outcomes the cases exercised."""
    seen: set[str] = set()
    for outcome in run.outcomes:
        seen |= outcome.coverage
    rows = ["Coverage (outcomes exercised by at least one case):"]
    for rules in run.rules:
        for rule in rules.rules:
            kinds = sorted({o.expect for o in run.outcomes if o.rule == rule.id and o.passed})
            rows.append(f"  rule {rule.id:<8} {', '.join(kinds) or 'NONE'}")
        for offence in rules.offences:
            for element in offence.elements:
                key = f"{offence.id}/{element.id}"
                got = sorted(k.split("=")[1] for k in seen if k.split("=")[0] == key)
                rows.append(f"  element {key:<36} {', '.join(got) or 'NONE'}")
        for indicator in rules.indicators:
            got = sorted(k.split("=")[1] for k in seen if k.split("=")[0] == indicator.id)
            rows.append(f"  indicator {indicator.id:<10} {', '.join(got) or 'NONE'}")
    return rows


def as_junit(run: TestRun) -> str:
    """JUnit XML: one testsuite per rule, one testcase per named case."""
    suites = ET.Element("testsuites", name="chargecheck rule tests",
                        tests=str(len(run.outcomes)), failures=str(len(run.failed)))
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
    if run.problems or run.uncovered():
        suite = ET.SubElement(suites, "testsuite", name="rule-set", tests="1",
                              failures="1", errors="0", skipped="0")
        case = ET.SubElement(suite, "testcase", name="every_rule_has_cases",
                             classname="rules")
        detail = "\n".join([*map(str, run.problems), *run.uncovered()])
        ET.SubElement(case, "failure", message="rule set problems").text = detail
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
