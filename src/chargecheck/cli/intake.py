"""`chargecheck new`: ask the questions a prosecutor would, and write a valid case file.

Every answer is checked as it is given and re-asked with the reason if it cannot be
used. Yes/no facts also accept "unknown" (or a blank), which leaves the fact out: the
contract treats a missing fact as not known, never as false. Nothing is written until
the end, when the whole file is validated and written atomically, so an interrupted
intake leaves no partial file behind.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar, get_args

import yaml

from chargecheck.case import model
from chargecheck.case.loading import load_case
from chargecheck.errors import InputError
from chargecheck.reports.output_files import write_report
from chargecheck.spelling import closest

T = TypeVar("T")
Parse = Callable[[str], T]

_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YES, _NO, _UNKNOWN = {"y", "yes"}, {"n", "no"}, {"", "u", "unknown", "?"}
FACT = " (yes/no/unknown) [unknown]: "


class Retry(ValueError):
    """An answer that cannot be used; the message says why and the question is re-asked."""


def _shown(answer: str) -> str:
    """Quote a short answer back; a long one may be a sentence about someone, so not that."""
    return repr(answer) if len(answer) <= 32 else "a long answer"


# --- answer checkers ----------------------------------------------------------------------

def text(default: str | None = None, limit: int = 2000) -> Parse[str | None]:
    """Free text; `limit` keeps it within the contract (labels are at most 64 characters)."""
    def parse(answer: str) -> str | None:
        if len(answer) > limit:
            raise Retry(f"keep it to {limit} characters or fewer")
        return answer or default
    return parse


def required_text(answer: str) -> str:
    if not answer or len(answer) > 200:
        raise Retry("an answer of 1 to 200 characters is needed")
    return answer


def a_date(required: bool = False, not_after: date | None = None,
           not_before: date | None = None) -> Parse[date | None]:
    def parse(answer: str) -> date | None:
        if not answer and not required:
            return None
        try:
            when = date.fromisoformat(answer) if _ISO.fullmatch(answer) else None
        except ValueError:
            raise Retry(f"{_shown(answer)} is not a real date") from None
        if when is None:  # UK and US day/month orders collide, so never guess
            raise Retry("dates must be written YYYY-MM-DD (for example 2017-05-07); "
                        f"got {_shown(answer)}")
        if not 1900 <= when.year <= 2100:  # as the case loader: a typing mistake (2107)
            raise Retry(f"{answer} is not between 1900 and 2100; check the year")
        if not_after and when > not_after:
            raise Retry(f"that is after the decision date ({not_after.isoformat()})")
        if not_before and when < not_before:
            raise Retry(f"that is before the first date ({not_before.isoformat()})")
        return when
    return parse


def fact(answer: str) -> bool | None:
    """yes / no / unknown: unknown (or blank) returns None, so the fact is left out."""
    word = answer.lower()
    if word in _YES | _NO | _UNKNOWN:
        return None if word in _UNKNOWN else word in _YES
    raise Retry(f"answer yes, no or unknown; got {_shown(answer)}")


def yes_no(answer: str) -> bool:
    word = answer.lower()
    if word not in _YES | _NO:
        raise Retry(f"answer yes or no; got {_shown(answer)}")
    return word in _YES


def count(answer: str) -> int | None:
    if not answer:
        return None
    if not answer.isdigit() or not 1 <= int(answer) <= 1_000_000:
        raise Retry(f"give a whole number from 1 up, or leave it blank; got {_shown(answer)}")
    return int(answer)


def _check_word(answer: str, choices: tuple[str, ...]) -> str:
    if answer in choices:
        return answer
    match = closest(answer, choices)
    hint = f"; did you mean {match!r}?" if match is not None else "; type ? for the list"
    raise Retry(f"{_shown(answer)} is not one of the allowed words{hint}")


def word(choices: tuple[str, ...], required: bool = True) -> Parse[str | None]:
    def parse(answer: str) -> str | None:
        if answer == "?":
            raise Retry("one of: " + ", ".join(choices))
        if not answer and not required:
            return None
        return _check_word(answer.lower(), choices)
    return parse


def words(choices: tuple[str, ...], required: bool = False) -> Parse[list[str] | None]:
    """A comma-separated list. Blank means not known (None); "none" means asked: none."""
    def parse(answer: str) -> list[str] | None:
        if answer == "?":
            raise Retry("any of: " + ", ".join(choices))
        if not answer:
            if required:
                raise Retry("give at least one (type ? for the list)")
            return None
        if answer.lower() == "none" and not required:
            return []
        return [_check_word(part.strip().lower(), choices) for part in answer.split(",")]
    return parse


# --- the interview ------------------------------------------------------------------------

@dataclass
class Prompter:
    read: Callable[[str], str] = input
    write: Callable[[str], None] = print

    def ask(self, prompt: str, parse: Parse[T]) -> T:
        while True:
            try:
                return parse(self.read(prompt).strip())
            except Retry as exc:
                self.write(f"  {exc}")

    def group(self, title: str) -> None:
        self.write(f"\n== {title} ==")


def _put(target: dict[str, Any], key: str, value: object) -> None:
    """Record an answer only if it is known: a left-out fact means "not known"."""
    if value is not None:
        target[key] = value


def _vocab(literal: Any) -> tuple[str, ...]:
    return tuple(get_args(literal))


def _more(p: Prompter, thing: str) -> bool:
    return p.ask(f"Add another {thing}? (yes/no): ", yes_no)


class Interview:
    """The questions, group by group, building the case as plain data."""

    def __init__(self, prompter: Prompter) -> None:
        self.p = prompter
        self.case: dict[str, Any] = {"format": 1}
        self.decided = date.today()

    def run(self) -> dict[str, Any]:
        for step in (self.the_file, self.parties, self.incidents, self.impact, self.charges,
                     self.plea, self.safeguarding):
            step()
        return self.case

    def _victim_ids(self) -> list[str]:
        return [v["id"] for v in self.case["victims"]]

    def _which_victims(self, target: dict[str, Any], what: str) -> None:
        ids = tuple(self._victim_ids())
        if len(ids) > 1:  # with one victim the contract lets the list be left out
            target["victims"] = self.p.ask(f"Victims of this {what} ({', '.join(ids)}): ",
                                           words(ids, required=True))

    def the_file(self) -> None:
        p = self.p
        p.group("The case file")
        self.case["reference"] = p.ask("Case reference: ", required_text)
        self.decided = p.ask("Decision date (YYYY-MM-DD) [today]: ", a_date()) or date.today()
        self.case["decision_date"] = self.decided
        if p.ask("Is this a training case with invented facts? (yes/no): ", yes_no):
            self.case["synthetic"] = True

    def parties(self) -> None:
        p = self.p
        p.group("Parties")
        suspect: dict[str, Any] = {"label": p.ask("Suspect label (pseudonym) [D]: ", text("D", 64))}
        suspect["relationship"] = p.ask("Suspect's relationship to the victim (? for the list): ",
                                        word(_vocab(model.Relationship)))
        _put(suspect, "lived_together", p.ask("Did they ever live together?" + FACT, fact))
        _put(suspect, "separated_on", p.ask(
            "Date they separated (YYYY-MM-DD; blank if none or not known): ", a_date()))
        suspect["history"] = []
        while p.ask("Record an earlier police or court response (PIN, warning, caution, "
                    "conviction, order)? (yes/no): ", yes_no):
            suspect["history"].append(self._history())
        self.case["suspect"] = suspect
        self.case["victims"] = []
        while True:
            self.case["victims"].append(self._victim(f"V{len(self.case['victims']) + 1}"))
            if not _more(p, "victim"):
                break

    def _history(self) -> dict[str, Any]:
        p = self.p
        entry: dict[str, Any] = {"kind": p.ask("  Kind (? for the list): ",
                                               word(_vocab(model.HistoryKind)))}
        _put(entry, "date", p.ask("  Date (YYYY-MM-DD; blank if not known): ", a_date()))
        _put(entry, "offence", p.ask("  Offence id (blank if none; ? for the list): ",
                                     word(_vocab(model.OffenceId), required=False)))
        _put(entry, "note", p.ask("  Note: ", text()))
        return entry

    def _victim(self, ident: str) -> dict[str, Any]:
        p = self.p
        victim: dict[str, Any] = {"id": ident}
        victim["label"] = p.ask(f"Victim {ident} label (pseudonym) [{ident}]: ",
                                text(ident, 64))
        _put(victim, "made_clear_unwanted_on", p.ask(
            f"Date {ident} made clear the conduct was unwanted (YYYY-MM-DD; blank if not "
            "known): ", a_date(not_after=self.decided)))
        return victim

    def incidents(self) -> None:
        self.p.group("Incidents")
        self.case["incidents"] = []
        while True:
            self.case["incidents"].append(self._incident(f"I{len(self.case['incidents']) + 1}"))
            if not _more(self.p, "incident"):
                break

    def _incident(self, ident: str) -> dict[str, Any]:
        p = self.p
        incident: dict[str, Any] = {"id": ident}
        incident["date"] = p.ask(f"Incident {ident} date (YYYY-MM-DD): ",
                                 a_date(required=True, not_after=self.decided))
        _put(incident, "end_date", p.ask(
            "Last date, if the same conduct went on over a period (YYYY-MM-DD; blank if one "
            "day): ", a_date(not_after=self.decided, not_before=incident["date"])))
        _put(incident, "count", p.ask("Number of acts it stands for (blank if one): ", count))
        self._which_victims(incident, "incident")
        incident["behaviours"] = p.ask("Behaviours, comma-separated (? for the list): ",
                                       words(_vocab(model.Behaviour), required=True))
        _put(incident, "channel", p.ask("Channel (blank if not known; ? for the list): ",
                                        word(_vocab(model.Channel), required=False)))
        _put(incident, "caused_fear_of_violence", p.ask(
            "Did the victim fear violence WOULD be used against them?" + FACT, fact))
        _put(incident, "hostility", p.ask("Hostility shown (blank if none; ? for the list): ",
                                          word(_vocab(model.Hostility), required=False)))
        _put(incident, "summary", p.ask("Summary (one line): ", text()))
        return incident

    def impact(self) -> None:
        p = self.p
        p.group("Impact on the victim")
        for victim in self.case["victims"]:
            v = victim["id"]
            for key, question in (("very_frightened", f"Is {v} very frightened?"),
                                  ("serious_alarm_or_distress",
                                   f"Has the conduct caused {v} serious alarm or distress?")):
                _put(victim, key, p.ask(question + FACT, fact))
            _put(victim, "day_to_day_effects", p.ask(
                f"How has {v}'s daily life changed? Comma-separated; 'none' if asked and "
                "none; blank if not asked (? for the list): ", words(_vocab(model.Effect))))
            for key, question in (
                    ("fears_for_others_only", f"Was {v}'s fear only for others, not for {v}?"),
                    ("supports_prosecution", f"Does {v} support the prosecution?"),
                    ("personal_statement", f"Has {v} made a Victim Personal Statement?")):
                _put(victim, key, p.ask(question + FACT, fact))

    def charges(self) -> None:
        p = self.p
        p.group("Charges")
        self.case["charges"] = []
        more = p.ask("Is any charge laid or proposed? (yes/no): ", yes_no)
        while more:
            charge: dict[str, Any] = {"offence": p.ask(
                "Offence id (? for the list): ", word(_vocab(model.OffenceId)))}
            self._which_victims(charge, "charge")
            charge["status"] = p.ask("Status (charged/proposed) [charged]: ",
                                     word(("charged", "proposed"), required=False)) or "charged"
            self.case["charges"].append(charge)
            more = _more(p, "charge")

    def plea(self) -> None:
        p = self.p
        p.group("Plea")
        if not p.ask("Has the defence offered a plea? (yes/no): ", yes_no):
            return
        offences = _vocab(model.OffenceId)
        plea: dict[str, Any] = {"offence": p.ask("Plea offered to (offence id): ", word(offences))}
        plea["in_place_of"] = p.ask("In place of (offence ids, comma-separated; blank if none): ",
                                    words(offences)) or []
        _put(plea, "victim_consulted", p.ask("Has the victim been consulted?" + FACT, fact))
        _put(plea, "basis_in_writing", p.ask("Is a basis of plea agreed in writing?" + FACT, fact))
        _put(plea, "reasons", p.ask("Why is acceptance being considered? ", text()))
        self.case["plea"] = plea

    def safeguarding(self) -> None:
        p = self.p
        p.group("Safeguarding")
        s: dict[str, Any] = {}
        _put(s, "risk_assessment", p.ask("Risk assessment (blank if not known; ? for the list): ",
                                         word(_vocab(model.RiskTool), required=False)))
        _put(s, "risk_level", p.ask("Risk level (standard/medium/high; blank if not known): ",
                                    word(_vocab(model.RiskLevel), required=False)))
        for key, question in (("risk_management_plan", "Is there a risk management plan?"),
                              ("bail_conditions", "Are there bail conditions?"),
                              ("restraining_order_sought",
                               "Is a restraining order application on the file?")):
            _put(s, key, p.ask(question + FACT, fact))
        _put(s, "stalking_protection_order", p.ask(
            "Stalking protection order (none/considered/applied/interim/full; blank if not "
            "known): ", word(_vocab(model.SpoStatus), required=False)))
        for key, question in (("marac_referral", "Has a MARAC referral been made?"),
                              ("specialist_advocate", "Has an ISAC or IDVA referral been made?")):
            _put(s, key, p.ask(question + FACT, fact))
        _put(s, "orders_in_force", p.ask(
            "Orders in force, comma-separated ('none' if none; blank if not known; ? for the "
            "list): ", words(_vocab(model.OrderKind))))
        self.case["safeguarding"] = s


# --- writing ------------------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    """Lists of words on one line (`behaviours: [a, b]`), as in the examples."""


def _list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.Node:
    flow = all(isinstance(i, str) for i in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_Dumper.add_representer(list, _list)


def to_yaml(case: dict[str, Any]) -> str:
    header = (f"# Written by `chargecheck new` on {date.today().isoformat()}. Facts left out "
              "are not known.\n")
    body = yaml.dump(case, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return header + body


def intake(target: str, force: bool, prompter: Prompter | None = None) -> None:
    """Run the interview and write `target`; refuse to overwrite without `force`."""
    if Path(target).exists() and not force:
        raise InputError.one(target, None, (), "file exists; use --force to replace it")
    p = prompter or Prompter()
    p.write(f"New case file {target}. Type ? for the allowed words; Ctrl-C to stop "
            "(nothing is written until the end).")
    try:
        case = Interview(p).run()
    except EOFError:
        raise InputError.one(target, None, (), "input ended before the intake was finished; "
                             "nothing was written") from None
    content = to_yaml(case)
    load_case(target, content)  # the file must validate before it is written
    write_report(content, target, [], force)
    p.write(f"\nWrote {target}. Assess it with: chargecheck assess {target}")
