"""User-facing errors: each names the file, the line and the key path."""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

Path = tuple[str | int, ...]


def dotted(path: Path) -> str:
    """Render a key path as `incidents.2.date`, the form users see in messages."""
    return ".".join(str(part) for part in path)


class Problem(NamedTuple):
    """One thing wrong with one input file."""

    file: str
    line: int | None
    path: Path
    message: str
    rule: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        if self.rule:
            parts.append(self.rule)
        if self.path:
            parts.append(dotted(self.path))
        return printable(": ".join(parts) + f": {self.message}")


# Unicode's control (Cc: C0, DEL, C1) and format characters (Cf: zero-width and
# bidirectional marks, BOM, soft hyphen, tags), line and paragraph separators, and lone
# surrogates: what can drive a terminal, reorder or hide text, or not be written at all.
# Spaces (no-break and the rest) are left as they are: names are typed with them.
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def printable(text: str, keep: str = "") -> str:
    """`text` with each hidden character escaped as Python writes it (`\\n`, `\\x1b`,
    `\\u202e`), except those in `keep`: a key, an id or case text can neither split a
    message over lines nor drive the terminal. The one place this is decided; each
    output format escapes its own syntax on top (reports/escaping.py)."""
    if text.isprintable():  # nearly always: no character to look at one by one
        return text
    return "".join(c if c in keep or unicodedata.category(c) not in _HIDDEN
                   else repr(c)[1:-1] for c in text)


class InputError(Exception):
    """Bad input from the user (exit code 2). Carries one or more problems."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    @classmethod
    def one(cls, file: str, line: int | None, path: Path, message: str) -> InputError:
        return cls([Problem(file, line, path, message)])
