"""The engine's legal arithmetic, unit by unit: fast, pure, and named for the law it guards.

The end-to-end tests (test_legal_dates.py, test_rule_cases.py) show the law holds from
the command line; these pin the arithmetic under it, so that a small slip in the code
(a `<` for a `<=`, an unknown read as false, a month end rolled over) fails a test that
says which rule of law it broke. The dates come from the legal reference, not from
`rules/`.
"""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from chargecheck.case.loading import load_case
from chargecheck.case.model import Case, Charge, Incident, Suspect, Victim
from chargecheck.cli.rule_loading import load_ruleset
from chargecheck.cli.rule_tests import run_file
from chargecheck.conditions.compiler import (
    ConditionError,
    Result,
    Vocabulary,
    compile_condition,
)
from chargecheck.conditions.facts import BehaviourInfo, Context, JudgedIndicator, JudgedOffence
from chargecheck.conditions.months import add_months
from chargecheck.conditions.parse import CHECKED
from chargecheck.engine.assess import (
    VictimResult,
    _merge_escalation,
    _merge_indicators,
    _merge_offences,
    _strongest,
    assess,
)
from chargecheck.engine.assessment import IndicatorResult, OffenceResult
from chargecheck.engine.ladder import general_limit, maximum, most_serious_first
from chargecheck.engine.offences import (
    _in_force,
    _in_time,
    _laid_in_time,
    _laid_on,
    _resting_on,
    from_commencement,
    occasions_from,
)
from chargecheck.rulebook.directory import default_rules_dir
from chargecheck.rulebook.rule_tests import rule_test_files
from chargecheck.rulebook.ruleset import OffenceDef, RuleSet
from chargecheck.scales import IndicatorStatus
from tests.conftest import EXAMPLES, run_cli
from tests.update_golden import GOLDEN, normalise

DAY = timedelta(days=1)
TRUTH: tuple[bool | None, ...] = (True, False, None)


def around(day: date) -> list[date]:
    """The day before a change-over, the day itself and the day after."""
    return [day - DAY, day, day + DAY]


def on_each_day(day: date, before: Any, on: Any, after: Any) -> list[tuple[date, Any]]:
    """Parameters: each day around a change-over with what is expected on it."""
    return list(zip(around(day), [before, on, after], strict=True))


# --- a minimal victim's context ----------------------------------------------------------

def incident(ident: str, on: date, end: date | None = None, count: int | None = None
             ) -> Incident:
    return Incident(id=ident, date=on, end_date=end, count=count, behaviours=["following"])


def context(*incidents: Incident, label: str = "V1",
            values: dict[str, bool | None] | None = None,
            charges: list[Charge] | None = None) -> Context:
    """One victim's Context whose named tests `p`, `q`, `r` have the given values."""
    incidents = incidents or (incident("I1", date(2024, 1, 1)),)
    case = Case(format=1, reference="T-ARITHMETIC", victims=[Victim(id=label)],
                incidents=list(incidents), charges=charges or [])
    ctx = Context(case, case.victims[0], date(2024, 6, 1), {}, list(case.incidents))
    for name, value in (values or {}).items():
        ctx.tests[name] = _constant(name, value)
    return ctx


def _constant(name: str, value: bool | None) -> Any:
    found = frozenset({name}) if value else frozenset()
    return lambda _ctx: (value, found)


VOCAB = Vocabulary(frozenset(), frozenset(), frozenset(), frozenset(), frozenset(),
                   frozenset(), tests=frozenset({"p", "q", "r"}))


def judge(cond: Any, ctx: Context) -> Result:
    return compile_condition(cond, ("when",), VOCAB)(ctx)


P, Q, R = {"test": "p"}, {"test": "q"}, {"test": "r"}


def kleene_and(*values: bool | None) -> bool | None:
    if False in values:
        return False
    return None if None in values else True


def kleene_or(*values: bool | None) -> bool | None:
    if True in values:
        return True
    return None if None in values else False


# --- three-valued logic (Kleene) ---------------------------------------------------------

@pytest.mark.parametrize(("p", "q"), list(itertools.product(TRUTH, TRUTH)))
def test_kleene_all_is_false_if_any_part_is_false_else_unknown_if_any_is_unknown(
        p: bool | None, q: bool | None) -> None:
    value, ids = judge({"all": [P, Q]}, context(values={"p": p, "q": q}))
    assert value is kleene_and(p, q)
    # Only a condition that holds names the incidents it rests on, and then all of them.
    assert ids == (frozenset({"p", "q"}) if value else frozenset())


@pytest.mark.parametrize(("p", "q", "r"), list(itertools.product(TRUTH, TRUTH, TRUTH)))
def test_kleene_all_of_three_does_not_depend_on_where_the_false_part_stands(
        p: bool | None, q: bool | None, r: bool | None) -> None:
    value, _ = judge({"all": [P, Q, R]}, context(values={"p": p, "q": q, "r": r}))
    assert value is kleene_and(p, q, r)


