"""Commands imported on use, listed without importing them.

click's recipe for a large command line ("Lazily Loading Subcommands" in click's docs): the
root group knows each command by name and module, and imports the module only when the
command runs or shows its own help. `chargecheck --help` then lists every command from the
one-line summary kept beside its name, and imports none of them: building fifteen commands
was a fifth of `--help`'s cost above typer's own (docs/performance.md).
tests/test_on_demand.py checks each summary is the first paragraph of its command's help,
and that the root help reads the same as with every command imported.
"""

import importlib
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any, ClassVar, NamedTuple

import typer.main
from typer.core import TyperCommand

from chargecheck.cli.conventions import Group

# Set in the context's `meta` while a group draws its help: the commands are only listed.
_LISTING = "chargecheck.listing"


class OnDemand(NamedTuple):
    """Where a command lives, and what the root help says of it."""

    module: str  # holds `cli`, a typer.Typer with the one command (or the group)
    summary: str  # the first paragraph of the command's help

    def load(self) -> Any:
        """The click command (or group) the module declares."""
        return typer.main.get_command(importlib.import_module(self.module).cli)

    def stand_in(self, name: str) -> TyperCommand:
        """A command that only names and summarises the real one, for a help listing."""
        return TyperCommand(name=name, help=self.summary)


def commands_in(package: str, summaries: Mapping[str, str]) -> dict[str, OnDemand]:
    """Each command of `package` by name, its module named alike (`rules` in
    `package.rules`), with its summary."""
    return {name: OnDemand(f"{package}.{name}", summary) for name, summary in summaries.items()}


class Commands(MutableMapping[str, Any]):
    """A group's commands by name: known from the table, each imported when first read."""

    def __init__(self, table: Mapping[str, OnDemand]) -> None:
        self._table = table
        self._loaded: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._loaded:
            self._loaded[name] = self._table[name].load()
        return self._loaded[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError("the command line's commands are fixed")

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self._table), **self._loaded})

    def __len__(self) -> int:
        return len(self._table.keys() | self._loaded.keys())

    def __contains__(self, name: object) -> bool:  # without importing
        return name in self._table or name in self._loaded

    def listed(self, name: str) -> Any:
        """The command if it is imported already, else its stand-in."""
        if name in self._loaded or name not in self._table:
            return self._loaded.get(name)
        return self._table[name].stand_in(name)


class OnDemandGroup(Group):
    """A group whose commands come from `table` (set on a subclass), each imported on use."""

    table: ClassVar[Mapping[str, OnDemand]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        declared, self.commands = self.commands, Commands(self.table)
        self.commands.update(declared)  # any declared on the typer app itself are kept

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # typer's own reads every command, importing each

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if ctx.meta.get(_LISTING):
            return self.commands.listed(cmd_name)  # type: ignore[attr-defined]
        return super().get_command(ctx, cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        ctx.meta[_LISTING] = True
        try:
            super().format_help(ctx, formatter)
        finally:
            del ctx.meta[_LISTING]
