"""The console entry point, with a fast path for the most common command.

`chargecheck assess CASE [options]` is what a prosecutor runs most, and typer costs a
fifth of its cold start (importing it, then building every command's parameters). So a
well-formed `assess` command line is read here, by a parser that knows only `assess`'s
options, and handed to the same `runner.assess` the typer command calls. Anything else
(help, another command, a mistake, an unusual spelling) goes to typer untouched, so
every message and exit code stays typer's own. tests/test_entry.py checks both paths
give the same output and exit code.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Any

from chargecheck.cli.runner import NEVER, assess, guarded, settle_explain
from chargecheck.scales import Severity

# Mirrors `chargecheck.cli.commands.assess`; the test suite checks the two stay in step.
FLAGS = {"--force": "force", "--show-names": "show_names", "--quiet": "quiet", "-q": "quiet"}
VALUES = {"--format": "output_format", "--fail-on": "fail_on", "--output": "output",
          "-o": "output", "--rules": "rules", "--set": "changes", "--color": "color",
          "--explain": "explain"}
REPEATABLE = frozenset({"rules", "changes", "explain"})
# Options whose value may be left out: `runner.settle_explain` writes `--explain` alone as
# `--explain=`, and the empty value stands for "explain everything".
OPTIONAL_VALUE = frozenset({"explain"})
CHOICES = {
    "output_format": frozenset({"text", "json", "markdown", "html"}),
    "fail_on": frozenset({*Severity, NEVER}),
    "color": frozenset({"auto", "always", "never"}),
}

Options = dict[str, Any]  # keyword arguments of `runner.assess`


def parse_assess(args: list[str]) -> Options | None:
    """`assess`'s arguments as keyword arguments, or None to leave the line to typer."""
    options: Options = {}
    pending = iter(settle_explain(args, VALUES))
    for arg in pending:
        name, equals, attached = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if arg in FLAGS and FLAGS[arg] not in options:
            options[FLAGS[arg]] = True
        elif name in VALUES:
            value = attached if equals else next(pending, "")
            if not _store(options, VALUES[name], value):
                return None
        elif (arg == "-" or not arg.startswith("-")) and "case" not in options:
            options["case"] = arg
        else:
            return None
    return options if "case" in options else None


def _store(options: Options, key: str, value: str) -> bool:
    """Record one option's value; False for anything typer should judge instead."""
    if not value and key in OPTIONAL_VALUE:
        options.setdefault(key, []).append(value)
        return True
    if not value or value.startswith("-") or value not in CHOICES.get(key, {value}):
        return False
    if key in REPEATABLE:
        options.setdefault(key, []).append(value)
        return True
    if key in options:
        return False
    options[key] = value
    return True


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
    options = parse_assess(args[1:]) if args[:1] == ["assess"] and not completing else None
    if options is None:
        # typer only for the lines the fast path leaves to it: a fifth of a cold assess.
        from chargecheck.cli.app import app

        app(args=args, prog_name="chargecheck")
        return
    sys.exit(guarded(lambda: assess(**options)))
