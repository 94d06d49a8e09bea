"""A rule set is legal code: copies broken in each typical way are rejected with the
file, the line and the rule, and the real one passes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from chargecheck.engine.messages import FILLERS
from chargecheck.rulebook.placeholders import KEYED_PLACEHOLDERS, PLACEHOLDERS
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {path.name}: {old!r}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in {path}")


def test_the_bundled_rule_set_and_examples_validate() -> None:
    result = run_cli("validate", str(ROOT / "rules"), str(ROOT / "examples"))
    assert result.code == 0, result.out + result.err
    assert "no problems" in result.out


def test_a_duplicated_rule_id_is_rejected_with_file_and_line(rules_copy: Path) -> None:
    checks = rules_copy / "checks" / "plea-risk.yaml"
    edit(checks, "  - id: PR-002\n", "  - id: PR-001\n")
    result = run_cli("validate", str(rules_copy))
    assert result.code == 1
    lines = [n for n, text in enumerate(checks.read_text().splitlines(), start=1)
             if text == "  - id: PR-001"]
    assert (f"plea-risk.yaml:{lines[1]}: PR-001: rules.1.id: duplicate rule id "
            f"(first at {checks}:{lines[0]})") in result.out


def test_a_rule_without_citations_is_rejected(rules_copy: Path) -> None:
    checks = rules_copy / "checks" / "escalation.yaml"
    edit(checks, '    citations: ["S-DASH (2009)", "Monckton Smith et al. 2017"]\n',
         "    citations: []\n")
    result = run_cli("validate", str(rules_copy))
    assert result.code == 1
    line = line_of(checks, "    citations: []")
    assert f"escalation.yaml:{line}: ES-002: rules.1.citations: must list at least one entry" \
        in result.out


def test_a_misspelt_behaviour_is_rejected_with_a_suggestion(rules_copy: Path) -> None:
    offences = rules_copy / "offences.yaml"
    edit(offences, "when: {incidents: {behaviours: [strangulation]}}\n        obtain",
         "when: {incidents: {behaviours: [strangulaton]}}\n        obtain")
    result = run_cli("validate", str(rules_copy))
    assert result.code == 1
    line = line_of(offences, "[strangulaton]")
    assert f"offences.yaml:{line}:" in result.out
    assert "unknown behaviour 'strangulaton'; did you mean 'strangulation'?" in result.out


def test_an_unknown_message_placeholder_is_rejected(rules_copy: Path) -> None:
    checks = rules_copy / "checks" / "safeguarding.yaml"
    edit(checks, "action: Ask the police to refer {victim} to",
         "action: Ask the police to refer {victm} to")
    result = run_cli("validate", str(rules_copy))
    assert result.code == 1
    line = line_of(checks, "{victm}")
    assert re.search(rf"safeguarding\.yaml:{line}: SG-\d+: .*unknown placeholder \{{victm\}}",
                     result.out)


def test_the_engine_fills_every_placeholder_the_rule_book_allows(rules_copy: Path) -> None:
    # The rule book checks messages against the names; the engine fills them. A name in
    # one list alone would pass validation and then fail when a finding is written.
    assert set(FILLERS) == PLACEHOLDERS
    assert KEYED_PLACEHOLDERS <= PLACEHOLDERS
    every = " ".join(f"{{{name}[pha-s2]}}" if name in KEYED_PLACEHOLDERS else f"{{{name}}}"
                     for name in sorted(PLACEHOLDERS))
    edit(rules_copy / "checks" / "safeguarding.yaml", "action: Ask the police to refer {victim}",
         f"action: Ask the police to refer {every} {{victim}}")
    assert run_cli("validate", str(rules_copy)).code == 0  # the rule book accepts them all
    tested = run_cli("test", str(rules_copy))  # the rule's cases render its message
    assert tested.code == 0, tested.out + tested.err
    assert " 0 failed" in tested.out


def test_an_unknown_operator_is_rejected(rules_copy: Path) -> None:
    checks = rules_copy / "checks" / "safeguarding.yaml"
    edit(checks, "when: {fact: history.kinds, contains: pin}",
         "when: {fact: history.kinds, includes: pin}")
    result = run_cli("validate", str(rules_copy))
    assert result.code == 1
    line = line_of(checks, "includes: pin")
    assert f"safeguarding.yaml:{line}: SG-001: rules.0.when.includes:" in result.out
    assert "unknown comparison for a words fact 'includes'" in result.out


def test_an_offence_maximum_with_overlapping_dates_is_rejected(rules_copy: Path) -> None:
    offences = rules_copy / "offences.yaml"
    # s.4's 10-year maximum made to start on the same day as the 5-year one.
    edit(offences, "{from: 2017-04-03, summary_months: general-limit, indictment_years: 10",
         "{from: 1997-06-16, summary_months: general-limit, indictment_years: 10")
    result = run_cli("validate", str(rules_copy))
    assert result.code == 1
    assert re.search(r"offences\.yaml:\d+: pha-s4: offences\.2: .*maxima overlap", result.out)


def test_github_format_prints_workflow_annotations(rules_copy: Path) -> None:
    checks = rules_copy / "checks" / "plea-risk.yaml"
    edit(checks, "  - id: PR-002\n", "  - id: PR-001\n")
    result = run_cli("validate", "--format", "github", str(rules_copy))
    assert result.code == 1
    assert re.search(r"^::error file=.*plea-risk\.yaml,line=\d+,title=chargecheck PR-001::",
                     result.out, re.M)


def test_json_format_lists_problems(rules_copy: Path) -> None:
    edit(rules_copy / "checks" / "plea-risk.yaml", "  - id: PR-002\n", "  - id: PR-001\n")
    body = json.loads(run_cli("validate", "--format", "json", str(rules_copy)).out)
    assert body["valid"] is False
    assert any(p["rule"] == "PR-001" and p["line"] for p in body["problems"])


def test_a_missing_path_is_a_usage_error() -> None:
    result = run_cli("validate", "no/such/dir")
    assert result.code == 2
    assert "no/such/dir: no such file or directory" in result.err
