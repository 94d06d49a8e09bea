"""Near misses (`--explain`): where ONE fact of the case file, otherwise, changes the advice.

A near miss is a rule that would fire, or an offence that would become supported, for a
victim, if one fact the file leaves unknown were established either way; or an offence
that would become supported if a yes/no fact the file records were the reverse. (A
recorded fact reversed brings rules too, but the file has answered those questions.)
The unknowns tried are the yes/no facts and those the file may leave out (the
effect on a victim's daily life, the risk assessment, an incident's channel, the
relationship). Each is named in words and as the `--set` argument that tries it.

Every candidate is checked by judging the changed case again (same rule set, same day)
and comparing the advice, rather than by reading one condition of the rule in
three-valued logic. Only the engine's own judgement of the changed case shows that the
advice really moves: a fact reaches many conditions at once (a victim's fear counts
towards s.4A, the FOUR indicators and the escalation level other rules read), and offence
statuses feed rules. Reading one condition would list rules that the fact alone cannot
make fire, and miss rules it makes fire through another. Judging again is cheap (about a
millisecond a case of the examples' size, tens of candidates a case) and only
`--explain` pays for it.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any, NamedTuple

from chargecheck.case.model import Case, Channel, Relationship, RiskTool
from chargecheck.engine.assess import assess
from chargecheck.engine.assessment import SEVERITY_RANK, Assessment
from chargecheck.rulebook.ruleset import RuleSet

Path = tuple[str, ...]
NOT_RECORDED = "not recorded"

# Each yes/no fact of the file, as it reads when true and when false. {V} is the victim's
# label, {D} the suspect's, {I} the incident's id.
YES_NO: dict[tuple[str, str], tuple[str, str]] = {
    ("suspect", "lived_together"): ("{D} and the victim had lived together",
                                    "{D} and the victim had never lived together"),
    ("victims", "very_frightened"): ("{V} was very frightened", "{V} was not very frightened"),
    ("victims", "serious_alarm_or_distress"): ("{V} suffered serious alarm or distress",
                                               "{V} did not suffer serious alarm or distress"),
    ("victims", "fears_for_others_only"): ("{V}'s fear was only for others, not for {V}",
                                           "{V} feared for {V}, not only for others"),
    ("victims", "supports_prosecution"): ("{V} supports the prosecution",
                                          "{V} does not support the prosecution"),
    ("victims", "personal_statement"): ("a Victim Personal Statement from {V} is on file",
                                        "no Victim Personal Statement from {V} is on file"),
    ("incidents", "caused_fear_of_violence"): (
        "{I} caused {V} to fear that violence would be used against them",
        "{I} did not cause {V} to fear violence"),
    ("plea", "victim_consulted"): ("the victim was consulted on the plea",
                                   "the victim was not consulted on the plea"),
    ("plea", "basis_in_writing"): ("a written basis of plea was agreed",
                                   "no written basis of plea was agreed"),
    ("safeguarding", "risk_management_plan"): ("a risk management plan is in place",
                                               "no risk management plan is in place"),
    ("safeguarding", "bail_conditions"): ("bail conditions are in place",
                                          "no bail conditions are in place"),
    ("safeguarding", "restraining_order_sought"): ("a restraining order is sought",
                                                   "no restraining order is sought"),
    ("safeguarding", "marac_referral"): ("a MARAC referral was made",
                                         "no MARAC referral was made"),
    ("safeguarding", "specialist_advocate"): ("an ISAC or IDVA referral was made",
                                              "no ISAC or IDVA referral was made"),
}
# Unknowns the contract lets a file leave out that are not yes/no, each with the values
# that resolve it and how it reads. Values that change the advice alike are named together.
EFFECTS_NONE: list[str] = []
EFFECTS_SOME = ["other"]
WORDS: dict[tuple[str, str], tuple[tuple[Any, ...], str]] = {
    ("victims", "day_to_day_effects"): (
        (EFFECTS_NONE, EFFECTS_SOME), "{V}'s day-to-day life was {value}"),
    ("safeguarding", "risk_assessment"): (
        typing.get_args(RiskTool), "the risk assessment was recorded as {value}"),
    ("incidents", "channel"): (typing.get_args(Channel),
                               "{I}'s channel was recorded as {value}"),
    ("suspect", "relationship"): (
        tuple(r for r in typing.get_args(Relationship) if r != "unknown"),
        "{D}'s relationship to the victim was recorded as {value}"),
}
EFFECT_WORDS = {"[]": "not affected (asked: no effect)", "[other]": "affected (an effect recorded)"}


class Candidate(NamedTuple):
    """One fact of the file, changed to one value."""

    path: Path        # as `--set` takes it: victims and incidents by id
    value: Any
    now: Any          # as the file has it (None: not recorded)

    @property
    def argument(self) -> str:
        return ".".join(self.path) + "=" + as_typed(self.value)


class Gains(NamedTuple):
    """What a change would add to one victim's advice."""

    rules: tuple[str, ...]
    offences: tuple[tuple[str, str], ...]  # (offence id, its status now)


