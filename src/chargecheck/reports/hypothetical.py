"""What a what-if (`assess CASE --set ...`) changed, so that every report labels it.

A what-if report is of a case that does not exist: the file with the `--set` changes made.
Every fact a change made, wherever a report shows it (an incident's date or summary, a
charge, a party's label, an escalation marker the change brought, a fact in the
`--explain` reasoning), carries `(hypothetical)` beside it, in every format; JSON says
which facts and markers are hypothetical in keys of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from chargecheck.case.model import Case

LABEL = " (hypothetical)"
SUPPOSED = ("What if: a hypothetical case, the file with the --set changes made; each fact "
            "they change is marked (hypothetical).")
Path = tuple[str, ...]
# Incident fields that the course's counts and dates are computed from.
COURSE_FIELDS = frozenset({"date", "end_date", "count", "victims"})


class WhatIf(NamedTuple):
    """The changed paths as typed (victims and incidents by id, other lists by position)
    and the escalation markers only the changed case shows."""

    paths: tuple[Path, ...]
    markers: frozenset[str] = frozenset()

    def changed(self, *path: str) -> bool:
        """Whether the fact at `path` was changed, itself or as part of a whole changed."""
        return any(path[:len(c)] == c for c in self.paths)

    def touched(self, *path: str) -> bool:
        """Whether `path` or anything inside it was changed (a charge shown as a whole)."""
        return any(path[:len(c)] == c or c[:len(path)] == path for c in self.paths)

    def course(self) -> bool:
        """Whether a change reaches the incidents' dates, counts or victims."""
        return any(c[0] == "incidents" and (len(c) < 3 or c[2] in COURSE_FIELDS)
                   for c in self.paths)

    def as_json(self) -> dict[str, Any]:
        return {"facts": [".".join(p) for p in self.paths], "markers": sorted(self.markers)}


def mark(text: str, what_if: WhatIf | None, *path: str) -> str:
    """`text`, labelled `(hypothetical)` if the fact at `path` was changed."""
    return text + LABEL if what_if is not None and what_if.changed(*path) else text


def mark_if(text: str, hypothetical: bool) -> str:
    return text + LABEL if hypothetical else text


def any_changed(what_if: WhatIf | None, prefix: Path, fields: Iterable[str]) -> bool:
    return what_if is not None and any(what_if.changed(*prefix, f) for f in fields)


def charge_touched(what_if: WhatIf | None, case: Case, offence: str) -> bool:
    """Whether a charge of `offence` (or the charges as a whole) was changed."""
    if what_if is None:
        return False
    return any(what_if.touched("charges", str(n)) for n, c in enumerate(case.charges)
               if c.offence == offence) or what_if.changed("charges")


# --- the --explain reasoning ----------------------------------------------------------------

def marked_explanation(explanation: tuple[dict[str, Any], ...], what_if: WhatIf, case: Case
                       ) -> tuple[dict[str, Any], ...]:
    """The explanation with each step's hypothetical facts listed (`hypothetical`), and
    each near miss whose fact is hypothetical so marked."""
    ids = {v.shown_as: v.id for v in case.victims}
    out = []
    for victim in explanation:
        vid = ids.get(victim["victim"], victim["victim"])

        def steps(items: list[dict[str, Any]], vid: str = vid) -> list[dict[str, Any]]:
            return [_step(s, what_if, vid) for s in items]

        marked = dict(victim)
        for key in ("indicators", "offences", "rules"):
            if key in victim:
                marked[key] = [_item(i, steps) for i in victim[key]]
        marked["near_misses"] = [
            m | ({"hypothetical": True} if what_if.changed(*m["fact"].split(".")) else {})
            for m in victim["near_misses"]]
        out.append(marked)
    return tuple(out)


def _item(item: dict[str, Any], steps: Any) -> dict[str, Any]:
    """An indicator, offence or rule with its steps marked (an offence's, per element)."""
    marked = dict(item)
    if "because" in item:
        marked["because"] = steps(item["because"])
    if "elements" in item:
        marked["elements"] = [_item(e, steps) for e in item["elements"]]
    return marked


def _step(step: dict[str, Any], what_if: WhatIf, vid: str) -> dict[str, Any]:
    marked = dict(step)
    supposed = [name for name in step.get("facts", {}) if _fact_changed(name, what_if, vid)]
    if supposed:
        marked["hypothetical"] = supposed
    if "because" in step:
        marked["because"] = [_step(s, what_if, vid) for s in step["because"]]
    return marked


def _fact_changed(name: str, what_if: WhatIf, vid: str) -> bool:
    """Whether the explanation's fact `name` (for victim `vid`) reads a changed fact."""
    head, _, rest = name.partition(".")
    if name.startswith("incidents."):
        return what_if.changed(*name.split("."))
    if head == "victim":
        field = "day_to_day_effects" if rest == "daily_life_affected" else rest
        return what_if.changed("victims", vid, field)
    if name == "suspect.relationship":
        return what_if.changed("suspect", "relationship") or what_if.changed(
            "victims", vid, "relationship")
    if head in ("suspect", "safeguarding") and rest:
        return what_if.changed(head, rest)
    if name == "plea.offered":  # a plea made or removed by a change
        return what_if.changed("plea", "offence")
    if head == "plea":
        return what_if.changed("plea", "reasons" if rest == "reasons_given" else rest)
    if name == "charged":
        return what_if.touched("charges")
    if head == "course":
        return what_if.course()
    if "history" in name:
        return what_if.touched("suspect", "history")
    return name == "decision_date" and what_if.changed("decision_date")
