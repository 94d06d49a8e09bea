"""A rule condition as a typed tree: what `parse.py` makes of a condition's YAML.

One node per form of the language (rules/README.md, "The condition language"). The
compiler, the plain-English description, the JSON Schema and the static checks of a
rule set all walk these nodes, so each form is read from its YAML once, in one place.

Every node keeps the key path of the mapping it was read from (`path`), so a problem found in it can
name its file and line; the path takes no part in comparing nodes, so two conditions
written alike are equal wherever they stand. Argument values are as validated: word
lists are tuples in the order written, dates are dates, counts whole numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from chargecheck.errors import Path

# A word or several, as written (`channel: text` or `channel: [text, email]`).
Words = str | tuple[str, ...]
# What a fact is compared with: true/false, a count, a date, a word or words.
Argument = bool | int | date | str | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AllOf:
    """`all: [...]`: true when every part is; false when one is false; else unknown."""

    parts: tuple[Condition, ...]
    path: Path = field(compare=False)


@dataclass(frozen=True, slots=True)
class AnyOf:
    """`any: [...]`: true when one part is; false when every part is false; else unknown."""

    parts: tuple[Condition, ...]
    path: Path = field(compare=False)


@dataclass(frozen=True, slots=True)
class Not:
    """`not: {...}`: unknown stays unknown."""

    inner: Condition
    path: Path = field(compare=False)


@dataclass(frozen=True, slots=True)
class Unless:
    """`unless: {...}`: true unless the inner condition is known to hold."""

    inner: Condition
    path: Path = field(compare=False)


@dataclass(frozen=True, slots=True)
class FactTest:
    """`{fact: NAME, OP: ARG}`: a recorded or derived fact of kind `kind` compared."""

    fact: str
    kind: str  # count, yes-no, word, words or date (facts.FACT_KINDS)
    op: str
    arg: Argument
    path: Path = field(compare=False)


class Filter(NamedTuple):
    """One incident filter (`channel: [text]`, `after: separation`, ...), a plain pair:
    its place is its `Incidents`'s (`Incidents.place_of`)."""

    key: str
    arg: bool | date | Words


@dataclass(frozen=True, slots=True)
class Incidents:
    """`{incidents: {filters..., at_least: N}}`: occasions among the victim's incidents."""

    filters: tuple[Filter, ...]
    at_least: int
    path: Path = field(compare=False)

    def place_of(self, key: str) -> Path:
        """The key path of one of the filters, or of `at_least`."""
        return (*self.path, "incidents", key)


@dataclass(frozen=True, slots=True)
class Charged:
    """`{charged: [...]}`: one of these offences is charged for this victim."""

    offences: tuple[str, ...]
    path: Path = field(compare=False)


@dataclass(frozen=True, slots=True)
class Plea:
    """`{plea_to: [...]}` or `{plea_drops: [...]}`: the plea offer names one of these."""

    key: str  # plea_to or plea_drops
    offences: tuple[str, ...]
    path: Path = field(compare=False)


@dataclass(frozen=True, slots=True)
class Status:
    """`{offence: ID, OP: ARG}` or `{indicator: ID, OP: ARG}`: as judged for this victim.

    `op` is `is` (ARG a status) or `in` (a status or several), `holds` (true/false), or
    for an offence one of its flags (true, false or the word `unknown`).
    """

    subject: str  # offence or indicator
    name: str
    op: str
    arg: bool | Words
    path: Path = field(compare=False)


@dataclass(frozen=True, slots=True)
class Marker:
    """`{marker: ID}`: an escalation marker is present."""

    name: str
    path: Path = field(compare=False)


@dataclass(frozen=True, slots=True)
class AnyCharge:
    """`{any_charge: {OP: ARG}}`: some charged offence has that status (`is`) or flag."""

    op: str
    arg: bool | str
    path: Path = field(compare=False)


@dataclass(frozen=True, slots=True)
class NamedTest:
    """`{test: NAME}`: a named legal test from offences.yaml."""

    name: str
    path: Path = field(compare=False)


Condition = (AllOf | AnyOf | Not | Unless | FactTest | Incidents | Charged | Plea | Status
             | Marker | AnyCharge | NamedTest)
Leaf = FactTest | Incidents | Charged | Plea | Status | Marker | AnyCharge | NamedTest


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
