"""The one place YAML is read: safe, strict, and with a line for every key path.

We compose with libyaml and build plain data ourselves rather than calling
`yaml.load`. That is faster than the stock constructor and lets us, in the same
walk:
- record the line of every key and list item, so errors can say `file:line`;
- reject duplicate keys (PyYAML silently keeps the last one);
- refuse aliases and merge keys, so a "billion laughs" file cannot expand;
- keep YAML 1.1 surprises (`no`, `on`, `017`, `16:25`) as strings rather than
  guessing, and accept only ISO `YYYY-MM-DD` as a date.
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path as FilePath
from typing import Any

import yaml

from chargecheck.errors import InputError, Path, Problem

MAX_BYTES = int(os.environ.get("CHARGECHECK_MAX_BYTES", 5_000_000))
MAX_DEPTH = int(os.environ.get("CHARGECHECK_MAX_DEPTH", 40))

if yaml.__with_libyaml__:
    _Loader: type = yaml.CSafeLoader
else:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader
    warnings.warn(
        "PyYAML was built without libyaml: reading YAML will be about ten times slower",
        RuntimeWarning,
        stacklevel=1,
    )

_TAG = "tag:yaml.org,2002:"
_BOOLS = {"true": True, "false": False}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: plain data plus the line of every key path."""

    file: str
    data: Any
    lines: dict[Path, int]

    def line_of(self, path: Path) -> int | None:
        """The line of the deepest known prefix of `path`."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None

    def problem(self, path: Path, message: str, rule: str | None = None) -> Problem:
        return Problem(self.file, self.line_of(path), path, message, rule)


def read_text(file: str) -> str:
    """Read a file as UTF-8 text (a BOM is allowed), refusing binary and oversized input."""
    try:
        size = os.path.getsize(file)
        if size > MAX_BYTES:
            raise InputError.one(
                file, None, (), f"file is {size:,} bytes; the limit is {MAX_BYTES:,} "
                "(set CHARGECHECK_MAX_BYTES to raise it)"
            )
        raw = FilePath(file).read_bytes()
    except OSError as exc:
        raise InputError.one(file, None, (), f"cannot read file: {exc.strerror}") from None
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise InputError.one(file, line, (), "file contains NUL bytes; is it a binary file?")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError.one(
            file, line, (), f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
            "save it as UTF-8"
        ) from None


def load(file: str, text: str | None = None) -> Document:
    """Parse one YAML file into a `Document`, or raise `InputError`."""
    if text is None:
        text = read_text(file)
    if not text.strip():
        raise InputError.one(file, None, (), "file is empty; expected a YAML mapping")
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise InputError.one(file, _mark_line(exc), (), _syntax_message(exc)) from None
    except yaml.YAMLError as exc:
        raise InputError.one(file, None, (), f"invalid YAML: {exc}") from None
    if node is None:
        raise InputError.one(file, None, (), "file holds no YAML document")
    builder = _Builder(file)
    data = builder.build(node, (), 0)
    return Document(file, data, builder.lines)


def _mark_line(exc: yaml.MarkedYAMLError) -> int | None:
    mark = exc.problem_mark or exc.context_mark
    return None if mark is None else mark.line + 1


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "syntax error"
    if "'\\t'" in problem or "tab" in problem:
        problem += " (YAML does not allow tabs for indentation; use spaces)"
    context = f"{exc.context}, " if exc.context else ""
    return f"invalid YAML: {context}{problem}"


class _Builder:
    """Turns composed nodes into plain data in one walk, recording lines."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[Path, int] = {}
        self._seen: set[int] = set()

    def fail(self, node: yaml.Node, path: Path, message: str) -> InputError:
        return InputError([Problem(self.file, node.start_mark.line + 1, path, message)])

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        if id(node) in self._seen:
            raise self.fail(node, path, "anchors and aliases (&, *) are not allowed")
        self._seen.add(id(node))
        if depth > MAX_DEPTH:
            raise self.fail(node, path, f"nesting is deeper than {MAX_DEPTH} levels")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return self._sequence(node, path, depth)
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                raise self.fail(key_node, path, "merge keys (<<) are not allowed")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, path, "a key must be a plain word")
            key = str(key_node.value)
            child = (*path, key)
            if key in out:
                first = self.lines[child]
                message = f"duplicate key {key!r} (first given on line {first})"
                raise self.fail(key_node, child, message)
            self.lines[child] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, child, depth + 1)
        return out

    def _sequence(self, node: yaml.SequenceNode, path: Path, depth: int) -> list[Any]:
        items = []
        for index, item in enumerate(node.value):
            child = (*path, index)
            self.lines[child] = item.start_mark.line + 1
            items.append(self.build(item, child, depth + 1))
        return items

    def _scalar(self, node: yaml.Node, path: Path) -> Any:
        value = str(node.value)
        if getattr(node, "style", None):  # quoted or block scalars are text (plain: None or "")
            return value
        tag = node.tag.removeprefix(_TAG)
        if tag == "null":
            return None
        if tag == "bool" and value.lower() in _BOOLS:
            return _BOOLS[value.lower()]
        if tag == "int" and _INT.fullmatch(value):
            return int(value)
        if tag == "float" and _FLOAT.fullmatch(value):
            return float(value)
        if tag == "timestamp" and _ISO_DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise self.fail(node, path, f"{value} is not a real date") from None
        return value
