"""The legal arithmetic, date by date: every change-over on the day before, of and after.

Each test builds a small case, runs `chargecheck assess --format json` as a user would, and
reads the offence ladder. Test names cite the law, so moving a date, a maximum or a time
limit in `rules/` fails a test that says which law it broke. The dates come from the
legal reference (sections 2.7-2.8, 3 and 14.1), not from `rules/`: the rule set is what is
being checked.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import run_cli

DAY = timedelta(days=1)


def around(day: date) -> list[date]:
    """The day before a change-over, the day itself and the day after."""
    return [day - DAY, day, day + DAY]


def incident(ident: str, on: date, *behaviours: str, fear: bool = True,
             **extra: Any) -> dict[str, Any]:
    return {"id": ident, "date": on, "behaviours": list(behaviours or ["following"]),
            "channel": "in-person", "caused_fear_of_violence": fear, **extra}


def case(incidents: list[dict[str, Any]], decided: date, charges: list[dict[str, Any]],
         **changes: Any) -> dict[str, Any]:
    """A stalking case that makes out s.4A whenever its dates allow it."""
    first = min(i["date"] for i in incidents)
    body: dict[str, Any] = {
        "format": 1, "reference": "T-DATES", "decision_date": decided, "synthetic": True,
        "suspect": {"label": "D", "relationship": "ex-partner", "lived_together": False,
                    "separated_on": first - 30 * DAY},
        "victims": [{"id": "V1", "label": "V", "made_clear_unwanted_on": first - 10 * DAY,
                     "very_frightened": True, "serious_alarm_or_distress": True,
                     "day_to_day_effects": ["changed-routine"],
                     "fears_for_others_only": False}],
        "incidents": incidents,
        "charges": charges,
    }
    return body | changes


def assess(tmp_path: Path, body: dict[str, Any]) -> dict[str, Any]:
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    result = run_cli("assess", str(path), "--format", "json")
    assert result.code in (0, 1), result.err
    report: dict[str, Any] = json.loads(result.out)
    return report


def offence(report: dict[str, Any], ident: str) -> dict[str, Any]:
    found = [o for o in report["offences"] if o["offence"] == ident]
    assert found, f"{ident} is not on the ladder: {[o['offence'] for o in report['offences']]}"
    chosen: dict[str, Any] = found[0]
    return chosen


def two_occasions(last: date, *behaviours: str, **extra: Any) -> list[dict[str, Any]]:
    return [incident("I1", last - 20 * DAY, *behaviours, **extra),
            incident("I2", last, *behaviours, **extra)]


# --- maxima on indictment: by offence date -----------------------------------------------

@pytest.mark.parametrize("last", around(date(2017, 4, 3)))
@pytest.mark.parametrize(("ident", "before", "after"), [
    ("pha-s4", 5, 10), ("pha-s4a", 5, 10), ("cda-s32-1b", 7, 14)])
def test_pca_2017_s175_raises_the_maximum_for_offences_from_3_april_2017(
        tmp_path: Path, last: date, ident: str, before: int, after: int) -> None:
    incidents = two_occasions(last, "following", "threat-of-violence", hostility="racial")
    report = assess(tmp_path, case(incidents, last + 30 * DAY, [{"offence": ident}]))
    years = offence(report, ident)["maximum"]["indictment_years"]
    assert years == (after if last >= date(2017, 4, 3) else before)


@pytest.mark.parametrize("first", around(date(2017, 4, 3)))
def test_pca_2017_s175_cv_007_flags_a_course_across_3_april_2017(
        tmp_path: Path, first: date) -> None:
    incidents = [incident("I1", first), incident("I2", date(2017, 5, 1))]
    report = assess(tmp_path, case(incidents, date(2017, 6, 1), [{"offence": "pha-s4a"}]))
    assert ("CV-007" in {f["rule"] for f in report["findings"]}) is (first < date(2017, 4, 3))


@pytest.mark.parametrize("first", around(date(2012, 11, 25)))
def test_pofa_2012_s111_cv_011_flags_stalking_charged_across_25_november_2012(
        tmp_path: Path, first: date) -> None:
    incidents = [incident("I1", first), incident("I2", date(2012, 12, 10)),
                 incident("I3", date(2012, 12, 20))]
    report = assess(tmp_path, case(incidents, date(2013, 2, 1), [{"offence": "pha-s4a"}]))
    assert ("CV-011" in {f["rule"] for f in report["findings"]}) is (
        first < date(2012, 11, 25))


# --- the magistrates' general limit: by conviction date, for offences from 2 May 2022 ----

# The rise of 2 May 2022 turns on the offence date (next test); the later changes turn on
# the date of conviction, for which the decision date stands in (SA 2020 Sch 23 para 14A).
GENERAL_LIMIT = [(date(2023, 3, 30), 6), (date(2024, 11, 18), 12)]


@pytest.mark.parametrize(("change", "months"), GENERAL_LIMIT)
@pytest.mark.parametrize("decided_offset", [-1, 0, 1])
def test_general_limit_follows_the_decision_date_si_2023_298_si_2024_1067(
        tmp_path: Path, change: date, months: int, decided_offset: int) -> None:
    decided = change + decided_offset * DAY
    last = date(2022, 5, 2)  # committed on the first day the higher limit could apply
    report = assess(tmp_path, case(two_occasions(last), decided, [{"offence": "pha-s4a"}]))
    previous = {12: 6, 6: 12}[months]
    expected = months if decided >= change else previous
    assert offence(report, "pha-s4a")["maximum"]["summary_months"] == expected


@pytest.mark.parametrize("last", around(date(2022, 5, 2)))
@pytest.mark.parametrize("decided", [date(2022, 6, 1), date(2025, 1, 6)])
def test_offences_before_2_may_2022_keep_six_months_cja_2003_s282_4(
        tmp_path: Path, last: date, decided: date) -> None:
    report = assess(tmp_path, case(two_occasions(last), decided, [{"offence": "pha-s4a"}]))
    expected = 6 if last < date(2022, 5, 2) else 12
    assert offence(report, "pha-s4a")["maximum"]["summary_months"] == expected


# --- commencement: conduct before an offence existed supplies none of its elements -------

@pytest.mark.parametrize("first", around(date(2012, 11, 25)))
@pytest.mark.parametrize("ident", ["pha-s2a", "pha-s4a"])
def test_pofa_2012_s111_stalking_offences_from_25_november_2012(
        tmp_path: Path, first: date, ident: str) -> None:
    incidents = [incident("I1", first), incident("I2", first + 20 * DAY)]
    report = assess(tmp_path, case(incidents, first + 60 * DAY, [{"offence": ident}]))
    result = offence(report, ident)
    assert result["in_force"] is (first >= date(2012, 11, 25))
    assert (result["status"] == "supported") is (first >= date(2012, 11, 25))


def test_pofa_2012_s111_fear_before_commencement_cannot_make_out_s4a(tmp_path: Path) -> None:
    # Two occasions of fear before 25 November 2012, then conduct without fear after it:
    # s.4 (in force since 1997) is made out; s.4A's fear limb rests on nothing after.
    incidents = [incident("I1", date(2012, 10, 1)), incident("I2", date(2012, 11, 1)),
                 incident("I3", date(2012, 12, 1), fear=False),
                 incident("I4", date(2012, 12, 20), fear=False)]
    body = case(incidents, date(2013, 2, 1), [{"offence": "pha-s4"}])
    body["victims"][0] |= {"serious_alarm_or_distress": False}
    report = assess(tmp_path, body)
    assert offence(report, "pha-s4")["status"] == "supported"
    assert offence(report, "pha-s4a")["status"] == "not-supported"


@pytest.mark.parametrize(("ident", "behaviour", "commenced"), [
    ("sca-s75a", "strangulation", date(2022, 6, 7)),
    ("osa-s181", "threat-to-kill", date(2024, 1, 31)),
])
@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_single_incident_offences_commence_on_their_day_da_2021_s70_osa_2023(
        tmp_path: Path, ident: str, behaviour: str, commenced: date, offset: int) -> None:
    on = commenced + offset * DAY
    incidents = [incident("I1", on, behaviour, channel="text")]
    report = assess(tmp_path, case(incidents, on + 30 * DAY, [{"offence": ident}]))
    assert offence(report, ident)["in_force"] is (offset >= 0)


# --- SCA 2015 s.76: ex-partners not living together from 5 April 2023 -------------------

@pytest.mark.parametrize("first", around(date(2023, 4, 5)))
def test_da_2021_s68_ex_partners_apart_are_connected_only_for_behaviour_from_5_april_2023(
        tmp_path: Path, first: date) -> None:
    incidents = [incident("I1", first, "controlling-behaviour"),
                 incident("I2", first + 14 * DAY, "controlling-behaviour")]
    body = case(incidents, first + 60 * DAY, [{"offence": "sca-s76"}])
    body["suspect"]["separated_on"] = date(2022, 1, 1)
    missing = offence(assess(tmp_path, body), "sca-s76")
    connected = "Personally connected" not in " ".join(missing["missing"] + missing["absent"])
    assert connected is (first >= date(2023, 4, 5))


def test_da_2021_s68_one_act_after_5_april_2023_does_not_make_earlier_behaviour_ccb(
        tmp_path: Path) -> None:
    incidents = [incident("I1", date(2023, 2, 1), "controlling-behaviour"),
                 incident("I2", date(2023, 3, 1), "controlling-behaviour"),
                 incident("I3", date(2023, 4, 10), "controlling-behaviour")]
    body = case(incidents, date(2023, 6, 1), [{"offence": "sca-s76"}])
    body["suspect"]["separated_on"] = date(2022, 1, 1)
    result = offence(assess(tmp_path, body), "sca-s76")
    assert result["status"] != "supported"
    assert any("Personally connected" in text for text in result["missing"] + result["absent"])


# --- MCA 1980 s.127: six months from the last incident, to the day ----------------------

@pytest.mark.parametrize(("last", "deadline"), [
    (date(2017, 1, 15), date(2017, 7, 15)),
    (date(2017, 8, 31), date(2018, 2, 28)),   # no 31 February: the month's last day
    (date(2019, 8, 31), date(2020, 2, 29)),   # a leap year
    (date(2017, 12, 31), date(2018, 6, 30)),
])
@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_mca_1980_s127_a_proposed_summary_charge_within_six_months(
        tmp_path: Path, last: date, deadline: date, offset: int) -> None:
    decided = deadline + offset * DAY
    body = case(two_occasions(last), decided, [{"offence": "pha-s2a", "status": "proposed"}])
    assert offence(assess(tmp_path, body), "pha-s2a")["in_time"] is (offset <= 0)


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_mca_1980_s127_a_laid_charge_is_judged_on_the_day_it_was_laid(
        tmp_path: Path, offset: int) -> None:
    last, deadline = date(2017, 8, 31), date(2018, 2, 28)
    charge = {"offence": "pha-s2a", "status": "charged", "charged_on": deadline + offset * DAY}
    body = case(two_occasions(last), date(2019, 1, 1), [charge])
    report = assess(tmp_path, body)
    assert offence(report, "pha-s2a")["in_time"] is (offset <= 0)
    assert ("CV-001" in {f["rule"] for f in report["findings"]}) is (offset > 0)


def test_mca_1980_s127_a_laid_charge_without_its_date_is_never_time_barred(
        tmp_path: Path) -> None:
    body = case(two_occasions(date(2017, 8, 31)), date(2019, 1, 1),
                [{"offence": "pha-s2a", "status": "charged"}])
    report = assess(tmp_path, body)
    assert offence(report, "pha-s2a")["in_time"] is None
    rules = {f["rule"] for f in report["findings"]}
    assert "CV-001" not in rules
    assert "EG-011" in rules  # ask for the date the charge was laid


def test_mca_1980_s127_a_laid_charge_reviewed_within_six_months_is_in_time(
        tmp_path: Path) -> None:
    # Laid on or before a decision date that is itself within the limit: in time.
    body = case(two_occasions(date(2017, 8, 31)), date(2018, 2, 1),
                [{"offence": "pha-s2", "status": "charged"}])
    assert offence(assess(tmp_path, body), "pha-s2")["in_time"] is True


# --- Malicious Communications Act 1988 s.1: summary only until 13 April 2015 ------------

def abusive_texts(last: date) -> list[dict[str, Any]]:
    return [incident("I1", last - 20 * DAY, "abuse", channel="text", fear=False),
            incident("I2", last, "abuse", channel="text", fear=False)]


@pytest.mark.parametrize("last", around(date(2015, 4, 13)))
def test_cjca_2015_s32_mca_s1_became_either_way_without_a_time_limit_from_13_april_2015(
        tmp_path: Path, last: date) -> None:
    body = case(abusive_texts(last), last + 400 * DAY,
                [{"offence": "mca-s1", "status": "proposed"}])
    result = offence(assess(tmp_path, body), "mca-s1")
    after = last >= date(2015, 4, 13)
    assert result["in_time"] is after  # a year on: out of time only while summary only
    assert result["maximum"]["indictment_years"] == (2 if after else None)


@pytest.mark.parametrize(("last", "months"), [
    (date(2001, 5, 10), 0), (date(2001, 5, 11), 6), (date(2001, 5, 12), 6)])
def test_cjpa_2001_s43_mca_s1_imprisonment_from_11_may_2001(
        tmp_path: Path, last: date, months: int) -> None:
    body = case(abusive_texts(last), last + 30 * DAY,
                [{"offence": "mca-s1", "status": "proposed"}])
    assert offence(assess(tmp_path, body), "mca-s1")["maximum"]["summary_months"] == months



# --- separation: a trigger within a year (DASH), context after that ---------------------

@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_dash_separation_is_a_trigger_for_conduct_within_a_year(
        tmp_path: Path, offset: int) -> None:
    separated, year_on = date(2020, 8, 31), date(2021, 8, 31)
    first = year_on + offset * DAY
    incidents = [incident("I1", first, fear=False), incident("I2", first + 10 * DAY, fear=False)]
    body = case(incidents, first + 60 * DAY, [{"offence": "pha-s2a"}])
    body["suspect"]["separated_on"] = separated
    markers = assess(tmp_path, body)["escalation"]["markers"]
    assert ("separation" in markers) is (offset <= 0)


# --- earlier records: only warnings about this kind of conduct count (PHA 1997 s.1(2)) ---

@pytest.mark.parametrize(("entry", "counts"), [
    ({"kind": "conviction"}, False),                      # what for is not recorded
    ({"kind": "conviction", "offence": "cda-s1"}, False),  # unrelated
    ({"kind": "conviction", "offence": "pha-s2"}, True),
    ({"kind": "caution", "offence": "breach-ro"}, True),
    ({"kind": "pin"}, True),
    ({"kind": "report"}, False),
])
def test_pha_1997_s1_2_only_related_records_are_warnings_or_risk_markers(
        tmp_path: Path, entry: dict[str, Any], counts: bool) -> None:
    body = case(two_occasions(date(2019, 5, 1)), date(2019, 6, 1), [{"offence": "pha-s2a"}])
    body["suspect"]["history"] = [{**entry, "date": date(2018, 1, 1)}]
    assert ("previous-harassment" in assess(tmp_path, body)["escalation"]["markers"]) is counts


# --- several victims: each judged on their own relationship (contract 1.1) --------------

def test_pha_1997_s7_3_each_victim_on_their_own_relationship(tmp_path: Path) -> None:
    incidents = [incident("I1", date(2024, 1, 8), victims=["V1"]),
                 incident("I2", date(2024, 1, 20), victims=["V1"]),
                 incident("I3", date(2024, 2, 1), "threat-of-violence", victims=["V2"]),
                 incident("I4", date(2024, 2, 15), "threat-of-violence", victims=["V2"])]
    body = case(incidents, date(2024, 4, 1), [{"offence": "pha-s4a", "victims": ["V1"]},
                                             {"offence": "pha-s4", "victims": ["V2"]}])
    body["suspect"]["separated_on"] = date(2023, 12, 1)
    body["victims"].append({"id": "V2", "label": "W", "relationship": "acquaintance",
                            "very_frightened": True})
    report = assess(tmp_path, body)
    per_victim = {v["victim"]: v["status"] for v in offence(report, "pha-s4a")["victims"]}
    assert per_victim == {"V": "supported", "W": "not-supported"}
    s76 = [v["victim"] for v in offence(report, "sca-s76")["victims"]]
    assert s76 == ["V"]  # raised for the ex-partner only, not for her new partner
    assert "ex-intimate" in report["escalation"]["markers"]


# --- conduct measured from a day the file records without a time ---------------------------

NEIGHBOUR = Path(__file__).resolve().parent.parent / "rules/tests/bases/neighbour-harassment.yaml"
LAST_INCIDENT = date(2019, 3, 15)  # the base's last incident; nothing in it evidences obsession


@pytest.mark.parametrize(("told", "obsessive"), list(zip(
    around(LAST_INCIDENT), ["met", "unknown", "not-met"], strict=True)))
def test_conduct_on_the_day_the_victim_said_stop_may_have_come_after_it(
        tmp_path: Path, told: date, obsessive: str) -> None:
    # PHA 1997 s.1(2), s.2A(3); legal reference 14.1.1 and section 5 (FOUR: "carries on
    # after being told to stop"). The file gives the day the victim made clear the conduct
    # was unwanted, not the hour: an incident that day may have come before or after it, so
    # it is unknown, never "not after" (unknown is never false).
    body = yaml.safe_load(NEIGHBOUR.read_text(encoding="utf-8"))
    body["victims"][0]["made_clear_unwanted_on"] = told
    report = assess(tmp_path, body)
    assert report["indicators"]["obsessive"]["status"] == obsessive


@pytest.mark.parametrize(("count", "repeated"), [(1, "not-met"), (2, "met")])
def test_repeated_needs_two_occasions_and_names_the_incidents_that_make_them(
        tmp_path: Path, count: int, repeated: str) -> None:
    # PHA 1997 s.7(3)(a): a course of conduct involves conduct on at least two occasions;
    # FOUR "repeated" (legal reference section 5) reads the same count. An entry standing
    # for several occasions counts them all.
    body = yaml.safe_load(NEIGHBOUR.read_text(encoding="utf-8"))
    body["incidents"] = [body["incidents"][0] | {"count": count}]
    report = assess(tmp_path, body)
    indicator = report["indicators"]["repeated"]
    assert indicator["status"] == repeated
    assert indicator["incidents"] == (["I1"] if repeated == "met" else [])
