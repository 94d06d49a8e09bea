"""Training scenarios: valid, consistent with the live assessment, covering every
headline failure of "Living in fear", runnable from the CLI, and shipped in the wheel."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import time
import zipfile
from importlib import resources
from pathlib import Path

import pytest

import chargecheck
from chargecheck.case.loading import load_case
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


CLEAR = "\x1b[2J"


def screens_seen(term: Terminal) -> list[list[str]]:
    """What was on screen after each clear: its lines as the terminal shows them."""
    return [chunk.replace("\x1b[3J", "").replace("\x1b[H", "").rstrip("\r\n").split("\r\n")
            for chunk in term.seen.split(CLEAR)[1:]]


def test_run_fits_every_screen_at_80x24_with_back_and_quit(
        tmp_path: Path, terminals: list[Terminal]) -> None:
    name = "seven-websites"
    term = start(terminals, "scenarios", "run", name, cwd=tmp_path, rows=24, columns=80)
    term.answer("Enter next", "")
    term.answer("Enter next", "")  # step 1
    term.answer("Enter next", "b")  # step 2 -> back to step 1
    term.expect("Step 1 of")
    term.answer("Enter next", "?")
    term.answer("Enter to go back", "")
    for _ in range(60):
        before = term.mark
        term.expect("Enter next")
        if "The law" in term.seen[before:term.mark]:
            break
        os.write(term.fd, b"\r")
    os.write(term.fd, b"q\r")
    term.expect(f"Scenario {name} closed.")
    assert term.finish() == 0
    seen = screens_seen(term)
    assert len(seen) > 10
    for screen in seen[:-1]:
        assert len(screen) <= 23, screen  # Enter on the last line never scrolls it away
        assert all(len(line) <= 80 for line in screen), screen
        assert screen[0] == "Help" or "Enter next · b back · q quit · ? help" in screen[-1]
    flat_all = flat(" ".join(" ".join(s) for s in seen))
    titles = [flat_all.index(t) for t in ("Step 1 of", "Questions for trainees",
                                          "the bottom line", "Findings: HIGH",
                                          "Findings: MEDIUM", "Offence ladder",
                                          "Model answer", "The law")]
    assert titles == sorted(titles)  # most serious findings first, answer last


def test_ctrl_c_leaves_a_scenario_cleanly(tmp_path: Path, terminals: list[Terminal]) -> None:
    term = start(terminals, "scenarios", "run", "one-threatening-message", cwd=tmp_path)
    term.expect("Enter next")
    time.sleep(0.5)  # see tests/test_intake.py: let input() start reading
    os.write(term.fd, b"\x03")
    term.expect("closed.")
    assert term.finish() == 0
    assert "^C" not in term.seen and "interrupted" not in term.seen


@pytest.mark.parametrize("name", NAMES)
def test_export_writes_a_case_that_assesses_as_the_scenario_expects(
        name: str, tmp_path: Path, rules: RuleSet) -> None:
    target = tmp_path / f"{name}.yaml"
    result = run_cli("scenarios", "export", name, "-o", str(target))
    assert result.code == 0, result.err
    assert target.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    exported = assess(load_case(str(target)), rules)
    scenario = load_scenario(name)
    shown = assess(scenario.case, rules)
    assert exported.recommended == shown.recommended
    assert list(exported.recommended) == scenario.notes.expect.recommended
    assert {f.rule for f in exported.findings} == {f.rule for f in shown.findings}
    assert set(scenario.notes.expect.findings) <= {f.rule for f in exported.findings}
    assessed = run_cli("assess", str(target))
    assert assessed.code in (0, 1), assessed.err
    again = run_cli("scenarios", "export", name, "-o", str(target))
    assert again.code == 2 and "--force" in again.err


def test_handout_has_no_answers_and_answers_have_them() -> None:
    scenario = load_scenario("seven-websites")
    handout = run_cli("scenarios", "show", "seven-websites", "--handout")
    assert handout.code == 0, handout.err
    assert "Questions for trainees" in handout.out and "What happened" in handout.out
    for hidden in ("Model answer", "The law", "UC-00", "The case file"):
        assert hidden not in handout.out
    answers = run_cli("scenarios", "show", "seven-websites", "--answers")
    assert answers.code == 0, answers.err
    assert "Model answer" in answers.out and "What happened" not in answers.out
    assert flat(scenario.notes.model_answer[0])[:40] in flat(answers.out)


def test_list_is_in_teaching_order_with_a_course_outline() -> None:
    result = run_cli("scenarios", "list", env={"COLUMNS": "80"})
    assert result.code == 0, result.err
    assert "Course outline" in result.out
    table = result.out[result.out.index("Name"):]  # after the outline
    first = [table.index(f" {name} ") for name in NAMES]
    assert first == sorted(first)
    assert NAMES[0] == "sixty-emails-a-day" and NAMES[-1] == "what-good-looks-like"
    tags = {tag for name in NAMES for tag in load_scenario(name).notes.teaches}
    for tag in tags:  # a tag is never split across lines
        assert f"[{tag}]" in result.out, tag


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
    assert sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml")) == sorted(
        f"{name}.yaml" for name in NAMES)


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
