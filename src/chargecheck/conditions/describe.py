"""Conditions in plain English, for `explain` and the generated rule documentation.

The wording walks the condition's tree (tree.py), one phrase per form of the language,
so what a reviewer reads is what the engine evaluates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from chargecheck.conditions.parse import CHECKED, parse
from chargecheck.conditions.tree import (
    AllOf,
    AnyCharge,
    AnyOf,
    Charged,
    Condition,
    FactTest,
    Incidents,
    Marker,
    NamedTest,
    Not,
    Plea,
    Status,
    Unless,
    words,
)
from chargecheck.spelling import plural

_COMPARISON = {
    "is": "is {}", "equals": "is {}", "in": "is one of {}", "at_least": "is at least {}",
    "at_most": "is at most {}", "known": "is recorded: {}", "on_or_after": "is on or after {}",
    "before": "is before {}", "contains": "includes {}", "contains_any": "includes any of {}",
    "empty": "is empty: {}", "holds": "holds: {}", "in_time": "is in time: {}",
    "in_force": "is in force: {}", "absent": "lacks an element: {}",
    "spans_change": "runs across a change in its maximum: {}",
    "spans_commencement": "runs across its commencement: {}",
}
_FILTERS = {
    "behaviours": "with behaviour {}", "stalking": "associated with stalking: {}",
    "evidences": "evidencing the {} indicator", "marker": "showing the {} marker",
    "fear_of_violence": "causing fear of violence: {}", "channel": "by {}",
    "hostility": "showing {} hostility", "after": "after the {} date",
    "not_after": "starting before the {} date",
    "within_a_year_of": "within a year after the {} date",
    "on_or_after": "on or after {}", "before": "before {}",
}


class Names(NamedTuple):
    """What a description calls the rule set's names, by id. Without them (`None`) a
    description names each as written, for rule authors (`explain`, the rule docs); with
    them it speaks in words, for a prosecutor reading `assess --explain`."""

    offences: Mapping[str, str]    # `PHA 1997 s.2A stalking`
    indicators: Mapping[str, str]  # `Fixated`
    markers: Mapping[str, str]     # `threats to kill`
    tests: Mapping[str, str]       # the test's text
    behaviours: Mapping[str, str]  # `Threat to kill`

# In words, the filters that measure from a day (parse.AFTER_ANCHORS) name it in full.
_ANCHORED = {"after": "after the {}", "not_after": "starting before the {}",
             "within_a_year_of": "within a year after the {}"}
_ANCHOR_WORDS = {"made-clear-unwanted": "day the victim made clear the conduct was unwanted",
                 "separation": "day of separation",
                 "warning": "day of the first warning on record"}

# Each fact (facts.FACT_KINDS) in words, for a prosecutor: a yes/no fact as it reads when
# true and when false, any other as what it measures. A new fact gets its words here
# (tests/test_explain.py checks that every fact has them).
FACT_WORDS: dict[str, str | tuple[str, str]] = {
    "course.occasions": "the number of occasions",
    "course.incidents": "the number of incidents",
    "course.span_days": "the span of the conduct, in days,",
    "course.longest_gap_days": "the longest gap between incidents, in days",
    "course.first": "the date of the first incident",
    "course.last": "the date of the last incident",
    "course.frequency_rising": ("the conduct is rising in frequency",
                                "the conduct is not rising in frequency"),
    "case.victims": "the number of victims",
    "decision_date": "the decision date",
    "suspect.relationship": "the suspect's relationship to the victim",
    "suspect.lived_together": ("the suspect and the victim had lived together",
                               "the suspect and the victim had never lived together"),
    "suspect.separated_on": "the date of separation",
    "history.kinds": "the suspect's history",
    "history.warned": ("a warning to the suspect is on record",
                       "no warning to the suspect is on record"),
    "history.order_before_conduct": ("an order against the suspect predates the conduct",
                                     "no order against the suspect predates the conduct"),
    "victim.made_clear_unwanted_on": "the day the victim made clear the conduct was unwanted",
    "victim.very_frightened": ("the victim was very frightened",
                               "the victim was not very frightened"),
    "victim.serious_alarm_or_distress": ("the victim suffered serious alarm or distress",
                                         "the victim did not suffer serious alarm or distress"),
    "victim.daily_life_affected": ("the victim's day-to-day life was affected",
                                   "the victim's day-to-day life was not affected"),
    "victim.day_to_day_effects": "the recorded effects on the victim's day-to-day life",
    "victim.fears_for_others_only": ("the victim's fear was only for others",
                                     "the victim's fear was not only for others"),
    "victim.supports_prosecution": ("the victim supports the prosecution",
                                    "the victim does not support the prosecution"),
    "victim.personal_statement": ("a Victim Personal Statement is on file",
                                  "no Victim Personal Statement is on file"),
    "charges.any": ("an offence is charged or proposed for the victim",
                    "no offence is charged or proposed for the victim"),
    "safeguarding.risk_assessment": "the risk assessment",
    "safeguarding.risk_level": "the assessed level of risk",
    "safeguarding.risk_management_plan": ("a risk management plan is in place",
                                          "no risk management plan is in place"),
    "safeguarding.bail_conditions": ("bail conditions are in place",
                                     "no bail conditions are in place"),
    "safeguarding.restraining_order_sought": ("a restraining order is sought",
                                              "no restraining order is sought"),
    "safeguarding.stalking_protection_order": "the stalking protection order",
    "safeguarding.marac_referral": ("a MARAC referral was made", "no MARAC referral was made"),
    "safeguarding.specialist_advocate": ("an ISAC or IDVA referral was made",
                                         "no ISAC or IDVA referral was made"),
    "safeguarding.orders_in_force": "the list of orders in force",
    "plea.offered": ("a plea is offered", "no plea is offered"),
    "plea.offence": "the offence the plea is offered to",
    "plea.victim_consulted": ("the victim was consulted on the plea",
                              "the victim was not consulted on the plea"),
    "plea.basis_in_writing": ("a written basis of plea was agreed",
                              "no written basis of plea was agreed"),
    "plea.reasons_given": ("the reasons for considering the plea are recorded",
                           "no reasons for considering the plea are recorded"),
    "escalation.level": "the escalation level",
    "four.met": "the number of FOUR indicators met",
    # Always unknown: the element's `obtain:` text says what to get (facts.fact_table).
    "not_recorded": ("a matter the case file cannot record (to be obtained from the "
                     "evidence)", "a matter the case file cannot record is shown not to hold"),
}


def describe(cond: Condition | Mapping[str, Any], depth: int = 0,
             names: Names | None = None) -> list[str]:
    """Indented lines describing a condition: its tree, or its YAML data once checked."""
    node = parse(cond, (), CHECKED) if isinstance(cond, Mapping) else cond
    return _lines(node, depth, names)


def _lines(node: Condition, depth: int, names: Names | None) -> list[str]:
    pad = "  " * depth
    if isinstance(node, AllOf | AnyOf):
        head = "all of:" if isinstance(node, AllOf) else "any of:"
        return [pad + head] + [line for part in node.parts
                               for line in _lines(part, depth + 1, names)]
    if isinstance(node, Not):
        return [pad + "not:", *_lines(node.inner, depth + 1, names)]
    if isinstance(node, Unless):
        return [pad + "unless it is known that:", *_lines(node.inner, depth + 1, names)]
    return [pad + leaf(node, names)]


def leaf(node: Condition, names: Names | None = None) -> str:
    """One condition that is not a combinator, in a phrase."""
    return _LEAVES[type(node)](node, names)


def _plea(node: Plea, names: Names | None) -> str:
    offences = _offences(node.offences, names)
    if node.key == "plea_to":
        return f"a plea is offered to {offences}"
    return f"the plea would drop {offences}"


def _offences(ids: tuple[str, ...], names: Names | None) -> str:
    """`any of pha-s2, pha-s2a` as written; in words `harassment (...) or stalking (...)`."""
    if names is None:
        return "any of " + ", ".join(ids)
    return _either([names.offences.get(i, i) for i in ids])


def _either(said: list[str]) -> str:
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " or " + said[-1]


def _compared(node: FactTest | Status, names: Names | None) -> str:
    if isinstance(node, FactTest):
        if names is not None:
            return _fact_in_words(node, names)
        subject = f"fact {node.fact}"
    elif names is None:
        subject = f"{node.subject} {node.name}"
    elif node.subject == "offence":
        subject = names.offences.get(node.name, node.name)
    else:
        subject = f"the {names.indicators.get(node.name, node.name)} indicator"
    return f"{subject} " + _comparison(node.op, node.arg, names)


def _comparison(op: str, arg: object, names: Names | None) -> str:
    if names is not None and op in ("is", "in") and isinstance(arg, str | tuple):
        # A status in words: `not supported`, `supported or unknown`.
        return "is " + _either([s.replace("-", " ") for s in words(arg)])
    return _COMPARISON[op].format(_word(arg))


def _fact_in_words(node: FactTest, names: Names) -> str:
    """`the victim was very frightened`, `the number of occasions is at least 2`."""
    said = FACT_WORDS.get(node.fact, f"fact {node.fact}")
    if isinstance(said, tuple):  # a yes/no fact: what it says either way
        yes, no = said
        if node.op == "known":
            return f"it is {'' if node.arg else 'not '}recorded whether {yes}"
        return yes if node.arg else no
    if node.op == "known":
        return f"{said} is {'' if node.arg else 'not '}recorded"
    if node.kind in ("word", "words") and node.op in _WORD_VERBS:
        table = names.offences if node.fact == "plea.offence" else {}
        values = [table.get(w) or w.replace("-", " ") for w in words(node.arg)]
        return f"{said} {_WORD_VERBS[node.op]} {_either(values)}"
    return f"{said} {_COMPARISON[node.op].format(_word(node.arg))}"


_WORD_VERBS = {"is": "is", "equals": "is", "in": "is", "contains": "includes",
               "contains_any": "includes"}


def _incidents(node: Incidents, names: Names | None) -> str:
    parts = [_filter(key, arg, names) for key, arg in node.filters]
    return f"at least {plural(node.at_least, 'occasion')}" + (
        " " + ", ".join(parts) if parts else "")


def _filter(key: str, arg: object, names: Names | None) -> str:
    if names is not None and key in _ANCHORED:
        return _ANCHORED[key].format(_ANCHOR_WORDS.get(str(arg), str(arg)))
    if names is not None and key in ("evidences", "marker"):
        table = names.indicators if key == "evidences" else names.markers
        return _FILTERS[key].format(_either([table.get(w, w) for w in words(arg)]))
    if names is not None and key in _FILTER_WORDS:
        return _FILTER_WORDS[key](arg, names)
    return _FILTERS[key].format(_word(arg))


def _involving(arg: object, names: Names) -> str:
    """`involving threat to kill`; several behaviours, whose titles hold commas, by
    semicolons: `involving any of: threat to kill; threat of sexual violence`."""
    said = [lower_first(names.behaviours.get(w, w)) for w in words(arg)]
    return "involving " + (said[0] if len(said) == 1 else "any of: " + "; ".join(said))


def lower_first(title: str) -> str:
    """`Threat to kill` -> `threat to kill`, inside a sentence; an initialism stays."""
    return title if len(title) > 1 and title[1].isupper() else title[:1].lower() + title[1:]


# The incident filters in words, for a prosecutor (`Names` given).
_FILTER_WORDS: dict[str, Callable[[object, Names], str]] = {
    "behaviours": _involving,
    "stalking": lambda arg, _: ("" if arg else "not ") + "associated with stalking",
    "fear_of_violence": lambda arg, _: ("" if arg else "not ") + "causing fear of violence",
    "channel": lambda arg, _: "by " + _either([w.replace("-", " ") for w in words(arg)]),
    "hostility": lambda arg, _: "showing " + _either(
        [w.replace("-", " ") for w in words(arg)]) + " hostility",
}


def _word(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)


def _named(table: str, ident: str, names: Names | None) -> str:
    return ident if names is None else getattr(names, table).get(ident, ident)


_LEAVES: dict[type, Callable[[Any, Names | None], str]] = {
    NamedTest: lambda node, names: f"the legal test '{_named('tests', node.name, names)}' "
                                   "is met",
    Charged: lambda node, names: f"charged with {_offences(node.offences, names)}",
    Plea: _plea,
    Marker: lambda node, names: "the escalation marker "
                                f"'{_named('markers', node.name, names)}' is present",
    Incidents: _incidents,
    AnyCharge: lambda node, names: "some charge " + _comparison(node.op, node.arg, names),
    FactTest: _compared,
    Status: _compared,
}
