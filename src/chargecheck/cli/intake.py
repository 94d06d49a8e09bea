"""`chargecheck new`: ask the questions a prosecutor would, and write a valid case file.

Every answer is checked as it is given and re-asked with the reason if it cannot be
used. Yes/no facts also accept "unknown" (or a blank), which leaves the fact out: the
contract treats a missing fact as not known, never as false.

Work is never lost. The answers typed so far are kept, in order, in a draft beside the
case (`CASE.yaml.draft`), saved atomically after every answer and on Ctrl-C; `--resume`
replays them and asks the next question. `b` (or `back`) drops the last answer and asks
it again, by replaying the others. Vocabulary words are checked exactly as the case
model checks them (the same words, the same case, the same message), so the intake can
never write a file `assess` refuses; a near miss is offered as a suggestion that Enter
accepts. The case file itself is written only at the end, after a summary is confirmed,
validated and written atomically; the draft is then removed.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar, get_args

import yaml

from chargecheck.case import model
from chargecheck.case.loading import load_case
from chargecheck.cli.rule_loading import load_rules
from chargecheck.engine.assess import assess
from chargecheck.errors import InputError
from chargecheck.reports.output_files import write_report
from chargecheck.scales import Severity
from chargecheck.spelling import closest, plural

T = TypeVar("T")
Parse = Callable[[str], T]

_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YES, _NO, _UNKNOWN = {"y", "yes"}, {"n", "no"}, {"", "u", "unknown", "?"}
FACT = " (yes/no/unknown) [unknown]: "


class Retry(ValueError):
    """An answer that cannot be used; the message says why and the question is re-asked."""


class Suggest(Retry):
    """A near miss: `answer` is the whole answer with the closest word put in its place."""

    def __init__(self, message: str, match: str, answer: str) -> None:
        super().__init__(message)
        self.match, self.answer = match, answer


class Back(Exception):
    """The user asked to go back to the previous question."""


def _accepts(parse: Parse[Any], answer: str) -> bool:
    try:
        parse(answer)
    except Retry:
        return False
    return True


BACK = {"b", "back"}
Meanings = Mapping[str, str]


def _width() -> int:
    return max(40, min(100, shutil.get_terminal_size((80, 24)).columns))


def explain_words(lead: str, choices: tuple[str, ...], meanings: Meanings | None = None) -> str:
    """Each allowed word on its own line with its meaning, wrapped to the terminal's width
    between words (never inside one: the words are what is typed)."""
    width = _width() - 2
    if not meanings:
        body = textwrap.fill(", ".join(choices), width, initial_indent="    ",
                             subsequent_indent="    ", break_long_words=False,
                             break_on_hyphens=False)
        return f"{lead}\n{body}"
    pad = min(max(len(c) for c in choices), 26) + 2
    rows = []
    for choice in choices:
        meaning = meanings.get(choice, "")
        rows.append(textwrap.fill(
            f"{choice.ljust(pad)}{meaning}", width, initial_indent="    ",
            subsequent_indent="    " + " " * pad, break_long_words=False,
            break_on_hyphens=False))
    return lead + "\n" + "\n".join(rows)


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


def _near(answer: str, choices: tuple[str, ...]) -> str | None:
    """The closest word ignoring case, as the case loader suggests one (`DASH`: 'dash')."""
    folded = {choice.lower(): choice for choice in choices}
    match = closest(answer.lower(), folded)
    return None if match is None else folded[match]


# Everyday words a lawyer types for a behaviour, where spelling alone suggests the wrong
# word (`texting` is spelt most like `loitering`). Suggestions only: the file's words
# are the model's.
_EVERYDAY = {
    "texting": "contacting", "texts": "contacting", "calling": "contacting",
    "calls": "contacting", "phoning": "contacting", "messaging": "contacting",
    "messages": "contacting", "emailing": "contacting", "emails": "contacting",
    "letters": "contacting", "stalking": "following", "spying": "watching",
    "gifts": "sending-gifts", "gps": "tracking", "hacking": "account-access",
    "revenge-porn": "intimate-images", "damage": "property-damage",
    "assault": "violence", "choking": "strangulation", "knife": "weapon",
}


def _check_word(answer: str, choices: tuple[str, ...], whole: str | None = None) -> str:
    """The word exactly as the model accepts it; otherwise the loader's own message, and
    the closest word as a suggestion (`whole` is the full answer it is a part of)."""
    if answer in choices:
        return answer
    message = f"{_shown(answer)} is not one of the allowed words"
    match = _near(answer, choices)
    plain = _EVERYDAY.get(answer.lower().strip())
    if plain in choices:  # everyday words for a behaviour: only ever a suggestion
        match = plain
    if match is None:
        raise Retry(message + "; type ? for the list with meanings")
    fixed = match if whole is None else whole.replace(answer, match, 1)
    raise Suggest(f"{message}; did you mean {match!r}?", match, fixed)


def word(choices: tuple[str, ...], required: bool = True,
         meanings: Meanings | None = None) -> Parse[str | None]:
    def parse(answer: str) -> str | None:
        if answer == "?":
            raise Retry(explain_words("one of:", choices, meanings))
        if not answer and not required:
            return None
        return _check_word(answer, choices)
    return parse


def words(choices: tuple[str, ...], required: bool = False,
          meanings: Meanings | None = None) -> Parse[list[str] | None]:
    """A comma-separated list. Blank means not known (None); "none" means asked: none."""
    def parse(answer: str) -> list[str] | None:
        if answer == "?":
            raise Retry(explain_words("any of:", choices, meanings))
        if not answer:
            if required:
                raise Retry("give at least one (type ? for the list)")
            return None
        if answer.lower() == "none" and not required:
            return []
        return [_check_word(part.strip(), choices, answer) for part in answer.split(",")]
    return parse


def text_list(answer: str) -> list[str]:
    """Free-text items, comma-separated; blank for none."""
    items = [part.strip() for part in answer.split(",") if part.strip()]
    if any(len(item) > 2000 for item in items):
        raise Retry("keep each item to 2000 characters or fewer")
    return items


def offence(titles: Mapping[str, str], required: bool = True,
            meanings: Meanings | None = None) -> Parse[str | None]:
    """An offence by id (`pha-s2a`), by section (`s2a`, `s.4A`, `PHA s.2`) or by the words
    of its title (`harassment`, `threats to kill`); an ambiguous answer lists the offences
    it could mean."""
    ids = tuple(get_args(model.OffenceId))

    def parse(answer: str) -> str | None:
        if answer == "?":
            raise Retry(explain_words("one of (id, or its section, or words of its title):",
                                      ids, meanings or titles))
        if not answer:
            if required:
                raise Retry("name the offence (type ? for the list)")
            return None
        if answer in ids:
            return answer
        folded = answer.lower().strip()
        if folded in ids:
            return folded
        found = _by_section(folded, ids) or _by_title(folded, titles)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise Retry(f"{_shown(answer)} could be any of: " + "; ".join(
                f"{i} ({titles.get(i, i)})" for i in found))
        return _check_word(answer, ids)
    return parse


def _by_section(answer: str, ids: tuple[str, ...]) -> list[str]:
    compact = re.sub(r"[\s.()]", "", answer)
    match = re.fullmatch(r"([a-z]*?)-?s(?:ection)?([0-9]+[a-z]?[0-9]*[a-z]?)", compact)
    if match is None:
        return []
    act, section = match.groups()
    return [i for i in ids if i.endswith(f"-s{section}") and (not act or i.startswith(act))]


def _by_title(answer: str, titles: Mapping[str, str]) -> list[str]:
    exact = [i for i, title in titles.items() if title.lower() == answer]
    if exact:
        return exact
    wanted = re.findall(r"[a-z0-9]+", answer)
    return [i for i, title in titles.items()
            if wanted and all(w in re.findall(r"[a-z0-9]+", title.lower()) for w in wanted)]


# --- the interview ------------------------------------------------------------------------

@dataclass
class Prompter:
    """Asks questions, keeping every accepted answer on a tape.

    Answers already on the tape are replayed silently (after `back` or `--resume`), so
    the interview is always rebuilt from the answers alone; `saved` is called with the
    tape after each new answer.
    """

    read: Callable[[str], str] = input
    write: Callable[[str], None] = print
    tape: list[str] = field(default_factory=list)
    saved: Callable[[list[str]], None] = lambda tape: None
    at: int = 0

    @property
    def replaying(self) -> bool:
        return self.at < len(self.tape)

    def ask(self, prompt: str, parse: Parse[T]) -> T:
        if self.replaying:
            try:
                value = parse(self.tape[self.at])
            except Retry:  # cannot happen for a tape this intake wrote; ask afresh
                del self.tape[self.at:]
            else:
                self.at += 1
                return value
        typed: str | None = None
        while True:
            answer = typed if typed is not None else self.read(
                f"({self.at + 1}) {prompt}").strip()
            typed = None
            if answer.lower() in BACK and not self._kept_as_answer(answer, parse):
                if self.at == 0:
                    self.write("  this is the first question")
                    continue
                raise Back
            try:
                value = parse(answer)
            except Suggest as hint:
                reply = self.read(f"  {hint} [Y/n]: ").strip().lower()
                if reply in {"", "y", "yes"}:
                    typed = hint.answer
                continue
            except Retry as exc:
                self.write(f"  {exc}")
                continue
            self.tape.append(answer)
            self.at += 1
            self.saved(self.tape)
            return value

    def _kept_as_answer(self, answer: str, parse: Parse[T]) -> bool:
        """Whether a lone `b` is meant as the answer: where a question would take it (a
        pseudonym such as B), ask rather than go back; `back` in full always goes back."""
        if answer.lower() != "b" or not _accepts(parse, answer):
            return False
        reply = self.read(f"  go back to the previous question? (no: keep {answer!r} as the "
                          "answer) [Y/n]: ").strip().lower()
        return reply in {"n", "no"}

    def say(self, line: str) -> None:
        """Something shown once, as the answers are given (not again on a replay)."""
        if not self.replaying:
            self.write(line)

    def group(self, title: str) -> None:
        self.say(f"\n== {title} ==")


def _put(target: dict[str, Any], key: str, value: object) -> None:
    """Record an answer only if it is known: a left-out fact means "not known"."""
    if value is not None and value != []:
        target[key] = value


def _vocab(literal: Any) -> tuple[str, ...]:
    return tuple(get_args(literal))


def _more(p: Prompter, thing: str) -> bool:
    return p.ask(f"Add another {thing}? (yes/no): ", yes_no)


@dataclass(frozen=True)
class Glossary:
    """What the words mean, from the rule set: behaviours (with their s.2A(3) paragraph)
    and offences. The words themselves always come from the case model."""

    behaviours: Mapping[str, str] = field(default_factory=dict)
    offences: Mapping[str, str] = field(default_factory=dict)  # id: title
    citations: Mapping[str, str] = field(default_factory=dict)  # id: section

    def offence_meanings(self) -> dict[str, str]:
        return {i: f"{t} ({self.citations[i]})" if i in self.citations else t
                for i, t in self.offences.items()}


def glossary_from_rules() -> Glossary:
    rules = load_rules(None)
    behaviours = {}
    for entry in rules.sources.get("behaviours.yaml", {}).get("behaviours", []):
        para = f" (s.2A(3)({entry['s2a3']}))" if entry.get("s2a3") else ""
        behaviours[entry["id"]] = f"{entry['title']}{para}"
    return Glossary(behaviours, {o.id: o.title for o in rules.offences},
                    {o.id: o.citation for o in rules.offences})


class Interview:
    """The questions, group by group, building the case as plain data."""

    def __init__(self, prompter: Prompter, glossary: Glossary | None = None) -> None:
        self.p = prompter
        self.words = glossary or Glossary()
        self.case: dict[str, Any] = {"format": 1}
        self.decided = date.today()

    def run(self) -> dict[str, Any]:
        for step in (self.the_file, self.parties, self.incidents, self.impact, self.charges,
                     self.plea, self.safeguarding):
            step()
        return self.case

    def _name(self, victim: dict[str, Any]) -> str:
        return str(victim.get("label") or victim["id"])

    def _offence(self, prompt: str, required: bool = True) -> str | None:
        meanings = self.words.offence_meanings()
        chosen = self.p.ask(prompt, offence(self.words.offences, required, meanings))
        if chosen is not None:
            self.p.say(f"  = {chosen}: {meanings.get(chosen, chosen)}")
        return chosen

    def _which_victims(self, target: dict[str, Any], what: str) -> None:
        ids = tuple(v["id"] for v in self.case["victims"])
        if len(ids) > 1:  # with one victim the contract lets the list be left out
            shown = ", ".join(f"{v['id']} = {self._name(v)}" for v in self.case["victims"])
            target["victims"] = self.p.ask(f"Victims of this {what}, by id ({shown}): ",
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
        _put(entry, "offence", self._offence(
            "  Offence (id, section or title; blank if none; ? for the list): ", False))
        _put(entry, "note", p.ask("  Note: ", text()))
        return entry

    def _victim(self, ident: str) -> dict[str, Any]:
        p = self.p
        victim: dict[str, Any] = {"id": ident}
        victim["label"] = p.ask(f"Victim {ident} label (pseudonym) [{ident}]: ",
                                text(ident, 64))
        name = self._name(victim)
        _put(victim, "made_clear_unwanted_on", p.ask(
            f"Date {name} made clear the conduct was unwanted (YYYY-MM-DD; blank if not "
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
                                       words(_vocab(model.Behaviour), required=True,
                                             meanings=self.words.behaviours))
        _put(incident, "channel", p.ask("Channel (blank if not known; ? for the list): ",
                                        word(_vocab(model.Channel), required=False)))
        victims = [v for v in self.case["victims"]
                   if v["id"] in incident.get("victims", [v["id"]])]
        who = self._name(victims[0]) if len(victims) == 1 else "the victim"
        _put(incident, "caused_fear_of_violence", p.ask(
            f"Did {who} fear violence WOULD be used against them?" + FACT, fact))
        _put(incident, "hostility", p.ask("Hostility shown (blank if none; ? for the list): ",
                                          word(_vocab(model.Hostility), required=False)))
        _put(incident, "summary", p.ask("Summary (one line): ", text()))
        _put(incident, "evidence", p.ask(
            f"Evidence of {ident}, comma-separated (texts, CCTV, statements; blank if none "
            "yet): ", text_list))
        return incident

    def impact(self) -> None:
        p = self.p
        p.group("Impact on the victim")
        for victim in self.case["victims"]:
            v = self._name(victim)
            for key, question in (("very_frightened", f"Is {v} very frightened?"),
                                  ("serious_alarm_or_distress",
                                   f"Has the conduct caused {v} serious alarm or distress?")):
                _put(victim, key, p.ask(question + FACT, fact))
            day_to_day = p.ask(
                f"How has {v}'s daily life changed? Comma-separated; 'none' if asked and "
                "none; blank if not asked (? for the list): ", words(_vocab(model.Effect)))
            if day_to_day is not None:
                victim["day_to_day_effects"] = day_to_day
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
            charge: dict[str, Any] = {"offence": self._offence(
                "Offence (id, section such as s2a, or title; ? for the list): ")}
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
        titles = self.words.offence_meanings()
        plea: dict[str, Any] = {"offence": self._offence("Plea offered to (offence): ")}
        instead = p.ask("In place of (offences, comma-separated ids or sections; blank if "
                        "none): ", _offences(self.words.offences, titles))
        plea["in_place_of"] = instead
        if instead:
            p.say("  = in place of " + "; ".join(f"{i}: {titles.get(i, i)}" for i in instead))
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
        orders = p.ask(
            "Orders in force, comma-separated ('none' if none; blank if not known; ? for the "
            "list): ", words(_vocab(model.OrderKind)))
        if orders is not None:
            s["orders_in_force"] = orders
        self.case["safeguarding"] = s


def _offences(titles: Mapping[str, str], meanings: Meanings) -> Parse[list[str]]:
    one = offence(titles, True, meanings)

    def parse(answer: str) -> list[str]:
        if answer == "?":
            one(answer)
        found: list[str] = []
        for part in (x.strip() for x in answer.split(",") if x.strip()):
            try:
                found.append(str(one(part)))
            except Suggest as hint:
                raise Suggest(str(hint), hint.match,
                              answer.replace(part, hint.match, 1)) from None
        return found
    return parse


# --- writing ------------------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    """Lists of words on one line (`behaviours: [a, b]`), as in the examples."""


def _list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.Node:
    flow = all(isinstance(i, str) for i in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_Dumper.add_representer(list, _list)


SCHEMA = "case.schema.json"


def schema_line(target: str) -> str:
    return f"# yaml-language-server: $schema={schema_path(target)}\n"


def schema_path(target: str) -> str:
    """The editor's schema line, as every example has: the path from the case file to
    `schemas/case.schema.json` when the file is written inside a checkout that has one
    (`../schemas/case.schema.json` from `examples/`), otherwise `case.schema.json` beside
    it (`chargecheck schema case > case.schema.json` writes it)."""
    folder = Path(target).resolve().parent
    for place in (folder, *folder.parents):
        candidate = place / "schemas" / SCHEMA
        if candidate.is_file():
            return os.path.relpath(candidate, folder)
    return SCHEMA


def to_yaml(case: dict[str, Any], target: str = "case.yaml") -> str:
    header = (f"{schema_line(target)}#\n# Written by `chargecheck new` on "
              f"{date.today().isoformat()}. Facts left out are not known.\n")
    body = yaml.dump(case, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return header + body


def summary(case: dict[str, Any]) -> list[str]:
    """A few lines to check before the file is written."""
    suspect = case.get("suspect", {})
    names = {v["id"]: v.get("label") or v["id"] for v in case["victims"]}
    lines = [f"Reference {case['reference']}, decided {case['decision_date']}"
             + (" (training case)" if case.get("synthetic") else ""),
             f"Suspect {suspect.get('label', 'D')} ({suspect.get('relationship', 'unknown')}); "
             f"victims: {', '.join(f'{k} = {v}' for k, v in names.items())}"]
    for incident in case["incidents"]:
        span = (f"{incident['date']} to {incident['end_date']}" if "end_date" in incident
                else str(incident["date"]))
        times = f" x{incident['count']}" if "count" in incident else ""
        lines.append(f"  {incident['id']} {span}{times}: {', '.join(incident['behaviours'])}"
                     f"; evidence: {plural(len(incident.get('evidence', [])), 'item')}")
    charges = ", ".join(f"{c['offence']} ({c['status']})" for c in case.get("charges", []))
    lines.append(f"Charges: {charges or 'none'}")
    if "plea" in case:
        lines.append(f"Plea offered to {case['plea']['offence']}")
    risk = case.get("safeguarding", {}).get("risk_assessment", "not known")
    lines.append(f"Risk assessment: {risk}")
    return lines


# --- the draft ----------------------------------------------------------------------------

DRAFT_SUFFIX = ".draft"


def draft_path(target: str) -> Path:
    return Path(target + DRAFT_SUFFIX)


def save_draft(target: str, answers: list[str]) -> None:
    """The answers so far, written atomically beside the case (temporary file + rename)."""
    path = draft_path(target)
    content = ("# A case being written by `chargecheck new`: the answers so far, in order.\n"
               f"# Continue it with: chargecheck new {target} --resume\n"
               + yaml.safe_dump({"draft": 1, "case": Path(target).name, "answers": answers},
                                sort_keys=False, allow_unicode=True, width=100))
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_draft(target: str) -> list[str]:
    path = draft_path(target)
    if not path.is_file():
        raise InputError.one(str(path), None, (), "no draft to resume; start with "
                             f"`chargecheck new {target}`")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError.one(str(path), None, (), f"cannot read the draft: {exc}") from None
    answers = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
        raise InputError.one(str(path), None, (), "not a draft written by `chargecheck new`")
    return answers


# --- the whole intake ---------------------------------------------------------------------

def _interview(p: Prompter, glossary: Glossary) -> dict[str, Any]:
    """The interview, rebuilt from the tape after every `back`."""
    while True:
        p.at = 0
        try:
            return Interview(p, glossary).run()
        except Back:
            p.tape.pop()
            p.saved(p.tape)
            p.write("  (back to the previous question)")


def intake(target: str, force: bool, prompter: Prompter | None = None, resume: bool = False,
           glossary: Glossary | None = None) -> int:
    """Run the interview and write `target`. An existing file is replaced only with `force`
    or once confirmed at a terminal; the answers are kept in the draft until it is written.
    Returns the exit code (130 when stopped with Ctrl-C)."""
    draft = draft_path(target)
    interactive = prompter is None and sys.stdin.isatty()
    if Path(target).exists() and not force and not interactive:
        raise InputError.one(target, None, (), "file exists; use --force to replace it")
    if draft.exists() and not resume:
        raise InputError.one(target, None, (), f"a draft of it is kept in {draft}: continue it "
                             "with --resume, or delete the draft to start again")
    p = prompter or Prompter()
    p.tape = load_draft(target) if resume else []
    p.saved = lambda tape: save_draft(target, tape)
    p.write(f"New case file {target}. Type ? for the allowed words, b to go back; "
            f"every answer is kept in {draft} (Ctrl-C to stop, --resume to go on).")
    if resume:
        p.write(f"Resuming: {len(p.tape)} answers kept; the next question is "
                f"number {len(p.tape) + 1}.")
    try:
        words = glossary if glossary is not None else glossary_from_rules()
        while True:
            case = _interview(p, words)
            content = to_yaml(case, target)
            load_case(target, content)  # the file must validate before it is written
            p.write("\n== Check before writing ==")
            for line in summary(case):
                p.write(line)
            question = (f"{target} exists: replace it with this case? (yes/no/back): "
                        if Path(target).exists() else f"Write {target}? (yes/no/back): ")
            try:
                if _confirm(p, question):
                    break
                p.write(f"Not written. Type back to change an answer, or Ctrl-C to stop; "
                        f"the answers stay in {draft}.")
            except Back:
                p.tape.pop()
                p.saved(p.tape)
    except KeyboardInterrupt:
        if p.tape:
            save_draft(target, p.tape)
        sys.stderr.write(f"\nStopped. {_kept(target, len(p.tape))}\n")
        return 130
    except EOFError:
        raise InputError.one(target, None, (), "input ended before the intake was finished; "
                             f"{_kept(target, len(p.tape))}") from None
    write_report(content, target, [], True)
    draft.unlink(missing_ok=True)
    p.write(f"\nWrote {target}.")
    p.write(bottom_line(target))
    p.write(f"The full assessment: chargecheck assess {target}")
    return 0


def bottom_line(target: str) -> str:
    """The assessment's bottom line for the case just written: what to charge, and how
    many findings of each severity, most serious first."""
    result = assess(load_case(target), load_rules(None))
    counts = [f"{sum(f.severity == s for f in result.findings)} {s.upper()}"
              for s in reversed(Severity) if any(f.severity == s for f in result.findings)]
    return (f"Recommended: {', '.join(result.recommended) or 'none'}; findings: "
            f"{', '.join(counts) or 'none'}. Advisory only: not legal advice.")


def _confirm(p: Prompter, question: str) -> bool:
    """A final yes/no that `back` can still undo: the answer is not kept on the tape."""
    while True:
        answer = p.read(question).strip().lower()
        if answer in BACK:
            raise Back
        try:
            return yes_no(answer)
        except Retry as exc:
            p.write(f"  {exc}")


def _kept(target: str, answers: int) -> str:
    if not answers:
        return "nothing was written"
    return (f"nothing was written to {target}; the {answers} answers so far are in "
            f"{draft_path(target)} (continue with: chargecheck new {target} --resume)")
