"""The ordered scales a result is graded on: severities and statuses, each written once.

Every list of these words (the rule files' models, `--fail-on`, the reports' sections,
the ranks that merge victims) is read from here. Each is a `StrEnum`, listed from the
lowest to the highest, so a member is its word wherever it is printed or compared, and
`list(Scale)` is the order. A leaf: the command line's fast path reads it at start-up.
"""

from __future__ import annotations

from enum import StrEnum

# `--fail-on never`: beyond the top of the severity scale, so no finding fails the run.
NEVER = "never"


class Severity(StrEnum):
    """How much a finding matters, lowest first (`severity:` in a rule)."""

    info = "info"
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


class OffenceStatus(StrEnum):
    """Where an offence stands on the evidence, weakest first. Unknown is never false."""

    not_supported = "not-supported"
    unknown = "unknown"
    supported = "supported"


class IndicatorStatus(StrEnum):
    """Whether a FOUR indicator is shown, weakest first. Unknown is never false."""

    not_met = "not-met"
    unknown = "unknown"
    met = "met"


def rank(scale: type[StrEnum]) -> dict[str, int]:
    """Each word of `scale` by its place, lowest 0, for comparing words read as text."""
    return {member.value: n for n, member in enumerate(scale)}

