"""The rule set as the engine runs it, and compiling it from validated rule data.

`build` turns the rule files' data (checked by checking.py, or read back from the
cache) into offences, indicators, markers and rules whose conditions are compiled
closures, and the audit's questions. Loading a rule set from a directory is the
command line's (cli/rule_loading.py).
"""

import typing
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, NamedTuple

from chargecheck.case.model import Channel, Hostility
from chargecheck.conditions.compiler import Compiled, compile_tree
from chargecheck.conditions.describe import Names, lower_first
from chargecheck.conditions.facts import BehaviourInfo, Rising, WarningRecords
from chargecheck.conditions.parse import ConditionError, Vocabulary, parse
from chargecheck.conditions.tree import AnyOf, Condition
from chargecheck.errors import Path
from chargecheck.rulebook.directory import CHECKS_DIR

# Where a condition is written: its file (as `sources` keys it) and its key path there.
Where = tuple[str, Path]


class ElementDef(NamedTuple):
    id: str
    text: str
    citations: tuple[str, ...]
    obtain: str
    test: Compiled
    when: Condition  # what `test` evaluates, for explaining it


class Maximum(NamedTuple):
    starts: date
    summary_months: int | str
    indictment_years: int | None


class OffenceDef(NamedTuple):
    id: str
    title: str
    citation: str
    mode_of_trial: str
    commencement: date
    occasions_needed: int
    maxima: tuple[Maximum, ...]
    time_limit_months: int | None
    time_limit_kind: str | None
    raised: Compiled | None
    elements: tuple[ElementDef, ...]
    superseded_by: frozenset[str]
    time_limit_until: date | None = None
    time_limit_citations: tuple[str, ...] = ()
    confidence: str = "high"  # as for rules: `verify` marks unconfirmed law
    raised_when: Condition | None = None  # what `raised` evaluates
    commencement_citations: tuple[str, ...] = ()


class Judged(NamedTuple):
    """An indicator or escalation marker: a named condition with its authority."""

    id: str
    title: str
    citations: tuple[str, ...]
    test: Compiled
    when: Condition
    level: str = ""


class LegalTest(NamedTuple):
    """A named legal test of offences.yaml (`{test: ID}` in a condition)."""

    id: str
    text: str
    citations: tuple[str, ...]
    when: Condition


class QuestionDef(NamedTuple):
    """One scrutiny-panel question (audit.yaml) and the rules whose findings answer it."""

    id: str
    title: str
    rules: frozenset[str]
    only_if_charged: str | None = None


class RuleDef(NamedTuple):
    id: str
    title: str
    category: str
    severity: str
    confidence: str
    citations: tuple[str, ...]
    starts: date
    ends: date | None
    test: Compiled
    when: Condition
    found: str
    why: str
    action: str


class Adjustment(NamedTuple):
    """A local pack's change to a rule of the set it is applied on (packs.py)."""

    pack: str
    rule: str
    change: str   # `disabled`, or `severity LEVEL`
    reason: str

    def as_json(self) -> dict[str, str]:
        return self._asdict()


class RuleSet(NamedTuple):
    """Named tuples, not dataclasses, here: every `assess` defines these classes on
    start-up, where a frozen dataclass costs several times as much (docs/performance.md)."""

    version: str
    digest: str
    packs: tuple[str, ...]
    offences: tuple[OffenceDef, ...]
    behaviours: dict[str, BehaviourInfo]
    indicators: tuple[Judged, ...]
    markers: tuple[Judged, ...]
    rules: tuple[RuleDef, ...]
    general_limit: tuple[tuple[date, int], ...]
    tests: dict[str, Compiled]
    sources: dict[str, Any]  # the validated rule data the rest was built from
    adjustments: tuple[Adjustment, ...] = ()
    # Offences committed before this date keep this general limit (legal reference 14.1.3).
    general_limit_before: tuple[date, int] | None = None
    warnings: WarningRecords = WarningRecords()
    rising: Rising | None = None
    questions: tuple[QuestionDef, ...] = ()
    legal_tests: Mapping[str, LegalTest] = MappingProxyType({})
    # What a report calls each offence, indicator, marker and legal test (`names_of`).
    names: Names = Names({}, {}, {}, {}, {})
    # Every condition's parsed tree, by where it is written. The rule-set cache keeps
    # them beside `sources`, so a cache hit compiles them without parsing again.
    conditions: Mapping[Where, Condition] = MappingProxyType({})


