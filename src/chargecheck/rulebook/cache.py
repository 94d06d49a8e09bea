"""The rule-set cache: validated rule data, pickled, keyed by the digest of its files.

A normal `assess` reads this small pickle instead of parsing and checking YAML; a missing
or damaged cache is rebuilt, and an unwritable one only costs speed. `validate` and the
rule tests never use it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path as FilePath
from typing import Any

from chargecheck import __version__


def _cache_file(digest: str) -> FilePath | None:
    if os.environ.get("CHARGECHECK_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    key = hashlib.sha256(f"{__version__}:{digest}".encode()).hexdigest()[:32]
    return FilePath(base) / "chargecheck" / f"rules-{key}.pickle"


def read_cache(digest: str) -> dict[str, Any] | None:
    path = _cache_file(digest)
    if path is None:
        return None
    try:
        with path.open("rb") as handle:
            data = pickle.load(handle)
    except Exception:  # a missing or damaged cache is rebuilt, never fatal
        return None
    return data if isinstance(data, dict) else None


def write_cache(digest: str, raw: dict[str, Any]) -> None:
    path = _cache_file(digest)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".rules-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(raw, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:  # an unwritable cache only costs speed
        return
