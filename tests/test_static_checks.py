"""The static checks of `validate` (rulebook/static_checks.py): each fires on a rule that
loads but cannot work as meant, at its line and rule, in every format, with its
severity; each stays silent on the bundled rule set and the example pack.

tests/fixtures/static-checks-pack holds one such rule per finding; the conditions below
try each check's edges one at a time.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from chargecheck.cli.rule_loading import load_rules
from chargecheck.conditions.parse import CHECKED, parse
from chargecheck.rulebook.ruleset import RuleSet, vocabulary
from chargecheck.rulebook.static_checks import CHECKS, Checker, normal, static_findings
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "tests" / "fixtures" / "static-checks-pack"
AREA = PACK / "checks" / "area.yaml"
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"

# (check, the line's text, rule, severity, what the message says)
EXPECTED = [
    ("duplicate-condition", "title: Harassment charge with a frightened victim", "SX-002",
     "warning", "the same condition as SX-001 (PACK/checks/area.yaml:FIRST): the two rules "
                "always fire together"),
    ("never-holds", "equals: ex-partnr", "SX-003", "error",
     "can never hold: fact suspect.relationship never holds 'ex-partnr' (its words: "
     "acquaintance, colleague, ex-partner, family, friend, neighbour, online-only, partner, "
     "stranger); did you mean 'ex-partner'?"),
    ("never-holds", "at_least: 5", "SX-004", "error",
     "can never hold: these cannot all be so: fact course.occasions is at least 5; "
     "fact course.occasions is at most 3"),
    ("never-holds", "stalking: false", "SX-005", "error",
     "can never hold: 'stalking: false' asks for an incident showing no behaviour "
     "associated with stalking, and every behaviour 'behaviours: following' allows is one"),
    ("date-mismatch", "before: 2012-11-26", "SX-006", "warning",
     "2012-11-26 is none of the dates offences.yaml gives for pha-s2a (2012-11-25), nor a "
     "change in the magistrates' general limit: check it against the offence data"),
    ("unfilled-placeholder", "The plea to {plea}", "SX-007", "warning",
     "{plea} may read 'none': the condition does not make sure a plea is offered"),
    ("unfilled-placeholder", "The plea to {plea}", "SX-007", "warning",
     "{missing[sca-s76]} may read '(not assessed)': offence sca-s76 is judged only when the "
     "case raises it, and the condition does not name it (as {offence: sca-s76, ...})"),
    ("never-holds", "equals: partner", "SX-008", "error",
     "can never hold: these cannot all be so: fact suspect.relationship is partner; "
     "fact suspect.relationship is one of family, ex-partner"),
]
STATIC_CHECKS = set(CHECKS)


def said(message: str, pack: str) -> str:
    """An expected message in full: the pack's name and the first duplicate's line."""
    first = expected_line("title: Frightened victim of a harassment charge", "SX-001")
    return message.replace("PACK", pack).replace("FIRST", str(first))


def line_of(path: Path, fragment: str) -> int:
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fragment in text:
            return number
    raise AssertionError(f"{fragment!r} not in {path}")


def expected_line(fragment: str, rule: str) -> int:
    """The line a finding is reported at: the rule's `when:` or the fragment's own line."""
    line = line_of(AREA, fragment)
    if fragment.startswith("title:"):  # a duplicate is reported at the rule's condition
        lines = AREA.read_text(encoding="utf-8").splitlines()
        return next(n for n in range(line, len(lines) + 1) if "when:" in lines[n - 1])
    if rule in ("SX-004", "SX-008"):  # a contradiction is reported at its `all`
        lines = AREA.read_text(encoding="utf-8").splitlines()
        return max(n for n in range(1, line) if lines[n - 1].strip() == "when:")
    return line


@pytest.fixture()
def pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The pack, copied and named relative to the working directory (as CI would)."""
    shutil.copytree(PACK, tmp_path / "static-checks-pack")
    monkeypatch.chdir(tmp_path)
    return "static-checks-pack"


