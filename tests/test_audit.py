"""`chargecheck audit`: the review table over many files, in every format."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chargecheck.cli.audit import case_files
from tests.conftest import EXAMPLES, ROOT, run_cli

FORMATS = ("text", "json", "csv", "markdown")
SUMMARY_KEYS = {"advisory", "ruleset", "files", "cases_reviewed", "invalid_files", "invalid",
                "fail_on", "cases_failing", "cases_answered", "questions", "categories",
                "rules", "escalation", "charged_vs_recommended"}
CORRUPT = "format: 1\nreference: BROKEN\nvictims: [\n"


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 synthetic cases written by the benchmark generator."""
    out = tmp_path_factory.mktemp("generated")
    subprocess.run([sys.executable, str(ROOT / "benchmarks/generate.py"), str(out),
                    "--count", "300", "--seed", "7"], check=True)
    return out


@pytest.fixture
def with_corrupt(generated: Path, tmp_path: Path) -> Path:
    for source in sorted(generated.glob("*.yaml"))[:20]:
        shutil.copy(source, tmp_path)
    (tmp_path / "case-00007-corrupt.yaml").write_text(CORRUPT, encoding="utf-8")
    return tmp_path


def examples() -> Path:
    return EXAMPLES if any(EXAMPLES.glob("*.yaml")) else ROOT / "rules/tests/bases"


@pytest.mark.parametrize("output", FORMATS)
def test_examples_give_the_review_in_every_format(output: str) -> None:
    result = run_cli("audit", str(examples()), "--format", output, "--cases")
    assert result.code in (0, 1), result.err
    assert result.out.strip()
    assert "Under-charged as harassment" in result.out


@pytest.mark.parametrize("output", FORMATS)
def test_generated_cases_in_every_format(generated: Path, output: str) -> None:
    result = run_cli("audit", str(generated), "--format", output, "--jobs", "2", isolated=True)
    assert result.code in (0, 1), result.err
    for heading in ("Under-charged as harassment", "No risk assessment", "SG-001", "pha-s4a"):
        assert heading in result.out


def test_text_review_names_every_table(generated: Path) -> None:
    out = run_cli("audit", str(generated)).out
    for heading in ("300 files; 300 cases reviewed; 0 could not be read",
                    "Inspection questions", "Finding categories", "Rules",
                    "Escalation levels", "Charged (rows) against recommended (columns)",
                    "ADVISORY ONLY: NOT LEGAL ADVICE"):
        assert heading in out
    assert "\x1b[" not in out  # piped: no colour and no progress bar


def test_one_job_and_two_jobs_give_identical_output(generated: Path) -> None:
    args = ("audit", str(generated), "--cases", "--format", "json")
    one, two = run_cli(*args, "--jobs", "1"), run_cli(*args, "--jobs", "2", isolated=True)
    assert one.code == two.code
    assert one.out == two.out


def test_json_has_the_documented_keys(generated: Path) -> None:
    body = json.loads(run_cli("audit", str(generated), "--cases", "--format", "json").out)
    assert SUMMARY_KEYS | {"cases"} == set(body)
    assert body["files"] == body["cases_reviewed"] == len(body["cases"]) == 300
    assert [c["reference"] for c in body["cases"]] == [f"SYN-{n:05d}" for n in range(300)]
    assert {q["id"] for q in body["questions"]} >= {"under-charged-as-harassment", "pin-used"}
    assert set(body["escalation"]) == {"standard", "medium", "high"}
    assert sum(v["cases"] for v in body["escalation"].values()) == 300
    cross = body["charged_vs_recommended"]
    assert sum(n for row in cross.values() for n in row.values()) == 300
    assert body["rules"]["UC-001"]["category"] == "under-charging"


def test_csv_parses_with_the_csv_module(generated: Path) -> None:
    out = run_cli("audit", str(generated), "--cases", "--format", "csv").out
    rows = list(csv.DictReader(io.StringIO(out)))
    sections = {row["section"] for row in rows}
    assert sections >= {"case", "files", "question", "category", "rule", "escalation",
                        "charged-vs-recommended"}
    assert sum(row["section"] == "case" for row in rows) == 300
    reviewed = next(r for r in rows if r["section"] == "files" and r["key"] == "reviewed")
    assert reviewed["cases"] == "300"


def test_a_corrupt_file_is_reported_and_counted_while_the_rest_complete(
        with_corrupt: Path) -> None:
    result = run_cli("audit", str(with_corrupt), "--format", "json", "--jobs", "2",
                     isolated=True)
    assert result.code == 2
    assert "case-00007-corrupt.yaml:4: invalid YAML" in result.err
    body = json.loads(result.out)
    assert (body["files"], body["cases_reviewed"], body["invalid_files"]) == (21, 20, 1)
    assert body["invalid"][0]["file"].endswith("case-00007-corrupt.yaml")


def test_text_output_counts_the_unreadable_file(with_corrupt: Path) -> None:
    result = run_cli("audit", str(with_corrupt))
    assert result.code == 2
    assert "21 files; 20 cases reviewed; 1 could not be read" in result.out


def test_fail_on_sets_the_exit_code_when_every_file_is_valid(generated: Path) -> None:
    files = [str(p) for p in sorted(generated.glob("*.yaml"))[:30]]
    assert run_cli("audit", *files, "--fail-on", "info").code == 1


def test_a_pattern_matching_nothing_is_an_input_error(tmp_path: Path) -> None:
    result = run_cli("audit", str(tmp_path / "nothing-*.yaml"))
    assert result.code == 2
    assert "no files match this pattern" in result.err


def test_an_empty_directory_is_an_input_error(tmp_path: Path) -> None:
    result = run_cli("audit", str(tmp_path))
    assert result.code == 2
    assert "no case files" in result.err


def test_references_are_shown_as_text_never_as_markup(generated: Path, tmp_path: Path) -> None:
    text = (generated / "case-00000.yaml").read_text(encoding="utf-8")
    evil = text.replace("reference: SYN-00000", 'reference: "[bold red]X[/] \\x1b[31m"')
    (tmp_path / "evil.yaml").write_text(evil, encoding="utf-8")
    out = run_cli("audit", str(tmp_path), "--cases").out
    assert "[bold red]X[/] \\x1b[31m" in out
    assert "\x1b" not in out


def test_files_directories_and_globs_are_found_in_order(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.yml", "sub/c.yaml", "sub/notes.txt", ".hidden/d.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    found = list(case_files([str(tmp_path / "b.yaml"), str(tmp_path),
                             str(tmp_path / "sub/*.yaml")]))
    names = [str(Path(f).relative_to(tmp_path)) for f in found]
    assert names == ["b.yaml", "a.yml", "b.yaml", "sub/c.yaml", "sub/c.yaml"]


def test_the_worst_finding_of_a_case_is_the_one_a_lawyer_acts_on_first() -> None:
    # Example 01 has three high findings; the charge (UC-001) comes before safeguarding.
    body = json.loads(run_cli("audit", str(EXAMPLES / "01-seven-websites.yaml"), "--cases",
                              "--format", "json").out)
    assert [case["worst"] for case in body["cases"]] == [{"rule": "UC-001", "severity": "high"}]
