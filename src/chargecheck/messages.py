"""Fill a rule message's placeholders from one victim's assessment.

The placeholders are a closed set (`ruleset.PLACEHOLDERS`), checked when the
rule set is loaded, so rendering never meets a name it does not know.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from chargecheck.facts import Context

if TYPE_CHECKING:
    from chargecheck.assessment import OffenceResult
    from chargecheck.ruleset import RuleSet


def render(text: str, ctx: Context, offences: dict[str, OffenceResult], rules: RuleSet,
           incidents: tuple[str, ...]) -> str:
    return text.format_map(_Values(ctx, offences, rules, incidents))


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
        ctx, facts, plea = self.ctx, self.ctx.facts, self.ctx.case.plea
        titles = {o.id: f"{o.title} ({o.citation})" for o in self.rules.offences}
        simple: dict[str, Callable[[], Any]] = {
            "victim": lambda: ctx.victim.shown_as,
            "incidents": lambda: _listing(self.incidents, "the course of conduct as a whole"),
            "occasions": lambda: str(facts["course.occasions"][0]),
            "first": lambda: str(facts["course.first"]),
            "last": lambda: str(facts["course.last"]),
            "span_days": lambda: str(facts["course.span_days"][0]),
            "longest_gap_days": lambda: str(facts["course.longest_gap_days"][0]),
            "decision_date": lambda: ctx.decision_date.isoformat(),
            "charged": lambda: _listing(sorted(set(ctx.charges()))),
            "plea": lambda: plea.offence if plea else "none",
            "plea_drops": lambda: _listing(plea.in_place_of if plea else []),
            "markers": lambda: _listing(sorted(ctx.markers)),
            "level": lambda: ctx.level,
            "recommended": lambda: _listing(self._recommended()),
            "unsupported_charges": lambda: _listing(sorted(
                o for o in set(ctx.charges())
                if o in self.offences and self.offences[o].status == "not-supported")),
            "missing": lambda: _Keyed({k: _listing(o.missing, "nothing")
                                       for k, o in self.offences.items()}),
            "obtain": lambda: _Keyed({k: _obtain(self.rules, o) for k, o in self.offences.items()}),
            "maximum": lambda: _Keyed({k: _max_text(o) for k, o in self.offences.items()}),
            "title": lambda: _Keyed(titles),
        }
        value = simple[key]()
        self[key] = value
        return value

    def _recommended(self) -> list[str]:
        from chargecheck.engine import recommend

        return list(recommend(self.offences.values(), self.rules))


def _max_text(offence: OffenceResult) -> str:
    if offence.indictment_years is None:
        return f"{offence.summary_months} months (summary only)"
    return f"{offence.indictment_years} years on indictment"


def _obtain(rules: RuleSet, offence: OffenceResult) -> str:
    """What to ask for: the `obtain` text of each element still unknown."""
    definition = next(o for o in rules.offences if o.id == offence.offence)
    wanted = [e.obtain.rstrip(".") for e in definition.elements if e.text in offence.missing]
    return "; ".join(wanted) if wanted else "nothing further"
