"""`assess --explain`: why and why not, with the facts that decide each step and its law."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from chargecheck.case.edits import changed_case, parse_change
from chargecheck.case.loading import load_case
from chargecheck.case.model import Case, Incident, Plea, Safeguarding, Suspect, Victim
from chargecheck.case.yamlio import load
from chargecheck.cli.app import app
from chargecheck.conditions.describe import FACT_WORDS
from chargecheck.conditions.facts import FACT_KINDS
from chargecheck.engine.assess import assess
from chargecheck.engine.near_misses import YES_NO
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
  - {id: I2, date: 2024-03-01, count: 2, behaviours: [watching], caused_fear_of_violence: false}
charges:
  - {offence: pha-s2a}
plea:
  offence: pha-s2
  in_place_of: [pha-s2a]
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
    run = run_cli("assess", str(EXAMPLES / "01-seven-websites.yaml"), "--explain",
                  env=UNWRAPPED)
    assert "victim.daily_life_affected = not recorded" in run.out
    # The legal test is named by what it says (offences.yaml), not by its id.
    assert ("legal test: Serious alarm or distress with a substantial adverse effect on the "
            "victim's usual day-to-day activities") in run.out
    assert "serious-alarm-with-daily-effect" not in run.out


def test_a_near_miss_names_the_one_fact_in_words_and_what_it_would_bring(
        tmp_path: Path) -> None:
    case = tmp_path / "near-miss.yaml"
    case.write_text(NEAR_MISS, encoding="utf-8")
    run = run_cli("assess", str(case), "--explain", env=UNWRAPPED)
    assert run.code in (0, 1), run.err
    lines = run.out.splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith("      PR-005 "))
    heading = next(line for line in reversed(lines[:at]) if line.startswith("    If "))
    assert heading == "    If it were established that the victim was not consulted on the plea:"
    assert lines[at] == "      PR-005 Victim not consulted on the plea [high] would apply"
    assert "Law: Code for Crown Prosecutors 9.3" in lines[at + 1]
    assert "To see it: --set plea.victim_consulted=false" in run.out
    miss = next(m for m in explained(case)["explanation"][0]["near_misses"]
                if m["fact"] == "plea.victim_consulted")
    assert (miss["value"], miss["now"]) == (False, "not recorded")
    assert "PR-005" in [r["rule"] for r in miss["rules"]]
    assert "Code for Crown Prosecutors 9.3" in miss["rules"][0]["citations"]


def test_a_recorded_fact_reversed_is_listed_when_it_brings_a_charge_within_reach(
        tmp_path: Path) -> None:
    # I2 (two occasions) is recorded as causing no fear of violence; had it, s.4's two
    # occasions of fear would be made out. That is a charge one fact away.
    case = tmp_path / "near-miss.yaml"
    case.write_text(NEAR_MISS, encoding="utf-8")
    misses = explained(case)["explanation"][0]["near_misses"]
    miss = next(m for m in misses if m["set"] == "incidents.I2.caused_fear_of_violence=true")
    assert miss["now"] == "no"
    assert "pha-s4" in [o["offence"] for o in miss["offences"]]
    assert miss["rules"] == []  # the rules it would bring are not a near miss: it is recorded
    assert miss["if"] == "if in fact I2 caused V to fear that violence would be used against them"


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


# --- near misses: one fact, otherwise, changes the advice -------------------------------

def _advice(body: dict[str, Any]) -> tuple[set[tuple[str, str]], dict[tuple[str, str], str]]:
    """The rules that fire and each offence's status, per victim label."""
    fired = {(f["rule"], v) for f in body["findings"] for v in f["victims"]}
    status = {(o["offence"], v["victim"]): v["status"] for o in body["offences"]
              for v in o["victims"]}
    return fired, status


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_each_near_miss_changes_the_advice_when_its_fact_is_set(example: Path) -> None:
    """What the explanation promises, `--set` delivers: the rules fire and the offences
    become supported, for that victim, with that one fact changed."""
    listed = [(victim["victim"], miss) for victim in explained(example)["explanation"]
              for miss in victim["near_misses"]]
    for label, miss in listed:
        run = run_cli("assess", str(example), "--set", miss["set"], "--format", "json")
        assert run.code in (0, 1), run.err
        fired, status = _advice(json.loads(run.out)["after"])
        for rule in miss["rules"]:
            assert (rule["rule"], label) in fired, (miss["set"], rule["rule"])
        for offence in miss["offences"]:
            assert status[offence["offence"], label] == "supported", miss["set"]


