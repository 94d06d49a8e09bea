"""The rule-set cache: validated rule data and its parsed conditions, pickled, keyed by
the digest of its files.

A normal `assess` reads this small pickle instead of parsing and checking YAML, and
compiles the conditions from their cached trees without parsing them again; a missing
or damaged cache is rebuilt, and an unwritable one only costs speed. `validate` and the
rule tests never use it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path as FilePath
from typing import Any, NamedTuple

from chargecheck import __version__
from chargecheck.conditions.tree import Condition
from chargecheck.rulebook.ruleset import Where

# Part of the key: a change to what is cached, or to the tree's classes, must miss the
# caches written before it rather than be read from them.
FORMAT = 2


class Cached(NamedTuple):
    raw: dict[str, Any]                    # the validated rule data (`RuleSet.sources`)
    conditions: dict[Where, Condition]     # `RuleSet.conditions`


def _cache_file(digest: str) -> FilePath | None:
    if os.environ.get("CHARGECHECK_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    key = hashlib.sha256(f"{__version__}:{FORMAT}:{digest}".encode()).hexdigest()[:32]
    return FilePath(base) / "chargecheck" / f"rules-{key}.pickle"


def read_cache(digest: str) -> Cached | None:
    path = _cache_file(digest)
    if path is None:
        return None
    try:
        with path.open("rb") as handle:
            data = pickle.load(handle)
    except Exception:  # a missing or damaged cache is rebuilt, never fatal
        return None
    return data if isinstance(data, Cached) else None


def write_cache(digest: str, cached: Cached) -> None:
    path = _cache_file(digest)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".rules-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(cached, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:  # an unwritable cache only costs speed
        return
