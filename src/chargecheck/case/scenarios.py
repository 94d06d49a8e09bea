"""Bundled training scenarios: a synthetic case plus the notes a trainer teaches from.

Each scenario is one YAML file in `chargecheck/scenarios/` (package data, so it ships in
the wheel). Its `case` block is an ordinary case file and is validated like one; the
rest (narrative, questions, model answer, law) is checked against a strict model so a
misspelt key fails loudly rather than silently dropping a teaching note.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from importlib import resources
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chargecheck.case.loading import case_from_document
from chargecheck.case.model import Case, OffenceId
from chargecheck.case.yamlio import Document, load_rule_file
from chargecheck.errors import InputError
from chargecheck.spelling import closest

# What a scenario can teach. The first eight are the headline failures of "Living in
# fear" (HMIC/HMCPSI, 2017); the tests require every one of them to be covered.
Teaches = Literal[
    "stalking-charged-as-harassment", "harassment-plea-on-stalking-charge",
    "incidents-in-isolation", "no-risk-assessment", "pin-instead-of-investigation",
    "no-restraining-order", "online-stalking", "breach-in-isolation",
    "not-stalking", "s4a-not-charged", "single-incident", "escalation-risk",
    "evidence-gaps", "good-practice",
]
HEADLINE_FAILURES: tuple[str, ...] = get_args(Teaches)[:8]

Lines = Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Expect(_Strict):
    """What the live assessment must show, so the model answer and the tool agree."""

    recommended: list[OffenceId]
    findings: list[str] = []   # rules that must fire
    silent: list[str] = []     # rules that must not fire


class Notes(_Strict):
    title: Annotated[str, Field(min_length=1)]
    summary: Annotated[str, Field(min_length=1)]
    teaches: Annotated[list[Teaches], Field(min_length=1)]
    narrative: Lines
    questions: Lines
    model_answer: Lines
    law: Lines
    expect: Expect


@dataclass(frozen=True)
class Scenario:
    name: str
    notes: Notes
    case: Case
    case_text: str  # the `case:` block as written, comments and all, for `show`


def _folder() -> resources.abc.Traversable:
    return resources.files("chargecheck").joinpath("scenarios")


# The course: the scenarios in the order they are taught, in parts. Recognising stalking
# comes first (the inspection's headline failure), then charging and pleas, then risk,
# then the cases that are not stalking (so the class does not over-learn), and good
# practice last. A scenario file not named here is taught after the course, by name.
COURSE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Recognising stalking", ("sixty-emails-a-day", "seven-websites",
                              "five-reports-one-pattern", "tracker-and-spyware")),
    ("Charging and pleas", ("breach-charged-alone", "plea-to-harassment")),
    ("Risk and safeguarding", ("knife-threat-pin", "stranger-at-the-gym",
                               "restraining-order-forgotten")),
    ("What is not stalking", ("neighbour-hedge-dispute", "volatile-relationship",
                              "one-threatening-message")),
    ("Good practice", ("what-good-looks-like",)),
)


def names() -> list[str]:
    """Every bundled scenario, by name (the file name without `.yaml`), in teaching order."""
    present = {f.name.removesuffix(".yaml") for f in _folder().iterdir()
               if f.name.endswith(".yaml")}
    taught = [name for _, part in COURSE for name in part if name in present]
    return taught + sorted(present - set(taught))


def part_of(name: str) -> str:
    """The part of the course a scenario is taught in."""
    return next((title for title, part in COURSE if name in part), "More scenarios")


def load_scenario(name: str) -> Scenario:
    """One bundled scenario, or an input error that suggests the closest name."""
    known = names()
    if name not in known:
        match = closest(name, known, cutoff=0.4)
        hint = f"; did you mean {match!r}?" if match is not None else ""
        raise InputError.one(name, None, (), f"no such scenario{hint} "
                             "(see `chargecheck scenarios list`)")
    text = _folder().joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return parse_scenario(name, text)


def parse_scenario(name: str, text: str) -> Scenario:
    doc = load_rule_file(f"scenarios/{name}.yaml", text)
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("case"), dict):
        raise InputError([doc.problem((), "a scenario needs a `case:` mapping")])
    notes_data = {k: v for k, v in doc.data.items() if k != "case"}
    try:
        notes = Notes.model_validate(notes_data)
    except ValidationError as exc:
        raise InputError([doc.problem(tuple(e["loc"]), e["msg"])
                          for e in exc.errors(include_url=False)]) from None
    case = case_from_document(_sub_document(doc, "case"))
    if case.synthetic is not True:
        raise InputError([doc.problem(("case",), "a training case must say `synthetic: true`")])
    return Scenario(name, notes, case, _block_text(doc, text, "case"))


def case_file(scenario: Scenario, schema: str = "case.schema.json") -> str:
    """The scenario's case as a case file of its own (what `scenarios export` writes): the
    `case:` block un-nested, its comments kept, under the editor's schema line."""
    rows = scenario.case_text.splitlines()[1:]  # the block without its `case:` line
    body = textwrap.dedent("\n".join(rows)).strip("\n")
    return (f"# yaml-language-server: $schema={schema}\n#\n"
            f"# Scenario {scenario.name}: {scenario.notes.title}. Synthetic training case.\n"
            f"# Exported by `chargecheck scenarios export {scenario.name}`.\n{body}\n")


def _sub_document(doc: Document, key: str) -> Document:
    """The part of `doc` under `key`, keeping the original line numbers for errors."""
    lines = {path[1:]: line for path, line in doc.lines.items() if path[:1] == (key,)}
    return Document(doc.file, doc.data[key], lines)


def _block_text(doc: Document, text: str, key: str) -> str:
    """The source lines of a top-level key, up to the next top-level key."""
    start = doc.lines[(key,)]
    rows = text.splitlines()
    end = min((line - 1 for path, line in doc.lines.items() if len(path) == 1 and line > start),
              default=len(rows))
    return "\n".join(rows[start - 1:end]).rstrip() + "\n"
