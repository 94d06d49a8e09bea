"""`chargecheck audit`: review many case files at once for the scrutiny-panel table.

Case files are assessed in a pool of forked worker processes. Each worker
compiles the rule set once, then sends back one small `CaseSummary` tuple per
file, never a model. The parent tallies the summaries in input order as they
arrive, so memory stays flat however many files there are, and the output does
not depend on the number of workers. The tally and its reporters are outputs
(reports/audit_tally.py, reports/audit_report.py); this module runs the batch.
"""

from __future__ import annotations

import gc
import glob
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from chargecheck.case.loading import load_case
from chargecheck.cli.rule_loading import load_rules
from chargecheck.engine.assess import assess
from chargecheck.engine.decisions import with_decisions
from chargecheck.engine.ladder import most_serious_first
from chargecheck.errors import InputError
from chargecheck.reports.audit_report import REPORTERS, Reporter
from chargecheck.reports.audit_tally import CaseSummary, Tally
from chargecheck.rulebook.ruleset import RuleSet

T = TypeVar("T")

CASE_SUFFIXES = (".yaml", ".yml")
CHUNKSIZE = 32


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
        yield pattern  # reported, like a missing file, when it is read
    for match in matches:
        yield from _walk(match) if os.path.isdir(match) else [match]


# --- assessing them ----------------------------------------------------------------------

_WORKER: dict[str, RuleSet] = {}  # the rule set of this process, set once


def summarise(file: str) -> CaseSummary:
    """Assess one file (in a worker) and keep only what the review tallies."""
    rules = _WORKER["rules"]
    try:
        case = load_case(file)
    except InputError as exc:
        if glob.has_magic(file) and not os.path.exists(file):
            return CaseSummary(file, problems=(f"{file}: no files match this pattern",))
        return CaseSummary(file, problems=tuple(str(p) for p in exc.problems))
    result = with_decisions(assess(case, rules), case, rules)
    laid = {c.offence for c in case.charges}  # for any victim, charged or proposed
    charged = [o for o in result.offences if o.offence in laid]
    return CaseSummary(
        file, result.reference, tuple(o.offence for o in most_serious_first(charged, rules)),
        result.recommended, result.escalation["level"], tuple(f.rule for f in result.findings),
        answers=tuple((f.rule, f.decision.response) for f in result.findings if f.decision))


@contextmanager
def summaries(files: Iterable[str], rules: RuleSet, rule_dirs: list[str] | None, jobs: int
              ) -> Iterator[Iterator[CaseSummary]]:
    """Summaries in input order: in this process for one job, else from a worker pool.

    The pool is started on entry, before any thread (such as the progress bar's) exists,
    and stopped on exit.
    """
    _WORKER["rules"] = rules  # forked workers inherit it; spawned ones load it again
    with _tuned_gc():  # before the fork, so that workers share the frozen heap's pages
        if jobs <= 1:
            yield map(summarise, files)
            return
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        with context.Pool(jobs, initializer=_start_worker, initargs=(rule_dirs,)) as pool:
            yield pool.imap(summarise, files, chunksize=CHUNKSIZE)


def _start_worker(rule_dirs: list[str] | None) -> None:
    if "rules" not in _WORKER:
        _WORKER["rules"] = load_rules(rule_dirs)
    _tune_gc()


def _tune_gc() -> None:
    """Collect, but leave the long-lived heap (modules, rule set) out and collect less often.

    Each case makes many short-lived objects and no cycles worth chasing early. The
    collector is on from here even if start-up switched it off (chargecheck.cli.entry): memory
    must not grow with the number of files.
    """
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    gc.enable()


@contextmanager
def _tuned_gc() -> Iterator[None]:
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    _tune_gc()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
        if not enabled:
            gc.disable()


# --- the command -------------------------------------------------------------------------

def run_audit(paths: list[str], output: str, cases: bool, jobs: int,
              rule_dirs: list[str] | None, fail_on: str) -> Tally:
    """Assess every file, print the review in `output` format, and return the tally.

    A file that cannot be read is reported on stderr and counted; it never stops the batch.
    """
    rules = load_rules(rule_dirs)
    tally = Tally(rules, fail_on)
    report = reporter(output, tally)
    with summaries(case_files(paths), rules, rule_dirs, jobs) as stream:
        for summary in with_progress(stream, lambda: sum(1 for _ in case_files(paths))):
            tally.add(summary)
            for problem in summary.problems:
                sys.stderr.write(f"error: {problem}\n")
            if cases and not summary.problems:
                report.case(summary)
    if not tally.files:
        raise InputError.one(" ".join(paths), None, (), "no case files (*.yaml, *.yml) found")
    report.finish()
    return tally


def reporter(output: str, tally: Tally) -> Reporter:
    """The reporter for `--format`; only the text table is drawn with rich."""
    if output == "text":
        # rich costs a tenth of a second to import: the other formats never load it.
        from chargecheck.reports.audit_text import TextReporter

        return TextReporter(tally)
    return REPORTERS[output](tally)


def with_progress(items: Iterator[T], count: Callable[[], int]) -> Iterator[T]:
    """`items`, with a progress bar on stderr when both output streams are terminals."""
    if not (sys.stdout.isatty() and sys.stderr.isatty()):
        yield from items
        return
    # Only a terminal gets a progress bar, so only then is rich imported for it.
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("Assessing case files", total=count())
        for item in items:
            yield item
            bar.advance(task)
