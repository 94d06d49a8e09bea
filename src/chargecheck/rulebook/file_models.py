"""The shape of the rule files in `rules/`, as pydantic models.

Conditions (`when:`) are checked by `conditions.compiler.compile_condition`, which knows
the vocabulary of the rule set being loaded; here they are plain mappings.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from chargecheck.case.model import Behaviour, HistoryKind, OffenceId
from chargecheck.scales import Severity, rank

Text = Annotated[str, StringConstraints(min_length=1)]


def _whole_citation(text: str) -> str:
    """Catch citations cut in two by a comma in a flow list: `[Act (2019, 2022)]`."""
    if text.count("(") != text.count(")") or len(text.split()) < 2:
        raise ValueError(
            f"{text!r} does not look like a whole citation; quote citations that contain commas"
        )
    return text


Citation = Annotated[str, StringConstraints(min_length=4), AfterValidator(_whole_citation)]
Citations = Annotated[list[Citation], Field(min_length=1)]
# Checked in full by `validate`; the JSON Schema gives editors its shape (schemas.py
# puts the condition schema where this placeholder stands).
CONDITION_PLACEHOLDER = {"x-chargecheck": "condition"}
Condition = Annotated[dict[str, Any], WithJsonSchema(CONDITION_PLACEHOLDER)]
Confidence = Literal["high", "medium", "verify"]
if TYPE_CHECKING:
    SeverityWord = str
else:  # a Literal of the scale's words: the same check, message and JSON Schema enum
    SeverityWord = Literal[tuple(s.value for s in Severity)]
SEVERITY_RANK = rank(Severity)
# The most a rule resting on unconfirmed law (confidence `verify`) may be.
UNCONFIRMED_CAP = Severity.medium
Category = Literal[
    "under-charging", "plea-risk", "charge-validity", "evidence-gap", "safeguarding", "escalation"
]
# Names the rule set declares itself (indicator ids, s.2A(3) letters, rule ids in the audit
# questions) are plain text here; declared.py checks each against its declaration.
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)


class Manifest(_Strict):
    """`ruleset.yaml`: the rule set's identity."""

    version: Text
    name: Text
    jurisdiction: Literal["england-and-wales"]


class DatedValue(_Strict):
    starts: date = Field(alias="from")
    summary_months: int | Literal["general-limit"]
    indictment_years: int | None
    citations: Citations


class CommittedBefore(_Strict):
    """Offences committed before `before` keep `months`, whatever the conviction date."""

    before: date
    months: int
    citations: Citations


class GeneralLimit(_Strict):
    """The magistrates' limit for one either-way offence, by date of conviction."""

    citations: Citations
    committed_before: CommittedBefore | None = None
    values: Annotated[list[dict[str, Any]], Field(min_length=1)]


class TimeLimit(_Strict):
    months: int | None = None
    kind: Literal["from-last-incident", "special"]
    # For offences committed before this date only (e.g. while an offence was summary only).
    until: date | None = None
    citations: Citations
    note: Text | None = None


class Element(_Strict):
    id: Text
    text: Text
    citations: Citations
    when: Condition
    obtain: Text


class Offence(_Strict):
    id: OffenceId
    title: Text
    citation: Text
    mode_of_trial: Literal["summary", "either-way", "indictable"]
    commencement: date
    commencement_citations: Citations
    occasions_needed: Literal[1, 2] = 1
    maxima: Annotated[list[DatedValue], Field(min_length=1)]
    time_limit: TimeLimit | None = None
    raised_when: Condition | None = None
    elements: Annotated[list[Element], Field(min_length=1)]
    superseded_by: list[OffenceId] = []
    confidence: Confidence = "high"

    @model_validator(mode="after")
    def maxima_in_date_order(self) -> Offence:
        starts = [m.starts for m in self.maxima]
        if starts != sorted(set(starts)):
            raise ValueError("maxima overlap or are out of date order: each 'from' must be later")
        return self


class NamedTest(_Strict):
    """A legal test used by several elements, defined once (e.g. `harassment`)."""

    id: Text
    text: Text
    citations: Citations
    when: Condition


class WarningsOnRecord(_Strict):
    """History entries that show the suspect was warned about this kind of conduct."""

    kinds: list[HistoryKind]
    kinds_by_offence: list[HistoryKind]
    offences: list[OffenceId]
    citations: Citations


