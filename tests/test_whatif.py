"""`assess CASE --set PATH=VALUE`: re-assess a changed case and show what moved."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, run_cli

SEVEN_WEBSITES = EXAMPLES / "01-seven-websites.yaml"
PLEA = EXAMPLES / "06-plea-s2-on-s4a.yaml"
# Example 01 lacks only the effect on V's daily life for s.4A.
DAILY_LIFE = "victims.V1.day_to_day_effects=[changed-routine, installed-security]"


def what_if_json(case: Path, *changes: str) -> dict[str, Any]:
    args = [a for change in changes for a in ("--set", change)]
    run = run_cli("assess", str(case), *args, "--format", "json")
    assert run.code in (0, 1), run.err
    body: dict[str, Any] = json.loads(run.out)
    return body


def test_a_change_that_moves_an_offence_is_named_in_the_diff() -> None:
    body = what_if_json(SEVEN_WEBSITES, DAILY_LIFE)
    assert {"offence": "pha-s4a", "before": "unknown", "after": "supported"} in (
        body["diff"]["offences"])
    assert body["before"]["offences"]["pha-s4a"] == "unknown"
    assert body["diff"]["recommended_charges"] == {"before": ["pha-s2a"], "after": ["pha-s4a"]}
    assert "EG-001" in [f["rule"] for f in body["diff"]["findings_lost"]]
    assert body["after"]["recommended_charges"] == ["pha-s4a"]
    assert body["changes"] == [{"set": "victims.V1.day_to_day_effects",
                                "value": ["changed-routine", "installed-security"],
                                "hypothetical": True}]
    text = " ".join(run_cli("assess", str(SEVEN_WEBSITES), "--set", DAILY_LIFE).out.split())
    assert "distress, PHA 1997 s.4A (pha-s4a): unknown -> supported" in text
    assert ("Recommended charges: Stalking, PHA 1997 s.2A (pha-s2a) -> Stalking involving fear "
            "of violence or serious alarm or distress, PHA 1997 s.4A (pha-s4a)") in text
    assert "chargecheck assessment: EX-01" in text  # the after-report follows the diff


def test_removing_the_plea_removes_the_plea_findings() -> None:
    body = what_if_json(PLEA, "plea=null")
    before = [r for r in body["before"]["findings"] if r.startswith("PR-")]
    assert before
    assert not [f for f in body["after"]["findings"] if f["rule"].startswith("PR-")]
    assert sorted(f["rule"] for f in body["diff"]["findings_lost"]
                  if f["rule"].startswith("PR-")) == sorted(before)
    text = run_cli("assess", str(PLEA), "--set", "plea=null").out
    assert "Findings lost:" in text and f"- {before[0]} " in text


def test_several_changes_and_null_make_a_fact_unknown() -> None:
    body = what_if_json(SEVEN_WEBSITES, "victims.V1.very_frightened=null",
                        "victims.V1.serious_alarm_or_distress=null",
                        "victims.V1.made_clear_unwanted_on=null")
    assert body["after"]["indicators"]["unwanted"]["status"] == "met"  # I2 evidences it
    assert [c["value"] for c in body["changes"]] == [None, None, None]
    moved = {m["offence"]: (m["before"], m["after"]) for m in body["diff"]["offences"]}
    assert moved["pha-s2"] == ("supported", "unknown")


@pytest.mark.parametrize(("change", "expected"), [
    ("victims.V9.very_frightened=true", "no item of victims has id 'V9'"),
    ("victims.V1.very_frightened=yes", "must be true or false"),
    ("incidents.I1.date=2016-02-30", "not a real date"),
    ("charges.7.offence=pha-s4a", "charges has 1 item:"),
    ("victim.V1.very_frightened=true", "unknown key 'victim'; did you mean 'victims'?"),
    ("victims.V1.very_frightened", "expected PATH=VALUE"),
    ("charges.0.offence=[pha-s4a", "invalid YAML"),
])
def test_a_bad_path_or_value_is_an_input_error_naming_it(change: str, expected: str) -> None:
    run = run_cli("assess", str(SEVEN_WEBSITES), "--set", change)
    assert run.code == 2
    assert f"--set {change}" in run.err and expected in run.err
    assert "Traceback" not in run.err and not run.out


def test_the_case_file_is_never_modified(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    shutil.copy(SEVEN_WEBSITES, case)
    original = case.read_bytes()
    for args in (("--set", DAILY_LIFE, "--set", "plea=null"), ("--set", "charges=null"),
                 ("--set", "victims.V1.very_frightened=yes")):
        run_cli("assess", str(case), *args)
        assert case.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]


def test_show_names_adds_the_parties_to_the_what_if_json(tmp_path: Path) -> None:
    case = tmp_path / "named.yaml"
    case.write_text(SEVEN_WEBSITES.read_text(encoding="utf-8").replace(
        "    label: V\n", "    label: V\n    name: Vera Example\n"), encoding="utf-8")
    change = ("--set", "victims.V1.very_frightened=false", "--format", "json")
    named = json.loads(run_cli("assess", str(case), *change, "--show-names").out)
    assert named["after"]["parties"]["victims"][0]["name"] == "Vera Example"
    plain = run_cli("assess", str(case), *change).out
    assert "Vera Example" not in plain and "parties" not in json.loads(plain)["after"]


def test_markdown_and_html_carry_the_diff() -> None:
    markdown = run_cli("assess", str(PLEA), "--set", "plea=null", "--format", "markdown")
    assert markdown.code in (0, 1), markdown.err
    assert "## What if" in markdown.out and "Findings lost:" in markdown.out
    page = run_cli("assess", str(PLEA), "--set", "plea.reasons=<b>x</b>", "--format", "html")
    assert page.code in (0, 1), page.err
    assert "What if" in page.out and "&lt;b&gt;x&lt;/b&gt;" in page.out
    assert "<b>x</b>" not in page.out


# Three changes that show in the body of every report: an incident's behaviours (and the
# escalation marker they bring), an incident's summary, and a charge added.
SHOWN_CHANGES = ("incidents.I2.behaviours=[threat-to-kill]", "incidents.I3.summary=Sent again",
                 "charges.1.offence=pha-s4")
WIDE = {"COLUMNS": "1000"}  # whole lines, to read each label beside its fact


def _report(fmt: str, *changes: str, explain: bool = False) -> str:
    args = [a for change in changes for a in ("--set", change)]
    run = run_cli("assess", str(SEVEN_WEBSITES), *args, "--format", fmt,
                  *(["--explain"] if explain else []), env=WIDE)
    assert run.code in (0, 1), run.err
    # Markdown and HTML escape case text for their syntax; read them as a reader would.
    return html.unescape(run.out) if fmt == "html" else run.out.replace("\\", "")


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_every_changed_fact_is_labelled_hypothetical_where_it_shows(fmt: str) -> None:
    out = _report(fmt, *SHOWN_CHANGES)
    for change in SHOWN_CHANGES:  # the header
        assert f"--set {change} (hypothetical)" in out
    assert "a hypothetical case" in out
    body = out[out.index("chargecheck assessment: EX-01"):]
    assert "Sent again (hypothetical)" in body               # the incident's summary
    assert "Threat to kill (hypothetical)" in body           # the incident's behaviours
    assert "Threats to kill (hypothetical)" in body          # the marker they bring
    assert ("Putting people in fear of violence, PHA 1997 s.4: 5 years on indictment "
            "(hypothetical)") in body                       # the charge added
    # What the changes left alone is not labelled.
    assert "Seven websites set up about V" in body
    assert "personal life (hypothetical)" not in body
    assert "Harassment, PHA 1997 s.2: 6 months, summary only (hypothetical)" not in body
    assert "Targeting family, friends, a new partner or children (hypothetical)" not in body


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_without_set_nothing_is_hypothetical(fmt: str) -> None:
    assert "hypothetical" not in _report(fmt, explain=True)


def test_json_says_which_facts_and_markers_are_hypothetical() -> None:
    body = what_if_json(SEVEN_WEBSITES, *SHOWN_CHANGES)
    assert [c["hypothetical"] for c in body["changes"]] == [True, True, True]
    assert body["after"]["hypothetical"] == {
        "facts": ["incidents.I2.behaviours", "incidents.I3.summary", "charges.1.offence"],
        "markers": ["threat-to-kill"]}
    assert "threat-to-kill" in body["after"]["escalation"]["markers"]  # the contract's list
    assert "hypothetical" not in body["before"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_changed_fact_in_the_reasoning_is_labelled(fmt: str) -> None:
    out = _report(fmt, "victims.V1.made_clear_unwanted_on=2016-04-21", explain=True)
    reasoning = out[out.lower().index("why and why not"):]
    assert "victim.made_clear_unwanted_on = 2016-04-21 (hypothetical)" in reasoning
    assert "course.occasions = 10\n" in reasoning  # a fact the change left alone


def test_json_reasoning_lists_the_hypothetical_facts_of_each_step() -> None:
    run = run_cli("assess", str(SEVEN_WEBSITES), "--set",
                  "victims.V1.made_clear_unwanted_on=2016-04-21", "--explain", "--format", "json")
    steps = list(_steps(json.loads(run.out)["after"]["explanation"]))
    marked = [s for s in steps if s.get("hypothetical")]
    assert marked and all(s["hypothetical"] == ["victim.made_clear_unwanted_on"]
                          for s in marked)
    assert all("victim.made_clear_unwanted_on" in s["facts"] for s in marked)
    assert not [s for s in steps if "course.occasions" in s.get("facts", {})
                and s.get("hypothetical")]


def test_a_near_miss_on_a_changed_fact_says_its_value_is_hypothetical() -> None:
    # Reversed, the supposed "no" would bring s.4 (I1 has seven occasions): a near miss
    # whose present value is the supposition, and must say so.
    out = _report("text", "incidents.I1.caused_fear_of_violence=false", explain=True)
    assert ("    If in fact I1 caused V to fear that violence would be used against them "
            "(now no, hypothetical):") in out


def _steps(node: Any) -> Any:
    if isinstance(node, dict):
        if "condition" in node:
            yield node
        for value in node.values():
            yield from _steps(value)
    elif isinstance(node, list):
        for value in node:
            yield from _steps(value)
