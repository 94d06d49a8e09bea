"""Contradictions in a case file are warnings in the report: no crash, no silent choice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

CASE = """\
format: 1
reference: CONTRA-1
decision_date: 2020-06-01
suspect: {relationship: stranger, lived_together: true, separated_on: 2019-01-01}
victims:
  - {id: V1, fears_for_others_only: true}
  - {id: V2}
incidents:
  - {id: I1, date: 2020-01-10, victims: [V1], behaviours: [following],
     caused_fear_of_violence: true}
  - {id: I2, date: 2020-02-10, victims: [V1], behaviours: [watching]}
charges:
  - {offence: pha-s2a, victims: [V2]}
plea: {offence: pha-s2, in_place_of: [pha-s4a]}
"""


@pytest.fixture()
def result(tmp_path: Path) -> dict[str, object]:
    path = tmp_path / "case.yaml"
    path.write_text(CASE, encoding="utf-8")
    run = run_cli("assess", str(path), "--format", "json")
    assert run.code in (0, 1), run.err
    body: dict[str, object] = json.loads(run.out)
    return body


def test_each_contradiction_is_reported_by_key_path(result: dict[str, object]) -> None:
    paths = {w["path"] for w in result["warnings"]}  # type: ignore[attr-defined]
    assert paths == {"suspect.lived_together", "suspect.separated_on", "plea.in_place_of.0",
                     "charges.0.victims", "victims.0.fears_for_others_only"}


def test_text_report_shows_the_warnings(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(CASE, encoding="utf-8")
    run = run_cli("assess", str(path))
    assert "WARNINGS: check these in the file" in run.out
    assert "plea.in_place_of.0: the plea would replace pha-s4a" in run.out
