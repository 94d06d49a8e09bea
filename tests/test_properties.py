"""Properties the law demands of any assessment, over generated cases (hypothesis).

- The order a file lists its incidents or victims in is not evidence: reordering them
  changes no status, maximum, recommendation or finding.
- Unknown is never false: forgetting a recorded yes/no fact can turn an offence from
  supported to unknown, never to not-supported.
- Maxima are dated law: a case whose every date falls after the last change-over keeps
  the same maxima wherever it is moved in time.
"""

from __future__ import annotations

import copy
import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli
from tests.fuzzing import cases, dump

LAST_CHANGE_OVER = date(2024, 11, 18)  # the newest dated value in rules/ (general limit)
EXAMPLES = settings().max_examples // 4  # each example runs the CLI two or three times


def judged(tmp_path: Path, case: dict[str, Any], name: str) -> dict[str, Any]:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(dump(case))
    result = run_cli("assess", str(path), "--format", "json")
    assert result.code in (0, 1), result.err
    report: dict[str, Any] = json.loads(result.out)
    return report


def essence(report: dict[str, Any]) -> dict[str, Any]:
    """What a lawyer acts on, free of the order the file happened to list things in."""
    return {
        "offences": {o["offence"]: (o["status"], o["in_force"], o["in_time"], o["maximum"],
                                    sorted(o["missing"]), sorted(o["absent"]))
                     for o in report["offences"]},
        "recommended": report["recommended_charges"],
        "findings": sorted((f["rule"], f["severity"], tuple(sorted(f["incidents"])))
                           for f in report["findings"]),
        "indicators": {k: v["status"] for k, v in report["indicators"].items()},
        "level": report["escalation"]["level"],
        "markers": sorted(report["escalation"]["markers"]),
    }


@settings(max_examples=EXAMPLES)
@given(case=cases(), seed=st.integers(0, 2**32 - 1))
def test_the_order_of_incidents_and_victims_changes_nothing(
        tmp_path_factory: Any, case: dict[str, Any], seed: int) -> None:
    tmp_path = tmp_path_factory.mktemp("order")
    shuffled = copy.deepcopy(case)
    shuffler = random.Random(seed)
    shuffler.shuffle(shuffled["incidents"])
    shuffler.shuffle(shuffled["victims"])
    assert essence(judged(tmp_path, case, "given")) == essence(
        judged(tmp_path, shuffled, "shuffled"))


FACT_PLACES = [("victims", "very_frightened"), ("victims", "serious_alarm_or_distress"),
               ("victims", "fears_for_others_only"), ("victims", "supports_prosecution"),
               ("incidents", "caused_fear_of_violence"), ("suspect", "lived_together"),
               ("safeguarding", "bail_conditions"), ("safeguarding", "marac_referral")]


@settings(max_examples=EXAMPLES)
@given(case=cases(), place=st.sampled_from(FACT_PLACES), which=st.integers(0, 5))
def test_forgetting_a_fact_never_turns_supported_into_not_supported(
        tmp_path_factory: Any, case: dict[str, Any], place: tuple[str, str], which: int) -> None:
    tmp_path = tmp_path_factory.mktemp("unknown")
    section, key = place
    entries = case.get(section)
    holders = entries if isinstance(entries, list) else [entries] if entries else []
    holders = [h for h in holders if key in h]
    if not holders:
        return
    before = judged(tmp_path, case, "known")
    del holders[which % len(holders)][key]
    after = judged(tmp_path, case, "forgotten")
    statuses = {o["offence"]: o["status"] for o in after["offences"]}
    for result in before["offences"]:
        if result["status"] == "supported" and result["offence"] in statuses:
            assert statuses[result["offence"]] != "not-supported", (
                f"{result['offence']} became not-supported when {section}.{key} was forgotten")


@settings(max_examples=EXAMPLES)
@given(case=cases(), years=st.integers(0, 20), days=st.integers(0, 364))
def test_maxima_do_not_move_once_every_date_is_past_the_last_change_over(
        tmp_path_factory: Any, case: dict[str, Any], years: int, days: int) -> None:
    tmp_path = tmp_path_factory.mktemp("shift")
    case.setdefault("decision_date", max(i.get("end_date", i["date"])
                                         for i in case["incidents"]))
    earliest = min(_all_dates(case))
    settled = _shifted(case, LAST_CHANGE_OVER + timedelta(days=1) - earliest)
    later = _shifted(settled, timedelta(days=365 * years + days))
    maxima = [{o["offence"]: o["maximum"] for o in judged(tmp_path, c, n)["offences"]}
              for c, n in ((settled, "settled"), (later, "later"))]
    assert maxima[0] == maxima[1]


def _all_dates(data: Any) -> list[date]:
    if isinstance(data, date):
        return [data]
    if isinstance(data, dict):
        return [d for value in data.values() for d in _all_dates(value)]
    if isinstance(data, list):
        return [d for value in data for d in _all_dates(value)]
    return []


def _shifted(data: Any, by: timedelta) -> Any:
    if isinstance(data, date):
        return data + by
    if isinstance(data, dict):
        return {key: _shifted(value, by) for key, value in data.items()}
    if isinstance(data, list):
        return [_shifted(value, by) for value in data]
    return data

