"""`--quiet` / `-q`: nothing printed when all is well, only what is wrong otherwise, and
the exit code of the same command without it (docs/ci.md lists what each prints).

assess, audit and rules diff print nothing on stdout (their report is the result, not a
problem: the exit code says it); validate and test print only what is wrong, in text,
and a machine format (JSON, SARIF, JUnit) whole, whether or not anything is wrong.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import typer.main

from chargecheck.cli.app import app
from tests.conftest import EXAMPLES, ROOT, run_cli, run_typer

FAILING = str(EXAMPLES / "01-seven-websites.yaml")  # a high finding: exit 1
PASSING_PACK = str(ROOT / "docs" / "example-pack")  # valid, and every test passes
FAILING_PACK = str(ROOT / "tests" / "fixtures" / "failing-pack")  # two failing tests
BROKEN_PACK = str(ROOT / "tests" / "fixtures" / "broken-pack")  # six validate problems
BROKEN_CASE = "format: 1\nreference: [\n"


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN_CASE, encoding="utf-8")
    return path


# --- assess, audit, rules diff: the exit code alone ------------------------------------

@pytest.mark.parametrize("flag", ["--quiet", "-q"])
@pytest.mark.parametrize("extra", [(), ("--fail-on", "never"), ("--format", "json"),
                                   ("--explain",), ("--set", "victims.V1.very_frightened=false")],
                         ids=" ".join)
def test_assess_prints_nothing_and_keeps_its_exit_code(flag: str, extra: tuple[str, ...]
                                                       ) -> None:
    loud = run_cli("assess", FAILING, *extra)
    quiet = run_cli("assess", FAILING, *extra, flag)
    assert loud.out and loud.code in (0, 1)
    assert (quiet.code, quiet.out, quiet.err) == (loud.code, "", "")


def test_assess_quiet_still_writes_the_output_file(tmp_path: Path) -> None:
    loud, quiet = tmp_path / "loud.json", tmp_path / "quiet.json"
    assert run_cli("assess", FAILING, "--format", "json", "-o", str(loud)).code == 1
    result = run_cli("assess", FAILING, "--format", "json", "-o", str(quiet), "-q")
    assert (result.code, result.out, result.err) == (1, "", "")
    assert quiet.read_text(encoding="utf-8") == loud.read_text(encoding="utf-8")


def test_assess_quiet_still_reports_bad_input(broken: Path) -> None:
    result = run_cli("assess", str(broken), "-q")
    assert result.code == 2 and result.out == ""
    assert result.err.startswith(f"error: {broken}")


@pytest.mark.parametrize("args", [("assess", FAILING, "-q"), ("assess", "--quiet", FAILING),
                                  ("assess", FAILING, "-q", "--quiet")], ids=" ".join)
def test_assess_quiet_is_the_same_through_the_fast_path_and_typer(args: tuple[str, ...]
                                                                  ) -> None:
    assert run_cli(*args) == run_typer(*args)


@pytest.mark.parametrize("fail_on", ["high", "critical", "never"])
def test_audit_prints_nothing_and_keeps_its_exit_code(fail_on: str) -> None:
    args = ("audit", str(EXAMPLES), "--cases", "--jobs", "1", "--fail-on", fail_on)
    loud, quiet = run_cli(*args), run_cli(*args, "-q")
    assert loud.out and loud.code in (0, 1)
    assert (quiet.code, quiet.out, quiet.err) == (loud.code, "", "")


def test_audit_quiet_still_names_the_files_it_cannot_read(tmp_path: Path, broken: Path
                                                          ) -> None:
    shutil.copy(FAILING, tmp_path)
    result = run_cli("audit", str(tmp_path), "--quiet", "--jobs", "1")
    assert result.code == 2 and result.out == ""
    assert len(result.err.splitlines()) == 1
    assert result.err.startswith(f"error: {broken}:")


def test_rules_diff_prints_nothing_and_keeps_its_exit_code(tmp_path: Path) -> None:
    rules = str(ROOT / "rules")
    same = run_cli("rules", "diff", rules, rules, str(EXAMPLES), "-q", "--jobs", "1")
    assert (same.code, same.out, same.err) == (0, "", "")
    changed = run_cli("rules", "diff", rules, PASSING_PACK, str(EXAMPLES), "--jobs", "1")
    assert changed.code == 1, "the pack's rule changes some example"
    quiet = run_cli("rules", "diff", rules, PASSING_PACK, str(EXAMPLES), "-q", "--jobs", "1")
    assert (quiet.code, quiet.out, quiet.err) == (1, "", "")


def test_rules_diff_quiet_names_unreadable_cases_on_stderr(broken: Path) -> None:
    rules = str(ROOT / "rules")
    loud = run_cli("rules", "diff", rules, rules, str(broken), FAILING)
    quiet = run_cli("rules", "diff", rules, rules, str(broken), FAILING, "--quiet")
    assert loud.code == quiet.code == 2
    unreadable = [line for line in loud.out.splitlines() if line.startswith("error: ")]
    assert unreadable and quiet.out == ""
    assert quiet.err.splitlines() == unreadable


# --- validate and test: only what is wrong -----------------------------------------------

@pytest.mark.parametrize("fmt", ["text", "github"])
def test_validate_quiet_prints_nothing_when_all_is_valid(fmt: str) -> None:
    result = run_cli("validate", PASSING_PACK, str(EXAMPLES), "--format", fmt, "-q")
    assert (result.code, result.out, result.err) == (0, "", "")


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit"])
def test_validate_quiet_still_prints_a_document_when_all_is_valid(fmt: str) -> None:
    # A CI step that always uploads the report gets a valid one that finds nothing.
    args = ("validate", PASSING_PACK, str(EXAMPLES), "--format", fmt)
    quiet, loud = run_cli(*args, "-q"), run_cli(*args)
    assert quiet == loud and quiet.code == 0 and not quiet.err
    assert nothing_wrong_in(quiet.out, fmt)


def nothing_wrong_in(document: str, fmt: str) -> bool:
    """Whether a JSON, SARIF or JUnit report parses and records nothing wrong."""
    if fmt == "junit":
        root = ElementTree.fromstring(document)
        return root.get("failures") == "0" and root.get("errors") == "0"
    body = json.loads(document)
    found = body["runs"][0]["results"] if fmt == "sarif" else body["problems"]
    return isinstance(found, list) and not found


def test_validate_quiet_text_is_the_problems_without_the_count() -> None:
    loud = run_cli("validate", BROKEN_PACK)
    quiet = run_cli("validate", BROKEN_PACK, "--quiet")
    assert loud.code == quiet.code == 1
    problems = loud.out.splitlines()[:-1]
    assert loud.out.splitlines()[-1] == "2 files checked: 6 problems"
    assert len(problems) == 6
    assert quiet.out.splitlines() == problems


@pytest.mark.parametrize("fmt", ["json", "github", "sarif", "junit"])
def test_validate_quiet_prints_a_machine_format_whole_on_problems(fmt: str) -> None:
    loud = run_cli("validate", BROKEN_PACK, "--format", fmt)
    quiet = run_cli("validate", BROKEN_PACK, "--format", fmt, "-q")
    assert quiet == loud and loud.code == 1
    if fmt == "json":
        assert len(json.loads(quiet.out)["problems"]) == 6


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_test_quiet_prints_nothing_when_every_test_passes(fmt: str) -> None:
    result = run_cli("test", PASSING_PACK, "--format", fmt, "--quiet")
    assert (result.code, result.out, result.err) == (0, "", "")


@pytest.mark.parametrize("fmt", ["junit", "sarif"])
def test_test_quiet_still_prints_a_document_when_every_test_passes(fmt: str) -> None:
    args = ("test", PASSING_PACK, "--format", fmt)
    quiet, loud = run_cli(*args, "--quiet"), run_cli(*args)
    assert quiet == loud and quiet.code == 0 and not quiet.err
    assert nothing_wrong_in(quiet.out, fmt)


def test_test_quiet_text_is_the_failures_and_the_summary_line() -> None:
    quiet = run_cli("test", FAILING_PACK, "-q")
    assert quiet.code == run_cli("test", FAILING_PACK).code == 1
    lines = quiet.out.splitlines()
    assert lines[0] == "FAIL AX-001_wrongly_expected_to_fire"
    assert "MISSING AX-001 has no passing 'silent' case" in lines
    assert lines[-1] == "1 passed, 2 failed, 1 missing case; coverage 50.0%"
    assert not any(line.startswith("Coverage") for line in lines), "no coverage table"


def test_test_quiet_says_why_when_only_coverage_fails() -> None:
    quiet = run_cli("test", PASSING_PACK, "--fail-under", "100", "-q")
    assert (quiet.code, quiet.out) == (0, "")
    low = run_cli("test", "--fail-under", "100", "-q")  # the bundled set: not every outcome
    assert low.code == 1
    assert low.out.count("\n") == 1 and low.out.rstrip().endswith("(below the 100% required)")


@pytest.mark.parametrize("fmt", ["junit", "github", "sarif"])
def test_coverage_below_fail_under_is_an_entry_in_every_machine_format(fmt: str) -> None:
    # Every case passes; only coverage falls short. The document must say so, or a CI
    # step reading it would show a failed job with nothing failed.
    run = run_cli("test", "--fail-under", "100", "--format", fmt)
    assert run.code == 1
    said = "is below the 100% required (--fail-under)"
    if fmt == "github":
        [line] = run.out.splitlines()
        assert line.startswith("::error file=") and said.replace("%", "%25") in line
    elif fmt == "sarif":
        [result] = json.loads(run.out)["runs"][0]["results"]
        assert result["ruleId"] == "rule-test-coverage" and said in result["message"]["text"]
    else:
        root = ElementTree.fromstring(run.out)
        assert root.get("failures") == "1"
        [failure] = root.iter("failure")
        assert said in failure.get("message", "")
    assert run_cli("test", "--fail-under", "50", "--format", fmt).code == 0


@pytest.mark.parametrize("fmt", ["junit", "github", "sarif"])
def test_test_quiet_prints_a_machine_format_whole_on_failure(fmt: str) -> None:
    loud = run_cli("test", FAILING_PACK, "--format", fmt)
    assert run_cli("test", FAILING_PACK, "--format", fmt, "-q") == loud
    assert loud.code == 1 and loud.out


@pytest.mark.parametrize("command", [("assess", FAILING), ("audit", str(EXAMPLES)),
                                     ("validate", str(EXAMPLES)), ("test",),
                                     ("rules", "diff", "rules", "rules", str(EXAMPLES))],
                         ids=lambda c: " ".join(c[:2]))
def test_every_quiet_command_documents_it_with_an_example(command: tuple[str, ...]) -> None:
    words = command[:2] if command[0] == "rules" else command[:1]
    help_text = run_cli(*words, "--help").out
    assert "--quiet" in help_text and "-q" in help_text
    examples = help_text.split("Examples:")[1]
    assert any(("-q" in line or "--quiet" in line) for line in examples.splitlines())


def _quiet_commands() -> set[str]:
    """Every command of the typer app that takes --quiet, by its full name."""
    found: set[str] = set()

    def walk(command: Any, name: str) -> None:
        if hasattr(command, "commands"):  # a group
            for sub, child in command.commands.items():
                walk(child, f"{name} {sub}".strip())
        elif any("--quiet" in p.opts for p in command.params):
            found.add(name)

    walk(typer.main.get_command(app), "")
    return found


def test_docs_ci_lists_every_quiet_command() -> None:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    section = text.split("## Quiet runs")[1].split("\n## ")[0]
    rows = {line.split("|")[1].strip().strip("`") for line in section.splitlines()
            if line.startswith("| `")}
    assert rows == _quiet_commands() == {"assess", "audit", "rules diff", "validate", "test"}
