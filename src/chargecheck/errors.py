"""User-facing errors: each names the file, the line and the key path."""

from __future__ import annotations

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


def printable(text: str) -> str:
    """`text` with invisible characters escaped (`\\n`, `\\x1b`, `\\u202e`): a key or id
    from the file can neither split a message over lines nor drive the terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class InputError(Exception):
    """Bad input from the user (exit code 2). Carries one or more problems."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    @classmethod
    def one(cls, file: str, line: int | None, path: Path, message: str) -> InputError:
        return cls([Problem(file, line, path, message)])
