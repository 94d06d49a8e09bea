"""Training scenarios: valid, consistent with the live assessment, covering every
headline failure of "Living in fear", runnable from the CLI, and shipped in the wheel."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

import pytest

import chargecheck
from chargecheck.case.scenarios import Scenario, load_scenario, names
from chargecheck.engine.assess import assess
from chargecheck.rulebook.ruleset import RuleSet
from tests.conftest import ROOT, run_cli
from tests.terminal import Terminal, start, terminals

__all__ = ["terminals"]  # the fixture, imported for pytest

# The headline failures of the 2017 inspection; each must be taught by some scenario.
HEADLINE_FAILURES = {
    "stalking-charged-as-harassment", "harassment-plea-on-stalking-charge",
    "incidents-in-isolation", "no-risk-assessment", "pin-instead-of-investigation",
    "no-restraining-order", "online-stalking", "breach-in-isolation",
}
NAMES = names()


def flat(text: str) -> str:
    """Whitespace collapsed, so text wrapped by the terminal can still be found."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def scenarios() -> list[Scenario]:
    return [load_scenario(name) for name in NAMES]


def test_at_least_twelve_scenarios_all_synthetic(scenarios: list[Scenario]) -> None:
    assert len(scenarios) >= 12
    assert all(s.case.synthetic is True for s in scenarios)
    assert len({s.case.reference for s in scenarios}) == len(scenarios)


def test_every_headline_failure_is_taught(scenarios: list[Scenario]) -> None:
    taught = {tag for s in scenarios for tag in s.notes.teaches}
    assert taught >= HEADLINE_FAILURES, HEADLINE_FAILURES - taught
    not_stalking = [s.name for s in scenarios if "not-stalking" in s.notes.teaches]
    assert len(not_stalking) >= 2


@pytest.mark.parametrize("name", NAMES)
def test_model_answer_agrees_with_the_live_assessment(name: str, rules: RuleSet) -> None:
    scenario = load_scenario(name)
    result, expect = assess(scenario.case, rules), scenario.notes.expect
    fired = {f.rule for f in result.findings}
    assert list(result.recommended) == expect.recommended
    assert set(expect.findings) <= fired, set(expect.findings) - fired
    assert not set(expect.silent) & fired, set(expect.silent) & fired
    answer = " ".join(scenario.notes.model_answer)
    named = set(re.findall(r"\b[A-Z]{2}-[0-9]{3}\b", answer))
    assert named <= fired, f"the model answer names findings not given: {named - fired}"


def test_a_single_occasion_is_not_reported_as_out_of_force(rules: RuleSet) -> None:
    result = assess(load_scenario("one-threatening-message").case, rules)
    assert "CV-002" not in {f.rule for f in result.findings}


def test_list_shows_every_scenario_with_what_it_teaches() -> None:
    result = run_cli("scenarios", "list")
    assert result.code == 0, result.err
    for name in NAMES:
        assert name in result.out
    assert "online-stalking" in result.out and "not-stalking" in result.out


def test_show_prints_the_notes_and_the_case() -> None:
    result = run_cli("scenarios", "show", "seven-websites")
    assert result.code == 0, result.err
    for heading in ("What happened", "Questions for trainees", "Model answer", "The law",
                    "The case file", "reference: SC-SEVEN-WEBSITES", "synthetic: true"):
        assert heading in result.out


@pytest.mark.parametrize("name", NAMES)
def test_run_walks_through_without_pausing_off_a_terminal(name: str) -> None:
    scenario = load_scenario(name)
    result = run_cli("scenarios", "run", name, "--no-pause")
    assert result.code in (0, 1), result.err
    assert "Traceback" not in result.err and "press Enter" not in result.out
    out = flat(result.out)
    order = [out.index(flat(text)) for text in (
        scenario.notes.narrative[0], "Questions for trainees", scenario.notes.questions[-1],
        f"chargecheck assessment: {scenario.case.reference}", "Model answer",
        scenario.notes.model_answer[-1], "The law")]
    assert order == sorted(order)  # narrative, questions, assessment, then the answer


def test_run_pauses_for_enter_on_a_terminal(tmp_path: Path, terminals: list[Terminal]
                                            ) -> None:
    term = start(terminals, "scenarios", "run", "one-threatening-message", cwd=tmp_path)
    pauses = len(load_scenario("one-threatening-message").notes.narrative) + 2
    for _ in range(pauses):
        term.answer("press Enter for the next step", "")
    term.expect("Model answer")
    assert term.finish() == 0


def test_an_unknown_name_suggests_the_closest() -> None:
    for command in (["run", "seven-website", "--no-pause"], ["show", "sixty-emails"]):
        result = run_cli("scenarios", *command)
        assert result.code == 2
        assert "no such scenario; did you mean" in result.err
        assert "Traceback" not in result.err
    assert "'seven-websites'" in run_cli("scenarios", "run", "seven-website").err


def test_the_imported_package_carries_the_scenarios() -> None:
    """In CI the package is installed from a wheel (not editable): this is that copy."""
    folder = resources.files("chargecheck").joinpath("scenarios")
    package = Path(str(resources.files("chargecheck")))
    assert Path(str(folder)).parent == package == Path(chargecheck.__file__).parent
    assert sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml")) == [
        f"{name}.yaml" for name in NAMES]


def test_the_wheel_ships_the_scenarios_and_runs_them(tmp_path: Path) -> None:
    """Build the wheel, unpack it (a pure-Python install) and run from that copy alone."""
    if importlib.util.find_spec("hatchling") is None:
        pytest.skip("hatchling is not installed, so the wheel cannot be built offline")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=300,
        check=False)
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp_path.glob("chargecheck-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = {Path(n).stem for n in archive.namelist()
                   if n.startswith("chargecheck/scenarios/") and n.endswith(".yaml")}
        archive.extractall(tmp_path / "site")
    assert shipped == set(NAMES)

    def installed(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": str(tmp_path / "site"), "NO_COLOR": "1"}
        return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                              cwd=tmp_path, env=env, timeout=120, check=False)

    where = installed("-c", "import chargecheck; print(chargecheck.__file__)").stdout
    assert where.startswith(str(tmp_path / "site"))  # not the checkout's src/
    run = installed("-m", "chargecheck", "scenarios", "run", "seven-websites", "--no-pause")
    assert run.returncode in (0, 1), run.stderr
    assert "Model answer" in run.stdout and "chargecheck assessment" in run.stdout
