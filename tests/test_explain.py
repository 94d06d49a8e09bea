"""`assess --explain`: why and why not, with the facts that decide each step and its law."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chargecheck.rulebook.ruleset import RuleSet
from tests.conftest import EXAMPLES, run_cli

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
FOUR = ("fixated", "obsessive", "unwanted", "repeated")

# A plea to s.2 on a stalking charge, with the victim consulted: PR-005 ("victim not
# consulted") is one condition short of applying.
NEAR_MISS = """\
format: 1
reference: NEAR-MISS
decision_date: 2024-06-01
synthetic: true
suspect: {label: D, relationship: ex-partner}
victims:
  - {id: V1, label: V, made_clear_unwanted_on: 2024-01-10, very_frightened: true}
incidents:
  - {id: I1, date: 2024-02-01, behaviours: [following]}
  - {id: I2, date: 2024-03-01, behaviours: [watching]}
charges:
  - {offence: pha-s2a}
plea:
  offence: pha-s2
  in_place_of: [pha-s2a]
  victim_consulted: true
  basis_in_writing: true
  reasons: The victim asked for it
"""


def explained(path: Path | str) -> dict[str, Any]:
    run = run_cli("assess", str(path), "--explain", "--format", "json")
    assert run.code in (0, 1), run.err
    body: dict[str, Any] = json.loads(run.out)
    return body


def steps(step: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield step
    for child in step.get("because", []):
        yield from steps(child)


# The text report wraps to the width; these tests read whole lines of reasoning.
UNWRAPPED = {"COLUMNS": "1000"}


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_text_explains_every_indicator_and_every_ladder_element(
        example: Path, rules: RuleSet) -> None:
    run = run_cli("assess", str(example), "--explain", env=UNWRAPPED)
    assert run.code in (0, 1), run.err
    out = run.out[run.out.index("WHY AND WHY NOT"):]
    for name in FOUR:
        assert f"    {name}: " in out
    ladder = [o["offence"] for o in json.loads(
        run_cli("assess", str(example), "--format", "json").out)["offences"]]
    assert ladder
    elements = {o.id: o.elements for o in rules.offences}
    for offence in ladder:
        assert f"Offence {offence} " in out
        for element in elements[offence]:
            assert f"element {element.id}: {element.text}" in out
            assert all(c in out for c in element.citations)
    assert "Law: " in out


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_json_explanation_matches_the_assessment_and_carries_citations(example: Path) -> None:
    body = explained(example)
    [victim] = body["explanation"]
    assert [i["indicator"] for i in victim["indicators"]] == list(FOUR)
    for item in victim["indicators"]:
        assert item["status"] == body["indicators"][item["indicator"]]["status"]
        assert item["citations"]
    assert [o["offence"] for o in victim["offences"]] == [o["offence"] for o in body["offences"]]
    for offence in victim["offences"]:
        for element in offence["elements"]:
            assert element["status"] in ("met", "not-met", "unknown")
            assert element["citations"]
            assert ("obtain" in element) == (element["status"] != "met")
    for miss in victim["near_misses"]:
        assert miss["if"].startswith("if ") and miss["set"].startswith(miss["fact"] + "=")
        assert miss["rules"] or miss["offences"]
        assert all(rule["citations"] for rule in miss["rules"])


def test_unknown_facts_are_named_with_their_value() -> None:
    # Example 01: nobody asked how V's daily life changed, so s.4A turns on it.
    body = explained(EXAMPLES / "01-seven-websites.yaml")
    s4a = next(o for o in body["explanation"][0]["offences"] if o["offence"] == "pha-s4a")
    element = next(e for e in s4a["elements"] if e["element"] == "fear-or-serious-alarm")
    assert element["status"] == "unknown"
    facts = {k: v for s in steps(element["because"][0]) for k, v in s.get("facts", {}).items()}
    assert facts["victim.daily_life_affected"] == "not recorded"
    run = run_cli("assess", str(EXAMPLES / "01-seven-websites.yaml"), "--explain")
    assert "victim.daily_life_affected = not recorded" in run.out
    assert "legal test 'serious-alarm-with-daily-effect'" in run.out


def test_a_near_miss_names_the_one_fact_in_words_and_what_it_would_bring(
        tmp_path: Path) -> None:
    case = tmp_path / "near-miss.yaml"
    case.write_text(NEAR_MISS, encoding="utf-8")
    run = run_cli("assess", str(case), "--explain", env=UNWRAPPED)
    assert run.code in (0, 1), run.err
    lines = run.out.splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith("      PR-005 "))
    heading = next(line for line in reversed(lines[:at]) if line.startswith("    If "))
    assert heading == ("    If in fact the victim was not consulted on the plea "
                       "(recorded: yes):")
    assert lines[at] == "      PR-005 Victim not consulted on the plea [high] would apply"
    assert "Law: Code for Crown Prosecutors 9.3" in lines[at + 1]
    assert "To see it: --set plea.victim_consulted=false" in run.out
    miss = next(m for m in explained(case)["explanation"][0]["near_misses"]
                if m["fact"] == "plea.victim_consulted")
    assert (miss["value"], miss["now"]) == (False, "yes")
    assert "PR-005" in [r["rule"] for r in miss["rules"]]
    assert "Code for Crown Prosecutors 9.3" in miss["rules"][0]["citations"]


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_markdown_and_html_reports_carry_the_explanation(fmt: str) -> None:
    example = str(EXAMPLES / "01-seven-websites.yaml")
    text = run_cli("assess", example, "--explain", env=UNWRAPPED).out
    report = run_cli("assess", example, "--explain", "--format", fmt).out
    assert "Why and why not" in report
    assert "Why and why not" not in run_cli("assess", example, "--format", fmt).out
    reasoning = text[text.index("WHY AND WHY NOT"):text.index("ADVISORY ONLY")].splitlines()[1:]
    for line in filter(None, (line.rstrip() for line in reasoning)):
        assert html.escape(line, quote=True) in report if fmt == "html" else line in report


def test_a_fact_that_would_bring_several_things_names_them_under_it_once() -> None:
    example = str(EXAMPLES / "01-seven-websites.yaml")
    misses = explained(example)["explanation"][0]["near_misses"]
    fear = next(m for m in misses if m["fact"] == "incidents.I1.caused_fear_of_violence")
    assert [o["offence"] for o in fear["offences"]] == ["pha-s4", "pha-s4a"]
    assert [r["rule"] for r in fear["rules"]] == ["UC-002"]
    out = run_cli("assess", example, "--explain", env=UNWRAPPED).out
    said = ("    If it were established that I1 caused V to fear that violence would be used "
            "against them:")
    assert out.count(said) == 1
    block = out[out.index(said):].splitlines()[1:6]
    assert block[0].startswith("      UC-002 ") and block[0].endswith("would apply")
    assert "(pha-s4) would be supported (now unknown)" in block[2]
    assert "(pha-s4a) would be supported (now unknown)" in block[3]
    assert block[4] == "      To see it: --set incidents.I1.caused_fear_of_violence=true"


def test_without_explain_there_is_no_explanation() -> None:
    example = str(EXAMPLES / "01-seven-websites.yaml")
    assert "explanation" not in json.loads(run_cli("assess", example, "--format", "json").out)
    assert "WHY AND WHY NOT" not in run_cli("assess", example).out


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_explain_gives_the_law_element_by_element_first(fmt: str) -> None:
    example = str(EXAMPLES / "01-seven-websites.yaml")
    out = run_cli("assess", example, "--explain", "--format", fmt, env=UNWRAPPED).out
    heading = "THE LAW, ELEMENT BY ELEMENT" if fmt == "text" else "The law, element by element"
    assert out.index(heading) < out.index("WHY AND WHY NOT" if fmt == "text"
                                          else "Why and why not")
    law = out[out.index(heading):]
    assert "Stalking, PHA 1997 s.2A: supported by the evidence (recommended)" in law
    assert "Harassment, PHA 1997 s.2: supported by the evidence (charged)" in law
    assert ("Not known: Fear, on at least two occasions, that violence would be used against "
            "the victim (PHA 1997 s.4(1)") in law
    assert "Ask for: " in law
    assert "element by element" not in run_cli("assess", example, "--format", fmt).out.lower()
