"""Shared fixtures: the bundled rule set (loaded once) and a CLI runner."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from chargecheck.cli.app import app
from chargecheck.cli.entry import main
from chargecheck.cli.rule_loading import load_ruleset
from chargecheck.rulebook.directory import default_rules_dir
from chargecheck.rulebook.ruleset import RuleSet

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

# Property-based tests (tests/test_fuzz.py). "ci", the default, is derandomised, so a run
# cannot flake and a failure reproduces; "long" (pytest --hypothesis-profile=long) is for
# occasional deep runs, with fresh examples each time. Tests scale their own example counts
# from max_examples. Neither keeps a .hypothesis database.
_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True,
                          database=None, suppress_health_check=_SLOW_IS_FINE)
settings.register_profile("long", max_examples=20_000, deadline=None, database=None,
                          suppress_health_check=_SLOW_IS_FINE, print_blob=True)
if settings.get_current_profile_name() == "default":  # tests import this module again
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_ruleset(use_cache=False)


@pytest.fixture(scope="session")
def rules_dir() -> str:
    return default_rules_dir()


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                   ) -> Iterator[None]:
    """Keep the rule cache out of the user's home during tests."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
    yield


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str, stdin: str | None = None, env: dict[str, str] | None = None,
            isolated: bool = False) -> Run:
    """Run the `chargecheck` command line and capture what a user would see.

    By default it runs in this process, through the console script's own entry point
    (`chargecheck.cli.entry.main`, with its `assess` fast path) inside typer's test isolation:
    the same arguments, output and exit code, at a fraction of the start-up cost. With
    `isolated`, it runs `python -m chargecheck` in a subprocess: for what only a real
    process shows (start-up imports, blocked sockets, temporary files, hard crashes).
    """
    settings = {"NO_COLOR": "1", "COLUMNS": "120", **(env or {})}
    if isolated:
        proc = subprocess.run(
            [sys.executable, "-m", "chargecheck", *args], capture_output=True, text=True,
            input=stdin, env={**os.environ, **settings}, timeout=60, check=False,
        )
        return Run(proc.returncode, proc.stdout, proc.stderr)
    return _in_process(main, list(args), stdin, settings)


def run_typer(*args: str, stdin: str | None = None) -> Run:
    """Run the command line through typer alone, never the `assess` fast path."""
    return _in_process(lambda argv: app(args=argv, prog_name="chargecheck"), list(args), stdin,
                       {"NO_COLOR": "1", "COLUMNS": "120"})


def _in_process(entry: Callable[[list[str]], object], args: list[str], stdin: str | None,
                env: dict[str, str]) -> Run:
    runner = CliRunner()
    with runner.isolation(input=stdin, env=env) as (out, err, _):
        code, crash = _call(entry, args)
        sys.stdout.flush()
        sys.stderr.flush()
        return Run(code, out.getvalue().decode(runner.charset, "replace"),
                   err.getvalue().decode(runner.charset, "replace") + crash)


def _call(entry: Callable[[list[str]], object], args: list[str]) -> tuple[int, str]:
    """The exit code, and the traceback of any exception that escaped (never acceptable)."""
    try:
        entry(args)
    except SystemExit as exc:
        return (0 if exc.code is None else exc.code if isinstance(exc.code, int) else 1), ""
    except Exception as exc:  # an escaped exception is the finding
        return EXIT_CRASH, "Traceback (escaped):\n" + "".join(traceback.format_exception(exc))
    finally:
        gc.enable()  # the entry point leaves the collector off for its process; this is pytest's
    return 0, ""


EXIT_CRASH = 99  # an exception escaped the command: never acceptable
