"""The result of an assessment: small frozen value objects and their JSON form.

Named tuples rather than dataclasses: every `assess` defines these classes on start-up,
and a frozen dataclass costs several times as much to create (docs/performance.md).
"""

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from chargecheck import ADVISORY
from chargecheck.scales import NEVER, IndicatorStatus, OffenceStatus, Severity, rank

if TYPE_CHECKING:
    from chargecheck.case.consistency import FileWarning
    from chargecheck.case.model import Decision
    from chargecheck.conditions.facts import Context
    from chargecheck.rulebook.ruleset import Adjustment

SEVERITY_RANK = rank(Severity)
STATUS_RANK = rank(OffenceStatus)
INDICATOR_RANK = rank(IndicatorStatus)
LEVELS: tuple[str, ...] = ("standard", "medium", "high")
# Recorded answers (contract 1.1 `decisions`) that settle a finding: it stays in every
# report, beside its decision, but no longer counts towards `--fail-on`. `deferred` is
# still waiting for evidence, so a deferred finding keeps counting.
SETTLED = frozenset({"accepted", "not-followed"})
# What a lawyer must act on first, within a severity: the charge itself, then the evidence
# it needs, then the victim's safety, then escalation. Every report and the audit's worst
# finding follow this order, through `Finding.sort_key`.
CATEGORIES: tuple[str, ...] = ("charge-validity", "under-charging", "plea-risk", "evidence-gap",
                               "safeguarding", "escalation")


class Finding(NamedTuple):
    rule: str
    category: str
    severity: str
    title: str
    message: str
    citations: tuple[str, ...]
    incidents: tuple[str, ...]
    confidence: str
    victims: tuple[str, ...]
    # The case file's recorded answer to this finding, if any (engine/decisions.py).
    decision: "Decision | None" = None

    def sort_key(self) -> tuple[int, int, str]:
        """Most severe first; within a severity, the charge before evidence and safety."""
        category = (CATEGORIES.index(self.category) if self.category in CATEGORIES
                    else len(CATEGORIES))
        return (-SEVERITY_RANK[self.severity], category, self.rule)

    @property
    def settled(self) -> bool:
        """Whether a recorded decision has settled this finding (accepted, or considered
        and not followed): it no longer counts towards `--fail-on`."""
        return self.decision is not None and self.decision.response in SETTLED

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule, "category": self.category, "severity": self.severity,
            "title": self.title, "message": self.message, "citations": list(self.citations),
            "incidents": list(self.incidents), "confidence": self.confidence,
            "victims": list(self.victims),
        } | ({} if self.decision is None else {"decision": self.decision.as_json()})


class OffenceResult(NamedTuple):
    offence: str
    title: str
    citation: str
    mode_of_trial: str
    status: str
    in_force: bool
    in_time: bool | None
    summary_months: int
    indictment_years: int | None
    missing: tuple[str, ...]
    absent: tuple[str, ...]
    incidents: tuple[str, ...]
    charged: bool
    # Each victim's status, by label: the case-level status is the best of them, and an
    # offence supported for one victim is not thereby supported for another.
    victims: tuple[tuple[str, str], ...] = ()
    # The conduct runs across a change in the offence's maximum, or across its
    # commencement: read by rules from the offence data, so no rule restates a date.
    spans_change: bool = False
    spans_commencement: bool = False
    confidence: str = "high"  # of the offence data (dates, maxima): `verify` is unconfirmed

    def as_json(self) -> dict[str, Any]:
        return {
            "offence": self.offence, "title": self.title, "citation": self.citation,
            "mode_of_trial": self.mode_of_trial, "status": self.status,
            "in_force": self.in_force, "in_time": self.in_time,
            "maximum": {"summary_months": self.summary_months,
                        "indictment_years": self.indictment_years},
            "missing": list(self.missing), "absent": list(self.absent),
            "incidents": list(self.incidents), "charged": self.charged,
            "victims": [{"victim": label, "status": status} for label, status in self.victims],
            "confidence": self.confidence,
        }


class VictimCourse(NamedTuple):
    """One victim's course of conduct (PHA 1997 s.7(3)): each victim's is judged alone."""

    victim: str                     # the label the case shows the victim by
    occasions: int
    established: bool               # the rule set's `course-of-conduct` test holds
    first: str | None               # ISO dates
    last: str | None
    span_days: int
    longest_gap_days: int
    frequency_rising: bool | None   # unknown when the course is too short to tell

    def as_json(self) -> dict[str, Any]:
        return self._asdict()


class Course(NamedTuple):
    """The case's conduct as a whole, then each victim's course."""

    established: bool  # for some victim
    occasions: int
    first: str         # ISO dates, over every incident
    last: str
    span_days: int
    victims: tuple[VictimCourse, ...]

    def as_json(self) -> dict[str, Any]:
        return self._asdict() | {"victims": [v.as_json() for v in self.victims]}


