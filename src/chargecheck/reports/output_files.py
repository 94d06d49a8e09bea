"""Writing reports to files safely: atomically, never over an input, never over an
existing file without `force`."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from chargecheck.errors import InputError


def write_report(text: str, target: str, inputs: list[str], force: bool) -> None:
    """Write `text` to `target` via a temporary file in the same directory, then rename."""
    path = Path(target)
    if any(_same_file(path, Path(i)) for i in inputs):
        raise InputError.one(target, None, (), "refusing to write a report over an input file")
    if path.exists() and not force:
        raise InputError.one(target, None, (), "file exists; use --force to replace it")
    if path.is_dir():
        raise InputError.one(target, None, (), "is a directory")
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError.one(target, None, (), f"cannot write here: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False