@pytest.mark.parametrize(("p", "q"), list(itertools.product(TRUTH, TRUTH)))
def test_kleene_any_is_true_if_any_part_is_true_else_unknown_if_any_is_unknown(
        p: bool | None, q: bool | None) -> None:
    value, ids = judge({"any": [P, Q]}, context(values={"p": p, "q": q}))
    assert value is kleene_or(p, q)
    # A disjunction rests on the parts that hold, and only on them.
    assert ids == frozenset(n for n, v in (("p", p), ("q", q)) if v)


@pytest.mark.parametrize(("p", "q", "r"), list(itertools.product(TRUTH, TRUTH, TRUTH)))
def test_kleene_any_of_three_does_not_depend_on_where_the_true_part_stands(
        p: bool | None, q: bool | None, r: bool | None) -> None:
    value, _ = judge({"any": [P, Q, R]}, context(values={"p": p, "q": q, "r": r}))
    assert value is kleene_or(p, q, r)


@pytest.mark.parametrize(("p", "expected"), [(True, False), (False, True), (None, None)])
def test_kleene_not_of_unknown_is_unknown(p: bool | None, expected: bool | None) -> None:
    assert judge({"not": P}, context(values={"p": p})) == (expected, frozenset())


@pytest.mark.parametrize(("p", "expected"), [(True, False), (False, True), (None, True)])
def test_unless_is_true_unless_the_inner_is_known_to_hold(p: bool | None, expected: bool) -> None:
    assert judge({"unless": P}, context(values={"p": p})) == (expected, frozenset())


def test_kleene_not_not_gives_back_the_value_unknown_included() -> None:
    for p in TRUTH:
        assert judge({"not": {"not": P}}, context(values={"p": p}))[0] is p


@pytest.mark.parametrize("cond", [{"all": []}, {"any": []}, {"all": P}, {"nor": [P]}, {},
                                  {"all": [P], "any": [Q]}, {"not": P, "extra": 1}])
def test_a_malformed_condition_is_a_load_error_never_a_silent_false(cond: Any) -> None:
    with pytest.raises(ConditionError):
        compile_condition(cond, ("when",), VOCAB)


# --- counts as ranges (lo, hi): what is known and what might be ---------------------------

def count_test(op: str, n: int, occasions: tuple[int, int]) -> bool | None:
    ctx = context()
    ctx.facts["course.occasions"] = occasions
    return judge({"fact": "course.occasions", op: n}, ctx)[0]


@pytest.mark.parametrize(("occasions", "n", "expected"), [
    ((1, 3), 2, None), ((1, 3), 1, True), ((1, 3), 3, None), ((1, 3), 4, False),
    ((2, 2), 2, True), ((2, 2), 3, False), ((0, 0), 0, True), ((2, 5), 2, True),
])
def test_at_least_is_true_on_the_low_end_false_above_the_high_end(
        occasions: tuple[int, int], n: int, expected: bool | None) -> None:
    assert count_test("at_least", n, occasions) is expected


@pytest.mark.parametrize(("occasions", "n", "expected"), [
    ((1, 3), 0, False), ((1, 3), 1, None), ((1, 3), 2, None), ((1, 3), 3, True),
    ((1, 3), 4, True), ((2, 2), 2, True), ((2, 2), 1, False),
])
def test_at_most_is_true_on_the_high_end_false_below_the_low_end(
        occasions: tuple[int, int], n: int, expected: bool | None) -> None:
    assert count_test("at_most", n, occasions) is expected


@pytest.mark.parametrize(("occasions", "n", "expected"), [
    ((2, 2), 2, True), ((2, 2), 1, False), ((2, 2), 3, False), ((1, 3), 2, None),
    ((1, 3), 1, None), ((1, 3), 3, None), ((1, 3), 0, False), ((1, 3), 4, False),
])
def test_equals_on_a_count_is_known_only_when_the_range_is_one_number(
        occasions: tuple[int, int], n: int, expected: bool | None) -> None:
    assert count_test("equals", n, occasions) is expected


@pytest.mark.parametrize(("value", "op", "arg", "expected"), [
    (None, "is", True, None), (True, "is", True, True), (False, "is", True, False),
    (None, "known", True, False), (None, "known", False, True), (True, "known", True, True),
    (False, "known", False, False),
])
def test_a_yes_no_fact_left_out_is_unknown_not_false(
        value: bool | None, op: str, arg: bool, expected: bool | None) -> None:
    ctx = context()
    ctx.facts["victim.very_frightened"] = value
    assert judge({"fact": "victim.very_frightened", op: arg}, ctx)[0] is expected


@pytest.mark.parametrize(("value", "op", "expected"), [
    (date(2023, 4, 4), "on_or_after", False), (date(2023, 4, 5), "on_or_after", True),
    (date(2023, 4, 6), "on_or_after", True), (date(2023, 4, 4), "before", True),
    (date(2023, 4, 5), "before", False), (None, "on_or_after", None), (None, "before", None),
])
def test_a_date_fact_on_or_after_includes_the_day_and_before_excludes_it(
        value: date | None, op: str, expected: bool | None) -> None:
    ctx = context()
    ctx.facts["suspect.separated_on"] = value
    assert judge({"fact": "suspect.separated_on", op: date(2023, 4, 5)}, ctx)[0] is expected


