"""The console entry point, with a fast path for the most common command.

`chargecheck assess CASE [options]` is what a prosecutor runs most, and typer costs a
fifth of its cold start (importing it, then building the command's parameters). So a
well-formed `assess` command line is read by `chargecheck.cli.fast_path`, which knows only
`assess`'s options, and handed to the same `runner.assess` the typer command calls.
Anything else (help, another command, a mistake, an unusual spelling) goes to typer
untouched, so every message and exit code stays typer's own. tests/test_entry.py checks
both paths give the same output and exit code.

Nothing of chargecheck is imported at the top: each path imports what it runs, so
`--help` pays for neither the fast path nor the runner.
"""

from __future__ import annotations

import gc
import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run `chargecheck`: a well-formed `assess` directly, everything else through typer."""
    # Start-up is imports and class building: tens of thousands of long-lived objects and
    # no garbage, which the cyclic collector would walk again and again for nothing (about
    # a tenth of a cold start; docs/performance.md). Every command but `audit` and
    # `rules diff` is one short pass over files of bounded size, so the collector stays
    # off; those two read any number of files and switch it back on, tuned
    # (workers._tune_gc).
    gc.disable()
    args = sys.argv[1:] if argv is None else argv
    completing = "_CHARGECHECK_COMPLETE" in os.environ  # typer answers shell completion
    if args[:1] == ["assess"] and not completing:
        # The fast path's reader and the runner, only for a line that may be an `assess`.
        from chargecheck.cli.fast_path import parse_assess
        from chargecheck.cli.runner import assess, guarded

        options = parse_assess(args[1:])
        if options is not None:
            sys.exit(guarded(lambda: assess(**options)))
    # typer only for the lines the fast path leaves to it: a fifth of a cold assess.
    from chargecheck.cli.app import app

    app(args=args, prog_name="chargecheck")
