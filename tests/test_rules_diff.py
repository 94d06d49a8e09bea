"""`chargecheck rules diff`: the bundled rules against a copy with one maximum moved
(s.4's first maximum, 5 years, made 7) and one severity changed (UC-001 high to
critical) names exactly the cases that change, in every format, and exits 1; the same
rules twice exit 0; the output is the same whatever the number of workers."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chargecheck.case.loading import load_case
from chargecheck.cli.rule_loading import load_rules
from chargecheck.engine.assess import assess
from tests.conftest import EXAMPLES, ROOT, run_cli

S4_MAXIMUM = ("  - id: pha-s4\n", "indictment_years: 5,", "indictment_years: 7,")
UC_001 = ("  - id: UC-001\n", "severity: high", "severity: critical")


def _edit_after(path: Path, anchor: str, old: str, new: str) -> None:
    """Replace the first `old` after `anchor` in `path`."""
    text = path.read_text(encoding="utf-8")
    start = text.index(anchor)
    at = text.index(old, start)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")


@pytest.fixture(scope="module")
def changed_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rules = tmp_path_factory.mktemp("diff") / "rules"
    shutil.copytree(ROOT / "rules", rules)
    _edit_after(rules / "offences.yaml", *S4_MAXIMUM)
    _edit_after(rules / "checks" / "under-charging.yaml", *UC_001)
    return rules


def _expected() -> set[str]:
    """The examples the two edits touch, worked out from the assessments themselves: a
    case judged under s.4's first maximum, or one where UC-001 fires."""
    rules, touched = load_rules(), set()
    for file in sorted(EXAMPLES.glob("*.yaml")):
        result = assess(load_case(str(file)), rules)
        s4 = next(o for o in result.offences if o.offence == "pha-s4")
        if s4.indictment_years == 5 or "UC-001" in {f.rule for f in result.findings}:
            touched.add(str(file))
    return touched


def test_json_names_exactly_the_cases_that_change(changed_rules: Path) -> None:
    expected = _expected()
    assert 0 < len(expected) < len(list(EXAMPLES.glob("*.yaml")))  # the test discriminates
    result = run_cli("rules", "diff", str(ROOT / "rules"), str(changed_rules), str(EXAMPLES),
                     "--format", "json")
    assert result.code == 1, result.err
    body = json.loads(result.out)
    assert {c["file"] for c in body["cases"]} == expected
    for case in body["cases"]:
        moved = [o for o in case["offence_changes"] if o["offence"] == "pha-s4"]
        severity = case["severity_changes"]
        assert moved or severity
        assert all(o["what"] == "maximum" and "5 years" in o["before"]
                   and "7 years" in o["after"] for o in moved)
        assert severity in ([], [{"rule": "UC-001", "before": "high", "after": "critical"}])
        assert not case["findings_gained"] and not case["findings_lost"]
    assert body["totals"]["cases_changed"] == len(expected)


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_text_and_markdown_name_the_same_cases(changed_rules: Path, fmt: str) -> None:
    result = run_cli("rules", "diff", str(ROOT / "rules"), str(changed_rules), str(EXAMPLES),
                     "--format", fmt)
    assert result.code == 1
    named = {str(f) for f in EXAMPLES.glob("*.yaml") if str(f) in result.out}
    assert named == _expected()
    assert "severity of UC-001: high -> critical" in result.out
    assert f"{len(_expected())} of " in result.out


def test_the_same_rules_twice_change_nothing() -> None:
    result = run_cli("rules", "diff", str(ROOT / "rules"), str(ROOT / "rules"), str(EXAMPLES))
    assert result.code == 0
    assert result.out.rstrip().splitlines()[-1].startswith("0 of ")


def test_bad_input_exits_2(tmp_path: Path) -> None:
    missing = run_cli("rules", "diff", str(ROOT / "rules"), "no-such-rules/", str(EXAMPLES))
    assert missing.code == 2 and "no-such-rules/: no such file or directory" in missing.err
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: 1\nreference: [\n", encoding="utf-8")
    unreadable = run_cli("rules", "diff", str(ROOT / "rules"), str(ROOT / "rules"), str(broken))
    assert unreadable.code == 2 and "could not be read" in unreadable.out


def test_a_pattern_matching_nothing_is_said_as_audit_says_it(tmp_path: Path) -> None:
    pattern = str(tmp_path / "nothing-*.yaml")
    rules = str(ROOT / "rules")
    diff = run_cli("rules", "diff", rules, rules, pattern, str(EXAMPLES / "01-seven-websites.yaml"))
    audit = run_cli("audit", pattern, str(EXAMPLES / "01-seven-websites.yaml"), "-q")
    said = f"error: {pattern}: no files match this pattern"
    assert diff.code == audit.code == 2
    assert said in diff.out and said in audit.err
    assert "no such file" not in diff.out + diff.err


@pytest.fixture(scope="module")
def many_cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """100 synthetic cases (several chunks of work per worker) and an unreadable one."""
    out = tmp_path_factory.mktemp("many")
    subprocess.run([sys.executable, str(ROOT / "benchmarks/generate.py"), str(out),
                    "--count", "100", "--seed", "7"], check=True)
    (out / "case-00050-broken.yaml").write_text("format: 1\nreference: [\n", encoding="utf-8")
    return out


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_one_job_and_two_jobs_give_identical_output(changed_rules: Path, many_cases: Path,
                                                    fmt: str) -> None:
    args = ("rules", "diff", str(ROOT / "rules"), str(changed_rules), str(many_cases),
            "--format", fmt)
    one, two = run_cli(*args, "--jobs", "1"), run_cli(*args, "--jobs", "2", isolated=True)
    assert one == two
    assert one.code == 2, "the unreadable case is reported"
    if fmt == "json":
        totals = json.loads(one.out)["totals"]
        assert totals["cases"] == 100 and totals["unreadable"] == 1
        assert 0 < totals["cases_changed"] < 100  # the order of a real mix is checked
