"""Property-based fuzzing of `chargecheck assess`: valid cases are judged, broken files are
refused with a message, and nothing ever crashes (issue 6, item 5).

Most examples run in this process through `run_in_process` (what the command does, minus
the terminal); fewer go through the real command line, in this process (typer's runner)
and in a subprocess (which alone would show a hard crash). Example counts scale with the
hypothesis profile: "ci" by default, `--hypothesis-profile=long` for a deep run
(see tests/conftest.py and benchmarks/fuzz.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from chargecheck.cli.app import app
from chargecheck.rulebook.ruleset import RuleSet
from tests.conftest import run_cli
from tests.fuzzing import (
    FLOW,
    FORMATS,
    Outcome,
    cases,
    check_contract,
    check_outcome,
    dump,
    mutated_files,
    run_command,
    run_in_process,
    valid_files,
)

BUDGET = settings().max_examples  # from the profile: 200 for ci, 20,000 for long


def scaled(share: float) -> settings:
    return settings(max_examples=max(5, int(BUDGET * share)))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def write(workdir: Path, data: bytes) -> str:
    path = workdir / "case.yaml"
    path.write_bytes(data)
    return str(path)


@scaled(1)
@given(case=cases(), flow=FLOW, output_format=st.sampled_from(FORMATS))
def test_valid_cases_are_assessed(rules: RuleSet, workdir: Path, case: dict[str, Any],
                                  flow: bool | None, output_format: str) -> None:
    path = write(workdir, dump(case, flow))
    judged = run_in_process(path, rules)
    check_outcome(path, judged)
    assert judged.code in (0, 1), judged.err
    check_contract(judged.out, case["reference"])
    if output_format != "json":
        check_outcome(path, run_in_process(path, rules, output_format))


# Inputs that once broke a rule, kept as explicit examples (see also the tests below).
CONTROL_CHARACTER_IN_KEY = b'format: 1\nreference: R\n"a\\fb": 1\n'


@scaled(3)
@given(data=mutated_files(), output_format=st.sampled_from(FORMATS))
@example(data=CONTROL_CHARACTER_IN_KEY, output_format="json")
def test_broken_files_never_crash(rules: RuleSet, workdir: Path, data: bytes,
                                  output_format: str) -> None:
    path = write(workdir, data)
    check_outcome(path, run_in_process(path, rules, output_format))


COMMANDS = st.sampled_from([["assess", "--format", name] for name in FORMATS]
                           + [["timeline"], ["validate"]])


@scaled(0.25)
@given(data=valid_files() | mutated_files(), command=COMMANDS)
def test_the_command_line_never_crashes(workdir: Path, data: bytes, command: list[str]) -> None:
    """The real commands, their error handling and exit codes, run by typer in this process.
    (`validate` reports problems on stdout with exit 1.)"""
    path = write(workdir, data)
    result = CliRunner().invoke(app, [command[0], path, *command[1:]],
                                env={"NO_COLOR": "1", "CHARGECHECK_DEBUG": ""})
    check_outcome(path, Outcome(result.exit_code, result.stdout, result.stderr))


@scaled(0.025)
@given(data=valid_files() | mutated_files())
def test_the_installed_command_never_crashes(workdir: Path, data: bytes) -> None:
    """In a subprocess: a crash in C (libyaml, pydantic-core) would show only here."""
    path = write(workdir, data)
    check_outcome(path, run_command(path))


# --- regressions found by fuzzing -----------------------------------------------------------

TWO_VICTIMS = """\
format: 1
reference: R
decision_date: 2017-06-01
victims:
  - id: "V\\e[2J"
  - id: "V\\n2"
incidents:
  - id: I1
    date: 2017-05-01
    behaviours: [contacting]
"""


def test_a_key_with_a_control_character_stays_on_one_line(tmp_path: Path) -> None:
    # A quoted key "a\fb" printed its form feed raw: the message broke over two lines.
    path = tmp_path / "case.yaml"
    path.write_bytes(CONTROL_CHARACTER_IN_KEY.replace(b"reference: R\n", b"reference: R\n"
                                                      b"victims: [{id: V1}]\nincidents: []\n"))
    result = run_cli("assess", str(path))
    assert result.code == 2
    assert f"error: {path}:5: a\\x0cb: unknown key 'a\\x0cb'" in result.err
    assert all(line.startswith(f"error: {path}:") for line in result.err.splitlines())


def test_ids_with_control_characters_are_shown_escaped(tmp_path: Path) -> None:
    # Ids went into messages raw: an escape sequence reached the terminal, a newline split
    # the message.
    path = tmp_path / "case.yaml"
    path.write_text(TWO_VICTIMS, encoding="utf-8")
    result = run_cli("assess", str(path))
    assert result.code == 2
    assert "\x1b" not in result.err
    assert result.err == (f"error: {path}:8: incidents.0.victims: required when the case has "
                          "more than one victim: list which of V\\x1b[2J, V\\n2 this concerns\n")
