"""Fill a rule message's placeholders from one victim's assessment.

The placeholders are a closed set of names (`rulebook.placeholders`), checked when the
rule set is loaded; `FILLERS` fills exactly those names, so rendering never meets one it
does not know.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from chargecheck.conditions.facts import Context
from chargecheck.engine.ladder import recommend
from chargecheck.scales import OffenceStatus

if TYPE_CHECKING:
    from chargecheck.engine.assessment import OffenceResult
    from chargecheck.rulebook.ruleset import RuleSet


def render(texts: Sequence[str], ctx: Context, offences: dict[str, OffenceResult],
           rules: RuleSet, incidents: tuple[str, ...]) -> str:
    """The parts of a message, filled in and joined; a placeholder is worked out once."""
    values = _Values(ctx, offences, rules, incidents)
    return " ".join(text.format_map(values) for text in texts)


def _listing(items: Sequence[str], empty: str = "none") -> str:
    return ", ".join(items) if items else empty


class _Keyed(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "(not assessed)"


class _Values(dict[str, Any]):
    """Computes each placeholder only when a message asks for it."""

    def __init__(self, ctx: Context, offences: dict[str, OffenceResult], rules: RuleSet,
                 incidents: tuple[str, ...]) -> None:
        super().__init__()
        self.ctx, self.offences, self.rules, self.incidents = ctx, offences, rules, incidents

    def __missing__(self, key: str) -> Any:
        value = self[key] = FILLERS[key](self)
        return value

    def offences_said(self, ids: Sequence[str]) -> str:
        """Offences as a lawyer reads them (`PHA 1997 s.2 harassment`), not their ids."""
        said = self.rules.names.offences
        return _listing([said.get(i, i) for i in ids])

    def markers_said(self) -> str:
        """The markers shown, by title, in the order escalation.yaml lists them; a
        title may hold a comma, so `;` between them."""
        said = self.rules.names.markers
        return "; ".join(said.get(m, m) for m in self.ctx.markers) or "none"

    def recommended(self) -> list[str]:
        return list(recommend(self.offences.values(), self.rules))

    def unsupported_charges(self) -> list[str]:
        unsupported = OffenceStatus.not_supported
        return sorted(o for o in set(self.ctx.charges())
                      if o in self.offences and self.offences[o].status == unsupported)


def _plea(v: _Values) -> str:
    plea = v.ctx.case.plea
    return v.offences_said([plea.offence]) if plea else "none"


def _plea_drops(v: _Values) -> str:
    plea = v.ctx.case.plea
    return v.offences_said(plea.in_place_of if plea else [])


# How to fill each placeholder a rule message may use, from the message's values.
# Built once, not per message.
FILLERS: dict[str, Callable[[_Values], Any]] = {
    "victim": lambda v: v.ctx.victim.shown_as,
    "incidents": lambda v: _listing(v.incidents, "the course of conduct as a whole"),
    "occasions": lambda v: str(v.ctx.facts["course.occasions"][0]),
    "first": lambda v: str(v.ctx.facts["course.first"]),
    "last": lambda v: str(v.ctx.facts["course.last"]),
    "span_days": lambda v: str(v.ctx.facts["course.span_days"][0]),
    "longest_gap_days": lambda v: str(v.ctx.facts["course.longest_gap_days"][0]),
    "decision_date": lambda v: v.ctx.decision_date.isoformat(),
    "charged": lambda v: v.offences_said(sorted(set(v.ctx.charges()))),
    "plea": _plea,
    "plea_drops": _plea_drops,
    "markers": lambda v: v.markers_said(),
    "level": lambda v: v.ctx.level,
    "recommended": lambda v: v.offences_said(v.recommended()),
    "unsupported_charges": lambda v: v.offences_said(v.unsupported_charges()),
    "missing": lambda v: _Keyed({k: _listing(o.missing, "nothing")
                                 for k, o in v.offences.items()}),
    "obtain": lambda v: _Keyed({k: _obtain(v.rules, o) for k, o in v.offences.items()}),
    "maximum": lambda v: _Keyed({k: _max_text(o) for k, o in v.offences.items()}),
    "title": lambda v: _Keyed({o.id: f"{o.title} ({o.citation})" for o in v.rules.offences}),
}


def _max_text(offence: OffenceResult) -> str:
    if offence.indictment_years is None:
        if offence.summary_months == 0:  # e.g. malicious communications before May 2001
            return "a fine only (summary only)"
        return f"{offence.summary_months} months (summary only)"
    return f"{offence.indictment_years} years on indictment"


def _obtain(rules: RuleSet, offence: OffenceResult) -> str:
    """What to ask for: the `obtain` text of each element still unknown."""
    definition = next(o for o in rules.offences if o.id == offence.offence)
    wanted = [e.obtain.rstrip(".") for e in definition.elements if e.text in offence.missing]
    return "; ".join(wanted) if wanted else "nothing further"
