"""A rule directory on disk: its layout, where the bundled one is, and its digest.

A full rule set holds the core files and `checks/*.yaml`; a local pack holds `pack.yaml`
(and optionally `checks/` and `tests/`). The digest names a rule set's contents: the
cache is keyed by it and every assessment records it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path as FilePath
from typing import NamedTuple

from chargecheck.errors import InputError

CORE_FILES = ("ruleset.yaml", "offences.yaml", "behaviours.yaml", "indicators.yaml",
              "escalation.yaml", "audit.yaml")
CHECKS_DIR = "checks"
PACK_FILE = "pack.yaml"
BUNDLED = "bundled"  # how the packaged rule set is named in output (never a local path)


class RuleFiles(NamedTuple):
    """The files of one full rule set, read once: what is cached, checked and compiled."""

    directory: str
    label: str                # how output names the set: `bundled`, or the path given
    blobs: dict[str, bytes]   # by path, core files first, then checks/ sorted
    digest: str


def read_rule_files(directory: str | None = None) -> RuleFiles:
    """The files of the rule set in `directory` (default: the bundled one) and their digest."""
    label = directory or BUNDLED
    directory = directory or default_rules_dir()
    blobs = {f: FilePath(f).read_bytes() for f in rule_files(directory)}
    return RuleFiles(directory, label, blobs, _digest(directory, blobs))


def default_rules_dir() -> str:
    """The bundled rule set: inside the installed package, or the checkout's `rules/`."""
    package = FilePath(__file__).resolve().parents[1]  # chargecheck/, above rulebook/
    for candidate in (package / "rules", package.parents[1] / "rules"):
        if (candidate / "ruleset.yaml").is_file():
            return str(candidate)
    raise InputError.one(str(package / "rules"), None, (), "the bundled rule set is missing")


def rule_files(directory: str) -> list[str]:
    """The files of a rule directory, core files first, then `checks/*.yaml` sorted."""
    root = FilePath(directory)
    if not root.is_dir():
        raise InputError.one(directory, None, (), "not a rule directory")
    missing = [name for name in CORE_FILES if not (root / name).is_file()]
    if missing:
        raise InputError.one(directory, None, (), f"rule directory lacks {', '.join(missing)}")
    checks = sorted((root / CHECKS_DIR).glob("*.yaml"))
    return [str(root / name) for name in CORE_FILES] + [str(p) for p in checks]


def _relative(directory: str, file: str) -> str:
    return FilePath(file).relative_to(directory).as_posix()


def _digest(directory: str, blobs: dict[str, bytes]) -> str:
    hasher = hashlib.sha256()
    for file in sorted(blobs, key=lambda f: _relative(directory, f)):
        hasher.update(_relative(directory, file).encode() + b"\0" + blobs[file] + b"\0")
    return "sha256:" + hasher.hexdigest()


def is_pack(directory: str) -> bool:
    return (FilePath(directory) / PACK_FILE).is_file()


def test_directories(directories: list[str] | None) -> list[str]:
    """Where the rule test cases for `--rules` live: the full set's, then each pack's."""
    dirs = list(directories or [])
    if not dirs or is_pack(dirs[0]):
        dirs.insert(0, default_rules_dir())
    return dirs
