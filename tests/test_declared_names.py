"""Every name the rule files use is declared in `rules/`, and only there.

The FOUR indicator ids (indicators.yaml), the paragraphs of PHA 1997 s.2A(3)
(behaviours.yaml `s2a3_paragraphs`) and the audit's inspection questions (audit.yaml):
each test changes one in a scratch copy of the rule set and sees the change where a user
would, or sees a use of an undeclared name refused at its file and line.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, run_cli

EXAMPLE = str(EXAMPLES / "01-seven-websites.yaml")


@pytest.fixture()
def scratch(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {path.name}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, fragment: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if fragment in line)


def refused(rules: Path) -> str:
    result = run_cli("validate", str(rules))
    assert result.code == 1, result.out + result.err
    return result.out


# --- FOUR indicators ------------------------------------------------------------------------

def test_an_indicator_renamed_in_the_rules_is_the_name_reports_show(scratch: Path) -> None:
    for path in scratch.rglob("*.yaml"):  # its declaration and every use, rule tests included
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\bobsessive\b", "preoccupied", text), encoding="utf-8")
    assert run_cli("validate", str(scratch)).code == 0
    body = json.loads(run_cli("assess", EXAMPLE, "--rules", str(scratch), "--format",
                              "json").out)
    assert list(body["indicators"]) == ["fixated", "preoccupied", "unwanted", "repeated"]


def test_a_behaviour_evidencing_an_undeclared_indicator_is_refused(scratch: Path) -> None:
    behaviours = scratch / "behaviours.yaml"
    edit(behaviours, "evidences: [fixated, obsessive]\n    markers: [surveillance]",
         "evidences: [fixated, obsesive]\n    markers: [surveillance]")
    out = refused(scratch)
    assert (f"behaviours.yaml:{line_of(behaviours, '[fixated, obsesive]')}: following: "
            "behaviours.0.evidences.1: unknown FOUR indicator 'obsesive'; did you mean "
            "'obsessive'?") in out


def test_an_indicator_declared_twice_is_refused(scratch: Path) -> None:
    indicators = scratch / "indicators.yaml"
    edit(indicators, "  - id: repeated", "  - id: unwanted")
    lines = indicators.read_text(encoding="utf-8").splitlines()
    second = max(n for n, line in enumerate(lines, start=1) if line == "  - id: unwanted")
    assert (f"indicators.yaml:{second}: indicators.3.id: duplicate indicator 'unwanted'"
            in refused(scratch))


# --- PHA 1997 s.2A(3) paragraphs ------------------------------------------------------------

def test_a_paragraph_declared_in_the_rules_may_be_named(scratch: Path) -> None:
    behaviours = scratch / "behaviours.yaml"
    edit(behaviours, "behaviours:\n", "  - letter: h\n    text: a paragraph added by amendment\n"
         "    citations: [\"PHA 1997 s.2A(3)(h)\"]\n\nbehaviours:\n")
    edit(behaviours, "s2a3: a\n", "s2a3: h\n")
    result = run_cli("validate", str(scratch))
    assert result.code == 0, result.out


@pytest.mark.parametrize(("letter", "hint"), [("h", ""), ("A", "; did you mean 'a'?")])
def test_a_behaviour_naming_an_undeclared_paragraph_is_refused(scratch: Path, letter: str,
                                                                hint: str) -> None:
    behaviours = scratch / "behaviours.yaml"
    edit(behaviours, "s2a3: a\n", f"s2a3: {letter}\n")
    out = refused(scratch)
    assert (f"behaviours.yaml:{line_of(behaviours, f's2a3: {letter}')}: following: "
            f"behaviours.0.s2a3: unknown s.2A(3) paragraph '{letter}'{hint} "
            "(s2a3_paragraphs declares a, b, c, d, e, f, g)") in out


# --- the audit's inspection questions --------------------------------------------------------

QUESTION = ("  - id: no-victim-statement\n    title: No victim personal statement\n"
            "    rules: [SG-012]\n    citations: [\"Victims' Code 2021 Right 7\"]\n")


def audit_json(*args: str) -> dict[str, object]:
    result = run_cli("audit", str(EXAMPLES), "--format", "json", "--fail-on", "never", *args)
    assert result.code == 0, result.err
    body: dict[str, object] = json.loads(result.out)
    return body


def test_a_question_added_to_the_rules_is_asked_by_the_audit(scratch: Path) -> None:
    audit = scratch / "audit.yaml"
    audit.write_text(audit.read_text(encoding="utf-8") + QUESTION, encoding="utf-8")
    bundled = audit_json()["questions"]
    added = audit_json("--rules", str(scratch))["questions"]
    assert isinstance(bundled, list) and isinstance(added, list)
    assert added[:-1] == bundled
    assert {k: added[-1][k] for k in ("id", "title", "rules")} == {
        "id": "no-victim-statement", "title": "No victim personal statement",
        "rules": ["SG-012"]}
    # Read again from the rule-set cache the first run wrote: the same questions.
    assert audit_json("--rules", str(scratch))["questions"] == added


def test_a_question_naming_an_unknown_rule_is_refused(scratch: Path) -> None:
    audit = scratch / "audit.yaml"
    edit(audit, "rules: [SG-001]", "rules: [sg-001]")
    out = refused(scratch)
    assert (f"audit.yaml:{line_of(audit, '[sg-001]')}: pin-used: questions.4.rules.0: "
            "no rule has id 'sg-001'; did you mean 'SG-001'?") in out


def test_a_rule_set_without_audit_questions_is_refused(scratch: Path) -> None:
    (scratch / "audit.yaml").unlink()
    assert "rules: rule directory lacks audit.yaml" in refused(scratch)
