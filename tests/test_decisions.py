"""Recorded decisions and the receipt (contract 1.1), as a user sees them.

A decision travels with the finding it answers in every format; `accepted` and
`not-followed` stop the finding counting for `--fail-on` (assess and audit), `deferred`
does not; a decision that answers no finding is a warning; every JSON assessment carries
a receipt whose case digest is the sha256 of the file's bytes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from chargecheck import __version__
from chargecheck.case.loading import load_case
from chargecheck.engine.assess import assess
from chargecheck.engine.decisions import with_decisions
from chargecheck.rulebook.ruleset import RuleSet
from tests.conftest import EXAMPLES, run_cli

# Example 11: UC-001 is its only high finding; EG-001 and ES-002 are medium.
BASE = EXAMPLES / "11-told-to-stop.yaml"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def decision(rule: str = "UC-001", response: str = "not-followed", extra: str = "",
             reason: str = "Considered s.2A; V asked that stalking not be charged") -> str:
    return (f"  - rule: {rule}\n{extra}    response: {response}\n"
            f"    reason: {json.dumps(reason)}\n    by: Reviewing lawyer\n    on: 2021-05-28\n")


def case_file(tmp_path: Path, *decisions: str, base: Path = BASE) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(base.read_text(encoding="utf-8") + "\ndecisions:\n" + "".join(decisions),
                    encoding="utf-8")
    return path


def shown(path: Path, fmt: str) -> str:
    """A human report with its lines joined: the text report wraps long lines."""
    return " ".join(run_cli("assess", str(path), "--format", fmt).out.split())


def assessed(path: Path, *args: str) -> dict[str, Any]:
    run = run_cli("assess", str(path), "--format", "json", *args)
    assert run.code in (0, 1), run.err
    result: dict[str, Any] = json.loads(run.out)
    return result


def finding(out: dict[str, Any], rule: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [f for f in out["findings"] if f["rule"] == rule]
    assert found, f"{rule} did not fire"
    return found[0]


# --- --fail-on ---------------------------------------------------------------------------

@pytest.mark.parametrize(("response", "high", "medium"), [
    ("accepted", 0, 1), ("not-followed", 0, 1), ("deferred", 1, 1)])
def test_settled_findings_stop_counting_for_fail_on(tmp_path: Path, response: str, high: int,
                                                    medium: int) -> None:
    # UC-001 (high) is answered; the medium findings are not, so --fail-on medium still fails.
    path = case_file(tmp_path, decision(response=response))
    assert run_cli("assess", str(path)).code == high
    assert run_cli("assess", str(path), "--fail-on", "medium").code == medium
    assert "UC-001" in {f["rule"] for f in assessed(path)["findings"]}, "it stays reported"


def test_without_decisions_the_high_finding_fails() -> None:
    assert run_cli("assess", str(BASE)).code == 1


def test_fails_honours_the_decisions_attached_to_the_findings(tmp_path: Path,
                                                              rules: RuleSet) -> None:
    # UC-001 (high) not followed; the medium findings unanswered; nothing critical.
    case = load_case(str(case_file(tmp_path, decision())))
    bare = assess(case, rules)
    decided = with_decisions(bare, case, rules)
    assert bare.fails("high"), "no decision is attached before with_decisions"
    assert not decided.fails("high")
    assert decided.fails("high", settled_too=True), "it would fail had nothing been decided"
    assert decided.fails("medium")
    assert not decided.fails("critical", settled_too=True)
    assert not decided.fails("never") and not decided.fails("never", settled_too=True)


@pytest.mark.parametrize("response", ["accepted", "not-followed", "deferred", None])
def test_assess_and_audit_fail_the_same_case_at_every_threshold(tmp_path: Path,
                                                                response: str | None) -> None:
    path = case_file(tmp_path, decision(response=response)) if response else BASE
    for threshold in ("info", "low", "medium", "high", "critical", "never"):
        assessed_code = run_cli("assess", str(path), "--fail-on", threshold).code
        audited_code = run_cli("audit", str(path), "--fail-on", threshold, "--jobs", "1").code
        assert assessed_code in (0, 1)
        assert assessed_code == audited_code, f"--fail-on {threshold}"


def test_the_latest_decision_for_a_rule_is_the_one_attached(tmp_path: Path) -> None:
    later = decision(response="deferred").replace("2021-05-28", "2021-05-30")
    path = case_file(tmp_path, later, decision(response="not-followed"))
    out = assessed(path)
    assert finding(out, "UC-001")["decision"]["response"] == "deferred"
    assert run_cli("assess", str(path)).code == 1
    assert not out["warnings"], "a superseded decision still answers its finding"


# --- JSON --------------------------------------------------------------------------------

def test_json_decision_is_copied_from_the_case_file(tmp_path: Path) -> None:
    out = assessed(case_file(tmp_path, decision(), decision("EG-001", "deferred",
                                                           extra="    victims: [V1]\n")))
    assert finding(out, "UC-001")["decision"] == {
        "rule": "UC-001", "response": "not-followed",
        "reason": "Considered s.2A; V asked that stalking not be charged",
        "by": "Reviewing lawyer", "on": "2021-05-28"}  # no victims named: none copied
    assert finding(out, "EG-001")["decision"]["victims"] == ["V1"]
    assert "decision" not in finding(out, "ES-002"), "an unanswered finding has no decision"


def test_receipt_names_tool_rules_case_bytes_and_date(tmp_path: Path) -> None:
    path = case_file(tmp_path, decision())
    out = assessed(path)
    assert out["receipt"] == {
        "tool": f"chargecheck {__version__}",
        "ruleset_digest": out["ruleset"]["digest"],
        "case_digest": "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest(),
        "decision_date": "2021-06-01",
    }


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_every_example_receipt_has_its_files_sha256(path: Path) -> None:
    # The golden files hold placeholders for the digests; this checks the real values.
    receipt = assessed(path)["receipt"]
    assert receipt["case_digest"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    assert receipt["tool"] == f"chargecheck {__version__}"


def test_a_byte_order_mark_is_part_of_the_digest(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.read_bytes())
    digest = assessed(path)["receipt"]["case_digest"]
    assert digest == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def test_what_if_receipt_is_on_the_after_assessment_with_the_changes(tmp_path: Path) -> None:
    path = case_file(tmp_path, decision())
    change = "victims.V1.very_frightened=true"
    out = assessed(path, "--set", change)
    receipt = out["after"]["receipt"]
    assert receipt["case_digest"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    assert receipt["changes"] == [change]
    assert finding(out["after"], "UC-001")["decision"]["response"] == "not-followed"


# --- warnings ----------------------------------------------------------------------------

def test_a_decision_for_an_unknown_rule_is_a_warning_with_did_you_mean(tmp_path: Path) -> None:
    run = run_cli("assess", str(case_file(tmp_path, decision("UX-001"))), "--format", "json")
    assert run.code == 1, "the real UC-001 finding is unanswered"
    warnings = json.loads(run.out)["warnings"]
    assert warnings == [{"path": "decisions.0.rule", "message":
                         "the decision names UX-001, which is not a rule of this rule set; "
                         "did you mean UC-001?"}]


def test_a_decision_for_a_rule_that_did_not_fire_is_a_warning(tmp_path: Path) -> None:
    out = assessed(case_file(tmp_path, decision("UC-010")))
    (warning,) = out["warnings"]
    assert warning["path"] == "decisions.0.rule"
    assert "UC-010 did not fire" in warning["message"]
    assert "did you mean UC-001?" in warning["message"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_every_human_format_shows_the_warning(tmp_path: Path, fmt: str) -> None:
    out = shown(case_file(tmp_path, decision("UX-001")), fmt)
    assert "decisions.0.rule" in out
    assert "did you mean UC-001?" in out


# --- victims -----------------------------------------------------------------------------

TWO_VICTIMS = """\
  - id: V2
    label: W
    supports_prosecution: true
