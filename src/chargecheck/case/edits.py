"""What-if edits (`assess CASE --set PATH=VALUE ...`): read the changes, apply them to a case.

The changes are applied to the case file's YAML data in memory and the result goes
through the same validation as a file, so a bad value gets the usual precise message.
The file itself is never written. Assessing both sides is the command's
(cli/what_if.py); the difference is a report (reports/what_if.py).

Paths name list items by id for `victims` and `incidents` (`victims.V1.very_frightened`)
and by position elsewhere (`charges.0.offence`; the next free position adds an item).
Values are read like a YAML scalar in a case file: `true`, `false`, dates, numbers,
words, flow lists such as `[a, b]`; `null` removes the key, making the fact unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from chargecheck.case.loading import case_from_document
from chargecheck.case.model import Case
from chargecheck.case.yamlio import Document, load
from chargecheck.errors import InputError, Path, Problem, dotted
from chargecheck.spelling import closest, plural

BY_ID = ("victims", "incidents")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Change:
    argument: str           # as typed, for messages
    path: tuple[str, ...]   # as typed, split at dots
    value: Any              # None removes the key


def parse_change(argument: str) -> Change:
    path, equals, raw = argument.partition("=")
    parts = tuple(path.strip().split("."))
    if not equals or not all(parts):
        raise _bad(argument, "expected PATH=VALUE, such as victims.V1.very_frightened=true")
    if not raw.strip():
        raise _bad(argument, "give a value after '=' (null removes the key)")
    return Change(argument, parts, _value(argument, raw.strip()))


def _value(argument: str, text: str) -> Any:
    """A YAML scalar or flow list, read by the project's strict loader."""
    try:
        value = load(f"--set {argument}", text).data
    except InputError as exc:
        if text[0] in "[{" or _ISO_DATE.fullmatch(text):  # meant as a list or a date: say so
            raise _bad(argument, exc.problems[0].message) from None
        return text  # other text YAML cannot read (`@home`, `a: b: c`) is taken as words
    if isinstance(value, dict | list) and text[0] not in "[{":
        return text  # `a: b` or `- x` typed on a command line means words, not structure
    return value


def changed_case(doc: Document, changes: list[Change]) -> Case:
    """The case with `changes` applied to its data, validated like a file."""
    applied = [(change, apply(doc.data, change)) for change in changes]
    try:
        return case_from_document(doc)
    except InputError as exc:
        raise InputError([_blame(problem, applied) for problem in exc.problems]) from None


def apply(data: Any, change: Change) -> Path:
    """Make one change in place; return the key path it changed (lists by position)."""
    if not isinstance(data, dict):
        raise _bad(change.argument, "the case file is not a mapping of case fields")
    node: Any = data
    done: list[str | int] = []
    for n, segment in enumerate(change.path):
        key = _locate(node, segment, tuple(done), change)
        if n == len(change.path) - 1:
            _assign(node, key, change.value)
            return (*done, key)
        node = _descend(node, key, change.path[n + 1])
        done.append(key)
    raise AssertionError("unreachable: a path has at least one part")


def _locate(node: Any, segment: str, done: Path, change: Change) -> str | int:
    if isinstance(node, dict):
        return segment
    if not isinstance(node, list):
        raise _bad(change.argument, f"{dotted(done)} is a single value, not a mapping or list")
    if len(done) == 1 and done[0] in BY_ID:
        ids = [item.get("id") for item in node if isinstance(item, dict)]
        if segment not in ids:
            match = closest(segment, [str(i) for i in ids])
            hint = f"; did you mean {match!r}?" if match is not None else (
                f" (ids: {', '.join(map(str, ids))})")
            raise _bad(change.argument, f"no item of {done[0]} has id {segment!r}{hint}")
        return ids.index(segment)
    if not segment.isdigit() or int(segment) > len(node):
        raise _bad(change.argument, f"{dotted(done)} has {plural(len(node), 'item')}: use a number "
                   f"from 0 to {len(node) - 1}, or {len(node)} to add one")
    return int(segment)


def _descend(node: Any, key: str | int, following: str) -> Any:
    """The child at `key`, created (a mapping, or a list before a number) if missing."""
    child = _get(node, key)
    if child is None:
        child = [] if following.isdigit() else {}
        _assign(node, key, child)
    return child


def _get(node: Any, key: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(key)
    return node[key] if isinstance(key, int) and key < len(node) else None


def _assign(node: Any, key: str | int, value: Any) -> None:
    if isinstance(node, dict):
        if value is None:
            node.pop(key, None)
        else:
            node[key] = value
    elif key == len(node):
        if value is not None:
            node.append(value)
    elif value is None:
        del node[key]
    else:
        node[key] = value


def _blame(problem: Problem, applied: list[tuple[Change, Path]]) -> Problem:
    """Name the --set argument behind a validation problem, where one is."""
    for change, path in applied:
        if problem.path[:len(path)] == path or path[:len(problem.path)] == problem.path:
            return Problem(f"--set {change.argument}", None, problem.path, problem.message)
    return Problem(problem.file, problem.line, problem.path,
                   problem.message + " (with the --set changes applied)")


def _bad(argument: str, message: str) -> InputError:
    return InputError([Problem(f"--set {argument}", None, (), message)])
