"""Names one rule file declares and another names, checked when the rule set loads.

The FOUR indicators are declared in indicators.yaml and named by each behaviour's
`evidences`; the paragraphs of PHA 1997 s.2A(3) are declared in behaviours.yaml's
`s2a3_paragraphs` and named by each behaviour's `s2a3`; the audit's questions
(audit.yaml) name rules of checks/. No Python lists any of them: a name used but not
declared is a problem at its file and line, with the nearest declared name. (Names used
in conditions are checked by compiling them, checking.py.)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from chargecheck.case.yamlio import Document
from chargecheck.errors import Problem
from chargecheck.spelling import closest


def declared_name_problems(core: dict[str, Document], checks: list[Document]) -> list[Problem]:
    """Each name used in the core files (valid in shape) that its file does not declare."""
    behaviours = core["behaviours.yaml"]
    indicators = [i["id"] for i in core["indicators.yaml"].data["indicators"]]
    letters = [p["letter"] for p in behaviours.data["s2a3_paragraphs"]]
    questions = core["audit.yaml"]
    return [
        *_duplicates(core["indicators.yaml"], "indicators", "id", "indicator"),
        *_duplicates(behaviours, "s2a3_paragraphs", "letter", "s.2A(3) paragraph"),
        *_duplicates(questions, "questions", "id", "audit question"),
        *_behaviour_names(behaviours, indicators, letters),
        *_question_rules(questions, _rule_ids(checks)),
    ]


def _behaviour_names(doc: Document, indicators: list[str], letters: list[str]
                     ) -> Iterator[Problem]:
    for n, entry in enumerate(doc.data["behaviours"]):
        for k, word in enumerate(entry.get("evidences", [])):
            if word not in indicators:
                yield doc.problem(("behaviours", n, "evidences", k),
                                  f"unknown FOUR indicator {word!r}{_hint(word, indicators)}",
                                  entry["id"])
        letter = entry.get("s2a3")
        if letter is not None and letter not in letters:
            yield doc.problem(
                ("behaviours", n, "s2a3"),
                f"unknown s.2A(3) paragraph {letter!r}{_hint(letter.lower(), letters)} "
                f"(s2a3_paragraphs declares {', '.join(letters)})", entry["id"])


def _question_rules(doc: Document, rules: set[str]) -> Iterator[Problem]:
    for n, question in enumerate(doc.data["questions"]):
        for k, rule in enumerate(question["rules"]):
            if rule not in rules:
                yield doc.problem(("questions", n, "rules", k),
                                  f"no rule has id {rule!r}{_hint(rule.upper(), rules)}",
                                  question["id"])


def _duplicates(doc: Document, key: str, field: str, kind: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for n, entry in enumerate(doc.data[key]):
        if entry[field] in seen:
            yield doc.problem((key, n, field), f"duplicate {kind} {entry[field]!r}")
        seen.add(entry[field])


def _rule_ids(checks: list[Document]) -> set[str]:
    """The rule ids the checks files declare, read leniently (a file may be broken)."""
    return {rule["id"] for doc in checks for rule in _entries(doc.data, "rules")
            if isinstance(rule.get("id"), str)}


def _entries(data: Any, key: str) -> Iterable[dict[str, Any]]:
    found = data.get(key) if isinstance(data, dict) else None
    return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []


def _hint(word: str, choices: Iterable[str]) -> str:
    guess = closest(word, choices)
    return f"; did you mean {guess!r}?" if guess else ""

