"""Every rule test case in rules/tests/ passes, and every active rule has both a case
where it fires and one where it stays silent."""

from __future__ import annotations

from collections import defaultdict

import pytest

from chargecheck.cli.rule_loading import load_ruleset
from chargecheck.cli.rule_tests import run_file
from chargecheck.reports.test_report import CaseOutcome
from chargecheck.rulebook.directory import default_rules_dir
from chargecheck.rulebook.rule_tests import rule_test_files

RULES_DIR = default_rules_dir()
RULES = load_ruleset(RULES_DIR, use_cache=False)
OUTCOMES: list[CaseOutcome] = [
    outcome for file in rule_test_files(RULES_DIR) for outcome in run_file(file, RULES, RULES_DIR)
]


@pytest.mark.parametrize("outcome", OUTCOMES, ids=[o.test_id for o in OUTCOMES])
def test_rule_case(outcome: CaseOutcome) -> None:
    assert outcome.passed, f"{outcome.file}:{outcome.line}: {outcome.detail}"


def test_every_rule_fires_once_and_stays_silent_once() -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    for outcome in OUTCOMES:
        seen[outcome.rule].add(outcome.expect)
    lacking = [f"{r.id} lacks {need}" for r in RULES.rules for need in ("fires", "silent")
               if need not in seen[r.id]]
    assert not lacking, "\n".join(lacking)
