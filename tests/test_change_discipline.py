"""Rule changes are releases: a changed rule set needs a new version, a changelog entry
and regenerated documentation."""

from __future__ import annotations

import json
from pathlib import Path

from chargecheck.rulebook.directory import default_rules_dir
from chargecheck.rulebook.rule_docs import markdown
from chargecheck.rulebook.rule_tests import firing_examples
from chargecheck.rulebook.ruleset import RuleSet

ROOT = Path(__file__).resolve().parents[1]
RECORD = json.loads((ROOT / "tests" / "ruleset_record.json").read_text(encoding="utf-8"))


def test_rule_changes_come_with_a_new_version(rules: RuleSet) -> None:
    if rules.digest != RECORD["digest"]:
        assert rules.version != RECORD["version"], (
            "rules/ changed but rules/ruleset.yaml still says version "
            f"{rules.version}: bump the version, add a CHANGELOG.md entry naming the rules and "
            "legal dates affected, then run `python tests/record_ruleset.py`")
        raise AssertionError(
            f"rule set {rules.version} is new: check CHANGELOG.md, then run "
            "`python tests/record_ruleset.py` to record its digest")


def test_the_changelog_describes_the_current_version(rules: RuleSet) -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## Rule set {rules.version}" in changelog


def test_docs_rules_md_is_generated_from_the_rule_set(rules: RuleSet) -> None:
    expected = markdown(rules, firing_examples(default_rules_dir()))
    actual = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert actual == expected, (
        "docs/rules.md is stale: run `chargecheck rules docs > docs/rules.md`")
