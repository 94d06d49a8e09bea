"""Property-based fuzzing of rule files and rule packs: `validate` and `assess --rules`
agree on every broken rule set, name the file of every problem, and never crash.

Rule authors edit these files by hand and CI pipelines validate them, so a rule file
gets the same treatment as a case file (tests/test_fuzz.py): the bundled rule set and
the example pack are copied, one file is broken in its data and then in its bytes (the
mutations of tests/fuzzing.py), and both commands run on the copy.
"""

from __future__ import annotations

import copy
import functools
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.strategies import DrawFn

from tests.conftest import EXAMPLES, ROOT, Run, run_cli
from tests.fuzzing import (
    BYTE_CHANGES,
    BYTE_MUTATIONS,
    DATA_CHANGES,
    DATA_MUTATIONS,
    FLOW,
    SOME_BYTE_CHANGES,
    dump,
)

BUDGET = settings().max_examples  # 200 for the ci profile (tests/conftest.py)
CASE = str(EXAMPLES / "01-seven-websites.yaml")
SOURCES = {"rules": ROOT / "rules", "pack": ROOT / "docs/example-pack"}
SUMMARY = re.compile(r"\d+ files? checked: ")
WARNING = re.compile(r"^\S+:\d+: [^:]+: [\w.]+: warning: ")  # a static check's warning


def rule_files(kind: str) -> list[str]:
    root = SOURCES[kind]
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.yaml")
                  if "tests" not in p.relative_to(root).parts)


@functools.cache
def original(kind: str, name: str) -> Any:
    return yaml.load((SOURCES[kind] / name).read_text(encoding="utf-8"), yaml.CSafeLoader)


@st.composite
def broken_files(draw: DrawFn, kind: str) -> tuple[str, bytes]:
    """One rule file of `kind`, broken 1 to 4 ways: first in its data, then in its bytes."""
    name = draw(st.sampled_from(rule_files(kind)))
    data = copy.deepcopy(original(kind, name))
    in_data = draw(DATA_CHANGES)
    for change in in_data:
        if data:
            DATA_MUTATIONS[change](draw, data)
    text = dump(data, draw(FLOW))
    for change in draw(BYTE_CHANGES if in_data else SOME_BYTE_CHANGES):
        text = BYTE_MUTATIONS[change](draw, text)
    return name, text


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("rule-fuzz")
    return {kind: Path(shutil.copytree(source, base / kind)) for kind, source in SOURCES.items()}


def run_broken(directory: Path, name: str, text: bytes, *args: str) -> Run:
    target = directory / name
    kept = target.read_bytes()
    target.write_bytes(text)
    try:
        return run_cli(*args)
    finally:
        target.write_bytes(kept)


def check_agreement(directory: Path, checked: Run, used: Run) -> None:
    for run in (checked, used):
        assert "Traceback" not in run.out + run.err, run.err
    assert checked.code in (0, 1), checked.err
    assert used.code in (0, 1, 2), used.err
    if checked.code == 0:  # a rule set validate passes must be usable
        assert used.code in (0, 1), used.err
    if used.code == 2:  # and one assess refuses must fail validate, every problem named
        assert checked.code == 1, used.err
        assert used.out == ""
        for line in used.err.splitlines():
            assert line.startswith(f"error: {directory}"), line
    found = [line for line in checked.out.splitlines() if not SUMMARY.match(line)]
    errors = [line for line in found if not WARNING.search(line)]  # warnings never fail
    assert bool(errors) == (checked.code == 1), checked.out
    for line in found:
        assert line.startswith(str(directory)), line


def check_both_commands(directory: Path, name: str, text: bytes) -> None:
    checked = run_broken(directory, name, text, "validate", str(directory))
    used = run_broken(directory, name, text, "assess", CASE, "--rules", str(directory),
                      "--format", "json")
    check_agreement(directory, checked, used)


@settings(max_examples=max(5, BUDGET // 8))
@given(broken=broken_files("rules"))
def test_a_broken_rule_set_is_refused_by_both_commands_alike(
        copies: dict[str, Path], broken: tuple[str, bytes]) -> None:
    check_both_commands(copies["rules"], *broken)


@settings(max_examples=max(5, BUDGET // 8))
@given(broken=broken_files("pack"))
def test_a_broken_rule_pack_is_refused_by_both_commands_alike(
        copies: dict[str, Path], broken: tuple[str, bytes]) -> None:
    check_both_commands(copies["pack"], *broken)