def _yes_no_changes(case: Case) -> Iterator[tuple[str, bool]]:
    """Every yes/no fact of the file (found from the case model, not from the engine's
    list of them) set to each value it does not have, as a `--set` argument, and
    whether the file records it."""
    owners: list[tuple[str, BaseModel]] = [("suspect", case.suspect)]
    owners += [(f"victims.{v.id}", v) for v in case.victims]
    owners += [(f"incidents.{i.id}", i) for i in case.incidents]
    owners += [("plea", case.plea)] if case.plea is not None else []
    owners.append(("safeguarding", case.safeguarding))
    for prefix, owner in owners:
        for name, field in type(owner).model_fields.items():
            if field.annotation == (bool | None):
                now = getattr(owner, name)
                yield from ((f"{prefix}.{name}={str(v).lower()}", now is not None)
                            for v in (True, False) if v is not now)


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_a_yes_no_fact_is_listed_exactly_when_changing_it_alone_changes_the_advice(
        example: Path, rules: RuleSet) -> None:
    """Judged afresh, through the --set machinery, for every yes/no fact: a change that
    brings no rule and supports no offence is never listed, and one that does always is.
    A fact the file records, reversed, counts only for the offences it would support."""
    text = example.read_text(encoding="utf-8")
    case = load_case(str(example), text)
    before = assess(case, rules)
    fired, status = _advice(before.as_json())
    expected = set()
    for change, recorded in _yes_no_changes(case):
        changed = changed_case(load(str(example), text), [parse_change(change)])
        after_fired, after_status = _advice(assess(changed, rules, before.decision_date).as_json())
        gained = {v for (o, v), s in after_status.items()
                  if s == "supported" and status.get((o, v)) != "supported"}
        if not recorded:
            gained |= {v for _, v in after_fired - fired}
        expected |= {(label, change) for label in gained}
    listed = {(victim["victim"], miss["set"]) for victim in explained(example)["explanation"]
              for miss in victim["near_misses"] if miss["set"].split("=")[1] in ("true", "false")}
    assert listed == expected


def test_no_near_miss_rests_on_more_than_one_fact() -> None:
    # Example 01 has ten occasions and no plea: no one fact undoes the course of conduct
    # (CV-003) or offers a plea (the plea rules), and no one fact gives a high-risk marker.
    misses = explained(EXAMPLES / "01-seven-websites.yaml")["explanation"][0]["near_misses"]
    brought = {r["rule"] for m in misses for r in m["rules"]}
    assert not brought & {"CV-003", "ES-001", "PR-005", "PR-006", "PR-010"}
    assert {m["set"] for m in misses} == {
        "incidents.I1.caused_fear_of_violence=true", "victims.V1.day_to_day_effects=[other]"}


def test_a_recorded_protective_step_reversed_is_no_near_miss() -> None:
    # Example 04 is well handled: its risk plan, restraining order and advocate are on
    # file. "Had none been recorded, a finding would fire" is not advice to anyone.
    for victim in explained(EXAMPLES / "04-s4a-correctly-charged.yaml")["explanation"]:
        for miss in victim["near_misses"]:
            assert miss["now"] == "not recorded" or miss["offences"], miss["set"]
            assert not miss["set"].startswith("safeguarding."), miss["set"]



def test_a_near_miss_names_its_fact_in_words_not_engine_terms() -> None:
    misses = explained(EXAMPLES / "01-seven-websites.yaml")["explanation"][0]["near_misses"]
    words = {m["set"]: m["if"] for m in misses}
    assert words["victims.V1.day_to_day_effects=[other]"] == (
        "if it were established that V's day-to-day life was affected (an effect recorded)")
    for said in words.values():
        assert "_" not in said and "victims." not in said and " is yes" not in said


# --- --explain OFFENCE-OR-RULE --------------------------------------------------------------

