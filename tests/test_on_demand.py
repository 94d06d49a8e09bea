"""Commands imported on use: the root help lists them from `Root.table` without importing
them, and reads exactly as it would with every command imported."""

from __future__ import annotations

import inspect

import pytest
import typer.main
from typer.testing import CliRunner

from chargecheck.cli import app
from chargecheck.cli.on_demand import Commands, OnDemand, OnDemandGroup

TABLE = app.Root.table


@pytest.mark.parametrize("name", list(TABLE))
def test_each_summary_is_the_first_paragraph_of_its_command_help(name: str) -> None:
    command = TABLE[name].load()
    assert command.name == name
    first_paragraph = inspect.cleandoc(command.help or "").split("\n\n")[0]
    assert TABLE[name].summary == first_paragraph


def _root_help(load_first: bool, capsys: pytest.CaptureFixture[str]) -> str:
    group = typer.main.get_command(app.app)
    if load_first:
        for name in TABLE:
            group.commands[name]  # type: ignore[attr-defined]  # import every command
    with pytest.raises(SystemExit) as leaving:
        group.main(["--help"], prog_name="chargecheck")
    assert leaving.value.code == 0
    return capsys.readouterr().out


def test_the_root_help_reads_the_same_with_every_command_imported(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    listed = _root_help(False, capsys)
    for name, entry in TABLE.items():
        assert f" {name} " in listed and entry.summary.split()[0] in listed
    assert listed == _root_help(True, capsys)


LATE = {"late": OnDemand("chargecheck.cli.commands.no_such_module", "Late, and never built.")}


def test_listing_the_commands_imports_none() -> None:
    commands = Commands(LATE)
    assert list(commands) == ["late"] and len(commands) == 1
    assert "late" in commands and "other" not in commands
    assert commands.listed("late").help == "Late, and never built."
    with pytest.raises(ModuleNotFoundError):
        commands["late"]  # only reading the command imports its module


def test_a_command_once_imported_is_listed_as_itself_and_kept() -> None:
    commands = Commands(TABLE)
    assess = commands["assess"]
    assert commands.listed("assess") is assess and commands["assess"] is assess
    added = TABLE["new"].load()
    commands["added"] = added  # click's add_command
    assert commands["added"] is added and "added" in commands and len(commands) == 11
    with pytest.raises(TypeError, match="fixed"):
        del commands["assess"]


def test_a_command_declared_on_the_group_itself_is_kept_beside_the_table() -> None:
    declared = TABLE["new"].load()

    class Late(OnDemandGroup):
        table = LATE

    group = Late(name="late-group", commands={"declared": declared})
    assert list(group.commands) == ["late", "declared"]
    assert group.commands["declared"] is declared


def test_the_help_of_a_group_imports_none_of_its_commands(
        capsys: pytest.CaptureFixture[str]) -> None:
    class Late(OnDemandGroup):
        table = LATE

    with pytest.raises(SystemExit) as leaving:  # a command's module is not even looked for
        Late(name="late-group").main(["--help"], prog_name="late-group")
    assert leaving.value.code == 0
    assert "Late, and never built." in capsys.readouterr().out


def test_a_mistyped_command_is_still_answered_with_a_suggestion() -> None:
    result = CliRunner().invoke(app.app, ["asess", "x.yaml"], prog_name="chargecheck")
    assert result.exit_code == 2
    assert "assess" in result.output
