"""`chargecheck rules diff OLD_RULES NEW_RULES CASES...`: every case assessed under both
rule sets, and what moved (reports/rules_diff.py writes it).

Each side is a full rule set or a local pack (applied on the bundled set), read as
`--rules` reads it. Case files are found as `audit` finds them and assessed in the same
pool of workers (cli/workers.py, `--jobs`): each worker compiles both rule sets once and
sends back one case's diff; the diffs are collected in input order, so the output does
not depend on the number of workers.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import partial

from chargecheck.case.loading import load_case
from chargecheck.cli.audit import case_count, case_files, unmatched
from chargecheck.cli.rule_loading import load_rules
from chargecheck.cli.runner import must_exist
from chargecheck.cli.workers import in_order, with_progress
from chargecheck.engine.assess import assess
from chargecheck.errors import InputError, Problem
from chargecheck.reports.rules_diff import FORMATTERS, CaseDiff, RulesDiff, diff_case
from chargecheck.rulebook.ruleset import RuleSet


@dataclass
class _Sides:
    """The two rule sets `compared` judges each case under, set once per process."""

    old: RuleSet | None = None
    new: RuleSet | None = None


_SIDES = _Sides()


def compared(file: str) -> CaseDiff | tuple[Problem, ...]:
    """One case's diff (in a worker), or why the file could not be read."""
    old, new = _SIDES.old, _SIDES.new
    assert old is not None and new is not None, "compared before the worker is ready"
    try:
        case = load_case(file)
    except InputError as exc:
        missing = unmatched(file)
        return (missing,) if missing else tuple(exc.problems)
    return diff_case(file, assess(case, old), assess(case, new))


def _ready(old: str, new: str) -> None:
    """Ready a worker: a spawned one loads both rule sets (a forked one has them)."""
    if _SIDES.old is None or _SIDES.new is None:
        _SIDES.old, _SIDES.new = load_rules([old]), load_rules([new])


def run_diff(old: str, new: str, paths: list[str], jobs: int = 1, progress: bool = True
             ) -> RulesDiff:
    """Every case's diff, in input order, assessed by `jobs` workers (with a progress bar
    on a terminal, unless not `progress`)."""
    for path in (old, new):
        must_exist(path)
    _SIDES.old, _SIDES.new = load_rules([old]), load_rules([new])  # forked workers inherit
    diff = RulesDiff(old, new)
    with in_order(compared, case_files(paths), jobs, partial(_ready, old, new)) as stream:
        for outcome in with_progress(stream, partial(case_count, paths), progress):
            if isinstance(outcome, CaseDiff):
                diff.cases.append(outcome)
            else:
                diff.problems += outcome
    if not diff.cases and not diff.problems:
        raise InputError.one(" ".join(paths), None, (), "no case files found (*.yaml, *.yml)")
    return diff


def show(diff: RulesDiff, format_name: str, quiet: bool) -> None:
    """Print the diff; with `--quiet`, nothing but the case files that could not be read,
    on stderr (as `audit` reports them): the exit code says whether anything changed."""
    if quiet:
        sys.stderr.write("".join(f"error: {p}\n" for p in diff.problems))
    else:
        sys.stdout.write(FORMATTERS[format_name](diff))