class SourcedConditionError(Exception):
    def __init__(self, file: str, error: ConditionError) -> None:
        super().__init__(error.message)
        self.file, self.path, self.message = file, error.path, error.message


# --- compilation -------------------------------------------------------------------------

def build(raw: dict[str, Any], digest: str, packs: tuple[str, ...],
          errors: list[SourcedConditionError] | None = None,
          parsed: Mapping[Where, Condition] | None = None) -> RuleSet:
    """Compile validated rule data into the runtime rule set.

    With `errors`, condition mistakes are collected there (to report them all) instead
    of stopping at the first. With `parsed` (the `conditions` of a rule set built from
    the same data, as the cache keeps them), conditions are compiled from those trees
    instead of being parsed again.
    """
    manifest = raw["ruleset.yaml"]
    offence_data = raw["offences.yaml"]
    behaviours = {b["id"]: BehaviourInfo(b["associated_with_stalking"],
                                         frozenset(b.get("evidences", [])),
                                         frozenset(b.get("markers", [])))
                  for b in raw["behaviours.yaml"]["behaviours"]}
    markers_raw = raw["escalation.yaml"]["markers"]
    indicator_raw = raw["indicators.yaml"]["indicators"]
    words = vocabulary(raw)._replace(tests=frozenset())
    trees = dict(parsed or {})
    compile_in = _compiler(words, errors, trees)
    tests: dict[str, LegalTest] = {}
    compiled: dict[str, Compiled] = {}
    for n, test in enumerate(offence_data["tests"]):
        when, compiled[test["id"]] = compile_in(test["when"], "offences.yaml",
                                                ("tests", n, "when"))
        tests[test["id"]] = LegalTest(test["id"], test["text"], tuple(test["citations"]), when)
        words = words._replace(tests=frozenset(tests))
        compile_in = _compiler(words, errors, trees)
    indicators = tuple(_judged(i, "indicators.yaml", ("indicators", n), compile_in)
                       for n, i in enumerate(indicator_raw))
    markers = tuple(_judged(m, "escalation.yaml", ("markers", n), compile_in)
                    for n, m in enumerate(markers_raw))
    offences = tuple(_offence(o, ("offences", n), compile_in)
                     for n, o in enumerate(offence_data["offences"]))
    rules = tuple(_rule(r, key, ("rules", n), compile_in)
                  for key in sorted(k for k in raw if k.startswith(CHECKS_DIR + "/"))
                  for n, r in enumerate(raw[key]["rules"]))
    general = offence_data["magistrates_general_limit"]
    limit = tuple((v["from"], v["months"]) for v in general["values"])
    floor = general.get("committed_before")
    return RuleSet(str(manifest["version"]), digest, packs, offences, behaviours, indicators,
                   markers, rules, limit, compiled, raw,
                   general_limit_before=None if floor is None else (
                       floor["before"], floor["months"]),
                   warnings=_warnings(offence_data["warnings_on_record"]),
                   rising=Rising(**raw["escalation.yaml"]["frequency_rising"]),
                   questions=tuple(_question(q) for q in raw["audit.yaml"]["questions"]),
                   legal_tests=MappingProxyType(tests), conditions=MappingProxyType(trees),
                   names=names_of(offences, indicators, markers, tests.values(),
                                  raw["behaviours.yaml"]["behaviours"]))


def names_of(offences: Iterable[OffenceDef], indicators: Iterable[Judged],
             markers: Iterable[Judged], tests: Iterable[LegalTest],
             behaviours: Iterable[Mapping[str, Any]]) -> Names:
    """What the reports call the rule set's names, in words a lawyer reads: an offence by
    its section and title (`PHA 1997 s.2A stalking`), an indicator, marker or behaviour
    (as behaviours.yaml declares it) by its title, a legal test by what it says. Rule
    authors' ids stay in the rule files and in `explain` and the rule docs."""
    return Names(offences={o.id: f"{o.citation} {lower_first(o.title)}" for o in offences},
                 indicators={i.id: i.title for i in indicators},
                 markers={m.id: lower_first(m.title) for m in markers},
                 tests={t.id: t.text for t in tests},
                 behaviours={b["id"]: b["title"] for b in behaviours})


def _warnings(data: dict[str, Any]) -> WarningRecords:
    return WarningRecords(frozenset(data["kinds"]), frozenset(data["kinds_by_offence"]),
                          frozenset(data["offences"]))


