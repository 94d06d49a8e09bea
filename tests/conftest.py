"""Shared fixtures: the bundled rule set (loaded once) and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from chargecheck.ruleset import RuleSet, default_rules_dir, load_ruleset

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

    By default it runs in this process through typer's test runner (the same app, the
    same arguments, output and exit code, at a fraction of the start-up cost). With
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
    from typer.testing import CliRunner

    from chargecheck.cli import app

    result = CliRunner().invoke(app, list(args), input=stdin, env=settings,
                                prog_name="chargecheck")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        trace = "".join(traceback.format_exception(result.exception))
        return Run(EXIT_CRASH, result.stdout, result.stderr + "Traceback (escaped):\n" + trace)
    return Run(result.exit_code, result.stdout, result.stderr)


EXIT_CRASH = 99  # an exception escaped the command: never acceptable