# --- calendar months ----------------------------------------------------------------------

@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2023, 8, 31), 6, date(2024, 2, 29)),   # a leap year's February
    (date(2022, 8, 31), 6, date(2023, 2, 28)),   # an ordinary February
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2024, 3, 31), 1, date(2024, 4, 30)),
    (date(2024, 1, 15), 6, date(2024, 7, 15)),   # the same day
    (date(2024, 7, 31), 6, date(2025, 1, 31)),   # over the year end
    (date(2024, 12, 1), 1, date(2025, 1, 1)),
    (date(2024, 6, 30), 18, date(2025, 12, 30)),
    (date(2024, 11, 30), 0, date(2024, 11, 30)),
    (date(2024, 3, 31), -1, date(2024, 2, 29)),  # backwards
    (date(2024, 1, 15), -1, date(2023, 12, 15)),
    (date(2024, 1, 31), -13, date(2022, 12, 31)),
    (date(2024, 8, 31), -6, date(2024, 2, 29)),
])
def test_mca_1980_s127_six_months_are_calendar_months_ending_on_the_month_end(
        start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


# --- occasions from a commencement date ---------------------------------------------------

START = date(2012, 11, 25)


@pytest.mark.parametrize(("entry", "expected"), [
    (incident("A", START - 10 * DAY, START - DAY, count=4), 0),    # wholly before
    (incident("A", START - 10 * DAY), 0),
    (incident("A", START, START + 9 * DAY, count=4), 4),           # from the day itself
    (incident("A", START + DAY), 1),                               # wholly after
    (incident("A", START + DAY, START + 5 * DAY), 2),
    (incident("A", START - 5 * DAY, START + 4 * DAY, count=10), 5),  # half the days
    (incident("A", START - 9 * DAY, START, count=10), 1),          # its last day only
    (incident("A", START - 9 * DAY, START, count=3), 1),           # never rounded to none
    (incident("A", START - 2 * DAY, START + 7 * DAY, count=100), 80),
    (incident("A", START - DAY, START + 2 * DAY, count=10), 7),    # 7.5: whole occasions
])
def test_pofa_2012_s111_occasions_before_commencement_do_not_count(
        entry: Incident, expected: int) -> None:
    assert occasions_from(entry, START) == expected


# --- maxima and the magistrates' limit ----------------------------------------------------

def offence_def(rules: RuleSet, ident: str) -> OffenceDef:
    return next(o for o in rules.offences if o.id == ident)


@pytest.mark.parametrize(("ident", "before", "after"), [
    ("pha-s4", 5, 10), ("pha-s4a", 5, 10), ("cda-s32-1b", 7, 14)])
def test_pca_2017_s175_maximum_on_indictment_follows_the_offence_date(
        rules: RuleSet, ident: str, before: int, after: int) -> None:
    offence = offence_def(rules, ident)
    when = date(2025, 1, 6)
    got = [maximum(offence, day, when, rules)[1] for day in around(date(2017, 4, 3))]
    assert got == [before, after, after]


def test_summary_only_offences_keep_six_months_and_no_indictment(rules: RuleSet) -> None:
    offence = offence_def(rules, "pha-s2")
    assert maximum(offence, date(2024, 1, 1), date(2025, 1, 1), rules) == (6, None)


def test_maximum_of_an_offence_before_its_first_dated_entry_is_the_first(
        rules: RuleSet) -> None:
    offence = offence_def(rules, "pha-s4a")
    assert maximum(offence, date(2012, 11, 24), date(2025, 1, 6), rules)[1] == 5


@pytest.mark.parametrize(("committed", "expected"), on_each_day(date(2022, 5, 2), 6, 12, 12))
def test_cja_2003_s282_4_offences_before_2_may_2022_keep_six_months(
        rules: RuleSet, committed: date, expected: int) -> None:
    # Convicted while the limit is 12 months: only the offence date can lower it.
    assert general_limit(rules, committed, date(2025, 1, 6)) == expected
    offence = offence_def(rules, "pha-s4a")
    assert maximum(offence, committed, date(2025, 1, 6), rules)[0] == expected


@pytest.mark.parametrize(("change", "before", "after"), [
    (date(2022, 5, 2), 6, 12),    # SI 2022/500
    (date(2023, 3, 30), 12, 6),   # SI 2023/298
    (date(2024, 11, 18), 6, 12),  # SI 2024/1067
])
def test_general_limit_follows_the_conviction_date_si_2022_500_si_2023_298_si_2024_1067(
        rules: RuleSet, change: date, before: int, after: int) -> None:
    committed = date(2022, 5, 2)
    got = [general_limit(rules, committed, day) for day in around(change)]
    assert got == [before, after, after]


def test_general_limit_before_the_first_rise_is_six_months(rules: RuleSet) -> None:
    assert general_limit(rules, date(2022, 5, 2), date(2021, 1, 1)) == 6


# --- the time limit: judged when the charge is laid ---------------------------------------

LAST = date(2024, 1, 31)          # six months on: 31 July 2024
DEADLINE = date(2024, 7, 31)


@pytest.mark.parametrize(("when", "expected"), on_each_day(DEADLINE, True, True, False))
def test_mca_1980_s127_a_proposed_charge_is_judged_on_the_decision_date(
        rules: RuleSet, when: date, expected: bool) -> None:
    assert _in_time(offence_def(rules, "pha-s2"), LAST, when, None) is expected


@pytest.mark.parametrize(("when", "expected"), on_each_day(date(2024, 2, 29), True, True, False))
def test_mca_1980_s127_six_months_from_31_august_end_on_29_february(
        rules: RuleSet, when: date, expected: bool) -> None:
    assert _in_time(offence_def(rules, "pha-s2"), date(2023, 8, 31), when, None) is expected


@pytest.mark.parametrize(("laid", "expected"), on_each_day(DEADLINE, True, True, False))
def test_mca_1980_s127_a_laid_charge_is_judged_on_its_day_not_on_the_review(
        rules: RuleSet, laid: date, expected: bool) -> None:
    # Reviewed long after the deadline: only the day the charge was laid counts.
    assert _in_time(offence_def(rules, "pha-s2"), LAST, date(2025, 6, 1), [laid]) is expected


def test_mca_1980_s127_a_charge_laid_in_time_is_not_undone_by_a_late_one(
        rules: RuleSet) -> None:
    offence = offence_def(rules, "pha-s2")
    assert _in_time(offence, LAST, date(2025, 6, 1), [DEADLINE + DAY, DEADLINE]) is True
    assert _in_time(offence, LAST, date(2025, 6, 1), [DEADLINE + DAY, DEADLINE + DAY]) is False


@pytest.mark.parametrize(("when", "expected"), on_each_day(DEADLINE, True, True, None))
def test_mca_1980_s127_a_laid_charge_without_its_day_is_unknown_never_time_barred(
        when: date, expected: bool | None) -> None:
    # Laid by the review at the latest: in time if the review is; otherwise ask the date.
    assert _laid_in_time([None], when, DEADLINE) is expected


def test_mca_1980_s127_an_undated_charge_beside_a_late_one_is_still_unknown() -> None:
    assert _laid_in_time([DEADLINE + DAY, None], date(2025, 6, 1), DEADLINE) is None
    assert _laid_in_time([DEADLINE + DAY, None], DEADLINE, DEADLINE) is True


def test_either_way_offences_have_no_time_limit_and_special_limits_are_unknown(
        rules: RuleSet) -> None:
    late = date(2030, 1, 1)
    assert _in_time(offence_def(rules, "pha-s4a"), LAST, late, None) is True
    assert _in_time(offence_def(rules, "pha-s4a"), LAST, late, [None]) is True
    assert _in_time(offence_def(rules, "ca-s127"), LAST, late, None) is None


# --- one offence across several victims ---------------------------------------------------

def result(status: str, missing: tuple[str, ...] = (), absent: tuple[str, ...] = (),
           incidents: tuple[str, ...] = (), charged: bool = False) -> OffenceResult:
    return OffenceResult("pha-s4a", "Stalking", "PHA 1997 s.4A", "either-way", status, True,
                         True, 12, 10, missing, absent, incidents, charged)


def test_the_strongest_status_across_victims_is_the_offence_status() -> None:
    merged = _strongest([("V1", result("unknown", missing=("fear",), incidents=("I1",))),
                         ("V2", result("supported", incidents=("I2",))),
                         ("V3", result("not-supported", absent=("course",), charged=True))])
    assert merged.status == "supported"
    # Only the victim for whom it is supported says what it rests on.
    assert (merged.missing, merged.absent, merged.incidents) == ((), (), ("I2",))
    assert merged.charged is True  # charged for any victim is charged
    assert merged.victims == (("V1", "unknown"), ("V2", "supported"), ("V3", "not-supported"))


def test_victims_at_the_same_status_pool_what_is_missing_and_absent() -> None:
    merged = _strongest([("A", result("not-supported", ("x",), ("a",), ("I3", "I1"))),
                         ("B", result("not-supported", ("y", "x"), ("b",), ("I2",))),
                         ("C", result("not-supported", ("z",), ("c",), ("I9",)))])
    assert merged.missing == ("x", "y", "z")
    assert merged.absent == ("a", "b", "c")
    assert merged.incidents == ("I1", "I2", "I3", "I9")
    assert merged.charged is False


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_the_order_of_victims_does_not_change_the_offence(order: tuple[int, ...]) -> None:
    entries = [("A", result("unknown", missing=("x",), incidents=("I1",))),
               ("B", result("unknown", missing=("y",), incidents=("I2",))),
               ("C", result("not-supported", absent=("z",), incidents=("I3",)))]
    merged = _strongest([entries[n] for n in order])
    assert merged.status == "unknown"
    assert set(merged.missing) == {"x", "y"} and merged.absent == ()
    assert merged.incidents == ("I1", "I2")
    assert sorted(merged.victims) == [("A", "unknown"), ("B", "unknown"),
                                      ("C", "not-supported")]


def test_merging_keeps_the_rule_sets_order_and_each_victims_status(rules: RuleSet) -> None:
    first = context(label="V1")
    second = context(label="V2")
    s4 = result("not-supported")._replace(offence="pha-s4")
    results = [VictimResult(first, {"pha-s4a": result("unknown"), "pha-s4": s4}, [], []),
               VictimResult(second, {"pha-s4a": result("supported")}, [], [])]
    merged = _merge_offences(results, rules)
    assert [o.offence for o in merged] == ["pha-s4", "pha-s4a"]  # the ladder's order
    assert merged[1].status == "supported"
    assert merged[1].victims == (("V1", "unknown"), ("V2", "supported"))
    assert merged[0].victims == (("V1", "not-supported"),)


def test_pofa_2012_s111_conduct_wholly_after_commencement_is_judged_as_it_is() -> None:
    ctx = context(incident("I1", START), incident("I2", START + DAY))
    assert from_commencement(ctx, START) is ctx
    assert from_commencement(ctx, START - DAY) is ctx


def test_pofa_2012_s111_an_entry_spanning_commencement_keeps_only_its_later_occasions(
        ) -> None:
    ctx = context(incident("I0", START - 30 * DAY),
                  incident("I1", START - 5 * DAY, START + 4 * DAY, count=10),
                  incident("I2", START - 3 * DAY, START, count=6),
                  incident("I3", START + 9 * DAY))
    since = from_commencement(ctx, START)
    assert [(i.id, i.date, i.occasions) for i in since.incidents] == [
        ("I1", START, 5), ("I2", START, 1), ("I3", START + 9 * DAY, 1)]
    assert since.decision_date == ctx.decision_date
    assert since.facts["course.occasions"] == (7, 7)
    assert from_commencement(ctx, START) is since  # built once per date


@pytest.mark.parametrize(("days_before", "expected"), [(0, True), (1, False)])
def test_pofa_2012_s111_a_course_is_in_force_once_enough_of_it_follows_commencement(
        rules: RuleSet, days_before: int, expected: bool) -> None:
    # s.4A needs two occasions: one before commencement and two from it are enough.
    s4a = offence_def(rules, "pha-s4a")
    start = s4a.commencement
    course = [incident("I1", start - 10 * DAY), incident("I2", start - days_before * DAY),
              incident("I3", start + DAY)]
    assert _in_force(s4a, course) is expected
    assert _in_force(s4a, course[1:]) is expected


def test_a_laid_charge_counts_only_for_the_victims_it_names() -> None:
    laid = date(2024, 3, 1)
    charges = [Charge(offence="pha-s2", victims=["V1"], charged_on=laid),
               Charge(offence="pha-s2", victims=["V2"], charged_on=laid + DAY),
               Charge(offence="pha-s2", charged_on=None),
               Charge(offence="pha-s2", status="proposed"),
               Charge(offence="pha-s4", charged_on=laid)]
    ctx = context(charges=charges)
    assert _laid_on(ctx, "pha-s2") == [laid, None]
    assert _laid_on(ctx, "pha-s4a") is None  # not laid: judged on the decision date


def test_a_single_incident_offence_rests_on_the_incidents_that_evidence_it(
        rules: RuleSet) -> None:
    course = [incident("I1", date(2024, 1, 1)), incident("I2", date(2024, 5, 1))]
    single = offence_def(rules, "oapa-s16")   # a threat to kill: one occasion
    whole = offence_def(rules, "pha-s4a")     # a course of conduct
    assert _resting_on(single, course, frozenset({"I1"})) == course[:1]
    assert _resting_on(single, course, frozenset()) == course
    assert _resting_on(whole, course, frozenset({"I1"})) == course


# --- the rule cases, judged inside a test ---------------------------------------------------
# tests/test_rule_cases.py judges every case when it is collected, and the `rules` fixture
# compiles the rule set once per session; this compiles and judges them inside one test, so
# that a mutation tester (docs/reliability.md) sees the compiler and the engine at work.

def test_the_rule_set_compiled_afresh_passes_every_rule_case() -> None:
    rules_dir = default_rules_dir()
    fresh = load_ruleset(rules_dir, use_cache=False)
    failed = [f"{o.file}:{o.line}: {o.detail}" for file in rule_test_files(rules_dir)
              for o in run_file(file, fresh, rules_dir) if not o.passed]
    assert not failed, "\n".join(failed)


# --- the examples, assessed inside a test -------------------------------------------------
# tests/test_examples.py keeps each example's assessment for the whole session; this assesses
# each again inside its test, for the same reason as above.

@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_each_example_is_assessed_afresh_as_its_golden_file_says(path: Path) -> None:
    run = run_cli("assess", str(path), "--format", "json")
    assert run.code in (0, 1), run.err
    expected = json.loads((GOLDEN / f"{path.stem}.json").read_text(encoding="utf-8"))
    assert normalise(json.loads(run.out)) == expected


def test_an_assessment_without_a_decision_date_is_made_on_the_date_given(
        rules: RuleSet) -> None:
    case = load_case(str(EXAMPLES / "04-s4a-correctly-charged.yaml"))
    undated = case.model_copy(update={"decision_date": None, "synthetic": None})
    result = assess(undated, rules, date(2024, 6, 1))
    assert result.decision_date == date(2024, 6, 1)
    assert (result.reference, result.synthetic) == (case.reference, False)
    assert (result.ruleset_version, result.adjustments) == (rules.version, rules.adjustments)
    assert len(result.contexts) == len(case.victims)
    assert assess(case, rules, date(2024, 6, 1)).decision_date == case.decision_date


def test_a_special_time_limit_is_unknown_whatever_its_months(rules: RuleSet) -> None:
    special = offence_def(rules, "pha-s2")._replace(time_limit_kind="special")
    assert _in_time(special, LAST, LAST + DAY, None) is None


def test_the_most_serious_offence_is_the_one_with_the_highest_maximum(rules: RuleSet) -> None:
    def rung(ident: str, summary: int, years: int | None) -> OffenceResult:
        return result("supported")._replace(offence=ident, summary_months=summary,
                                            indictment_years=years)
    ladder = [rung("pha-s2", 6, None), rung("breach-ro", 6, 5), rung("pha-s4a", 12, 10),
              rung("sca-s76", 12, 5), rung("pha-s4", 12, 10), rung("mca-s1", 0, None)]
    ranked = [o.offence for o in most_serious_first(ladder, rules)]
    # Indictment first, then the summary maximum, then the rule set's own order.
    assert ranked == ["pha-s4", "pha-s4a", "sca-s76", "breach-ro", "pha-s2", "mca-s1"]


def victims_with(*indicators: dict[str, tuple[str, list[str]]], levels: tuple[str, ...] = ()
                 ) -> list[VictimResult]:
    found = []
    for n, table in enumerate(indicators):
        ctx = context(label=f"V{n}")
        ctx.indicators = {name: JudgedIndicator(status, frozenset(ids))
                          for name, (status, ids) in table.items()}
        ctx.level = levels[n] if levels else "standard"
        found.append(VictimResult(ctx, {}, [], []))
    return found


def test_an_indicator_is_met_if_met_for_any_victim_pooling_the_incidents() -> None:
    merged = _merge_indicators(victims_with(
        {"F": ("unknown", []), "O": ("met", ["I3", "I1"])},
        {"F": ("met", ["I2"]), "O": ("met", ["I2"])},
        {"F": ("not-met", []), "O": ("unknown", [])}))
    assert merged == {"F": IndicatorResult(IndicatorStatus.met, ("I2",)),
                      "O": IndicatorResult(IndicatorStatus.met, ("I1", "I2", "I3"))}


def test_the_escalation_level_is_the_highest_for_any_victim() -> None:
    results = victims_with({}, {}, {}, levels=("medium", "high", "standard"))
    results[0].ctx.markers = {"separation": frozenset({"I1"})}
    results[1].ctx.markers = {"separation": frozenset({"I2"})}
    merged = _merge_escalation(results)
    assert merged.level == "high"
    assert merged.incidents == {"separation": ("I1", "I2")}
    assert merged.as_json() == {"level": "high", "markers": ["separation"],
                                "incidents": {"separation": ["I1", "I2"]}}
    assert _merge_escalation(victims_with({}, levels=("standard",))).level == "standard"


# --- conditions on what was judged earlier: three-valued, and silent on what was not raised

def judged_context(**offences: tuple[str, bool | None]) -> Context:
    """A Context where each named offence was judged with (status, in_time), charged for
    the victim; and the `fixated` indicator judged as the `fixated` keyword says."""
    charges = [Charge.model_validate({"offence": name}) for name in offences if name != "fixated"]
    ctx = context(charges=charges)
    for name, (status, in_time) in offences.items():
        if name == "fixated":
            ctx.indicators[name] = JudgedIndicator(status, frozenset({"I1"}))
            continue
        ctx.offences[name] = JudgedOffence(status, frozenset({"I1"}), in_time, True,
                                           status == "not-supported", False, False)
    return ctx


def checked(cond: Any, ctx: Context) -> Result:
    return compile_condition(cond, (), CHECKED)(ctx)


@pytest.mark.parametrize(("subject", "status", "holds"), [
    ("indicator", "met", True), ("indicator", "not-met", False),
    ("indicator", "unknown", None),
    ("offence", "supported", True), ("offence", "not-supported", False),
    ("offence", "unknown", None),
])
def test_holds_is_three_valued_and_unknown_is_never_false(subject: str, status: str,
                                                          holds: bool | None) -> None:
    name = "fixated" if subject == "indicator" else "pha-s2a"
    ctx = judged_context(**{name: (status, True)})
    value, ids = checked({subject: name, "holds": True}, ctx)
    assert value is holds and ids == (frozenset({"I1"}) if holds else frozenset())
    opposite = None if holds is None else not holds
    assert checked({subject: name, "holds": False}, ctx)[0] is opposite
    # Not judged at all (an offence the file does not raise): it does not hold.
    assert checked({subject: "other", "holds": True}, judged_context())[0] is False


def test_a_status_condition_names_the_incidents_only_when_it_holds() -> None:
    ctx = judged_context(**{"pha-s2": ("supported", True), "pha-s2a": ("unknown", True)})
    assert checked({"offence": "pha-s2", "is": "supported"}, ctx) == (True, frozenset({"I1"}))
    assert checked({"offence": "pha-s2a", "in": ["supported", "unknown"]}, ctx)[0] is True
    assert checked({"offence": "pha-s2a", "is": "supported"}, ctx) == (False, frozenset())
    assert checked({"offence": "pha-s4a", "is": "unknown"}, ctx)[0] is False  # not raised


@pytest.mark.parametrize(("in_time", "wanted", "expected"), [
    (True, True, True), (False, True, False), (None, True, None),
    (True, False, False), (False, False, True), (None, False, None),
])
def test_an_offence_flag_is_three_valued(in_time: bool | None, wanted: bool,
                                          expected: bool | None) -> None:
    ctx = judged_context(**{"pha-s2": ("supported", in_time)})
    assert checked({"offence": "pha-s2", "in_time": wanted}, ctx)[0] is expected
    # Whether it is unknown is itself known, and false for an offence not raised.
    assert checked({"offence": "pha-s2", "in_time": "unknown"}, ctx)[0] is (in_time is None)
    assert checked({"offence": "pha-s4a", "in_time": "unknown"}, ctx)[0] is False
    assert checked({"offence": "pha-s4a", "in_time": wanted}, ctx)[0] is None


def test_any_charge_reads_the_status_or_a_flag_of_each_charged_offence() -> None:
    ctx = judged_context(**{"pha-s2": ("not-supported", False), "pha-s2a": ("supported", True)})
    assert checked({"any_charge": {"is": "not-supported"}}, ctx)[0] is True
    assert checked({"any_charge": {"is": "unknown"}}, ctx)[0] is False
    assert checked({"any_charge": {"in_time": False}}, ctx)[0] is True
    assert checked({"any_charge": {"absent": True}}, ctx)[0] is True
    assert checked({"any_charge": {"is": "not-supported"}}, judged_context())[0] is False


# --- fact comparisons on words, and the dates incident filters measure from -------------

def test_word_and_words_comparisons_leave_an_unrecorded_fact_unknown() -> None:
    ctx = context()
    ctx.facts = {"safeguarding.risk_level": "high", "history.kinds": frozenset({"pin"}),
                 "victim.day_to_day_effects": frozenset()}
    assert checked({"fact": "safeguarding.risk_level", "in": ["medium", "high"]}, ctx)[0] is True
    assert checked({"fact": "safeguarding.risk_level", "in": ["standard"]}, ctx)[0] is False
    assert checked({"fact": "history.kinds", "contains_any": ["pin", "order"]}, ctx)[0] is True
    assert checked({"fact": "history.kinds", "contains_any": ["order"]}, ctx)[0] is False
    assert checked({"fact": "victim.day_to_day_effects", "empty": True}, ctx)[0] is True
    assert checked({"fact": "history.kinds", "empty": True}, ctx)[0] is False
    assert checked({"fact": "history.kinds", "empty": False}, ctx)[0] is True
    ctx.facts = dict.fromkeys(ctx.facts)  # nothing recorded: every comparison unknown
    for cond in ({"fact": "safeguarding.risk_level", "in": ["high"]},
                 {"fact": "history.kinds", "contains_any": ["pin"]},
                 {"fact": "victim.day_to_day_effects", "empty": True},
                 {"fact": "victim.day_to_day_effects", "empty": False}):
        assert checked(cond, ctx)[0] is None, cond


TOLD = date(2024, 3, 10)       # the victim made clear the conduct was unwanted
SEPARATED = date(2023, 2, 28)  # the suspect and the victim separated


def anchored(*days: date) -> Context:
    victim = Victim(id="V1", made_clear_unwanted_on=TOLD)
    incidents = [incident(f"I{n}", day) for n, day in enumerate(days, 1)]
    case = Case(format=1, reference="T-ANCHORS", victims=[victim], incidents=incidents,
                suspect=Suspect(separated_on=SEPARATED))
    return Context(case, victim, date(2025, 1, 1), {}, list(case.incidents))


def matching(filters: dict[str, Any], ctx: Context) -> frozenset[str]:
    value, ids = checked({"incidents": {**filters, "at_least": 1}}, ctx)
    return ids if value else frozenset()


def possible(filters: dict[str, Any], ctx: Context) -> bool | None:
    """Whether at least one incident passes the filters: True, False or unknown."""
    return checked({"incidents": {**filters, "at_least": 1}}, ctx)[0]


def test_after_being_told_counts_from_the_day_after_and_the_day_itself_is_unknown() -> None:
    # Unknown is never false: the file records days, not times, so an incident on the
    # day the victim made clear it was unwanted may have come before or after that.
    before, on_the_day, after = TOLD - timedelta(days=1), TOLD, TOLD + timedelta(days=1)
    ctx = anchored(before, on_the_day, after)
    assert matching({"after": "made-clear-unwanted"}, ctx) == {"I3"}
    assert matching({"not_after": "made-clear-unwanted"}, ctx) == {"I1"}
    assert possible({"after": "made-clear-unwanted"}, anchored(on_the_day)) is None
    assert possible({"not_after": "made-clear-unwanted"}, anchored(on_the_day)) is None
    assert possible({"after": "made-clear-unwanted"}, anchored(before)) is False
    assert possible({"not_after": "made-clear-unwanted"}, anchored(after)) is False


def test_an_entry_running_past_the_day_is_after_it_and_one_ending_on_it_is_unknown() -> None:
    ending_on_the_day = incident("I1", TOLD - timedelta(days=3), TOLD, 3)
    running_past = incident("I2", TOLD - timedelta(days=3), TOLD + timedelta(days=1), 3)
    ctx = anchored(TOLD)
    ctx.incidents[:] = [ending_on_the_day]
    assert possible({"after": "made-clear-unwanted"}, ctx) is None
    ctx = anchored(TOLD)
    ctx.incidents[:] = [running_past]
    assert possible({"after": "made-clear-unwanted"}, ctx) is True
    assert possible({"not_after": "made-clear-unwanted"}, ctx) is True  # began before it


def test_within_a_year_of_separation_runs_from_the_day_after_to_the_anniversary() -> None:
    year_on = add_months(SEPARATED, 12)  # 2024-02-28: a year after 28 February 2023
    ctx = anchored(SEPARATED, SEPARATED + timedelta(days=1), year_on,
                   year_on + timedelta(days=1))
    assert matching({"within_a_year_of": "separation"}, ctx) == {"I2", "I3"}
    assert possible({"within_a_year_of": "separation"}, anchored(SEPARATED)) is None
    assert possible({"within_a_year_of": "separation"},
                    anchored(SEPARATED - timedelta(days=1))) is False
    assert possible({"within_a_year_of": "separation"},
                    anchored(year_on + timedelta(days=1))) is False


def test_a_filter_measured_from_an_unrecorded_day_is_unknown() -> None:
    ctx = anchored(TOLD + timedelta(days=1))
    ctx.victim = ctx.victim.model_copy(update={"made_clear_unwanted_on": None})
    assert checked({"incidents": {"after": "made-clear-unwanted", "at_least": 1}},
                   ctx)[0] is None


def test_before_a_date_excludes_the_day_itself() -> None:
    ctx = anchored(TOLD - timedelta(days=1), TOLD)
    assert matching({"before": TOLD}, ctx) == {"I1"}
    assert matching({"on_or_after": TOLD}, ctx) == {"I2"}


def test_not_after_an_unrecorded_day_is_unknown() -> None:
    ctx = anchored(TOLD)
    ctx.victim = ctx.victim.model_copy(update={"made_clear_unwanted_on": None})
    assert checked({"incidents": {"not_after": "made-clear-unwanted", "at_least": 1}},
                   ctx)[0] is None


def test_behaviours_not_associated_with_stalking_are_found_by_stalking_false() -> None:
    ctx = anchored(TOLD, TOLD)
    ctx.incidents[1] = ctx.incidents[1].model_copy(update={"behaviours": ["threats"]})
    ctx.behaviours = {"following": BehaviourInfo(True, frozenset(), frozenset()),
                      "threats": BehaviourInfo(False, frozenset(), frozenset())}
    assert matching({"stalking": True}, ctx) == {"I1"}
    assert matching({"stalking": False}, ctx) == {"I2"}


def test_an_unrecorded_channel_may_match_so_it_is_unknown_not_false() -> None:
    ctx = anchored(TOLD)  # no channel recorded
    assert checked({"incidents": {"channel": ["text"], "at_least": 1}}, ctx)[0] is None
    ctx.incidents[0] = ctx.incidents[0].model_copy(update={"channel": "email"})
    ctx = Context(ctx.case, ctx.victim, ctx.decision_date, {}, ctx.incidents)
    assert checked({"incidents": {"channel": ["text"], "at_least": 1}}, ctx)[0] is False


def test_an_incident_failing_one_filter_surely_is_no_match_whatever_else_is_unknown() -> None:
    ctx = anchored(TOLD)  # behaviour `following`, channel not recorded
    cond = {"incidents": {"behaviours": ["threats"], "channel": ["text"], "at_least": 1}}
    assert checked(cond, ctx)[0] is False