def json_problems(*args: str) -> tuple[dict[str, Any], int]:
    result = run_cli("validate", "--format", "json", *args)
    return json.loads(result.out), result.code


# --- the fixture pack, in every format --------------------------------------------------------

def test_text_reports_each_finding_with_line_rule_and_severity(pack: str) -> None:
    result = run_cli("validate", pack)
    assert result.code == 1  # never-holds is an error
    for _, fragment, rule, severity, message in EXPECTED:
        text = said(message, pack) if severity == "error" else f"warning: {said(message, pack)}"
        line = expected_line(fragment, rule)
        assert re.search(rf"^{pack}/checks/area\.yaml:{line}: {rule}: [\w.]+: "
                         rf"{re.escape(text)}", result.out, re.M), (rule, result.out)
    assert re.search(r"files checked: \d+ problems, 4 warnings$", result.out, re.M)


def test_json_gives_each_finding_its_check_and_severity(pack: str) -> None:
    body, code = json_problems(pack)
    assert code == 1 and body["valid"] is False
    static = [p for p in body["problems"] if p["check"] in STATIC_CHECKS]
    got = {(p["check"], p["rule"], p["line"], p["severity"], p["message"]) for p in static}
    assert got == {(check, rule, expected_line(fragment, rule), severity, said(message, pack))
                   for check, fragment, rule, severity, message in EXPECTED}
    assert all(CHECKS[p["check"]][0] == p["severity"] for p in static)
    assert all(p["severity"] == "error" for p in body["problems"] if p not in static)


def test_github_annotations_are_errors_or_warnings(pack: str) -> None:
    out = run_cli("validate", "--format", "github", pack).out
    for _, fragment, rule, severity, message in EXPECTED:
        line = expected_line(fragment, rule)
        head = f"::{severity} file={pack}/checks/area.yaml,line={line},title=chargecheck {rule}::"
        assert any(a.startswith(head) and a.endswith(said(message, pack))
                   for a in out.splitlines()), (head, out)


