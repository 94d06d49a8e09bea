"""The case file, as fixed by the contract (spec/case-format.md section 2).

Every yes/no fact is `bool | None`: left out means *not known*, never false.
Validation is strict (YAML already yields dates, booleans and integers), so
`"yes"` is not a boolean and `05/07/2017` is not a date.

Annotations are evaluated as the classes are defined, not postponed: pydantic would
otherwise evaluate each field's annotation from a string, about a millisecond of every
start-up (docs/performance.md).
"""

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from chargecheck.case.vocabulary import Behaviour as Behaviour
from chargecheck.case.vocabulary import OffenceId as OffenceId

Fact = bool | None
Id = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Text = Annotated[str, StringConstraints(max_length=20_000)]

Relationship = Literal[
    "partner", "ex-partner", "family", "friend", "acquaintance", "colleague", "neighbour",
    "stranger", "online-only", "unknown",
]
HistoryKind = Literal["conviction", "caution", "pin", "report", "order", "breach"]
Effect = Literal[
    "moved-home", "changed-routine", "changed-route", "stopped-going-out", "changed-job",
    "time-off-work", "changed-phone-or-accounts", "installed-security", "medical-help",
    "children-affected", "stopped-using-social-media", "other",
]
Channel = Literal[
    "in-person", "phone", "text", "email", "social-media", "post", "third-party", "online",
    "other",
]
Hostility = Literal["racial", "religious", "disability", "sexual-orientation", "transgender"]
RiskTool = Literal["none", "dash", "dara", "s-dash", "sash", "srp", "other"]
RiskLevel = Literal["standard", "medium", "high"]
SpoStatus = Literal["none", "considered", "applied", "interim", "full"]
OrderKind = Literal["restraining-order", "non-molestation-order", "spo", "bail", "injunction",
                    "dapo"]  # dapo: added in 1.1
Response = Literal["accepted", "not-followed", "deferred"]
RuleId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,4}-[0-9]{3}$")]
Jurisdiction = Literal["england-and-wales"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class HistoryEntry(_Strict):
    kind: HistoryKind
    date: dt.date | None = None
    offence: OffenceId | None = None
    note: Text | None = None


class Suspect(_Strict):
    label: Id = "D"
    name: Text | None = None
    relationship: Relationship = "unknown"
    lived_together: Fact = None
    separated_on: dt.date | None = None
    history: list[HistoryEntry] = []


class Victim(_Strict):
    id: Id
    label: Id | None = None
    name: Text | None = None
    # The suspect's relationship to this victim where it differs from suspect.relationship
    # (an ex-partner's new partner, say); added in 1.1.
    relationship: Relationship | None = None
    made_clear_unwanted_on: dt.date | None = None
    very_frightened: Fact = None
    serious_alarm_or_distress: Fact = None
    day_to_day_effects: list[Effect] | None = None
    fears_for_others_only: Fact = None
    supports_prosecution: Fact = None
    personal_statement: Fact = None

    @property
    def shown_as(self) -> str:
        return self.label or self.id


class Incident(_Strict):
    id: Id
    date: dt.date
    end_date: dt.date | None = None
    count: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    victims: list[Id] | None = None
    behaviours: Annotated[list[Behaviour], Field(min_length=1)]
    channel: Channel | None = None
    caused_fear_of_violence: Fact = None
    hostility: Hostility | None = None
    summary: Text | None = None
    evidence: list[Text] = []

    @property
    def occasions(self) -> int:
        """How many occasions this entry stands for (contract section 1)."""
        if self.count is not None:
            return self.count
        return 2 if self.end_date is not None and self.end_date > self.date else 1

    @property
    def last_date(self) -> dt.date:
        return self.end_date if self.end_date is not None else self.date


class Charge(_Strict):
    offence: OffenceId
    victims: list[Id] | None = None
    status: Literal["charged", "proposed"] = "charged"
    # When the charge was made or the information laid (added in 1.1): the time limit of
    # a laid charge is judged on it, and without it that limit is unknown.
    charged_on: dt.date | None = None


class Plea(_Strict):
    offence: OffenceId
    in_place_of: list[OffenceId] = []
    victim_consulted: Fact = None
    basis_in_writing: Fact = None
    reasons: Text | None = None


class Safeguarding(_Strict):
    risk_assessment: RiskTool | None = None
    risk_level: RiskLevel | None = None
    risk_management_plan: Fact = None
    bail_conditions: Fact = None
    restraining_order_sought: Fact = None
    stalking_protection_order: SpoStatus | None = None
    marac_referral: Fact = None
    specialist_advocate: Fact = None
    orders_in_force: list[OrderKind] | None = None


class Decision(_Strict):
    """The reviewing lawyer's recorded answer to a finding (added in 1.1)."""

    rule: RuleId
    victims: list[Id] | None = None
    response: Response
    reason: Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
    by: Text | None = None
    on: dt.date

    def as_json(self) -> dict[str, object]:
        """As the file records it, for the finding it answers. `victims` only where the
        file names them: left out, the decision answers the finding for every victim."""
        data: dict[str, object] = {"rule": self.rule}
        if self.victims is not None:
            data["victims"] = list(self.victims)
        return data | {"response": self.response, "reason": self.reason, "by": self.by,
                       "on": self.on.isoformat()}


class Case(_Strict):
    format: Literal[1]
    reference: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    jurisdiction: Jurisdiction = "england-and-wales"
    decision_date: dt.date | None = None
    synthetic: bool | None = None
    suspect: Suspect = Suspect()
    victims: Annotated[list[Victim], Field(min_length=1)]
    incidents: Annotated[list[Incident], Field(min_length=1)]
    charges: list[Charge] = []
    plea: Plea | None = None
    safeguarding: Safeguarding = Safeguarding()
    decisions: list[Decision] = []