"""
ONE_ACT_FOR_W = """\
  - id: I4
    date: 2021-04-20
    victims: [V2]
    behaviours: [contacting]
    channel: text
    summary: One text to W
"""


def two_victim_case(tmp_path: Path, *decisions: str) -> Path:
    """Example 11 with a second victim, W, met by one act: UC-001 is for V only."""
    text = BASE.read_text(encoding="utf-8")
    text = text.replace("\nincidents:\n", "\n" + TWO_VICTIMS + "\nincidents:\n")
    text = text.replace("\ncharges:\n", "\n" + ONE_ACT_FOR_W + "\ncharges:\n")
    text = text.replace("  - id: I1\n", "  - id: I1\n    victims: [V1]\n")
    text = text.replace("  - id: I2\n", "  - id: I2\n    victims: [V1]\n")
    text = text.replace("  - id: I3\n", "  - id: I3\n    victims: [V1]\n")
    text = text.replace("  - offence: pha-s2\n", "  - offence: pha-s2\n    victims: [V1]\n")
    path = tmp_path / "two.yaml"
    path.write_text(text + "\ndecisions:\n" + "".join(decisions), encoding="utf-8")
    return path


def test_a_decision_for_another_victim_does_not_answer(tmp_path: Path) -> None:
    path = two_victim_case(tmp_path, decision(extra="    victims: [V2]\n"))
    out = assessed(path)
    uc001 = finding(out, "UC-001")
    assert uc001["victims"] == ["V"]
    assert "decision" not in uc001
    assert run_cli("assess", str(path)).code == 1
    assert [w["path"] for w in out["warnings"]] == ["decisions.0.victims"]


def test_a_decision_naming_the_findings_victim_answers(tmp_path: Path) -> None:
    path = two_victim_case(tmp_path, decision(extra="    victims: [V1]\n"))
    assert finding(assessed(path), "UC-001")["decision"]["victims"] == ["V1"]
    assert run_cli("assess", str(path)).code == 0


# --- human formats -----------------------------------------------------------------------

LINE = "Decision (not followed, 2021-05-28, Reviewing lawyer)"


def between(text: str, start: str, end: str) -> str:
    """The part of `text` from `start` to the next `end` after it."""
    head = text.index(start)
    return text[head:text.index(end, head + len(start))]


@pytest.mark.parametrize(("fmt", "after"), [
    ("text", "EG-001 Unknown"), ("markdown", "#### EG-001"), ("html", "<h4>EG-001")])
def test_the_decision_line_is_beside_its_finding(tmp_path: Path, fmt: str, after: str) -> None:
    out = shown(case_file(tmp_path, decision()), fmt)
    start = {"text": "UC-001 Stalking", "markdown": "#### UC-001", "html": "<h4>UC-001"}[fmt]
    uc001 = between(out, start, after)  # UC-001 comes first (high), then EG-001 (medium)
    assert LINE in uc001
    assert "V asked that stalking not be charged" in uc001
    assert out.count("Decision (") == 1, "only the answered finding shows a decision"


@pytest.mark.parametrize(("fmt", "shown", "never"), [
    ("text", "\\x1b[31m", "\x1b[31m"),
    ("markdown", "\\*not\\* \\<b\\>", "*not* <b>"),
    ("html", "&lt;b&gt;", "<b>"),
])
def test_case_text_in_a_decision_is_escaped(tmp_path: Path, fmt: str, shown: str,
                                            never: str) -> None:
    reason = "\x1b[31m*not* <b>stalking</b>"
    out = run_cli("assess", str(case_file(tmp_path, decision(reason=reason))),
                  "--format", fmt).out
    line = between(out, "Decision (", "stalking")
    assert shown in line
    assert never not in line


# --- audit -------------------------------------------------------------------------------

def test_audit_shows_an_answered_worst_finding_and_does_not_fail_on_it(tmp_path: Path) -> None:
    case_file(tmp_path, decision())
    run = run_cli("audit", str(tmp_path), "--cases", "--format", "json", "--jobs", "1")
    assert run.code == 0, run.err
    body = json.loads(run.out)
    assert body["cases_failing"] == 0
    assert body["cases_answered"] == 1
    assert body["rules"]["UC-001"]["cases"] == 1, "an answered finding is still counted"
    assert body["cases"][0]["worst"] == {"rule": "UC-001", "severity": "high",
                                         "decision": "not-followed"}
    text = run_cli("audit", str(tmp_path), "--cases", "--jobs", "1").out
    assert "UC-001 (high; not followed)" in text


def test_audit_still_fails_on_a_deferred_finding(tmp_path: Path) -> None:
    case_file(tmp_path, decision(response="deferred"))
    run = run_cli("audit", str(tmp_path), "--format", "json", "--jobs", "1")
    assert run.code == 1
    assert json.loads(run.out)["cases_failing"] == 1