class OffencesFile(_Strict):
    tests: Annotated[list[NamedTest], Field(min_length=1)]
    magistrates_general_limit: GeneralLimit
    warnings_on_record: WarningsOnRecord
    offences: Annotated[list[Offence], Field(min_length=1)]


class S2A3Paragraph(_Strict):
    """One example of PHA 1997 s.2A(3), by its letter."""

    letter: Annotated[str, StringConstraints(pattern=r"^[a-z]$")]
    text: Text
    citations: Citations


class BehaviourEntry(_Strict):
    id: Behaviour
    title: Text
    s2a3: Text | None = None          # a letter of `s2a3_paragraphs`
    associated_with_stalking: bool
    evidences: list[Text] = []        # ids of indicators.yaml
    markers: list[Text] = []          # ids of escalation.yaml
    citations: Citations


class BehavioursFile(_Strict):
    s2a3_paragraphs: Annotated[list[S2A3Paragraph], Field(min_length=1)]
    behaviours: Annotated[list[BehaviourEntry], Field(min_length=1)]


class Indicator(_Strict):
    id: Slug
    title: Text
    meaning: Text
    citations: Citations
    confidence: Confidence
    when: Condition


class IndicatorsFile(_Strict):
    indicators: Annotated[list[Indicator], Field(min_length=4, max_length=4)]


class Marker(_Strict):
    id: Text
    title: Text
    level: Literal["medium", "high"]
    citations: Citations
    confidence: Confidence
    when: Condition


class FrequencyRising(_Strict):
    """When the later half of a course counts as rising in frequency."""

    min_occasions: Annotated[int, Field(ge=2)]
    min_days: Annotated[int, Field(ge=1)]
    ratio: Annotated[int, Field(ge=1)]


class MarkersFile(_Strict):
    frequency_rising: FrequencyRising
    markers: Annotated[list[Marker], Field(min_length=1)]


class InForce(_Strict):
    starts: date = Field(alias="from")
    ends: date | None = Field(default=None, alias="until")


class Rule(_Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}-[0-9]{3}$")]
    title: Text
    category: Category
    severity: SeverityWord
    confidence: Confidence
    citations: Citations
    in_force: InForce
    when: Condition
    found: Text
    why: Text
    action: Text

    @model_validator(mode="after")
    def unconfirmed_law_is_advice_only(self) -> Rule:
        if self.confidence == "verify" and not capped(self.severity):
            raise ValueError(
                "a rule resting on unconfirmed law (confidence: verify) may be at most "
                "'medium' severity and must read as 'consider / check' advice"
            )
        return self


def capped(severity: str) -> bool:
    """Whether `severity` is within what unconfirmed law may carry."""
    return SEVERITY_RANK[severity] <= SEVERITY_RANK[UNCONFIRMED_CAP]


class RulesFile(_Strict):
    rules: Annotated[list[Rule], Field(min_length=1)]


class AuditQuestion(_Strict):
    """A question the scrutiny panel asks of every case, answered by rules' findings."""

    id: Slug
    title: Text
    rules: Annotated[list[Text], Field(min_length=1)]  # ids of rules in checks/
    only_if_charged: OffenceId | None = None  # counted only where this offence is charged
    citations: Citations


class AuditFile(_Strict):
    questions: Annotated[list[AuditQuestion], Field(min_length=1)]


FILE_MODELS: dict[str, type[BaseModel]] = {
    "ruleset.yaml": Manifest,
    "offences.yaml": OffencesFile,
    "behaviours.yaml": BehavioursFile,
    "indicators.yaml": IndicatorsFile,
    "escalation.yaml": MarkersFile,
    "audit.yaml": AuditFile,
}


class Disable(_Strict):
    rule: Text
    reason: Annotated[str, StringConstraints(min_length=10)]


class SeverityChange(_Strict):
    rule: Text
    severity: SeverityWord
    reason: Annotated[str, StringConstraints(min_length=10)]


class PackFile(_Strict):
    """`pack.yaml`: a local rule pack applied on top of a full rule set."""

    name: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    version: Text
    description: Text | None = None
    disable: list[Disable] = []
    severity: list[SeverityChange] = []
