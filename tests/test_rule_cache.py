"""The rule-set cache: a hit judges exactly as a fresh load, without parsing a condition."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from chargecheck.case.loading import load_case_file
from chargecheck.cli.rule_loading import load_ruleset
from chargecheck.conditions.parse import parse as real_parse
from chargecheck.engine.assess import assess
from chargecheck.rulebook import cache as cache_module
from chargecheck.rulebook import ruleset as ruleset_module
from chargecheck.rulebook.directory import read_rule_files
from chargecheck.rulebook.ruleset import RuleSet

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.yaml"))


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("CHARGECHECK_NO_CACHE", raising=False)
    return tmp_path


def counting_parses(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    parsed: list[Any] = []

    def parse(cond: Any, *args: Any) -> Any:
        parsed.append(cond)
        return real_parse(cond, *args)

    monkeypatch.setattr(ruleset_module, "parse", parse)
    return parsed


def test_a_cache_hit_compiles_the_cached_trees_without_parsing(
        fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = counting_parses(monkeypatch)
    missed = load_ruleset()
    assert len(parsed) == len(missed.conditions) > 100  # the miss parsed each condition once
    parsed.clear()
    hit = load_ruleset()
    assert parsed == []
    assert dict(hit.conditions) == dict(missed.conditions)


def test_a_cache_hit_judges_every_example_as_a_fresh_load(fresh_cache: Path,
                                                         rules: RuleSet) -> None:
    load_ruleset()  # writes the cache
    hit = load_ruleset()
    for example in EXAMPLES:
        case = load_case_file(str(example)).case
        assert assess(case, hit).as_json() == assess(case, rules).as_json(), example.name


def test_a_cache_of_another_shape_is_rebuilt(fresh_cache: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # What an older release kept at this key (the rule data alone) is not trusted.
    digest = read_rule_files(None).digest
    path = cache_module._cache_file(digest)
    assert path is not None
    path.parent.mkdir(parents=True)
    path.write_bytes(pickle.dumps({"ruleset.yaml": {}}))
    parsed = counting_parses(monkeypatch)
    assert load_ruleset().rules
    assert parsed  # rebuilt from the files
    assert isinstance(cache_module.read_cache(digest), cache_module.Cached)