def near_misses(result: Assessment, rules: RuleSet) -> dict[str, list[dict[str, Any]]]:
    """Per victim label, each single change of fact that changes the advice, in words."""
    if not result.contexts:
        return {}
    case = result.contexts[0].case
    found: dict[str, list[dict[str, Any]]] = {c.victim.shown_as: [] for c in result.contexts}
    for group in _grouped(case, result, rules):
        for label, gains in group[0][1].items():
            found.setdefault(label, []).append(_entry(case, [c for c, _ in group], gains,
                                                      rules))
    for misses in found.values():
        misses.sort(key=_order)
    return found


def _grouped(case: Case, result: Assessment, rules: RuleSet
             ) -> Iterator[list[tuple[Candidate, dict[str, Gains]]]]:
    """Each candidate that changes the advice, with its gains per victim; values of one
    word-valued fact that change the advice alike come together, to be named once."""
    alike: dict[tuple[Any, ...], list[tuple[Candidate, dict[str, Gains]]]] = {}
    for candidate in candidates(case):
        gains = _gains(result, assess(changed(case, candidate.path, candidate.value), rules,
                                      result.decision_date))
        if candidate.now not in (None, "unknown"):
            gains = _charges_only(gains)
        if gains:
            # A yes/no fact's two values are two different facts; a word-valued one's
            # values are one fact, named together where they change the same things.
            worded = (candidate.path[0], candidate.path[-1]) in WORDS
            key = (candidate.path, None if worded else candidate.value,
                   tuple(sorted(gains.items())))
            alike.setdefault(key, []).append((candidate, gains))
    yield from alike.values()


def candidates(case: Case) -> Iterator[Candidate]:
    """Every single change of one fact: each yes/no fact to each value it does not have,
    and each unknown of `WORDS` that the file leaves out to each value that resolves it."""
    owners: list[tuple[Path, Any]] = [(("suspect",), case.suspect)]
    owners += [(("victims", v.id), v) for v in case.victims]
    owners += [(("incidents", i.id), i) for i in case.incidents]
    if case.plea is not None:
        owners.append((("plea",), case.plea))
    owners.append((("safeguarding",), case.safeguarding))
    for prefix, owner in owners:
        for (kind, name) in YES_NO:
            if kind == prefix[0]:
                now = getattr(owner, name)
                yield from (Candidate((*prefix, name), v, now) for v in (True, False)
                            if v is not now)
        for (kind, name), (values, _) in WORDS.items():
            if kind == prefix[0] and getattr(owner, name) in (None, "unknown"):
                yield from (Candidate((*prefix, name), v, None) for v in values)


def changed(case: Case, path: Path, value: Any) -> Case:
    """`case` with the one fact at `path` set to `value` (a model copy; the value is of
    the field's own type, so nothing needs validating again)."""
    owner = path[0]
    if owner in ("victims", "incidents"):
        items = [item.model_copy(update={path[2]: value}) if item.id == path[1] else item
                 for item in getattr(case, owner)]
        return case.model_copy(update={owner: items})
    part = getattr(case, owner)
    return case.model_copy(update={owner: part.model_copy(update={path[1]: value})})


