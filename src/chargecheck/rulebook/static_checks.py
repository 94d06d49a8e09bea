"""Static checks of a rule set: mistakes a rule can make and still load.

A rule set that passes its schema and compiles can still be wrong in ways only the rule
set as a whole shows (the idea of dmn-check for decision tables, and of Sigma's rule
validators). `chargecheck validate` runs these on a rule set or a local pack once it
loads, walking each condition's tree (conditions/tree.py):

- `duplicate-condition` (warning): two rules in force at once with the same condition
  (after putting the parts of `all`/`any` in order and dropping repeats), so they
  always fire together;
- `never-holds` (error): a condition, or part of one, that can never hold given the
  vocabularies: a word a fact never holds, an empty list, a count below zero, a filter
  no behaviour can pass, or an `all` whose parts contradict each other;
- `date-mismatch` (warning): a date in a condition that names an offence, which is none
  of the dates offences.yaml gives for that offence (commencement, changes of maximum,
  the end of a time limit) nor a change in the magistrates' general limit;
- `unfilled-placeholder` (warning): a message placeholder the rule's condition does not
  make sure of, so the finding could read "none", "None" or "(not assessed)".

Warnings are for a reviewer to confirm (two findings on one condition, or a date the
offence data does not hold, may be meant); an error is a rule that cannot work.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from datetime import date
from pathlib import Path as FilePath
from typing import Any, NamedTuple

from chargecheck.case.yamlio import Document, load_rule_file
from chargecheck.conditions.describe import describe
from chargecheck.conditions.facts import FACT_WORDS, BehaviourInfo
from chargecheck.conditions.parse import (
    CHECKED,
    INDICATOR_STATUSES,
    OFFENCE_STATUSES,
    Vocabulary,
    parse,
)
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
    walk,
    words,
)
from chargecheck.errors import Path, Problem
from chargecheck.rulebook.directory import CHECKS_DIR, CORE_FILES
from chargecheck.rulebook.ruleset import RuleDef, RuleSet, vocabulary
from chargecheck.spelling import closest

# Each check: its severity, and what it finds (SARIF's rule descriptions, the docs).
CHECKS: dict[str, tuple[str, str]] = {
    "duplicate-condition": (
        "warning", "Two rules in force at the same time have the same condition, so they "
                   "always fire together."),
    "never-holds": (
        "error", "A condition, or a part of one, can never hold given the rule set's "
                 "vocabularies."),
    "date-mismatch": (
        "warning", "A date in a condition that names an offence is none of the dates "
                   "offences.yaml gives for it."),
    "unfilled-placeholder": (
        "warning", "A message placeholder that the rule's condition does not make sure of, "
                   "so the finding could read 'none' or '(not assessed)'."),
}
NEVER = "can never hold: "
NOT_RAISED = "(not raised)"  # an offence or indicator not on the ladder: no status at all


class Finding(NamedTuple):
    """One problem a static check found, and the check."""

    check: str
    problem: Problem


class Written(NamedTuple):
    """A condition as written in a rule file: where, whose, and its tree."""

    doc: Document
    path: Path
    owner: str  # the id of the rule, offence, test, indicator or marker it belongs to
    node: Condition
    rule: dict[str, Any] | None  # the rule's data, for a rule in a checks file


def static_findings(rules: RuleSet, directory: str) -> list[Finding]:
    """What the static checks find in the rule files of `directory` (a full rule set or a
    local pack), read against `rules`, the rule set loaded from it."""
    facts = Checker(rules)
    written = list(_written(_documents(directory), facts.vocab))
    found: list[Finding] = []
    for item in written:
        found += [_finding("never-holds", item, path, NEVER + text)
                  for path, text in facts.never(item.node)]
        found += [_finding("date-mismatch", item, path, text)
                  for path, text in facts.mismatched_dates(item.node)]
        if item.rule is not None:
            found += [_finding("unfilled-placeholder", item, path, text)
                      for path, text in facts.unfilled(item.node, item.rule, item.path)]
    found += _duplicates(rules, [w for w in written if w.rule is not None])
    return found


def _finding(check: str, item: Written, path: Path, message: str) -> Finding:
    return Finding(check, item.doc.problem(path, message, item.owner))


# --- reading the rule files -----------------------------------------------------------------

def _documents(directory: str) -> list[Document]:
    """The rule files of a full rule set or a pack, named as loading the rules names them."""
    root = FilePath(directory)
    files = [root / name for name in CORE_FILES if (root / name).is_file()]
    files += sorted((root / CHECKS_DIR).glob("*.yaml"))
    return [load_rule_file(str(file)) for file in files]


def _written(docs: list[Document], vocab: Vocabulary) -> Iterator[Written]:
    """Every condition in the files, with its place and owner."""
    for doc in docs:
        data, name = doc.data, FilePath(doc.file).name
        if FilePath(doc.file).parent.name == CHECKS_DIR:
            for n, rule in enumerate(data["rules"]):
                yield _read(doc, ("rules", n, "when"), rule["id"], rule["when"], vocab, rule)
        elif name == "offences.yaml":
            yield from _offence_conditions(doc, vocab)
        elif name in ("indicators.yaml", "escalation.yaml"):
            key = "indicators" if name == "indicators.yaml" else "markers"
            for n, entry in enumerate(data[key]):
                yield _read(doc, (key, n, "when"), entry["id"], entry["when"], vocab)


def _offence_conditions(doc: Document, vocab: Vocabulary) -> Iterator[Written]:
    for n, test in enumerate(doc.data["tests"]):
        yield _read(doc, ("tests", n, "when"), test["id"], test["when"], vocab)
    for n, offence in enumerate(doc.data["offences"]):
        if offence.get("raised_when") is not None:
            yield _read(doc, ("offences", n, "raised_when"), offence["id"],
                        offence["raised_when"], vocab)
        for k, element in enumerate(offence["elements"]):
            yield _read(doc, ("offences", n, "elements", k, "when"), offence["id"],
                        element["when"], vocab)


def _read(doc: Document, path: Path, owner: str, cond: Any, vocab: Vocabulary,
          rule: dict[str, Any] | None = None) -> Written:
    # The rule set has loaded, so every condition in it parses.
    return Written(doc, path, owner, parse(cond, path, vocab), rule)


# --- what the rule set says ------------------------------------------------------------------

class Checker:
    """The checks of one condition, with what they need from the loaded rule set: its
    vocabularies, its behaviours, the dates of its offences and what its named tests
    make sure of."""

    def __init__(self, rules: RuleSet) -> None:
        raw = rules.sources
        self.vocab = vocabulary(raw)
        self.behaviours: dict[str, BehaviourInfo] = rules.behaviours
        levels = {m.level for m in rules.markers}
        self.fact_words = {**FACT_WORDS, "plea.offence": self.vocab.offences,
                           "escalation.level": frozenset({"standard", *levels})}
        offences = raw["offences.yaml"]
        self.dates = {o["id"]: _offence_dates(o) for o in offences["offences"]}
        # Offences with no `raised_when` are judged for every victim (engine/offences.py).
        self.always_judged = {o["id"] for o in offences["offences"]
                              if o.get("raised_when") is None}
        general = offences["magistrates_general_limit"]
        self.general_dates = {v["from"] for v in general["values"]} | (
            {general["committed_before"]["before"]} if general.get("committed_before") else set())
        self.tests: dict[str, frozenset[str]] = {}
        for test in offences["tests"]:  # a test may use those before it
            self.tests[test["id"]] = self.ensured(parse(test["when"], (), CHECKED))

    # --- never-holds -------------------------------------------------------------------------
    def never(self, node: Condition) -> Iterator[tuple[Path, str]]:
        """Each part of `node` that can never hold, and why."""
        parts = walk(node)
        # An `all` inside an `all` is read with it (`_conjuncts`), so not again alone.
        inner = {id(p) for outer in parts if isinstance(outer, AllOf) for p in outer.parts
                 if isinstance(p, AllOf)}
        for part in parts:
            if isinstance(part, FactTest):
                yield from self._never_fact(part)
            elif isinstance(part, Charged | Plea) and not part.offences:
                yield part.path, "it names no offence"
            elif isinstance(part, Status) and part.op == "in" and not words(part.arg):
                yield part.path, "it names no status"
            elif isinstance(part, Incidents):
                yield from self._never_incidents(part)
            elif isinstance(part, AllOf) and id(part) not in inner:
                yield from _contradictions(part)

    def _never_fact(self, node: FactTest) -> Iterator[tuple[Path, str]]:
        where = (*node.path, node.op)
        if node.op in ("in", "contains_any") and not words(node.arg):
            yield where, "the list of words is empty"
        if node.kind == "count" and node.op in ("at_most", "equals") and isinstance(
                node.arg, int) and node.arg < 0:
            yield where, f"a count is never below 0 ({describe(node)[0]})"
        known = self.fact_words.get(node.fact)
        if known is None or node.op not in ("equals", "in", "contains", "contains_any"):
            return
        for word in words(node.arg):
            if word not in known:
                guess = closest(word, sorted(known))
                hint = f"; did you mean {guess!r}?" if guess else ""
                yield where, (f"fact {node.fact} never holds {word!r} (its words: "
                              f"{', '.join(sorted(known))}){hint}")

    def _never_incidents(self, node: Incidents) -> Iterator[tuple[Path, str]]:
        if node.at_least < 1:
            return  # at least none: always true
        picked: dict[str, frozenset[str]] = {}
        for key, arg in node.filters:
            if key in ("behaviours", "channel", "hostility") and not words(arg):
                yield node.place_of(key), f"'{key}' names nothing, so no incident matches"
                continue
            if key in ("behaviours", "evidences", "marker") or (key == "stalking" and arg):
                picked[key] = self._behaviours_passing(key, arg)
                if not picked[key]:
                    yield node.place_of(key), (
                        f"no behaviour in behaviours.yaml passes '{key}: {_shown(arg)}', "
                        "so no incident matches")
        if dict(node.filters).get("stalking") is False:
            stalking = self._behaviours_passing("stalking", True)
            for key, chosen in picked.items():
                if chosen and chosen <= stalking:
                    yield node.place_of("stalking"), (
                        "'stalking: false' asks for an incident showing no behaviour "
                        "associated with stalking, and every behaviour "
                        f"'{key}: {_shown(dict(node.filters)[key])}' allows is one")

    def _behaviours_passing(self, key: str, arg: object) -> frozenset[str]:
        """The behaviour words an incident filter on behaviours picks."""
        if key == "behaviours":
            return frozenset(words(arg)) & frozenset(self.behaviours)
        if key == "stalking":
            return frozenset(w for w, info in self.behaviours.items() if info.stalking)
        field = "evidences" if key == "evidences" else "markers"
        return frozenset(w for w, info in self.behaviours.items() if arg in getattr(info, field))

    # --- date-mismatch -----------------------------------------------------------------------
    def mismatched_dates(self, node: Condition) -> Iterator[tuple[Path, str]]:
        """Dates beside an offence that are none of the dates its data gives."""
        named = sorted(_offences_named(node) & set(self.dates))
        if not named:
            return
        allowed = self.general_dates.union(*(self.dates[o] for o in named))
        for path, day in _dates_in(node):
            if day not in allowed:
                given = " or ".join(
                    f"{o} ({', '.join(d.isoformat() for d in sorted(self.dates[o]))})"
                    for o in named)
                yield path, (f"{day.isoformat()} is none of the dates offences.yaml gives for "
                             f"{given}, nor a change in the magistrates' general limit: "
                             "check it against the offence data")

    # --- unfilled-placeholder ----------------------------------------------------------------
    def unfilled(self, node: Condition, rule: dict[str, Any], path: Path
                 ) -> Iterator[tuple[Path, str]]:
        """Placeholders in a rule's messages that its condition (`node`, at `path`) does
        not make sure of."""
        ensured = self.ensured(node) | {f"offence:{o}" for o in self.always_judged} | {
            f"offence:{o}" for o in _offences_named(node, positively=True)}
        for key in ("found", "why", "action"):
            for name in _placeholders(rule[key]):
                need = _needs(name)
                if need is not None and need[0] not in ensured:
                    yield (*path[:-1], key), f"{{{name}}} {need[1]}"

    def ensured(self, node: Condition) -> frozenset[str]:
        """What is surely so whenever `node` holds (an offence judged, a plea offered...)."""
        if isinstance(node, AllOf):
            found = frozenset().union(*(self.ensured(p) for p in node.parts))
            # Charged with an offence that is not supported: an unsupported charge.
            unsupported = any(f"charged:{token.partition(':')[2]}" in found
                              for token in found if token.startswith("not-supported:"))
            return found | {"unsupported"} if unsupported else found
        if isinstance(node, AnyOf):
            return frozenset.intersection(*(self.ensured(p) for p in node.parts))
        if isinstance(node, NamedTest):
            return self.tests.get(node.name, frozenset())
        return _ensured_by_leaf(node)


def _offence_dates(data: dict[str, Any]) -> frozenset[date]:
    """The dates offences.yaml gives for one offence."""
    found = {data["commencement"], *(m["from"] for m in data["maxima"])}
    until = (data.get("time_limit") or {}).get("until")
    return frozenset(found | ({until} if until else set()))


def _shown(arg: object) -> str:
    return ", ".join(words(arg)) if words(arg) else str(arg).lower()


# --- contradictions inside an `all` ---------------------------------------------------------

def _contradictions(node: AllOf) -> Iterator[tuple[Path, str]]:
    """Parts of one `all` that cannot all hold: the same fact or status asked two ways."""
    facts: dict[str, list[FactTest]] = {}
    statuses: dict[tuple[str, str], list[Status]] = {}
    for part in _conjuncts(node):
        if isinstance(part, FactTest):
            facts.setdefault(part.fact, []).append(part)
        elif isinstance(part, Status):
            statuses.setdefault((part.subject, part.name), []).append(part)
    for tests in facts.values():
        clash = _fact_clash(tests) if len(tests) > 1 else []
        if clash:
            yield node.path, "these cannot all be so: " + "; ".join(describe(t)[0] for t in clash)
    for said in statuses.values():
        if len(said) > 1 and _status_clash(said):
            yield node.path, "these cannot all be so: " + "; ".join(describe(s)[0] for s in said)


def _conjuncts(node: AllOf) -> Iterator[Condition]:
    """The parts of an `all`, with the parts of an `all` inside it."""
    for part in node.parts:
        if isinstance(part, AllOf):
            yield from _conjuncts(part)
        else:
            yield part


def _fact_clash(tests: list[FactTest]) -> list[FactTest]:
    """The comparisons of one fact that cannot all hold at once (none if they can)."""
    known = [t for t in tests if t.op == "known"]
    compared = [t for t in tests if t.op != "known"]
    if {t.arg for t in known} == {True, False}:
        return known
    if compared and any(t.arg is False for t in known):
        return tests  # not recorded, yet compared with a value (which needs one)
    clash = {"count": _count_clash, "date": _date_clash, "yes-no": _same_arg_clash,
             "word": _word_clash, "words": _words_clash}[tests[0].kind](compared)
    return clash


def _count_clash(tests: list[FactTest]) -> list[FactTest]:
    low = [t for t in tests if t.op in ("at_least", "equals")]
    high = [t for t in tests if t.op in ("at_most", "equals")]
    if low and high and max(_num(t) for t in low) > min(_num(t) for t in high):
        return tests
    equals = {t.arg for t in tests if t.op == "equals"}
    return tests if len(equals) > 1 else []


def _num(test: FactTest) -> int:
    return test.arg if isinstance(test.arg, int) else 0


def _date_clash(tests: list[FactTest]) -> list[FactTest]:
    since = [t.arg for t in tests if t.op == "on_or_after" and isinstance(t.arg, date)]
    until = [t.arg for t in tests if t.op == "before" and isinstance(t.arg, date)]
    return tests if since and until and max(since) >= min(until) else []


def _same_arg_clash(tests: list[FactTest]) -> list[FactTest]:
    return tests if len({t.arg for t in tests}) > 1 else []


def _word_clash(tests: list[FactTest]) -> list[FactTest]:
    allowed = [frozenset(words(t.arg)) for t in tests]
    return tests if allowed and not frozenset.intersection(*allowed) else []


def _words_clash(tests: list[FactTest]) -> list[FactTest]:
    must_hold = [t for t in tests if t.op == "contains"]
    empty = [t for t in tests if t.op == "empty"]
    if must_hold and any(t.arg is True for t in empty):
        return tests
    return tests if len({t.arg for t in empty}) > 1 else []


def _status_clash(said: list[Status]) -> bool:
    """Whether what is said of one offence's or indicator's status cannot all hold."""
    statuses = OFFENCE_STATUSES if said[0].subject == "offence" else INDICATOR_STATUSES
    allowed = {*statuses, NOT_RAISED}
    flags: dict[str, set[object]] = {}
    for s in said:
        if s.op in ("is", "in"):
            allowed &= set(words(s.arg))
        elif s.op == "holds":
            allowed &= {statuses[0]} if s.arg else {statuses[1], NOT_RAISED}
        else:  # a flag: true, false or unknown, each only for an offence on the ladder
            allowed.discard(NOT_RAISED)
            flags.setdefault(s.op, set()).add(s.arg)
    return not allowed or any(len(values) > 1 for values in flags.values())


# --- what a condition names ------------------------------------------------------------------

def _offences_named(node: Condition, positively: bool = False) -> set[str]:
    """The offences a condition names; `positively`, only outside `not` and `unless`."""
    named: set[str] = set()
    for part in _outside_negations(node) if positively else walk(node):
        if isinstance(part, Status) and part.subject == "offence":
            named.add(part.name)
        elif isinstance(part, Charged | Plea):
            named.update(part.offences)
        elif isinstance(part, FactTest) and part.fact == "plea.offence":
            named.update(words(part.arg))
    return named


def _outside_negations(node: Condition) -> Iterator[Condition]:
    yield node
    if isinstance(node, AllOf | AnyOf):
        for part in node.parts:
            yield from _outside_negations(part)


def _dates_in(node: Condition) -> Iterator[tuple[Path, date]]:
    for part in walk(node):
        if isinstance(part, FactTest) and isinstance(part.arg, date):
            yield (*part.path, part.op), part.arg
        elif isinstance(part, Incidents):
            for key, arg in part.filters:
                if isinstance(arg, date):
                    yield part.place_of(key), arg


# --- placeholders ---------------------------------------------------------------------------

# What a placeholder needs the condition to make sure of, and what it reads without it.
# The others always have a value: every victim judged has an incident (engine/assess.py),
# and {incidents} falls back to "the course of conduct as a whole" by design.
_NEEDS = {
    "plea": ("plea", "may read 'none': the condition does not make sure a plea is offered"),
    "plea_drops": ("plea", "may read 'none': the condition does not make sure a plea is "
                           "offered"),
    "charged": ("charged", "may read 'none': the condition does not make sure anything is "
                           "charged"),
    "markers": ("markers", "may read 'none': the condition does not make sure an "
                           "escalation marker is present"),
    "unsupported_charges": ("unsupported", "may read 'none': the condition does not make "
                                           "sure a charge is not supported"),
}
_KEYED = ("missing", "obtain", "maximum")  # per offence: only for an offence judged


def _placeholders(text: str) -> list[str]:
    return [f for _, f, _, _ in string.Formatter().parse(text) if f]


def _needs(name: str) -> tuple[str, str] | None:
    base, _, key = name.partition("[")
    if base in _KEYED:
        offence = key.rstrip("]")
        return f"offence:{offence}", (
            f"may read '(not assessed)': offence {offence} is judged only when the case "
            f"raises it, and the condition does not name it (as {{offence: {offence}, ...}})")
    return _NEEDS.get(base)


def _ensured_by_leaf(node: Condition) -> frozenset[str]:
    """What one leaf makes sure of when it holds."""
    if isinstance(node, Status) and node.subject == "offence" and (
            node.op != "holds" or node.arg is True):  # it has a status: it is judged
        failing = {f"not-supported:{node.name}"} if _not_supported(node.op, node.arg) else set()
        return frozenset({f"offence:{node.name}", *failing})
    if isinstance(node, Charged | Plea):
        single = set(node.offences) if len(node.offences) == 1 else set()
        if isinstance(node, Charged):
            return frozenset({"charged", *(f"charged:{o}" for o in single),
                              *(f"offence:{o}" for o in single)})
        return frozenset({"plea", *(f"offence:{o}" for o in single)})
    if isinstance(node, Marker):
        return frozenset({"markers"})
    if isinstance(node, AnyCharge):
        return frozenset({"charged", *(["unsupported"] if _not_supported(node.op, node.arg)
                                       else [])})
    if isinstance(node, FactTest):
        return _ensured_by_fact(node)
    return frozenset()


def _not_supported(op: str, arg: object) -> bool:
    """Whether an offence with this status or flag is surely not supported: an absent
    element, or not in force or out of time, makes it so (engine/offences.py)."""
    return (op == "is" and arg == "not-supported") or (op == "in" and words(arg) == (
        "not-supported",)) or (op == "absent" and arg is True) or (
        op in ("in_force", "in_time") and arg is False)


def _ensured_by_fact(node: FactTest) -> frozenset[str]:
    yes = node.op == "is" and node.arg is True
    if node.fact == "plea.offered" and yes:
        return frozenset({"plea"})
    if node.fact == "charges.any" and yes:
        return frozenset({"charged"})
    if node.fact == "escalation.level" and node.op in ("equals", "in") and words(
            node.arg) and "standard" not in words(node.arg):
        return frozenset({"markers"})  # a level above standard comes from a marker
    return frozenset()


# --- duplicate-condition ---------------------------------------------------------------------

def _duplicates(rules: RuleSet, written: list[Written]) -> list[Finding]:
    """Rules in files being checked whose condition an earlier rule in force with them has."""
    here = {w.owner: w for w in written}
    data = {r["id"]: r for key, raw in rules.sources.items() if key.startswith(CHECKS_DIR + "/")
            for r in raw["rules"]}
    first: dict[Any, list[RuleDef]] = {}
    found = []
    for rule in rules.rules:  # the rules in force, pack rules last
        key = normal(parse(data[rule.id]["when"], (), CHECKED))
        same = [r for r in first.get(key, []) if _overlap(r, rule)]
        if same and rule.id in here:
            item = here[rule.id]
            where = f" ({here[same[0].id].doc.file}:{_line(here[same[0].id])})" if (
                same[0].id in here) else " (in the base rule set)"
            found.append(_finding("duplicate-condition", item, item.path,
                                  f"the same condition as {same[0].id}{where}: the two "
                                  "rules always fire together"))
        first.setdefault(key, []).append(rule)
    return found


def _line(item: Written) -> int | None:
    return item.doc.line_of(item.path)


def _overlap(a: RuleDef, b: RuleDef) -> bool:
    """Whether two rules are ever in force on the same decision date."""
    return a.starts < (b.ends or date.max) and b.starts < (a.ends or date.max)


def normal(node: Condition) -> Any:
    """A condition's meaning as a value: equal for conditions written differently that
    mean the same (parts of `all`/`any` in another order or repeated, an `all` of one
    part, a word or a list of one, `equals: x` or `in: [x]`)."""
    if isinstance(node, AllOf | AnyOf):
        kind = type(node)
        parts: set[Any] = set()
        for part in node.parts:
            value = normal(part)
            parts |= value[1] if isinstance(value, tuple) and value[0] is kind else {value}
        return next(iter(parts)) if len(parts) == 1 else (kind, frozenset(parts))
    if isinstance(node, Not | Unless):
        return (type(node), normal(node.inner))
    if isinstance(node, FactTest):
        op = {"equals": "in", "contains": "contains_any"}.get(node.op, node.op) if (
            node.kind in ("word", "words")) else node.op
        return (FactTest, node.fact, op, _value(node.arg))
    if isinstance(node, Incidents):
        return (Incidents, frozenset((k, _value(a)) for k, a in node.filters), node.at_least)
    if isinstance(node, Charged | Plea):
        return (type(node), getattr(node, "key", ""), frozenset(node.offences))
    if isinstance(node, Status):
        op = "in" if node.op == "is" else node.op
        return (Status, node.subject, node.name, op, _value(node.arg))
    return node  # a marker, any_charge or named test: equal as written (the path aside)


def _value(arg: object) -> object:
    """A word or a list of words as a set; any other argument as it is."""
    return frozenset(words(arg)) if isinstance(arg, str | tuple) else arg
