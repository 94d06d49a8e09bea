"""The result of an assessment: small frozen value objects and their JSON form."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from chargecheck import ADVISORY

if TYPE_CHECKING:
    from chargecheck.case.model import Decision
    from chargecheck.conditions.facts import Context

SEVERITIES: tuple[str, ...] = ("info", "low", "medium", "high", "critical")
STATUS_RANK = {"not-supported": 0, "unknown": 1, "supported": 2}
INDICATOR_RANK = {"not-met": 0, "unknown": 1, "met": 2}
LEVELS: tuple[str, ...] = ("standard", "medium", "high")
# Recorded answers (contract 1.1 `decisions`) that settle a finding: it stays in every
# report, beside its decision, but no longer counts towards `--fail-on`. `deferred` is
# still waiting for evidence, so a deferred finding keeps counting.
SETTLED = frozenset({"accepted", "not-followed"})
NEVER = "never"  # `--fail-on never`: no finding fails the run
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
    decision: Decision | None = None

    def sort_key(self) -> tuple[int, int, str]:
        """Most severe first; within a severity, the charge before evidence and safety."""
        category = (CATEGORIES.index(self.category) if self.category in CATEGORIES
                    else len(CATEGORIES))
        return (-SEVERITIES.index(self.severity), category, self.rule)

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


class Assessment(NamedTuple):
    reference: str
    decision_date: date
    synthetic: bool
    ruleset_version: str
    ruleset_digest: str
    packs: tuple[str, ...]
    course: dict[str, Any]
    indicators: dict[str, dict[str, Any]]
    escalation: dict[str, Any]
    offences: tuple[OffenceResult, ...]
    recommended: tuple[str, ...]
    findings: tuple[Finding, ...]
    not_assessed: tuple[tuple[str, str], ...] = ()
    adjustments: tuple[dict[str, str], ...] = ()
    warnings: tuple[dict[str, str], ...] = ()
    # The why and why-not per victim (engine/reasoning.py); only computed for `--explain`.
    explanation: tuple[dict[str, Any], ...] | None = None
    # The per-victim Contexts the rules were judged on, for whoever explains the result;
    # not part of the JSON.
    contexts: tuple[Context, ...] = ()
    # What reproduces this assessment: tool, rule set, case file bytes, date
    # (engine/receipt.py); set by the command that read the file.
    receipt: dict[str, Any] | None = None

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
        bar = SEVERITIES.index(threshold)
        return any(SEVERITIES.index(f.severity) >= bar and (settled_too or not f.settled)
                   for f in self.findings)

    def as_json(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "advisory": ADVISORY,
            "decision_date": self.decision_date.isoformat(),
            "synthetic": self.synthetic,
            "ruleset": {"version": self.ruleset_version, "digest": self.ruleset_digest,
                        "packs": list(self.packs), "adjustments": list(self.adjustments)},
            "course_of_conduct": self.course,
            "indicators": self.indicators,
            "escalation": self.escalation,
            "offences": [o.as_json() for o in self.offences],
            "recommended_charges": list(self.recommended),
            "charged": sorted({o.offence for o in self.offences if o.charged}),
            "findings": [f.as_json() for f in self.findings],
            "not_assessed": [{"rule": rule, "title": title} for rule, title in self.not_assessed],
            "warnings": list(self.warnings),
        } | ({} if self.explanation is None else {"explanation": list(self.explanation)}) | (
            {} if self.receipt is None else {"receipt": self.receipt})
