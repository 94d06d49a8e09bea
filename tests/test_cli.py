"""What a user sees from the command line: reports, exit codes and help."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
WELL_HANDLED = str(ROOT / "rules/tests/bases/stalking-well-handled.yaml")
NEIGHBOUR = str(ROOT / "rules/tests/bases/neighbour-harassment.yaml")


def test_text_report_shows_every_section_and_the_advisory_notice() -> None:
    result = run_cli("assess", WELL_HANDLED)
    assert result.code == 0  # well handled: review advice only, below the default bar
    for heading in ("chargecheck assessment: BASE-STALKING", "Course of conduct: established",
                    "FOUR INDICATORS", "OFFENCE LADDER", "THE BOTTOM LINE",
                    "Recommended:\n  Stalking involving fear of violence or serious alarm or "
                    "distress, PHA 1997 s.4A: 5 years on indictment",
                    "MEDIUM (1)", "ES-004", "Law: ", "ADVISORY ONLY: NOT LEGAL ADVICE"):
        assert heading in result.out
    assert "\x1b[" not in result.out  # NO_COLOR and a pipe: plain text


def test_json_output_carries_the_advisory_and_ruleset() -> None:
    result = run_cli("assess", WELL_HANDLED, "--format", "json")
    body = json.loads(result.out)
    assert body["advisory"].startswith("advisory only: not legal advice")
    assert body["ruleset"]["version"] and body["ruleset"]["digest"].startswith("sha256:")
    assert body["ruleset"]["packs"] == ["bundled"]
    assert body["recommended_charges"] == ["pha-s4a"]


@pytest.mark.parametrize(("fail_on", "code"), [("critical", 0), ("high", 0), ("medium", 1),
                                                ("info", 1)])
def test_fail_on_sets_the_exit_code(fail_on: str, code: int) -> None:
    # A well-handled case: review advice (medium) and a drafting reminder (info), nothing
    # that says the charge or the safeguarding is wrong.
    assert run_cli("assess", WELL_HANDLED, "--fail-on", fail_on).code == code


def test_a_critical_finding_fails_even_the_critical_bar() -> None:
    knife = str(ROOT / "examples/03-knife-threat-pin.yaml")
    assert run_cli("assess", knife, "--fail-on", "critical").code == 1


def test_a_case_with_only_medium_findings_exits_zero_by_default() -> None:
    result = run_cli("assess", NEIGHBOUR, "--format", "json")
    severities = {f["severity"] for f in json.loads(result.out)["findings"]}
    assert severities <= {"info", "low", "medium"}
    assert result.code == 0
    assert run_cli("assess", NEIGHBOUR, "--fail-on", "medium").code == 1


def test_an_unknown_format_is_a_usage_error() -> None:
    result = run_cli("assess", WELL_HANDLED, "--format", "pdf")
    assert result.code == 2
    assert "Traceback" not in result.err


def test_version_and_help() -> None:
    assert run_cli("--version").out.startswith("chargecheck ")
    help_text = run_cli("--help").out
    for command in ("assess", "validate", "test", "explain", "rules", "schema"):
        assert command in help_text


@pytest.mark.parametrize("command", ["assess", "audit", "explain", "timeline", "rules list"])
def test_help_says_what_each_value_option_takes(command: str) -> None:
    help_text = run_cli(*command.split(), "--help").out
    assert re.search(r"--rules\s+PATH\s", help_text)
    assert "list[str]>" not in help_text.split("Options")[1]  # a Python type means nothing here
    if command == "assess":
        assert re.search(r"--output\s+-o\s+FILE\s", help_text)
        assert re.search(r"--set\s+FACT=VALUE\s", help_text)


def test_explain_prints_the_rule_in_plain_english() -> None:
    result = run_cli("explain", "uc-002")
    assert result.code == 0
    assert result.out.startswith("UC-002: s.4A stalking evidenced but a lesser offence charged")
    assert "When it fires:" in result.out and "offence pha-s4a is supported" in result.out
    assert "PHA 1997 s.4A(1)" in result.out


def test_explain_suggests_the_nearest_rule_id() -> None:
    result = run_cli("explain", "UC-0001")
    assert result.code == 2
    assert "no rule has id 'UC-0001'; did you mean UC-001?" in result.err


def test_rules_list_shows_every_rule() -> None:
    result = run_cli("rules", "list")
    assert result.code == 0
    for rule in ("UC-001", "PR-003", "CV-001", "EG-001", "SG-001", "ES-001"):
        assert rule in result.out


def test_rules_list_never_cuts_ids_categories_or_severities_short() -> None:
    narrow = run_cli("rules", "list", env={"COLUMNS": "80"}).out
    for word in ("under-charging", "plea-risk", "charge-validity", "evidence-gap",
                 "safeguarding", "escalation", "critical", "medium"):
        assert f" {word} " in narrow
    assert "…" not in narrow
    very_narrow = run_cli("rules", "list", env={"COLUMNS": "40"}).out
    for word in ("Offence", "Protection", "Magistrates"):  # no column dropped
        assert word in very_narrow


def test_junit_output_is_well_formed_xml() -> None:
    result = run_cli("test", "--format", "junit")
    root = ElementTree.fromstring(result.out)
    assert root.tag == "testsuites"
    cases = root.findall("./testsuite/testcase")
    assert len(cases) >= 100
    assert int(root.get("tests", "0")) >= 100


def test_local_pack_changes_are_recorded_in_the_assessment() -> None:
    result = run_cli("assess", WELL_HANDLED, "--format", "json",
                     "--rules", str(ROOT / "docs/example-pack"))
    ruleset = json.loads(result.out)["ruleset"]
    assert ruleset["packs"] == ["bundled", "example-area@2026.1-a1"]
    assert {a["rule"]: a["change"] for a in ruleset["adjustments"]} == {
        "UC-012": "disabled", "SG-011": "severity high"}


def test_a_reader_that_stops_early_is_not_an_internal_error() -> None:
    with subprocess.Popen([sys.executable, "-m", "chargecheck", "schema", "case"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # like `| head -0`: the reader is gone before the output comes
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=60) in (0, 1)
    assert "internal error" not in err and "Traceback" not in err
