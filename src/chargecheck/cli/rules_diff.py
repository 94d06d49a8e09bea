"""`chargecheck rules diff OLD_RULES NEW_RULES CASES...`: every case assessed under both
rule sets, and what moved (reports/rules_diff.py writes it).

Each side is a full rule set or a local pack (applied on the bundled set), read as
`--rules` reads it. Case files are found as `audit` finds them.
"""

from __future__ import annotations

from chargecheck.case.loading import load_case
from chargecheck.cli.audit import case_files
from chargecheck.cli.rule_loading import load_rules
from chargecheck.cli.runner import must_exist
from chargecheck.engine.assess import assess
from chargecheck.errors import InputError
from chargecheck.reports.rules_diff import RulesDiff, diff_case


def run_diff(old: str, new: str, paths: list[str]) -> RulesDiff:
    for path in (old, new):
        must_exist(path)
    old_rules, new_rules = load_rules([old]), load_rules([new])
    diff = RulesDiff(old, new)
    for file in case_files(paths):
        try:
            case = load_case(file)
        except InputError as exc:
            diff.problems += exc.problems
            continue
        diff.cases.append(diff_case(file, assess(case, old_rules), assess(case, new_rules)))
    if not diff.cases and not diff.problems:
        raise InputError.one(" ".join(paths), None, (), "no case files found (*.yaml, *.yml)")
    return diff
