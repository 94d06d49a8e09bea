"""Many case files through one function, in input order, in a pool of worker processes.

`audit` and `rules diff` read any number of case files. Each hands this module a
module-level function of one file name; the files go to a pool of forked workers in
chunks and the results come back in input order, so the output never depends on the
number of workers (`--jobs`). What the function needs besides the file (the compiled
rule sets) is readied once per process by the command's `ready`: a forked worker
inherits the parent's and `ready` has nothing to do; a spawned one (where there is no
fork) builds its own, so `ready` must be picklable and load only what is missing.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

CHUNKSIZE = 32


@contextmanager
def in_order(work: Callable[[str], T], files: Iterable[str], jobs: int,
             ready: Callable[[], None]) -> Iterator[Iterator[T]]:
    """`work` over `files`, in input order: in this process for one job, else in a pool.

    The caller readies this process before; `ready` readies each worker. The pool is
    started on entry, before any thread (such as the progress bar's) exists, and stopped
    on exit.
    """
    with _tuned_gc():  # before the fork, so that workers share the frozen heap's pages
        if jobs <= 1:
            yield map(work, files)
            return
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        with context.Pool(jobs, initializer=_start_worker, initargs=(ready,)) as pool:
            yield pool.imap(work, files, chunksize=CHUNKSIZE)


def _start_worker(ready: Callable[[], None]) -> None:
    ready()
    _tune_gc()


def _tune_gc() -> None:
    """Collect, but leave the long-lived heap (modules, rule set) out and collect less often.

    Each case makes many short-lived objects and no cycles worth chasing early. The
    collector is on from here even if start-up switched it off (chargecheck.cli.entry):
    memory must not grow with the number of files.
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


def with_progress(items: Iterator[T], count: Callable[[], int], shown: bool = True
                  ) -> Iterator[T]:
    """`items`, with a progress bar on stderr when `shown` (`--quiet` shows none) and
    both output streams are terminals."""
    if not (shown and sys.stdout.isatty() and sys.stderr.isatty()):
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