class IndicatorResult(NamedTuple):
    """A FOUR indicator at its strongest across victims, and the incidents that evidence
    it (pooled over the victims for whom it is met)."""

    status: IndicatorStatus
    incidents: tuple[str, ...]  # sorted

    def as_json(self) -> dict[str, Any]:
        return {"status": self.status, "incidents": list(self.incidents)}


class Escalation(NamedTuple):
    """The highest escalation level for any victim, and each marker shown, with its
    incidents pooled over the victims. A marker is in `incidents` only if it is shown, so
    the markers are its keys (in the order first shown: victims by id, each victim's in
    the rule set's order) and cannot disagree with it."""

    level: str  # one of LEVELS: `standard` when no marker is shown
    incidents: Mapping[str, tuple[str, ...]]  # by marker; each sorted

    @property
    def markers(self) -> tuple[str, ...]:
        return tuple(self.incidents)

    def as_json(self) -> dict[str, Any]:
        return {"level": self.level, "markers": list(self.markers),
                "incidents": {name: list(ids) for name, ids in self.incidents.items()}}


class Receipt(NamedTuple):
    """What reproduces an assessment (contract 1.1; engine/receipt.py makes it)."""

    tool: str            # `chargecheck VERSION`
    ruleset_digest: str
    case_digest: str     # "sha256:<hex>" of the case file's exact bytes
    decision_date: str   # ISO
    changes: tuple[str, ...] = ()  # a what-if's `--set` changes, in order

    def as_json(self) -> dict[str, Any]:
        """The contract's keys; `changes` only when there are some."""
        data: dict[str, Any] = {"tool": self.tool, "ruleset_digest": self.ruleset_digest,
                                "case_digest": self.case_digest,
                                "decision_date": self.decision_date}
        return data | ({"changes": list(self.changes)} if self.changes else {})


class Assessment(NamedTuple):
    reference: str
    decision_date: date
    synthetic: bool
    ruleset_version: str
    ruleset_digest: str
    packs: tuple[str, ...]
    course: Course
    indicators: Mapping[str, IndicatorResult]  # in the rule set's order
    escalation: Escalation
    offences: tuple[OffenceResult, ...]
    recommended: tuple[str, ...]
    findings: tuple[Finding, ...]
    not_assessed: tuple[tuple[str, str], ...] = ()
    adjustments: "tuple[Adjustment, ...]" = ()
    warnings: "tuple[FileWarning, ...]" = ()
    # The why and why-not per victim (engine/reasoning.py); only computed for `--explain`.
    explanation: tuple[dict[str, Any], ...] | None = None
    # The offence and rule ids `--explain ID` narrowed the explanation to (empty: all).
    explained_only: tuple[str, ...] = ()
    # The per-victim Contexts the rules were judged on, for whoever explains the result;
    # not part of the JSON.
    contexts: "tuple[Context, ...]" = ()
    # What reproduces this assessment: tool, rule set, case file bytes, date
    # (engine/receipt.py); set by the command that read the file.
    receipt: Receipt | None = None

    def worst(self) -> str | None:
        return self.findings[0].severity if self.findings else None

    def fails(self, threshold: str, *, settled_too: bool = False) -> bool:
        """The `--fail-on` policy, the one every command applies: whether a finding that
        still counts (not `settled` by a recorded decision) is at or above `threshold`.
        Nothing fails at `never`. With `settled_too`, whether it would fail had nothing
        been decided (the audit counts the cases a decision alone keeps from failing).

        Decisions count only once attached to the findings (engine/decisions.py
        `with_decisions`, which every command applies to the case it read)."""
        if threshold == NEVER:
            return False
        bar = SEVERITY_RANK[threshold]
        return any(SEVERITY_RANK[f.severity] >= bar and (settled_too or not f.settled)
                   for f in self.findings)

    def as_json(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "advisory": ADVISORY,
            "decision_date": self.decision_date.isoformat(),
            "synthetic": self.synthetic,
            "ruleset": {"version": self.ruleset_version, "digest": self.ruleset_digest,
                        "packs": list(self.packs),
                        "adjustments": [a.as_json() for a in self.adjustments]},
            "course_of_conduct": self.course.as_json(),
            "indicators": {name: i.as_json() for name, i in self.indicators.items()},
            "escalation": self.escalation.as_json(),
            "offences": [o.as_json() for o in self.offences],
            "recommended_charges": list(self.recommended),
            "charged": sorted({o.offence for o in self.offences if o.charged}),
            "findings": [f.as_json() for f in self.findings],
            "not_assessed": [{"rule": rule, "title": title} for rule, title in self.not_assessed],
            "warnings": [w.as_json() for w in self.warnings],
        } | ({} if self.explanation is None else {"explanation": list(self.explanation)}) | (
            {"explanation_of": list(self.explained_only)} if self.explained_only else {}) | (
            {} if self.receipt is None else {"receipt": self.receipt.as_json()})
