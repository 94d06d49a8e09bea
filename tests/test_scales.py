"""Severities and statuses are written once (chargecheck.scales); every other list of them
is read from there, or, where it cannot be yet, kept equal to it here."""

from __future__ import annotations

import typing

from chargecheck.cli import fast_path
from chargecheck.cli.commands import options
from chargecheck.conditions.parse import INDICATOR_STATUSES, OFFENCE_STATUSES
from chargecheck.engine.assessment import INDICATOR_RANK, SEVERITY_RANK, STATUS_RANK
from chargecheck.reports.text_report import SEVERITY_STYLE, STATUS_STYLE
from chargecheck.rulebook.file_models import SeverityWord
from chargecheck.scales import IndicatorStatus, OffenceStatus, Severity
from tests.conftest import EXAMPLES, run_cli


def test_severities_run_from_info_to_critical() -> None:
    assert [s.value for s in Severity] == ["info", "low", "medium", "high", "critical"]
    assert SEVERITY_RANK == {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


def test_every_list_of_severities_is_the_scale() -> None:
    words = [s.value for s in Severity]
    assert list(typing.get_args(SeverityWord)) == words  # what a rule file may say
    assert [s.value for s in options.FailOn] == [*words, "never"]  # --fail-on
    assert fast_path.CHOICES["fail_on"] == {*words, "never"}
    assert set(SEVERITY_STYLE) == set(words)


def test_statuses_run_from_weakest_to_strongest() -> None:
    assert STATUS_RANK == {"not-supported": 0, "unknown": 1, "supported": 2}
    assert INDICATOR_RANK == {"not-met": 0, "unknown": 1, "met": 2}
    assert set(STATUS_STYLE) == {*OffenceStatus, *IndicatorStatus}


def test_the_condition_language_takes_the_same_statuses() -> None:
    assert set(OFFENCE_STATUSES) == {s.value for s in OffenceStatus}
    assert set(INDICATOR_STATUSES) == {s.value for s in IndicatorStatus}


def test_a_fail_on_outside_the_scale_is_refused_in_our_words() -> None:
    result = run_cli("assess", str(EXAMPLES / "01-seven-websites.yaml"), "--fail-on", "urgent")
    assert result.code == 2
    assert "'urgent' is not one of: info, low, medium, high, critical, never" in result.err
