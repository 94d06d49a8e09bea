"""Facts in a case file that contradict each other. They are not syntax errors: the
assessment goes ahead, and every report shows them so that nobody relies on a silent
choice between them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from chargecheck.case.model import Case

NOT_PERSONAL = ("stranger", "online-only")


class FileWarning(NamedTuple):
    """Something to check in the case file, at a key path; never an error."""

    path: str     # dotted, as in messages: `plea.in_place_of.0`
    message: str

    def as_json(self) -> dict[str, str]:
        return self._asdict()


def contradictions(case: Case) -> list[FileWarning]:
    return [FileWarning(path, message) for path, message in _found(case)]


def _found(case: Case) -> Iterator[tuple[str, str]]:
    suspect = case.suspect
    if suspect.relationship in NOT_PERSONAL and suspect.lived_together:
        yield "suspect.lived_together", (
            f"the suspect is recorded as {suspect.relationship} but as having lived with the "
            "victim; check the relationship")
    if suspect.separated_on and suspect.relationship != "ex-partner":
        yield "suspect.separated_on", (
            f"a separation date is recorded but the relationship is {suspect.relationship}; "
            "the separation marker is only read for ex-partners")
    yield from _plea(case)
    yield from _victims(case)


def _plea(case: Case) -> Iterator[tuple[str, str]]:
    if case.plea is None:
        return
    charged = {c.offence for c in case.charges}
    for n, offence in enumerate(case.plea.in_place_of):
        if offence not in charged:
            yield f"plea.in_place_of.{n}", (
                f"the plea would replace {offence}, which is not among the charges")


def _victims(case: Case) -> Iterator[tuple[str, str]]:
    targeted = {v for i in case.incidents for v in (i.victims or [x.id for x in case.victims])}
    for n, charge in enumerate(case.charges):
        for named in charge.victims or []:
            if named not in targeted:
                yield f"charges.{n}.victims", (
                    f"the charge names victim {named}, but no incident is recorded against them")
    for n, victim in enumerate(case.victims):
        feared = any(i.caused_fear_of_violence for i in case.incidents
                     if i.victims is None or victim.id in i.victims)
        if victim.fears_for_others_only and feared:
            yield f"victims.{n}.fears_for_others_only", (
                "the victim's fear is recorded as for others only, yet incidents record fear "
                "of violence against the victim; fear for others does not count (R v Henley)")
