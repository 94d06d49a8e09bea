"""The tally behind the scrutiny-panel table of `chargecheck audit`.

Each assessed file arrives as a small `CaseSummary`; the `Tally` counts cases (never
findings) by the rule set's audit questions (rules/audit.yaml: the 2017 inspection's),
by category, rule and escalation level, and charged against recommended. The audit
command (cli/audit.py) feeds it; the reporters (audit_report.py, audit_text.py) draw it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from chargecheck.rulebook.ruleset import QuestionDef, RuleSet

NOTHING = "none"  # the cross-table's name for "no charge" and "no supported offence"


class RuleInfo(NamedTuple):
    title: str
    category: str
    severity: str


class CaseSummary(NamedTuple):
    """What the review needs from one file; `problems` is set when it could not be read."""

    file: str
    reference: str = ""
    charged: tuple[str, ...] = ()      # most serious first
    recommended: tuple[str, ...] = ()  # most serious first
    level: str = ""
    rules: tuple[str, ...] = ()        # the findings, worst first
    problems: tuple[str, ...] = ()
    answers: tuple[tuple[str, str], ...] = ()  # (rule, response) of each answered finding
    # `Assessment.fails` at the audit's --fail-on, asked where the case was assessed: a
    # finding that still counts is at or above it; or (answered) only a finding that a
    # recorded decision settled is.
    failing: bool = False
    answered: bool = False


# --- tallying ----------------------------------------------------------------------------

@dataclass
class Tally:
    """Counts over the reviewed cases. Each count is of cases, never of findings."""

    rules: RuleSet
    fail_on: str
    index: dict[str, RuleInfo] = field(init=False)
    files: int = 0
    reviewed: int = 0
    failing: int = 0
    answered: int = 0  # cases that would fail but for findings a decision settled
    invalid: list[CaseSummary] = field(default_factory=list)
    questions: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)
    findings: Counter[str] = field(default_factory=Counter)
    levels: Counter[str] = field(default_factory=Counter)
    cross: Counter[tuple[str, str]] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.index = {r.id: RuleInfo(r.title, r.category, r.severity) for r in self.rules.rules}

    def add(self, case: CaseSummary) -> None:
        self.files += 1
        if case.problems:
            self.invalid.append(case)
            return
        self.reviewed += 1
        fired = set(case.rules)
        self.findings.update(fired)
        self.categories.update({self.index[r].category for r in fired})
        self.questions.update(q.id for q in self.rules.questions if _answers(q, case, fired))
        self.levels[case.level] += 1
        self.cross[lead(case.charged), lead(case.recommended)] += 1
        # A finding stays in every count above, answered or not: the panel reviews what was
        # found. Only the --fail-on count leaves out what a recorded decision settled.
        self.failing += case.failing
        self.answered += case.answered

    def share(self, cases: int) -> float:
        return cases / self.reviewed if self.reviewed else 0.0

    def worst(self, case: CaseSummary) -> str:
        """The worst finding of a case, as `UC-001 (high)` or, answered by a recorded
        decision, `UC-001 (high; not followed)`; '' if there is none."""
        if not case.rules:
            return ""
        rule = case.rules[0]
        # Shown, not hidden, when answered: the recorded response follows the severity.
        response = dict(case.answers).get(rule)
        answer = f"; {response.replace('-', ' ')}" if response else ""
        return f"{rule} ({self.index[rule].severity}{answer})"


def _answers(question: QuestionDef, case: CaseSummary, fired: set[str]) -> bool:
    if question.only_if_charged and question.only_if_charged not in case.charged:
        return False
    return not question.rules.isdisjoint(fired)


def lead(offences: tuple[str, ...]) -> str:
    """The most serious of a case's offences, for the cross-table."""
    return offences[0] if offences else NOTHING
