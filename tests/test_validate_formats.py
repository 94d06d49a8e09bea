"""`validate` finds every mistake in one run, and says so in every format.

tests/fixtures/broken-pack holds a local pack with independent mistakes: a misspelt
severity and a misspelt behaviour in the same rule, a misspelt key, a placeholder no
finding can fill, and a rule to disable that does not exist. One run must report each,
at its line, with its rule, in our own words.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "tests" / "fixtures" / "broken-pack"
AREA = PACK / "checks" / "area.yaml"
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"

# (file, the line's text, rule, what the message says)
EXPECTED = [
    (AREA, "severity: hgh", "BX-001", "'hgh' is not one of: info, low, medium, high, critical; "
                                      "did you mean 'high'?"),
    (AREA, "[strangulaton]", "BX-001", "unknown behaviour 'strangulaton'; did you mean "
                                       "'strangulation'?"),
    (AREA, "titel:", "BX-002", "unknown key `titel`; did you mean `title`?"),
    (AREA, "Found for {victm}", "BX-003", "unknown placeholder {victm}; did you mean {victim}?"),
    (PACK / "pack.yaml", "rule: UC-01", "UC-01", "no rule has id 'UC-01'"),
]


def line_of(path: Path, fragment: str) -> int:
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fragment in text:
            return number
    raise AssertionError(f"{fragment!r} not in {path}")


@pytest.fixture()
def pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The broken pack, copied and named relative to the working directory (as CI would)."""
    shutil.copytree(PACK, tmp_path / "broken-pack")
    monkeypatch.chdir(tmp_path)
    return "broken-pack"


def test_text_reports_every_mistake_with_line_and_rule(pack: str) -> None:
    result = run_cli("validate", pack)
    assert result.code == 1
    for file, fragment, rule, message in EXPECTED:
        name = file.relative_to(PACK).as_posix()
        line = line_of(file, fragment)
        assert re.search(rf"^{pack}/{re.escape(name)}:{line}: {re.escape(rule)}: [\w.]+: "
                         rf"{re.escape(message)}", result.out, re.M), (fragment, result.out)
    assert "Input should be" not in result.out  # never the schema library's own words


def test_json_gives_every_problem_a_line_and_a_rule(pack: str) -> None:
    result = run_cli("validate", "--format", "json", pack)
    body = json.loads(result.out)
    assert body["valid"] is False and result.code == 1
    assert all(isinstance(p["rule"], str) and p["rule"] for p in body["problems"])
    assert all(p["line"] for p in body["problems"])
    got = {(p["rule"], p["line"]) for p in body["problems"]}
    for file, fragment, rule, _ in EXPECTED:
        assert (rule, line_of(file, fragment)) in got


def test_github_annotations_carry_file_and_line(pack: str) -> None:
    out = run_cli("validate", "--format", "github", pack).out
    for file, fragment, rule, _ in EXPECTED:
        name = f"{pack}/{file.relative_to(PACK).as_posix()}"
        line = line_of(file, fragment)
        assert f"::error file={name},line={line},title=chargecheck {rule}::" in out


def test_sarif_is_valid_sarif_2_1_0(pack: str) -> None:
    log = json.loads(run_cli("validate", "--format", "sarif", pack).out)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(log)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")
    run = log["runs"][0]
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert run["tool"]["driver"]["name"] == "chargecheck"
    places = set()
    for result in run["results"]:
        assert result["ruleId"] in rule_ids and result["level"] == "error"
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        places.add((location["artifactLocation"]["uri"], location["region"]["startLine"]))
    for file, fragment, _, _ in EXPECTED:
        assert (f"{pack}/{file.relative_to(PACK).as_posix()}", line_of(file, fragment)) in places


def test_sarif_of_a_clean_run_has_no_results() -> None:
    log = json.loads(run_cli("validate", "--format", "sarif", str(ROOT / "examples")).out)
    jsonschema.Draft7Validator(json.loads(SARIF_SCHEMA.read_text())).validate(log)
    assert log["runs"][0]["results"] == []


def test_junit_counts_files_and_the_files_that_fail(pack: str) -> None:
    result = run_cli("validate", "--format", "junit", pack)
    assert result.code == 1
    root = ET.fromstring(result.out)
    cases = root.findall(".//testcase")
    failed = [c for c in cases if c.find("failure") is not None]
    assert root.get("tests") == str(len(cases)) == "2"
    assert root.get("failures") == str(len(failed)) == "2"
    assert "did you mean 'high'?" in "".join(c.findtext("failure") or "" for c in failed)


def test_a_case_file_problem_is_filed_under_its_check(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text("format: 1\nreference: X\ndecision_date: 2020-02-30\n", encoding="utf-8")
    body = json.loads(run_cli("validate", "--format", "json", str(case)).out)
    assert body["problems"] and all(p["check"] == "case-file" for p in body["problems"])
    assert all(p["rule"] == "case-file" for p in body["problems"])


def test_a_rule_set_with_a_schema_mistake_still_has_its_conditions_checked(
        tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    checks = rules / "checks" / "safeguarding.yaml"
    text = checks.read_text(encoding="utf-8")
    text = text.replace("severity: ", "severity: hihg #", 1)
    text = text.replace("when: {fact: history.kinds, contains: pin}",
                        "when: {fact: history.kinds, includes: pin}", 1)
    checks.write_text(text, encoding="utf-8")
    out = run_cli("validate", str(rules)).out
    assert "'hihg' is not one of" in out
    assert "unknown comparison for a words fact 'includes'" in out


def test_a_pack_rule_with_a_bad_condition_has_its_line_and_rule(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "docs" / "example-pack", pack)
    area = pack / "checks" / "area.yaml"
    area.write_text(area.read_text(encoding="utf-8").replace(
        "{test: stalking}", "{test: stalkng}"), encoding="utf-8")
    body = json.loads(run_cli("validate", "--format", "json", str(pack)).out)
    [problem] = body["problems"]
    assert problem["rule"] == "AX-001"
    assert problem["line"] == line_of(area, "{test: stalkng}")
    assert "did you mean 'stalking'?" in problem["message"]
