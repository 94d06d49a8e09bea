"""The rule set a command runs on: from the cache when it can, checked when it must.

A cache hit compiles the cached condition trees without ever importing the pydantic
models of the rule files; only a miss (or `validate` and the rule tests, which never use the
cache) imports the checker, and only `--rules` with a local pack imports the packs.
Those choices keep `assess` fast, so the command layer makes them here.
"""

from __future__ import annotations

from chargecheck.rulebook.cache import Cached, read_cache, write_cache
from chargecheck.rulebook.directory import is_pack, read_rule_files
from chargecheck.rulebook.ruleset import RuleSet, build


def load_rules(directories: list[str] | None = None, use_cache: bool = True) -> RuleSet:
    """The rule set for `--rules` options: a full set (default: bundled) plus packs."""
    dirs = list(directories or [])
    base_dir = None if not dirs or is_pack(dirs[0]) else dirs.pop(0)
    rules = load_ruleset(base_dir, use_cache)
    if not dirs:
        return rules
    # Packs are never cached: each run checks them, with the rule-file models.
    from chargecheck.rulebook.packs import apply_pack

    for directory in dirs:
        rules = apply_pack(rules, directory)
    return rules


def load_ruleset(directory: str | None = None, use_cache: bool = True) -> RuleSet:
    """Load, validate and compile a rule set, using the digest-keyed cache if allowed."""
    files = read_rule_files(directory)
    cached = read_cache(files.digest) if use_cache else None
    if cached is not None:
        return build(cached.raw, files.digest, (files.label,), parsed=cached.conditions)
    # A miss: parse and check the files, with the pydantic models a hit never needs.
    from chargecheck.rulebook.checking import checked_ruleset

    rules = checked_ruleset(files)
    if use_cache:
        write_cache(files.digest, Cached(rules.sources, dict(rules.conditions)))
    return rules
