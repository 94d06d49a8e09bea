"""The intake can never write a file `assess` refuses: interviews with generated answers
(right, wrong, wrong case, near misses) each write a file that loads and assesses."""

from __future__ import annotations

import random
from pathlib import Path
from typing import get_args

import pytest

from chargecheck.case import model
from chargecheck.case.loading import load_case
from chargecheck.cli.intake import Glossary, Prompter, glossary_from_rules, intake
from chargecheck.engine.assess import assess
from chargecheck.rulebook.ruleset import RuleSet

VOCABULARIES = {
    "relationship": get_args(model.Relationship), "Kind": get_args(model.HistoryKind),
    "Behaviours": get_args(model.Behaviour), "Channel": get_args(model.Channel),
    "Hostility": get_args(model.Hostility), "daily life": get_args(model.Effect),
    "Risk assessment": get_args(model.RiskTool), "Risk level": get_args(model.RiskLevel),
    "Stalking protection order": get_args(model.SpoStatus),
    "Orders in force": get_args(model.OrderKind),
}
OFFENCES = ["pha-s2", "s2a", "s.4A", "harassment", "stalking", "threats to kill", "s4",
            "PHA-S2A", "malicious communications", "cda-s1"]


class Generated:
    """Answers chosen at random for each question, sometimes mistyped."""

    def __init__(self, seed: int) -> None:
        self.rng, self.more = random.Random(seed), 0

    def mangle(self, word: str) -> str:
        roll = self.rng.random()
        if roll < 0.15:
            return word.upper()
        if roll < 0.25 and len(word) > 4:
            return word[:-1]  # a near miss: offered back as a suggestion
        return word

    def __call__(self, prompt: str) -> str:
        rng = self.rng
        if "[Y/n]" in prompt:
            return rng.choice(["", "y", "n"])
        if "Add another" in prompt or "earlier police" in prompt:
            self.more += 1
            return "yes" if self.more < 4 and rng.random() < 0.4 else "no"
        if "Write " in prompt or "replace it" in prompt:
            return "yes"
        if "Offence" in prompt or "Plea offered" in prompt or "In place of" in prompt:
            return rng.choice([*OFFENCES, ""])
        for key, vocabulary in VOCABULARIES.items():
            if key in prompt:
                picks = rng.sample(vocabulary, rng.randint(1, 2))
                return rng.choice(["", "?", ", ".join(self.mangle(w) for w in picks)])
        if "Victims of this" in prompt:
            return rng.choice(["V1", "V2", "V1, V2", "v1"])
        if "date" in prompt.lower() or "Date" in prompt:
            return rng.choice([f"2024-0{rng.randint(1, 5)}-1{rng.randint(0, 9)}",
                               "", "31/12/2023"])
        if "(yes/no" in prompt:
            return rng.choice(["yes", "no", "unknown", "", "maybe", "Y"])
        if "Number of acts" in prompt:
            return rng.choice(["", "3", "0", "x"])
        if "Status" in prompt:
            return rng.choice(["", "proposed", "Charged"])
        return rng.choice(["R-" + str(rng.randint(1, 99)), "", "b" * rng.randint(0, 1)])


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return glossary_from_rules()


@pytest.mark.parametrize("seed", range(40))
def test_every_generated_intake_writes_a_case_that_assesses(
        seed: int, tmp_path: Path, glossary: Glossary, rules: RuleSet) -> None:
    target = str(tmp_path / "case.yaml")
    shown: list[str] = []
    code = intake(target, False, Prompter(read=Generated(seed), write=shown.append),
                  glossary=glossary)
    assert code == 0, shown[-5:]
    assert Path(target).read_text(encoding="utf-8").startswith("# yaml-language-server:")
    assert not Path(target + ".draft").exists()
    case = load_case(target)  # as `validate` and `assess` read it
    assess(case, rules)
