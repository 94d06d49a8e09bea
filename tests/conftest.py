"""Shared fixtures: the bundled rule set (loaded once) and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from chargecheck.ruleset import RuleSet, default_rules_dir, load_ruleset

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


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


def run_cli(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Run:
    """Run the real `chargecheck` in a subprocess, as a user would."""
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "chargecheck", *args], capture_output=True, text=True,
        input=stdin, env=full_env, timeout=60, check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)
