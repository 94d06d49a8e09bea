"""Property-based fuzzing of `chargecheck audit`: a batch of good and broken case files is
reviewed whole, whatever the files and the number of jobs.

Each file is also judged on its own (tests/fuzzing.py `run_in_process`), and the review
must agree with those verdicts: every readable file reviewed, every unreadable one
reported on stderr with its name and counted, exit code 2 exactly when one could not be
read, and the same review from one job as from two.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chargecheck.rulebook.ruleset import RuleSet
from tests.conftest import run_cli
from tests.fuzzing import mutated_files, run_in_process, valid_files

BUDGET = settings().max_examples  # 200 for the ci profile (tests/conftest.py)
BATCHES = st.lists(valid_files() | mutated_files(), min_size=1, max_size=6)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("audit-fuzz")


def write_batch(workdir: Path, batch: list[bytes]) -> Path:
    directory = Path(tempfile.mkdtemp(dir=workdir))
    for n, data in enumerate(batch):
        (directory / f"case-{n:03}.yaml").write_bytes(data)
    return directory


@settings(max_examples=max(5, BUDGET // 10))
@given(batch=BATCHES)
def test_a_batch_of_good_and_broken_files_is_reviewed_whole(
        rules: RuleSet, workdir: Path, batch: list[bytes]) -> None:
    directory = write_batch(workdir, batch)
    files = sorted(directory.glob("*.yaml"))
    unreadable = [f for f in files if run_in_process(str(f), rules).code == 2]
    one = run_cli("audit", str(directory), "--format", "json", "--jobs", "1")
    two = run_cli("audit", str(directory), "--format", "json", "--jobs", "2")
    assert one == two
    assert "Traceback" not in one.err
    assert (one.code == 2) if unreadable else (one.code in (0, 1)), one.err
    body = json.loads(one.out)
    assert (body["files"], body["cases_reviewed"], body["invalid_files"]) == (
        len(files), len(files) - len(unreadable), len(unreadable))
    assert [entry["file"] for entry in body["invalid"]] == [str(f) for f in unreadable]
    for line in one.err.splitlines():
        assert line.startswith(f"error: {directory}/case-"), line