SEVEN = str(EXAMPLES / "01-seven-websites.yaml")


def test_explain_an_offence_shows_that_offence_alone() -> None:
    out = run_cli("assess", SEVEN, "--explain", "pha-s4a", env=UNWRAPPED).out
    law = out[out.index("THE LAW, ELEMENT BY ELEMENT (--explain pha-s4a)"):]
    why = out[out.index("WHY AND WHY NOT (--explain pha-s4a)"):]
    assert "Stalking involving fear of violence or serious alarm or distress, PHA 1997 s.4A: "\
        "turns on facts not yet known" in law
    assert "Offence pha-s4a " in why and "Offence pha-s2a " not in why
    assert "Stalking, PHA 1997 s.2A:" not in law  # recommended, but not asked for
    assert "FOUR indicators" not in why
    near = why[why.index("Near misses"):]
    assert "(pha-s4a) would be supported (now unknown)" in near
    assert "(pha-s4) would be" not in near and "UC-002" not in near


def test_explain_a_rule_says_whether_it_fires_and_why() -> None:
    out = run_cli("assess", SEVEN, "--explain", "uc-001", "--explain", "UC-002",
                  env=UNWRAPPED).out
    assert "THE LAW, ELEMENT BY ELEMENT" not in out  # no offence was asked for
    why = out[out.index("WHY AND WHY NOT (--explain UC-001 UC-002)"):]
    assert "  Rule UC-001 Stalking evidenced but charged as harassment [high]: fires" in why
    assert "  Rule UC-002 " in why and "]: does not fire" in why
    # The steps name offences in words (their title and section), not by their ids.
    assert ("PHA 1997 s.4A stalking involving fear of violence or serious alarm or distress "
            "= unknown") in why
    assert "charged with PHA 1997 s.2 harassment: met" in why
    assert "UC-002 s.4A stalking evidenced but a lesser offence charged [high] would apply" in why
    body = json.loads(run_cli("assess", SEVEN, "--explain", "UC-001", "--format", "json").out)
    assert body["explanation_of"] == ["UC-001"]
    [victim] = body["explanation"]
    assert [(r["rule"], r["status"]) for r in victim["rules"]] == [("UC-001", "fired")]
    assert victim["indicators"] == [] and victim["offences"] == []


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_the_explanation_speaks_in_words_not_rule_ids(example: str, rules: RuleSet) -> None:
    # Everything a step names that the rule set declares reads as a prosecutor says it.
    # (The headings of offences and rules still show their ids, to look them up by.)
    case = str(EXAMPLES / example)
    everything = run_cli("assess", case, "--explain", env=UNWRAPPED).out
    each_rule = run_cli("assess", case, *(arg for r in rules.rules
                                          for arg in ("--explain", r.id)), env=UNWRAPPED).out
    lines = [line for out in (everything, each_rule)
             for line in out[out.index("WHY AND WHY NOT"):].splitlines()]
    said = "\n".join(line for line in lines if not line.lstrip().startswith(
        ("Offence ", "Rule ", "Not raised: ", "To see it")))
    assert said.count("Victim ") >= 2 and ": met" in said
    for offence in rules.offences:
        assert f"offence {offence.id}" not in said and f"= {offence.id}" not in said
        assert f" {offence.id}:" not in said and f"any of {offence.id}" not in said
    for test in rules.legal_tests:
        assert f"'{test}'" not in said
    for indicator in rules.indicators:
        assert f"indicator {indicator.id}" not in said
    for marker in rules.markers:
        assert f"marker '{marker.id}'" not in said and f"the {marker.id} marker" not in said
    assert "made-clear-unwanted" not in said
    for fact in FACT_KINDS:
        assert f"fact {fact}" not in said
    assert "with behaviour " not in said and "stalking: yes" not in said
    assert "fear of violence: yes" not in said and "social-media" not in said
    for behaviour in (b for b in rules.behaviours if "-" in b):  # `violence` is its title
        assert f"involving {behaviour}" not in said and f"; {behaviour}" not in said