def _question(data: dict[str, Any]) -> QuestionDef:
    return QuestionDef(data["id"], data["title"], frozenset(data["rules"]),
                       data.get("only_if_charged"))


def vocabulary(raw: dict[str, Any]) -> Vocabulary:
    """The names conditions may use in the rule set whose raw data is `raw`."""
    return Vocabulary(
        offences=frozenset(o["id"] for o in raw["offences.yaml"]["offences"]),
        indicators=frozenset(i["id"] for i in raw["indicators.yaml"]["indicators"]),
        markers=frozenset(m["id"] for m in raw["escalation.yaml"]["markers"]),
        behaviours=frozenset(b["id"] for b in raw["behaviours.yaml"]["behaviours"]),
        channels=frozenset(typing.get_args(Channel)),
        hostilities=frozenset(typing.get_args(Hostility)),
        tests=frozenset(t["id"] for t in raw["offences.yaml"]["tests"]),
    )


def compile_rule(data: dict[str, Any], file: str, path: Path, words: Vocabulary,
                 errors: list[SourcedConditionError] | None = None,
                 trees: dict[Where, Condition] | None = None) -> RuleDef:
    """Compile one validated rule (used for local packs' rules); its condition's tree
    goes into `trees` if given."""
    return _rule(data, file, path, _compiler(words, errors, {} if trees is None else trees))


def _compiler(words: Vocabulary, errors: list[SourcedConditionError] | None,
              trees: dict[Where, Condition]) -> Any:
    """Parses and compiles a condition written at (file, path): its tree and evaluator.
    It is parsed only if `trees` does not hold it yet, and each tree parsed is kept there."""
    def compile_in(cond: Any, file: str, path: Path) -> tuple[Condition, Compiled]:
        try:
            tree = trees.get((file, path))
            if tree is None:
                tree = trees[file, path] = parse(cond, path, words)
        except ConditionError as exc:
            if errors is None:
                raise SourcedConditionError(file, exc) from None
            errors.append(SourcedConditionError(file, exc))
            tree = AnyOf((), path)  # never holds: stands in while errors are collected
        return tree, compile_tree(tree)
    return compile_in


def _judged(data: dict[str, Any], file: str, path: Path, compile_in: Any) -> Judged:
    when, test = compile_in(data["when"], file, (*path, "when"))
    return Judged(data["id"], data["title"], tuple(data["citations"]), test, when,
                  data.get("level", ""))


def _offence(data: dict[str, Any], path: Path, compile_in: Any) -> OffenceDef:
    file = "offences.yaml"
    elements = tuple(_element(e, file, (*path, "elements", n), compile_in)
                     for n, e in enumerate(data["elements"]))
    raised = data.get("raised_when")
    raised_when, raised_test = (None, None) if raised is None else compile_in(
        raised, file, (*path, "raised_when"))
    limit = data.get("time_limit") or {}
    return OffenceDef(
        id=data["id"], title=data["title"], citation=data["citation"],
        mode_of_trial=data["mode_of_trial"], commencement=data["commencement"],
        occasions_needed=data.get("occasions_needed", 1),
        maxima=tuple(Maximum(m["from"], m["summary_months"], m["indictment_years"])
                     for m in data["maxima"]),
        time_limit_months=limit.get("months"), time_limit_kind=limit.get("kind"),
        raised=raised_test,
        elements=elements, superseded_by=frozenset(data.get("superseded_by", [])),
        time_limit_until=limit.get("until"),
        time_limit_citations=tuple(limit.get("citations", ())),
        confidence=data.get("confidence", "high"), raised_when=raised_when,
        commencement_citations=tuple(data["commencement_citations"]),
    )


def _element(data: dict[str, Any], file: str, path: Path, compile_in: Any) -> ElementDef:
    when, test = compile_in(data["when"], file, (*path, "when"))
    return ElementDef(data["id"], data["text"], tuple(data["citations"]), data["obtain"],
                      test, when)


def _rule(data: dict[str, Any], file: str, path: Path, compile_in: Any) -> RuleDef:
    in_force = data["in_force"]
    when, test = compile_in(data["when"], file, (*path, "when"))
    return RuleDef(
        id=data["id"], title=data["title"], category=data["category"],
        severity=data["severity"], confidence=data["confidence"],
        citations=tuple(data["citations"]), starts=in_force["from"],
        ends=in_force.get("until"), test=test, when=when,
        found=data["found"], why=data["why"], action=data["action"],
    )
