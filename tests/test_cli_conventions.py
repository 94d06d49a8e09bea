"""Command-line conventions: help names what to give (never a Python type), every command
shows examples, `--fail-on never` keeps exit 0, `-` reads a case from standard input,
and a bad value is refused in plain words."""

from __future__ import annotations

import re

import pytest
import typer.main

from chargecheck.cli import app
from tests.conftest import EXAMPLES, run_cli

CASE = EXAMPLES / "01-seven-websites.yaml"


def _commands() -> list[tuple[str, ...]]:
    """Every command line that has a help page: the root, each group and each command."""
    found: list[tuple[str, ...]] = [()]

    def walk(group: object, prefix: tuple[str, ...]) -> None:
        for name, command in getattr(group, "commands", {}).items():
            found.append((*prefix, name))
            walk(command, (*prefix, name))

    walk(typer.main.get_command(app.app), ())
    return found


COMMANDS = _commands()


def test_every_command_is_found() -> None:
    assert {("assess",), ("validate",), ("test",), ("rules", "list"), ("scenarios", "run"),
            ("audit",), ("new",)} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "chargecheck")
def test_help_names_what_to_give_and_shows_examples(command: tuple[str, ...]) -> None:
    result = run_cli(*command, "--help")
    assert result.code == 0, result.err
    placeholders = re.findall(r"<[a-z][^>]*>|\{[a-z_]+\}", result.out)
    assert not placeholders, f"type placeholders in help: {placeholders}"
    assert "Examples:" in result.out
    assert "chargecheck " in result.out.split("Examples:")[1]


@pytest.mark.parametrize(("command", "metavar"), [
    (("assess",), "CASE"), (("validate",), "PATHS..."), (("test",), "[RULES_DIR...]"),
    (("audit",), "PATHS..."), (("explain",), "RULE_ID"), (("timeline",), "CASE"),
])
def test_usage_lines_use_metavars(command: tuple[str, ...], metavar: str) -> None:
    usage = run_cli(*command, "--help").out
    assert f"Usage: chargecheck {' '.join(command)} [OPTIONS] {metavar}" in usage


def test_fail_on_never_keeps_exit_zero_with_findings() -> None:
    assert run_cli("assess", str(CASE)).code == 1  # it has high findings
    assert run_cli("assess", str(CASE), "--fail-on", "never").code == 0
    assert run_cli("audit", str(EXAMPLES), "--fail-on", "never").code == 0


def test_a_case_is_read_from_standard_input() -> None:
    text = CASE.read_text(encoding="utf-8")
    from_stdin = run_cli("assess", "-", "--format", "json", stdin=text)
    assert from_stdin == run_cli("assess", str(CASE), "--format", "json")
    broken = run_cli("assess", "-", stdin="format: 1\nreference: [\n")
    assert broken.code == 2 and broken.err.startswith("error: <stdin>:")


@pytest.mark.parametrize(("args", "said"), [
    (("assess", str(CASE), "--format", "xml"), "'xml' is not one of: text, json, markdown, html"),
    (("assess", str(CASE), "--fail-on", "HIGH"), "did you mean 'high'?"),
    (("test", "--fail-under", "abc"), "'abc' is not a number"),
    (("test", "--fail-under", "101"), "must be from 0 to 100; got 101"),
    (("audit", "cases/", "--jobs", "0"), "must be at least 1; got 0"),
    (("rules", "diff", "a/", "b/", "cases/", "-j", "0"), "must be at least 1; got 0"),
    (("schema", "cas"), "'cas' is not one of: case, rules,"),  # an argument, not an option
    (("schema", "cas"), "did you mean 'case'?"),
])
def test_a_bad_value_is_refused_in_plain_words(args: tuple[str, ...], said: str) -> None:
    result = run_cli(*args, env={"COLUMNS": "200"})
    assert result.code == 2
    assert said in " ".join(result.err.split())
    assert "Input should be" not in result.err and "Value error" not in result.err


def test_shell_completion_can_be_installed() -> None:
    assert "--install-completion" in run_cli("--help").out