def test_every_fact_has_its_words_for_the_explanation() -> None:
    # A fact added to the table without words would reach a prosecutor as `fact NAME`.
    assert set(FACT_WORDS) == set(FACT_KINDS)
    for fact, kind in FACT_KINDS.items():
        assert isinstance(FACT_WORDS[fact], tuple) == (kind == "yes-no"), fact


def test_a_rule_step_reads_in_words_never_as_engine_terms() -> None:
    # The slug form (`offence pha-s2a = supported`, `charged = pha-s2`) must not return.
    why = run_cli("assess", SEVEN, "--explain", "UC-001", env=UNWRAPPED).out
    why = why[why.index("WHY AND WHY NOT"):]
    assert "      PHA 1997 s.2A stalking is supported: met (incidents I1, I2, I3, I4)" in why
    assert "        PHA 1997 s.2A stalking = supported" in why
    assert "        charged = PHA 1997 s.2 harassment" in why
    for slug in ("offence pha-s2a", "pha-s2a = supported", "charged = pha-s2",
                 "any of pha-"):
        assert slug not in why
    json_why = run_cli("assess", SEVEN, "--explain", "UC-001", "--format", "json").out
    steps = json.loads(json_why)["explanation"][0]["rules"][0]["because"][0]["because"]
    assert [s["condition"] for s in steps] == [
        "charged with PHA 1997 s.2 harassment", "not the following",
        "PHA 1997 s.2A stalking is supported", "not the following"]


@pytest.mark.parametrize(("args", "said"), [
    # A yes/no fact as it reads, and a count by what it measures.
    (("06-plea-s2-on-s4a.yaml", "pha-s4a"), "the victim was very frightened: met"),
    (("06-plea-s2-on-s4a.yaml", "pha-s4a"), "the victim suffered serious alarm or distress"),
    (("01-seven-websites.yaml", "pha-s2"), "the number of occasions is at least 2: met"),
    # Behaviours by their titles in behaviours.yaml; channels and hostility as words.
    (("01-seven-websites.yaml", "oapa-s16"), "at least 1 occasion involving threat to kill)"),
    (("01-seven-websites.yaml", "mca-s1"),
     "by text, email, social media, post or online, involving any of: insults"),
    (("01-seven-websites.yaml", "cda-s1"), "involving damage to property"),
    # Incident filters that are yes or no read as a phrase, not `: yes`.
    (("06-plea-s2-on-s4a.yaml", "pha-s4a"), "occasions causing fear of violence: met"),
    (("01-seven-websites.yaml", "pha-s2a"), "at least 2 occasions associated with stalking: "),
    # Word facts name the case file's words, as words.
    (("01-seven-websites.yaml", "breach-ro"),
     "the list of orders in force includes restraining order)"),
])
def test_facts_and_behaviours_read_in_words(args: tuple[str, str], said: str) -> None:
    example, ident = args
    out = run_cli("assess", str(EXAMPLES / example), "--explain", ident,
                  env=UNWRAPPED).out
    assert said in out[out.index("WHY AND WHY NOT"):]


def test_the_rule_documentation_still_names_ids_for_rule_authors() -> None:
    # Words are for `assess --explain`; `explain RULE` shows rule authors what they write.
    out = run_cli("explain", "UC-001").out
    assert "charged with any of pha-s2" in out and "offence pha-s2a is supported" in out


def test_explain_an_offence_the_file_does_not_raise_says_when_it_would_be() -> None:
    out = run_cli("assess", SEVEN, "--explain", "sca-s76", env=UNWRAPPED).out
    assert ("Controlling or coercive behaviour in an intimate or family relationship, "
            "SCA 2015 s.76: not raised on this file (it would be if") in out
    assert "  Not raised: sca-s76 " in out


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_markdown_and_html_carry_the_narrowed_explanation(fmt: str) -> None:
    out = html.unescape(run_cli("assess", SEVEN, "--explain", "pha-s4a", "--format", fmt).out)
    assert "The law, element by element (--explain pha-s4a)" in out
    assert "Why and why not (--explain pha-s4a)" in out
    assert "Offence pha-s4a " in out and "Offence pha-s2 " not in out
    rule_only = html.unescape(run_cli("assess", SEVEN, "--explain", "UC-001", "--format",
                                      fmt).out)
    assert "The law, element by element" not in rule_only
    assert "Rule UC-001 Stalking evidenced but charged as harassment [high]: fires" in rule_only