def test_sarif_gives_each_check_its_level(pack: str) -> None:
    log = json.loads(run_cli("validate", "--format", "sarif", pack).out)
    jsonschema.Draft7Validator(json.loads(SARIF_SCHEMA.read_text())).validate(log)
    run = log["runs"][0]
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in run["tool"]["driver"]["rules"]}
    assert {check: levels[check] for check in CHECKS} == {c: s for c, (s, _) in CHECKS.items()}
    found = {(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
             for r in run["results"]}
    for check, fragment, rule, severity, _ in EXPECTED:
        assert (check, severity, expected_line(fragment, rule)) in found


def test_junit_fails_a_file_on_errors_and_shows_its_warnings(pack: str) -> None:
    root = ET.fromstring(run_cli("validate", "--format", "junit", pack).out)
    [area] = [c for c in root.iter("testcase") if c.get("name", "").endswith("area.yaml")]
    failure = area.findtext("failure") or ""
    warnings = area.findtext("system-out") or ""
    for _, _, rule, severity, message in EXPECTED:
        assert (said(message, pack) in failure) == (severity == "error"), rule
        assert (f"warning: {said(message, pack)}" in warnings) == (severity == "warning"), rule


def test_warnings_alone_do_not_fail_the_run(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    text = AREA.read_text(encoding="utf-8")
    (pack / "checks" / "area.yaml").write_text(  # SX-001 and SX-002 alone: a duplicate
        text[:text.index("  # A relationship the case format")], encoding="utf-8")
    for rule in ("SX-001", "SX-002"):  # and a test case making each fire, for coverage
        cases = pack / "tests" / f"{rule}.yaml"
        cases.parent.mkdir(exist_ok=True)
        cases.write_text(
            f"rule: {rule}\ncases:\n  - name: fires\n    case:\n      format: 1\n"
            "      reference: PACK-1\n      decision_date: 2019-01-10\n"
            "      victims: [{id: V1, very_frightened: true}]\n"
            "      incidents: [{id: I1, date: 2018-10-01, behaviours: [abuse]}]\n"
            "      charges: [{offence: pha-s2}]\n    expect: fires\n", encoding="utf-8")
    body, code = json_problems(str(pack))
    assert [(p["check"], p["severity"]) for p in body["problems"]] == [
        ("duplicate-condition", "warning")], body
    assert code == 0 and body["valid"] is True
    assert run_cli("validate", str(pack)).out.endswith("no problems, 1 warning\n")


# --- silent where nothing is wrong -----------------------------------------------------------

def test_the_bundled_rule_set_passes_every_static_check(rules_dir: str) -> None:
    # SG-010 once read "A domestic case with high risk (none)" when the risk level alone
    # made it fire; the unfilled-placeholder check found it.
    assert static_findings(load_rules([rules_dir], use_cache=False), rules_dir) == []


def test_the_example_pack_is_silent() -> None:
    pack = str(ROOT / "docs" / "example-pack")
    assert static_findings(load_rules([pack], use_cache=False), pack) == []


# --- each check's edges ------------------------------------------------------------------------

NEVER = {
    "a word a fact never holds": {"fact": "safeguarding.risk_level", "in": ["high", "hihg"]},
    "a words fact": {"fact": "history.kinds", "contains": "warning"},
    "a relationship not recorded": {"fact": "suspect.relationship", "equals": "unknown"},
    "an offence no plea names": {"fact": "plea.offence", "equals": "pha-s9"},
    "a level no marker has": {"fact": "escalation.level", "equals": "critical"},
    "an empty list": {"fact": "suspect.relationship", "in": []},
    "a count below zero": {"fact": "course.occasions", "at_most": -1},
    "no offence": {"charged": []},
    "no status": {"offence": "pha-s2", "in": []},
    "no channel": {"incidents": {"channel": []}},
    "an indicator no behaviour evidences": {"incidents": {"evidences": "nothing"}},
    "two yes-no answers": {"all": [{"fact": "plea.offered", "is": True},
                                   {"fact": "plea.offered", "is": False}]},
    "recorded and not": {"all": [{"fact": "plea.offered", "known": True},
                                 {"fact": "plea.offered", "known": False}]},
    "not recorded yet compared": {"all": [{"fact": "plea.offered", "known": False},
                                          {"fact": "plea.offered", "is": True}]},
    "two counts": {"all": [{"fact": "case.victims", "equals": 1},
                           {"fact": "case.victims", "equals": 2}]},
    "an empty date range": {"all": [{"fact": "decision_date", "on_or_after": date(2020, 1, 1)},
                                    {"fact": "decision_date", "before": date(2020, 1, 1)}]},
    "contains and empty": {"all": [{"fact": "history.kinds", "contains": "pin"},
                                   {"fact": "history.kinds", "empty": True}]},
    "two statuses": {"all": [{"offence": "pha-s4a", "is": "supported"},
                             {"offence": "pha-s4a", "in": ["not-supported", "unknown"]}]},
    "holds and not supported": {"all": [{"offence": "pha-s4a", "holds": True},
                                        {"offence": "pha-s4a", "is": "not-supported"}]},
    "a flag both ways": {"all": [{"offence": "pha-s2", "in_time": True},
                                 {"offence": "pha-s2", "in_time": False}]},
    "deep in an all": {"all": [{"all": [{"fact": "case.victims", "at_least": 3}]},
                               {"fact": "case.victims", "at_most": 2}]},
    "all in an all": {"all": [{"marker": "weapon"},
                              {"all": [{"fact": "case.victims", "at_least": 3},
                                       {"fact": "case.victims", "at_most": 2}]}]},
    "inside an any": {"any": [{"marker": "weapon"},
                              {"fact": "suspect.relationship", "equals": "partnr"}]},
}
HOLDS = {
    "a word it holds": {"fact": "suspect.relationship", "in": ["partner", "ex-partner"]},
    "a count range": {"all": [{"fact": "course.occasions", "at_least": 3},
                              {"fact": "course.occasions", "at_most": 3}]},
    "a date range": {"all": [{"fact": "decision_date", "on_or_after": date(2020, 1, 1)},
                             {"fact": "decision_date", "before": date(2020, 1, 2)}]},
    "words that meet": {"all": [{"fact": "suspect.relationship", "equals": "partner"},
                                {"fact": "suspect.relationship", "in": ["partner", "family"]}]},
    "contains and not empty": {"all": [{"fact": "history.kinds", "contains": "pin"},
                                       {"fact": "history.kinds", "empty": False}]},
    "two facts": {"all": [{"fact": "plea.offered", "is": True},
                          {"fact": "charges.any", "is": False}]},
    "recorded and compared": {"all": [{"fact": "plea.offered", "known": True},
                                      {"fact": "plea.offered", "is": False}]},
    "holds false and not raised": {"all": [{"offence": "sca-s76", "holds": False},
                                           {"offence": "sca-s76", "in": ["not-supported"]}]},
    "two flags": {"all": [{"offence": "pha-s2", "in_time": False},
                          {"offence": "pha-s2", "in_force": True}]},
    "either way in an any": {"any": [{"fact": "plea.offered", "is": True},
                                     {"fact": "plea.offered", "is": False}]},
    "not stalking, another behaviour": {"incidents": {"stalking": False,
                                                      "behaviours": ["abuse"]}},
    "at least none": {"incidents": {"evidences": "nothing", "at_least": 0}},
}


@pytest.fixture(scope="module")
def checker(rules: RuleSet) -> Checker:
    return Checker(rules)


def read(cond: dict[str, Any], rules: RuleSet) -> Any:
    """A condition as its tree; names the rule set lacks are left to the checks."""
    vocab = vocabulary(rules.sources)
    allowed = vocab._replace(indicators=vocab.indicators | {"nothing"})
    return parse(cond, ("when",), allowed)


@pytest.mark.parametrize("cond", NEVER.values(), ids=NEVER.keys())
def test_a_condition_that_can_never_hold_is_found(cond: dict[str, Any], rules: RuleSet,
                                                  checker: Checker) -> None:
    assert len(list(checker.never(read(cond, rules)))) == 1


@pytest.mark.parametrize("cond", HOLDS.values(), ids=HOLDS.keys())
def test_a_condition_that_can_hold_is_left_alone(cond: dict[str, Any], rules: RuleSet,
                                                 checker: Checker) -> None:
    assert list(checker.never(read(cond, rules))) == []


@pytest.mark.parametrize(("cond", "wrong"), [
    ({"all": [{"charged": ["pha-s4"]}, {"fact": "course.last", "before": date(2017, 4, 4)}]},
     True),
    ({"all": [{"charged": ["pha-s4"]}, {"fact": "course.last", "before": date(2017, 4, 3)}]},
     False),  # the day s.4's maximum changed
    ({"all": [{"plea_to": ["pha-s4a"]}, {"incidents": {"on_or_after": date(2012, 11, 25)}}]},
     False),  # s.4A's commencement
    ({"all": [{"offence": "pha-s2", "in_time": False},
              {"fact": "decision_date", "on_or_after": date(2022, 5, 2)}]},
     False),  # a change in the magistrates' general limit
    ({"all": [{"fact": "plea.offence", "equals": "mca-s1"},
              {"fact": "course.last", "before": date(2015, 4, 13)}]},
     False),  # the end of mca-s1's special time limit
    ({"all": [{"fact": "plea.offence", "equals": "mca-s1"},
              {"fact": "course.last", "before": date(2015, 4, 14)}]},
     True),
    ({"incidents": {"hostility": ["religious"], "on_or_after": date(2001, 12, 14)}},
     False),  # no offence named: nothing to restate
])
def test_a_date_beside_an_offence_is_one_of_its_dates(cond: dict[str, Any], wrong: bool,
                                                      rules: RuleSet, checker: Checker) -> None:
    assert bool(list(checker.mismatched_dates(read(cond, rules)))) is wrong


RULE = {"found": "", "why": "", "action": ""}


@pytest.mark.parametrize(("cond", "message", "unfilled"), [
    ({"plea_to": ["pha-s2"]}, "{plea} in place of {plea_drops}", False),
    ({"any": [{"plea_to": ["pha-s2"]}, {"marker": "weapon"}]}, "{plea}", True),
    ({"any": [{"plea_to": ["pha-s2"]}, {"plea_drops": ["pha-s4"]}]}, "{plea}", False),
    ({"fact": "plea.offered", "is": True}, "{plea}", False),
    ({"fact": "escalation.level", "in": ["medium", "high"]}, "{markers}", False),
    ({"fact": "escalation.level", "in": ["standard", "high"]}, "{markers}", True),
    ({"marker": "weapon"}, "{markers}", False),
    ({"not": {"marker": "weapon"}}, "{markers}", True),
    ({"fact": "charges.any", "is": True}, "{charged}", False),
    ({"test": "harassment"}, "{charged}", True),
    ({"any_charge": {"absent": True}}, "{unsupported_charges}", False),
    ({"any_charge": {"in_time": True}}, "{unsupported_charges}", True),
    ({"all": [{"charged": ["pha-s2"]}, {"offence": "pha-s2", "in_time": False}]},
     "{unsupported_charges}", False),
    ({"all": [{"charged": ["pha-s2"]}, {"offence": "pha-s4", "in_time": False}]},
     "{unsupported_charges}", True),
    ({"marker": "weapon"}, "{maximum[pha-s4a]}", False),  # judged for every victim
    ({"marker": "weapon"}, "{missing[sca-s76]}", True),  # judged only when raised
    ({"offence": "sca-s76", "is": "unknown"}, "{obtain[sca-s76]}", False),
    ({"any": [{"offence": "sca-s76", "is": "unknown"}, {"marker": "weapon"}]},
     "{missing[sca-s76]}", False),  # named: the weaker test keyed placeholders get
    ({"not": {"charged": ["sca-s76"]}}, "{missing[sca-s76]}", True),
    ({"marker": "weapon"}, "{victim} {incidents} {first} {last} {title[sca-s76]}", False),
])
def test_a_placeholder_needs_a_condition_that_makes_sure_of_it(
        cond: dict[str, Any], message: str, unfilled: bool, rules: RuleSet,
        checker: Checker) -> None:
    found = list(checker.unfilled(read(cond, rules), {**RULE, "found": message},
                                  ("rules", 0, "when")))
    assert bool(found) is unfilled, found
    assert all(path == ("rules", 0, "found") for path, _ in found)


SAME = [
    ({"all": [{"marker": "weapon"}, {"charged": "pha-s2"}]},
     {"all": [{"charged": ["pha-s2"]}, {"marker": "weapon"}, {"marker": "weapon"}]}),
    ({"all": [{"marker": "weapon"}]}, {"marker": "weapon"}),
    ({"any": [{"marker": "weapon"}, {"any": [{"marker": "strangulation"}]}]},
     {"any": [{"marker": "strangulation"}, {"marker": "weapon"}]}),
    ({"fact": "suspect.relationship", "equals": "partner"},
     {"fact": "suspect.relationship", "in": ["partner"]}),
    ({"offence": "pha-s2", "is": "supported"}, {"offence": "pha-s2", "in": ["supported"]}),
    ({"incidents": {"behaviours": "abuse", "channel": ["text", "email"]}},
     {"incidents": {"channel": ["email", "text"], "behaviours": ["abuse"], "at_least": 1}}),
]
DIFFERENT = [
    ({"all": [{"marker": "weapon"}, {"charged": "pha-s2"}]},
     {"any": [{"marker": "weapon"}, {"charged": "pha-s2"}]}),
    ({"not": {"marker": "weapon"}}, {"unless": {"marker": "weapon"}}),
    ({"plea_to": ["pha-s2"]}, {"plea_drops": ["pha-s2"]}),
    ({"incidents": {"behaviours": "abuse"}}, {"incidents": {"behaviours": "abuse",
                                                            "at_least": 2}}),
    ({"fact": "course.occasions", "at_least": 2}, {"fact": "course.occasions", "at_most": 2}),
]


def test_nodes_compare_by_form_and_fields_not_by_place() -> None:
    here, there = parse({"marker": "weapon"}, ("a",), CHECKED), parse({"marker": "weapon"},
                                                                      ("b", 1), CHECKED)
    assert here == there and hash(here) == hash(there) and len({here, there}) == 1
    assert here != parse({"test": "weapon"}, ("a",), CHECKED)  # same field, other form
    assert here != parse({"marker": "strangulation"}, ("a",), CHECKED)
    assert repr(here) == "Marker(name='weapon', path=('a',))"


@pytest.mark.parametrize(("one", "other"), SAME)
def test_conditions_written_differently_with_one_meaning_are_the_same(
        one: dict[str, Any], other: dict[str, Any]) -> None:
    assert normal(parse(one, (), CHECKED)) == normal(parse(other, (), CHECKED))


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_conditions_with_different_meanings_differ(one: dict[str, Any],
                                                   other: dict[str, Any]) -> None:
    assert normal(parse(one, (), CHECKED)) != normal(parse(other, (), CHECKED))


def test_rules_never_in_force_together_are_not_duplicates(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    area = pack / "checks" / "area.yaml"
    text = AREA.read_text(encoding="utf-8")
    text = text[:text.index("  # A relationship the case format")]
    area.write_text(text.replace("in_force: {from: 1997-06-16}",
                                 "in_force: {from: 1997-06-16, until: 2000-01-01}", 1),
                    encoding="utf-8")
    body, _ = json_problems(str(pack))
    assert not [p for p in body["problems"] if p["check"] == "duplicate-condition"]


def test_a_pack_rule_repeating_a_base_rule_is_a_duplicate(tmp_path: Path,
                                                          rules: RuleSet) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "docs" / "example-pack", pack)
    area = pack / "checks" / "area.yaml"
    area.write_text(area.read_text(encoding="utf-8").replace(
        "        - {test: stalking}\n        - {unless: {fact: safeguarding.specialist_advocate, "
        "is: true}}\n",
        "        - {fact: history.kinds, contains: pin}\n"), encoding="utf-8")
    body, _ = json_problems(str(pack))
    [found] = [p for p in body["problems"] if p["check"] == "duplicate-condition"]
    assert found["rule"] == "AX-001"
    assert found["message"].startswith("the same condition as SG-001 (in the base rule set)")


# --- a [verify] rule's severity (enforced when the rule set loads) ---------------------------

def test_a_rule_on_unconfirmed_law_may_be_at_most_medium(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    checks = rules / "checks" / "evidence-gap.yaml"
    text = checks.read_text(encoding="utf-8")
    at = text.index("  - id: EG-010")
    checks.write_text(text[:at] + text[at:].replace("severity: info", "severity: high", 1),
                      encoding="utf-8")
    result = run_cli("validate", str(rules))
    assert result.code == 1
    assert re.search(r"evidence-gap\.yaml:\d+: EG-010: rules\.\d+: a rule resting on "
                     r"unconfirmed law \(confidence: verify\) may be at most", result.out)


def test_a_pack_may_not_raise_a_verify_rule_above_medium(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "docs" / "example-pack", pack)
    manifest = pack / "pack.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "  - rule: SG-011\n    severity: high", "  - rule: EG-010\n    severity: high"),
        encoding="utf-8")
    body, code = json_problems(str(pack))
    assert code == 1
    [found] = body["problems"]
    assert (found["rule"], found["check"], found["line"]) == (
        "EG-010", "rule-file", line_of(manifest, "rule: EG-010") + 1)
    assert found["message"] == "a rule resting on unconfirmed law may be at most 'medium' severity"


def test_each_check_is_documented() -> None:
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for check, (severity, _) in CHECKS.items():
        assert re.search(rf"`{check}`\s*\|\s*{severity}", docs), check