def _gains(before: Assessment, after: Assessment) -> dict[str, Gains]:
    """Per victim label: rules that fire after and not before, and offences supported
    after and not before. Findings lost or offences weakened are not near misses: they
    are what the what-if (`--set`) shows."""
    fired = {(f.rule, v) for f in before.findings for v in f.victims}
    status = {(o.offence, v): s for o in before.offences for v, s in o.victims}
    gained: dict[str, tuple[list[str], list[tuple[str, str]]]] = {}
    for finding in after.findings:
        for label in finding.victims:
            if (finding.rule, label) not in fired:
                gained.setdefault(label, ([], []))[0].append(finding.rule)
    for offence in after.offences:
        for label, now in offence.victims:
            was = status.get((offence.offence, label))
            if now == "supported" and was != "supported":
                gained.setdefault(label, ([], []))[1].append((offence.offence,
                                                               was or "not raised"))
    return {label: Gains(tuple(r), tuple(o)) for label, (r, o) in gained.items()}


def _charges_only(gains: dict[str, Gains]) -> dict[str, Gains]:
    """What a recorded fact, otherwise, would bring to the charge.

    The file has answered the question, so a rule that would fire only if the answer
    were the reverse (no risk plan, had one been recorded) is no near miss: on a
    well-handled case it would list every protective step as a finding-in-waiting. Only
    an offence within one fact's reach stays, e.g. s.4A if the victim were very
    frightened where the file says not.
    """
    return {label: Gains((), g.offences) for label, g in gains.items() if g.offences}


def _entry(case: Case, tried: Sequence[Candidate], gains: Gains, rules: RuleSet
           ) -> dict[str, Any]:
    first = tried[0]
    defs = {r.id: r for r in rules.rules}
    offences = {o.id: o for o in rules.offences}
    return {
        "fact": ".".join(first.path), "value": first.value, "set": first.argument,
        "now": shown(first.now), "if": in_words(case, first.path, [c.value for c in tried],
                                                first.now),
        "rules": [{"rule": r, "title": defs[r].title, "severity": defs[r].severity,
                   "citations": list(defs[r].citations)} for r in gains.rules],
        "offences": [{"offence": o, "title": offences[o].title,
                      "citation": offences[o].citation, "now": now}
                     for o, now in gains.offences],
    }


def _order(miss: dict[str, Any]) -> tuple[bool, int, str]:
    """Facts not recorded first (ask for them), then the gravest advice they would bring."""
    worst = max((SEVERITY_RANK[r["severity"]] for r in miss["rules"]), default=-1)
    return (miss["now"] != NOT_RECORDED, -worst, miss["fact"])


def in_words(case: Case, path: Path, values: Sequence[Any], now: Any) -> str:
    """`if it were established that V was very frightened`: the fact, never engine terms."""
    names = {"D": case.suspect.label, "V": "the victim", "I": path[1] if len(path) > 2 else ""}
    if path[0] == "victims":
        names["V"] = next(v.shown_as for v in case.victims if v.id == path[1])
    elif path[0] == "incidents":
        incident = next(i for i in case.incidents if i.id == path[1])
        labels = {v.id: v.shown_as for v in case.victims}
        aimed = incident.victims or [v.id for v in case.victims]
        names["V"] = " and ".join(labels.get(v, v) for v in aimed)
    key = (path[0], path[-1])
    if key in YES_NO:
        clause = YES_NO[key][0 if values[0] else 1].format(**names)
    else:
        said = [EFFECT_WORDS.get(as_typed(v), str(v)) for v in values]
        clause = WORDS[key][1].format(value=_either(said), **names)
    if now is None or now == "unknown":
        return f"if it were established that {clause}"
    return f"if in fact {clause}"  # the value it has now is the entry's `now`


def _either(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def as_typed(value: Any) -> str:
    """A value as `--set` reads it back: true, false, [a, b], a word."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def shown(value: Any) -> str:
    if value is None or value == "unknown":
        return NOT_RECORDED
    if isinstance(value, bool):
        return "yes" if value else "no"
    return as_typed(value)