def test_explain_alone_still_explains_everything_wherever_the_case_is() -> None:
    after = run_cli("assess", SEVEN, "--explain")
    before = run_cli("assess", "--explain", SEVEN)
    assert after == before and "FOUR indicators" in after.out
    assert "explanation_of" not in json.loads(
        run_cli("assess", "--explain", SEVEN, "--format", "json").out)
    piped = run_cli("assess", "--explain", "-", stdin=Path(SEVEN).read_text(encoding="utf-8"))
    assert piped.out == after.out.replace(SEVEN, "<stdin>")


@pytest.mark.parametrize(("args", "said"), [
    ((SEVEN, "--explain", "pha-s9"),
     "error: --explain pha-s9: no offence or rule has this id; did you mean 'pha-s2'?\n"),
    ((SEVEN, "--explain", "uc001"),
     "error: --explain uc001: no offence or rule has this id; did you mean 'UC-001'?\n"),
    ((SEVEN, "--explain", "stalking-and-more"),
     "error: --explain stalking-and-more: no offence or rule has this id\n"),
    # Of ids equally like it, the first: a digit left out rather than one added.
    ((SEVEN, "--explain", "UC-01"),
     "error: --explain UC-01: no offence or rule has this id; did you mean 'UC-001'?\n"),
    ((SEVEN, "--explain", "-"),
     "error: --explain -: '-' reads the case from standard input, and a case file is given "
     "already; --explain takes an offence or rule id, or nothing to explain everything\n"),
    (("--explain", "-", SEVEN),
     "error: --explain -: '-' reads the case from standard input, and a case file is given "
     "already; --explain takes an offence or rule id, or nothing to explain everything\n"),
])
def test_an_unknown_id_is_one_plain_message_and_exit_2(args: tuple[str, ...], said: str
                                                       ) -> None:
    run = run_cli("assess", *args)
    assert (run.code, run.out, run.err) == (2, "", said)
    # The same through typer, which takes any line the fast path leaves to it.
    typer_run = CliRunner().invoke(app, ["assess", *args])
    assert (typer_run.exit_code, typer_run.stdout, typer_run.stderr) == (2, "", said)


def test_an_id_without_a_case_is_a_missing_case() -> None:
    run = run_cli("assess", "--explain", "pha-s4a")
    assert run.code == 2 and "Missing argument 'CASE'" in run.err and not run.out


def test_help_shows_what_explain_takes_and_an_example() -> None:
    out = run_cli("assess", "--help", env={"COLUMNS": "200"}).out
    assert "--explain" in out and "[OFFENCE-OR-RULE]" in out
    assert "chargecheck assess case.yaml --explain pha-s4a" in out


@pytest.mark.parametrize("width", [60, 80])
@pytest.mark.parametrize("only", [(), ("pha-s4a",), ("UC-002",)], ids=["all", "offence", "rule"])
def test_the_explanation_wraps_to_the_width_without_splitting_a_word(
        width: int, only: tuple[str, ...]) -> None:
    explain = [a for ident in only for a in ("--explain", ident)] or ["--explain"]

    def reasoning(columns: str) -> str:
        out = run_cli("assess", SEVEN, *explain, env={"COLUMNS": columns}).out
        return out[out.index("THE LAW" if "UC-002" not in only else "WHY AND WHY NOT"):]

    narrow, wide = reasoning(str(width)), reasoning("1000")
    assert narrow.split() == wide.split()  # the same words, none cut in two
    for line in narrow.splitlines():
        assert len(line) <= width or len(line.split()) == 1, line


def test_every_yes_no_fact_of_the_case_model_is_tried_and_has_words() -> None:
    """A yes/no fact added to the contract is tried for near misses, in words, or this fails."""
    models: dict[str, type[BaseModel]] = {
        "suspect": Suspect, "victims": Victim, "incidents": Incident, "plea": Plea,
        "safeguarding": Safeguarding}
    facts = {(owner, name) for owner, model in models.items()
             for name, field in model.model_fields.items() if field.annotation == (bool | None)}
    assert facts == set(YES_NO)
