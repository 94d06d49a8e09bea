"""`chargecheck audit`: review many case files at once for the scrutiny-panel table.

Case files are assessed in a pool of forked worker processes (cli/workers.py). Each
worker compiles the rule set once, then sends back one small `CaseSummary` tuple per
file, never a model. The parent tallies the summaries in input order as they arrive,
so memory stays flat however many files there are, and the output does not depend on
the number of workers. The tally and its reporters are outputs (reports/audit_tally.py,
reports/audit_report.py); this module runs the batch.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from chargecheck.case.loading import load_case
from chargecheck.cli.rule_loading import load_rules
from chargecheck.cli.workers import in_order, with_progress
from chargecheck.engine.assess import assess
from chargecheck.engine.decisions import with_decisions
from chargecheck.engine.ladder import most_serious_first
from chargecheck.errors import InputError, Problem
from chargecheck.reports.audit_report import REPORTERS, Reporter
from chargecheck.reports.audit_tally import CaseSummary, Tally
from chargecheck.rulebook.ruleset import RuleSet

CASE_SUFFIXES = (".yaml", ".yml")


# --- finding the files -------------------------------------------------------------------

def case_files(paths: Iterable[str]) -> Iterator[str]:
    """Files as given, directories searched recursively, then glob patterns; in order."""
    for path in paths:
        if os.path.isdir(path):
            yield from _walk(path)
        elif not os.path.exists(path) and glob.has_magic(path):
            yield from _matching(path)
        else:
            yield path  # a missing file is reported when it is read


def case_count(paths: Iterable[str]) -> int:
    """How many files `case_files` finds: for the progress bar's total."""
    return sum(1 for _ in case_files(paths))


def _walk(directory: str) -> Iterator[str]:
    """Case files below `directory` in name order, skipping hidden entries.

    Only the names of one directory are held at a time, so memory stays small.
    """
    names: list[str] = []
    subdirectories: set[str] = set()
    with os.scandir(directory) as found:
        for entry in found:
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                subdirectories.add(entry.name)
                names.append(entry.name)
            elif entry.name.endswith(CASE_SUFFIXES):
                names.append(entry.name)
    names.sort()
    for name in names:
        path = os.path.join(directory, name)
        yield from _walk(path) if name in subdirectories else [path]


def _matching(pattern: str) -> Iterator[str]:
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        yield pattern  # reported, like a missing file, when it is read (`unmatched`)
    for match in matches:
        yield from _walk(match) if os.path.isdir(match) else [match]


def unmatched(file: str) -> Problem | None:
    """What to say of a `case_files` entry that could not be read, if it is a pattern
    that matched no file: not "no such file", which it never claimed to be."""
    if glob.has_magic(file) and not os.path.exists(file):
        return Problem(file, None, (), "no files match this pattern")
    return None


# --- assessing them ----------------------------------------------------------------------

@dataclass
class _Worker:
    """What `summarise` needs besides the file, set once per process."""

    rules: RuleSet | None = None
    fail_on: str = "high"


_WORKER = _Worker()


def summarise(file: str) -> CaseSummary:
    """Assess one file (in a worker) and keep only what the review tallies."""
    rules = _WORKER.rules
    assert rules is not None, "summarise before the worker is ready"
    try:
        case = load_case(file)
    except InputError as exc:
        missing = unmatched(file)
        problems = exc.problems if missing is None else [missing]
        return CaseSummary(file, problems=tuple(str(p) for p in problems))
    result = with_decisions(assess(case, rules), case, rules)
    laid = {c.offence for c in case.charges}  # for any victim, charged or proposed
    charged = [o for o in result.offences if o.offence in laid]
    failing = result.fails(_WORKER.fail_on)
    return CaseSummary(
        file, result.reference, tuple(o.offence for o in most_serious_first(charged, rules)),
        result.recommended, result.escalation.level, tuple(f.rule for f in result.findings),
        answers=tuple((f.rule, f.decision.response) for f in result.findings if f.decision),
        failing=failing,
        answered=not failing and result.fails(_WORKER.fail_on, settled_too=True))


@contextmanager
def summaries(files: Iterable[str], rules: RuleSet, rule_dirs: list[str] | None, jobs: int,
              fail_on: str) -> Iterator[Iterator[CaseSummary]]:
    """Summaries in input order: in this process for one job, else from a worker pool."""
    _WORKER.rules, _WORKER.fail_on = rules, fail_on  # forked workers inherit them
    with in_order(summarise, files, jobs, partial(_ready, rule_dirs, fail_on)) as stream:
        yield stream


def _ready(rule_dirs: list[str] | None, fail_on: str) -> None:
    """Ready a worker: a spawned one loads the rule set (a forked one has it)."""
    if _WORKER.rules is None:
        _WORKER.rules, _WORKER.fail_on = load_rules(rule_dirs), fail_on


# --- the command -------------------------------------------------------------------------

def run_audit(paths: list[str], output: str, cases: bool, jobs: int,
              rule_dirs: list[str] | None, fail_on: str, quiet: bool = False) -> Tally:
    """Assess every file, print the review in `output` format, and return the tally.

    A file that cannot be read is reported on stderr and counted; it never stops the batch.
    With `quiet`, that is all that is printed: no review and no progress bar.
    """
    rules = load_rules(rule_dirs)
    tally = Tally(rules, fail_on)
    report = _Silent() if quiet else reporter(output, tally)
    with summaries(case_files(paths), rules, rule_dirs, jobs, fail_on) as stream:
        for summary in with_progress(stream, partial(case_count, paths), not quiet):
            tally.add(summary)
            for problem in summary.problems:
                sys.stderr.write(f"error: {problem}\n")
            if cases and not summary.problems:
                report.case(summary)
    if not tally.files:
        raise InputError.one(" ".join(paths), None, (), "no case files (*.yaml, *.yml) found")
    report.finish()
    return tally


class _Silent:
    """`--quiet`: the review is tallied for the exit code, never printed."""

    def case(self, summary: CaseSummary) -> None:
        pass

    def finish(self) -> None:
        pass


def reporter(output: str, tally: Tally) -> Reporter:
    """The reporter for `--format`; only the text table is drawn with rich."""
    if output == "text":
        # rich costs a tenth of a second to import: the other formats never load it.
        from chargecheck.reports.audit_text import TextReporter

        return TextReporter(tally)
    return REPORTERS[output](tally)
