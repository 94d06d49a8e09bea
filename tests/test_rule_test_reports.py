"""`chargecheck test` reports: results first, then coverage of the rules under test, then
one summary line; JUnit totals that add up; GitHub annotations and SARIF; --fail-under.

tests/fixtures/failing-pack is the example pack with two cases that wrongly expect its
rule to fire, so it has one passing case, two failures and no passing silent case.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema

from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
PACK = str(ROOT / "tests" / "fixtures" / "failing-pack")
EXAMPLE = str(ROOT / "docs" / "example-pack")
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"


def test_results_come_first_and_one_summary_line_last() -> None:
    result = run_cli("test", PACK)
    assert result.code == 1
    lines = result.out.rstrip("\n").splitlines()
    assert lines[0] == "FAIL AX-001_wrongly_expected_to_fire"
    assert "expected the rule to fire, but it stayed silent" in lines[1]
    assert lines[-1] == "1 passed, 2 failed, 1 missing case; coverage 50.0%"
    assert sum("passed" in line for line in lines) == 1


def test_a_packs_coverage_lists_only_its_own_rules() -> None:
    out = run_cli("test", EXAMPLE).out
    assert "rule AX-001" in out
    assert "UC-001" not in out and "element " not in out and "NONE" not in out
    everything = run_cli("test", "--coverage", "all", EXAMPLE).out
    assert "rule UC-001" in everything and "element " in everything


def test_junit_totals_count_the_cases_written() -> None:
    root = ET.fromstring(run_cli("test", "--format", "junit", PACK).out)
    cases = root.findall(".//testcase")
    failures = [c for c in cases if c.find("failure") is not None]
    errors = [c for c in cases if c.find("error") is not None]
    assert root.get("tests") == str(len(cases)) == "4"  # three cases and one missing case
    assert root.get("failures") == str(len(failures)) == "3"
    assert root.get("errors") == str(len(errors)) == "0"
    for suite in root.findall("testsuite"):
        assert suite.get("tests") == str(len(suite.findall("testcase")))


def test_github_annotations_point_at_each_failing_case() -> None:
    result = run_cli("test", "--format", "github", PACK)
    assert result.code == 1
    annotations = result.out.splitlines()
    assert len(annotations) == 3
    assert annotations[0].startswith(
        f"::error file={PACK}/tests/AX-001.yaml,line=14,title=chargecheck AX-001::")


def test_sarif_is_valid_and_lists_each_failure() -> None:
    log = json.loads(run_cli("test", "--format", "sarif", PACK).out)
    jsonschema.Draft7Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(log)
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["rule-test-failed", "rule-test-failed",
                                              "rule-test-missing"]
    assert results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 14


def test_fail_under_fails_a_run_whose_coverage_is_too_low() -> None:
    assert run_cli("test", "--fail-under", "100", EXAMPLE).code == 0
    low = run_cli("test", "--fail-under", "100")  # the bundled set: not every outcome
    assert low.code == 1
    assert low.out.rstrip().endswith("(below the 100% required)")
    assert run_cli("test", "--fail-under", "101").code == 2
