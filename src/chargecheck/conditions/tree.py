"""A rule condition as a typed tree: what `parse.py` makes of a condition's YAML.

One node per form of the language (rules/README.md, "The condition language"). The
compiler, the plain-English description, the JSON Schema and the static checks of a
rule set all walk these nodes, so each form is read from its YAML once, in one place.

Every node keeps the key path of the mapping it was read from (`path`), so a problem
found in it can name its file and line; the path takes no part in comparing nodes, so
two conditions written alike are equal wherever they stand. Argument values are as
validated: word lists are tuples in the order written, dates are dates, counts whole
numbers.

The nodes are small slotted classes whose fields are `Final`: mypy refuses any change
after a node is made. They are not dataclasses or named tuples because every command
imports this module and each rule set load makes hundreds of nodes: a frozen dataclass
costs about 0.3 ms to define and a named tuple 0.05 ms, against microseconds for these,
and these are also the quickest to make (docs/performance.md).
"""

from __future__ import annotations

from datetime import date
from typing import Final

from chargecheck.errors import Path

# A word or several, as written (`channel: text` or `channel: [text, email]`).
Words = str | tuple[str, ...]
# What a fact is compared with: true/false, a count, a date, a word or words.
Argument = bool | int | date | str | tuple[str, ...]
# One incident filter (`channel: [text]`, `after: separation`): its key and argument.
# Its place is its `Incidents`'s (`Incidents.place_of`).
Filter = tuple[str, bool | date | Words]


class _Node:
    """What every node shares: equality by form and fields (the path aside), and a
    readable repr."""

    __slots__: tuple[str, ...] = ()

    def _fields(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__ if name != "path")

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash((type(self), self._fields()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({shown})"


class AllOf(_Node):
    """`all: [...]`: true when every part is; false when one is false; else unknown."""

    __slots__ = ("parts", "path")

    def __init__(self, parts: tuple[Condition, ...], path: Path) -> None:
        self.parts: Final = parts
        self.path: Final = path


class AnyOf(_Node):
    """`any: [...]`: true when one part is; false when every part is false; else unknown."""

    __slots__ = ("parts", "path")

    def __init__(self, parts: tuple[Condition, ...], path: Path) -> None:
        self.parts: Final = parts
        self.path: Final = path


class Not(_Node):
    """`not: {...}`: unknown stays unknown."""

    __slots__ = ("inner", "path")

    def __init__(self, inner: Condition, path: Path) -> None:
        self.inner: Final = inner
        self.path: Final = path


class Unless(_Node):
    """`unless: {...}`: true unless the inner condition is known to hold."""

    __slots__ = ("inner", "path")

    def __init__(self, inner: Condition, path: Path) -> None:
        self.inner: Final = inner
        self.path: Final = path


class FactTest(_Node):
    """`{fact: NAME, OP: ARG}`: a recorded or derived fact of kind `kind` (count, yes-no,
    word, words or date: facts.FACT_KINDS) compared."""

    __slots__ = ("arg", "fact", "kind", "op", "path")

    def __init__(self, fact: str, kind: str, op: str, arg: Argument, path: Path) -> None:
        self.fact: Final = fact
        self.kind: Final = kind
        self.op: Final = op
        self.arg: Final = arg
        self.path: Final = path


class Incidents(_Node):
    """`{incidents: {filters..., at_least: N}}`: occasions among the victim's incidents."""

    __slots__ = ("at_least", "filters", "path")

    def __init__(self, filters: tuple[Filter, ...], at_least: int, path: Path) -> None:
        self.filters: Final = filters
        self.at_least: Final = at_least
        self.path: Final = path

    def place_of(self, key: str) -> Path:
        """The key path of one of the filters, or of `at_least`."""
        return (*self.path, "incidents", key)


class Charged(_Node):
    """`{charged: [...]}`: one of these offences is charged for this victim."""

    __slots__ = ("offences", "path")

    def __init__(self, offences: tuple[str, ...], path: Path) -> None:
        self.offences: Final = offences
        self.path: Final = path


class Plea(_Node):
    """`{plea_to: [...]}` or `{plea_drops: [...]}` (`key`): the plea offer names one of
    these."""

    __slots__ = ("key", "offences", "path")

    def __init__(self, key: str, offences: tuple[str, ...], path: Path) -> None:
        self.key: Final = key
        self.offences: Final = offences
        self.path: Final = path


class Status(_Node):
    """`{offence: ID, OP: ARG}` or `{indicator: ID, OP: ARG}` (`subject`): as judged for
    this victim.

    `op` is `is` (ARG a status) or `in` (a status or several), `holds` (true/false), or
    for an offence one of its flags (true, false or the word `unknown`).
    """

    __slots__ = ("arg", "name", "op", "path", "subject")

    def __init__(self, subject: str, name: str, op: str, arg: bool | Words, path: Path
                 ) -> None:
        self.subject: Final = subject
        self.name: Final = name
        self.op: Final = op
        self.arg: Final = arg
        self.path: Final = path


class Marker(_Node):
    """`{marker: ID}`: an escalation marker is present."""

    __slots__ = ("name", "path")

    def __init__(self, name: str, path: Path) -> None:
        self.name: Final = name
        self.path: Final = path


class AnyCharge(_Node):
    """`{any_charge: {OP: ARG}}`: some charged offence has that status (`is`) or flag."""

    __slots__ = ("arg", "op", "path")

    def __init__(self, op: str, arg: bool | str, path: Path) -> None:
        self.op: Final = op
        self.arg: Final = arg
        self.path: Final = path


class NamedTest(_Node):
    """`{test: NAME}`: a named legal test from offences.yaml."""

    __slots__ = ("name", "path")

    def __init__(self, name: str, path: Path) -> None:
        self.name: Final = name
        self.path: Final = path


Condition = (AllOf | AnyOf | Not | Unless | FactTest | Incidents | Charged | Plea | Status
             | Marker | AnyCharge | NamedTest)


def walk(node: Condition) -> list[Condition]:
    """`node` and every condition inside it, parents before their parts."""
    found: list[Condition] = []
    stack = [node]
    while stack:
        here = stack.pop()
        found.append(here)
        if isinstance(here, AllOf | AnyOf):
            stack.extend(reversed(here.parts))
        elif isinstance(here, Not | Unless):
            stack.append(here.inner)
    return found


def words(value: object) -> tuple[str, ...]:
    """The words an argument names: one word or several, as a tuple (none if it is not
    words, such as `true` or a date)."""
    if isinstance(value, str):
        return (value,)
    return value if isinstance(value, tuple) else ()
