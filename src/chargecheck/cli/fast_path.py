"""The `assess` fast path's reader: a well-formed `assess` command line as the keyword
arguments of `runner.assess`, or None to leave the line to typer.

It knows only `assess`'s options; anything it is unsure of (help, a mistake, an unusual
spelling) is left to typer, so every message and exit code stays typer's own.
tests/test_entry.py checks it knows every option of the typer command and that both paths
give the same output and exit code.
"""

from __future__ import annotations

from typing import Any

from chargecheck.cli.runner import NEVER, settle_explain
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
