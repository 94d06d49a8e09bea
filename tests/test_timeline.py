"""`chargecheck timeline CASE`: the course of conduct drawn in the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLES, run_cli

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))

# Two quiet occasions in January, then ten in ten days of March: frequency rises.
RISING = """\
format: 1
reference: "[bold]RISING[/bold] \\x1b[31m"
decision_date: 2024-06-01
synthetic: true
suspect: {label: D, name: Dan Secret, relationship: stranger}
victims:
  - {id: V1, label: V, name: Alice Secret}
incidents:
  - {id: I1, date: 2024-01-01, behaviours: [contacting]}
  - {id: I2, date: 2024-01-20, behaviours: [following]}
  - {id: I3, date: 2024-03-01, end_date: 2024-03-10, count: 10, behaviours: [turning-up]}
  - {id: I4, date: 2024-03-11, behaviours: [threat-to-kill], caused_fear_of_violence: true}
"""


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_timeline_draws_every_example(example: Path) -> None:
    run = run_cli("timeline", str(example))
    assert run.code == 0, run.err
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    lines = run.out.splitlines()
    for incident in data["incidents"]:
        assert any(f"●  {incident['id']}  " in line for line in lines), incident["id"]
    assert "6-month window opens" in run.out and "decision date" in run.out
    assert "Occasions per " in run.out and "What the timeline shows" in run.out
    # Incidents appear in date order.
    dates = [line[:10] for line in lines if "●" in line]
    assert dates == sorted(dates)


def test_rising_frequency_and_severity_are_pointed_out(tmp_path: Path) -> None:
    case = tmp_path / "rising.yaml"
    case.write_text(RISING, encoding="utf-8")
    run = run_cli("timeline", str(case))
    assert run.code == 0, run.err
    out = " ".join(run.out.split())  # the notes wrap at the terminal's width
    assert "RISING FREQUENCY (V)" in out
    assert "high-risk conduct from I4 (2024-03-11)" in out
    assert "Occasions per week" in out


def test_case_text_is_shown_literally_and_names_never(tmp_path: Path) -> None:
    case = tmp_path / "rising.yaml"
    case.write_text(RISING, encoding="utf-8")
    out = run_cli("timeline", str(case)).out
    assert "[bold]RISING[/bold] \\x1b[31m" in out  # markup and escapes shown, not obeyed
    assert "\x1b" not in out
    assert "Secret" not in out


def test_a_bad_case_file_exits_2(tmp_path: Path) -> None:
    case = tmp_path / "bad.yaml"
    case.write_text("format: 1\nreference: X\n", encoding="utf-8")
    run = run_cli("timeline", str(case))
    assert run.code == 2 and "victims" in run.err
