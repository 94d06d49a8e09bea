"""Running the rule tests (`chargecheck test`, and `validate` on a rule directory).

The rule book reads each test file into cases (rulebook/rule_tests.py); here each case
is assessed and held against what it expects, and the outcomes are gathered into the
run the test report prints (reports/test_report.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chargecheck.cli.rule_loading import load_rules
from chargecheck.cli.runner import must_exist
from chargecheck.engine.assess import assess
from chargecheck.engine.assessment import Assessment
from chargecheck.errors import InputError
from chargecheck.reports.test_report import CaseOutcome, TestRun
from chargecheck.rulebook.directory import default_rules_dir, is_pack
from chargecheck.rulebook.packs import pack_rule_ids
from chargecheck.rulebook.rule_tests import RuleTestCase, read_cases, rule_test_files
from chargecheck.rulebook.ruleset import RuleSet


def run_tests(directories: list[str], everything: bool = False,
              fail_under: float | None = None) -> TestRun:
    """Run the cases of each rule directory; coverage is of the rules under test (a
    pack's own) unless `everything`."""
    tested = directories or [default_rules_dir()]
    run = TestRun(everything=everything, fail_under=fail_under, directories=tested)
    for directory in directories:
        must_exist(directory)  # before any is run: the same refusal as `validate`'s
    for directory in tested:
        rules = load_rules([directory], use_cache=False)
        run.rules.append(rules)
        if is_pack(directory):
            run.owned |= pack_rule_ids(rules)
        else:
            run.owned |= {r.id for r in rules.rules}
            run.full.append(rules)
        for file in rule_test_files(directory):
            try:
                run.outcomes += list(run_file(file, rules, directory))
            except InputError as exc:
                run.problems += exc.problems
    return run


EXPECTED = {"fires": "to fire", "silent": "to stay silent",
            "not-assessed": "to be not assessed (for want of a fact)"}
HAPPENED = {"fires": "fired", "silent": "stayed silent",
            "not-assessed": "was not assessed (a fact it needs is unknown)"}


def run_file(file: str, rules: RuleSet, rules_dir: str) -> Iterator[CaseOutcome]:
    """Run every case in one test file against `rules`."""
    for test in read_cases(file, rules, rules_dir):
        yield outcome(test, rules)


def outcome(test: RuleTestCase, rules: RuleSet) -> CaseOutcome:
    """Assess the case and hold the rule's result against what the case expects."""
    result = assess(test.case, rules)
    fired = {f.rule: f for f in result.findings}
    undecided = {rule for rule, _ in result.not_assessed}
    rule_id, expect = test.rule, test.expect
    actual = "fires" if rule_id in fired else "not-assessed" if rule_id in undecided else "silent"
    passed = actual == expect
    detail = f"expected the rule {EXPECTED[expect]}, but it {HAPPENED[actual]}"
    wanted = test.incidents
    if passed and expect == "fires" and wanted is not None:
        named = list(fired[rule_id].incidents)
        passed = sorted(wanted) == named
        detail = f"expected the finding to name incidents {sorted(wanted)}, it named {named}"
    if passed and test.offences:
        mismatch = _ladder_mismatch(test.offences, result)
        passed, detail = mismatch is None, mismatch or ""
    return CaseOutcome(rule_id, test.name, expect, test.file, test.line, passed,
                       "" if passed else detail, _exercised(result, rules))


def _ladder_mismatch(expected: dict[str, dict[str, Any]], result: Assessment) -> str | None:
    """The first way the offence ladder differs from what the case expects, if any."""
    ladder = {o.offence: o for o in result.offences}
    for ident, fields in expected.items():
        found = ladder.get(ident)
        if found is None:
            return f"expected {ident} on the offence ladder, but the case does not raise it"
        shown = {"status": found.status, "in_force": found.in_force, "in_time": found.in_time,
                 "summary_months": found.summary_months,
                 "indictment_years": found.indictment_years, "victims": dict(found.victims)}
        for key, wanted in fields.items():
            if shown[key] != wanted:
                return f"expected {ident} {key} {wanted!r}, but it is {shown[key]!r}"
    return None


def _exercised(result: Assessment, rules: RuleSet) -> frozenset[str]:
    """What this case exercised: `offence/element=outcome` and `indicator=status` keys."""
    keys = {f"{name}={value.status}" for name, value in result.indicators.items()}
    elements = {o.id: o.elements for o in rules.offences}
    for offence in result.offences:
        for element in elements[offence.offence]:
            outcome = ("unknown" if element.text in offence.missing else
                       "absent" if element.text in offence.absent else "met")
            keys.add(f"{offence.offence}/{element.id}={outcome}")
    return frozenset(keys)
