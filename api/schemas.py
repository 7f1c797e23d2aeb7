"""The HTTP shapes (interfaces §1–§4) as pydantic models, with the examples shown on /docs.

These models check JSON types and lengths only. The rules themselves (dates, ages, durations, articles)
are the domain's: the validated body is handed to `domain.terms.parse_terms` / `Contract.record`, which
refuse with the field and the article. So a rule exists once, and the API and the CLI refuse alike.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from domain.event_payload import MAX_REASON_LENGTH
from domain.examples import EXAMPLE_TERMS
from domain.terms import MAX_MASTER_ID, MAX_SMC_ENTRIES, MAX_TEXT

Text = Annotated[str, Field(max_length=MAX_TEXT)]
LongText = Annotated[str, Field(max_length=MAX_REASON_LENGTH)]
IsoDate = Annotated[str, Field(max_length=10, description="ISO date YYYY-MM-DD", examples=["2025-09-01"])]
Money = Annotated[str | int | float, Field(description='an amount in euros; a JSON string such as "1801.80"')]
Number = int | float


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ApprenticeIn(Strict):
    first_name: Text
    last_name: Text
    birth_date: IsoDate
    disability_recognised: bool = False
    high_level_athlete: bool = False
    lower_secondary_completed: bool | None = Field(default=None, description="3e completed (start at 15)")


class EmployerIn(Strict):
    name: Text
    siret: Annotated[str, Field(max_length=14)] | None = Field(description="14 digits; null for an employer abroad")
    sector: Literal["private", "public"] = "private"
    public_majoration_points: int = Field(default=0, description="0, 10 or 20, public employers only (D6272-2)")
    idcc: Annotated[str, Field(max_length=4)] | None = None
    headcount: int | None = None
    country: Annotated[str, Field(max_length=2)] = "FR"
    postcode: Annotated[str, Field(max_length=5)] | None = Field(
        default=None, description="the workplace's postcode; 976xx (Mayotte) takes Mayotte's own SMIC"
    )


class TrainingIn(Strict):
    title: Text
    diploma_code: Annotated[str, Field(max_length=20)] | None = None
    level: int = Field(description="RNCP level 3..8")
    cycle_months: int = Field(description="normal duration of the training cycle (D6222-28-1)")
    cfa_start_date: IsoDate | None = None
    exam_end_date: IsoDate | None = None
    licence_pro: bool = False
    practical_start_date: IsoDate | None = None


class PreviousContractIn(Strict):
    route: Literal["apprenticeship", "other"]
    diploma_obtained: bool
    same_employer: bool
    last_year: int
    last_year_pct_paid: Number | None = None
    level: int | None = None
    related: bool = False


class SmcIn(Strict):
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)
    from_: IsoDate = Field(alias="from")
    monthly: Money


class CrossBorderIn(Strict):
    country: Annotated[str, Field(max_length=2)]
    practical_part_abroad: bool
    formation: Text | None = None


class MasterIn(Strict):
    id: Annotated[str, Field(max_length=MAX_MASTER_ID)]
    name: Text | None = None


class FundingTermsIn(Strict):
    disability_majoration: Money | None = Field(
        default=None, description="per contract year, from the référentiel modules (D6332-82; capped at 4 000)"
    )
    distance_learning: bool = Field(default=False, description="at least 80 % of the training at a distance")
    new_employer_after_rupture: bool = Field(default=False, description="employer participation 200 € (R6332-25-1)")


TERMS_EXAMPLE: dict[str, Any] = EXAMPLE_TERMS  # the canonical example (domain/examples.py)


class ContractTermsIn(Strict):
    """Interfaces §1: the body that drafts a contract."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": [TERMS_EXAMPLE]})
    apprentice: ApprenticeIn
    employer: EmployerIn
    training: TrainingIn
    start_date: IsoDate
    end_date: IsoDate
    reduction_ground: Literal["L6222-7-1", "L6222-12-1", "R6222-23-1"] | None = None
    previous_contract: PreviousContractIn | None = None
    smc: Annotated[list[SmcIn], Field(max_length=MAX_SMC_ENTRIES)] = []
    contractual_pct: Number | None = None
    working_time_ratio: Number = 1
    cross_border: CrossBorderIn | None = None
    master: MasterIn | None = Field(default=None, description="the maître d'apprentissage (R6223-6 limit)")
    age_limit_exception: (
        Literal["higher_level_successive", "rupture_not_attributable", "business_project", "exam_failure_new_employer"]
        | None
    ) = None
    funding: FundingTermsIn | None = Field(default=None, description="what the OPCO's funding depends on")

    def as_terms(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


# -- lifecycle events a user records (interfaces §3) ------------------------------------------------------
class SignedIn(Strict):
    type: Literal["Signed"]
    on: IsoDate


class FiledIn(Strict):
    type: Literal["Filed"]
    on: IsoDate
    authority: Literal["OPCO", "DDETS"]


class FilingDecidedIn(Strict):
    type: Literal["FilingDecided"]
    on: IsoDate
    accepted: bool
    reason: LongText = ""


class ProbationEndedIn(Strict):
    type: Literal["ProbationEnded"]
    on: IsoDate


class ExamFailedExtendedIn(Strict):
    type: Literal["ExamFailedExtended"]
    on: IsoDate
    new_end_date: IsoDate


class DisabilityRecognisedIn(Strict):
    type: Literal["DisabilityRecognised"]
    on: IsoDate


class SmcChangedIn(Strict):
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)
    type: Literal["SmcChanged"]
    from_: IsoDate = Field(alias="from")
    monthly: Money


class TerminatedIn(Strict):
    type: Literal["Terminated"]
    on: IsoDate
    reason: LongText


class TermsCorrectedIn(Strict):
    type: Literal["TermsCorrected"]
    reason: LongText
    terms: ContractTermsIn | None = Field(default=None, description="the whole corrected terms, or …")
    changes: dict[str, Any] | None = Field(default=None, description="… only the fields that change (merged)")


LifecycleEventIn = Annotated[
    SignedIn
    | FiledIn
    | FilingDecidedIn
    | ProbationEndedIn
    | ExamFailedExtendedIn
    | DisabilityRecognisedIn
    | SmcChangedIn
    | TerminatedIn
    | TermsCorrectedIn,
    Field(discriminator="type"),
]
EVENT_EXAMPLES = {
    "signed": {"summary": "All parties signed", "value": {"type": "Signed", "on": "2025-08-25"}},
    "filed": {"summary": "Sent to the OPCO", "value": {"type": "Filed", "on": "2025-09-02", "authority": "OPCO"}},
    "accepted": {
        "summary": "The OPCO accepted it",
        "value": {"type": "FilingDecided", "on": "2025-09-10", "accepted": True, "reason": ""},
    },
    "terminated": {
        "summary": "Rupture by mutual agreement",
        "value": {"type": "Terminated", "on": "2026-01-15", "reason": "mutual_agreement"},
    },
}


def event_payload(body: BaseModel) -> dict[str, Any]:
    return body.model_dump(mode="json", by_alias=True, exclude_none=True)


# -- responses ----------------------------------------------------------------------------------------------
class SegmentOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    from_: str = Field(alias="from")
    to: str
    pct: Number
    base: str
    base_kind: str
    bracket: str
    year: int
    rate_year: int | None = None
    rules: list[str]


class MonthOut(BaseModel):
    month: str = Field(examples=["2025-09"])
    amount: str = Field(examples=["486.49"])
    segments: list[SegmentOut]


class ScheduleOut(BaseModel):
    """Interfaces §2: the month-by-month legal minimum."""

    id: str
    as_of: str | None = None
    months: list[MonthOut]
    warnings: list[dict[str, str]] = []


class WageNow(BaseModel):
    month: str
    amount: str


class Milestone(BaseModel):
    type: str
    effective_date: str


class NextDue(Milestone):
    deadline: str | None = Field(
        default=None, description="the last day to act, when the clock records a missed deadline the day after it"
    )


class ContractOut(BaseModel):
    id: str
    version: int
    status: str
    cfa_id: str | None
    terms: dict[str, Any]
    warnings: list[dict[str, str]]
    deadlines: dict[str, Any]
    current_wage: WageNow | None = Field(description="the minimum of the current month (Europe/Paris)")
    next_milestones: list[Milestone]
    history: dict[str, Any] = Field(description="signature, filing, decision, extension, termination…")


class DraftOut(ContractOut):
    created: bool


class ContractSummary(BaseModel):
    id: str
    cfa_id: str | None
    employer_siret: str | None
    apprentice: str
    status: str
    start_date: str
    effective_end: str
    current_wage: WageNow | None
    next_milestone: NextDue | None


class ContractPage(BaseModel):
    items: list[ContractSummary]
    total: int
    offset: int
    limit: int
    next_offset: int | None


class EventOut(BaseModel):
    type: str
    version: int
    recorded_at: str
    payload: dict[str, Any]


class EventsOut(BaseModel):
    id: str
    events: list[EventOut]


class WageHistoryOut(BaseModel):
    id: str
    entries: list[dict[str, Any]] = Field(
        description="one entry per change of the minimum: effective_date, cause, article, old/new amount and "
        "rate, recorded_at, the months changed and the arrears owed"
    )


class SimulationIn(Strict):
    terms: ContractTermsIn
    events: Annotated[list[dict[str, Any]], Field(max_length=100)] = []


class SmicRevaluationIn(Strict):
    effective_date: IsoDate
    hourly: Money
    monthly: Money | None = Field(default=None, description="computed from the hourly rate when absent (L3242-1)")
    act: Text = Field(description="the decree or arrêté, e.g. 'Décret n° 2025-1228 du 17 décembre 2025'")
    territory: Literal["metropole", "mayotte"] = Field(
        default="metropole", description="whose SMIC: 'mayotte' for employers of postcode 976xx, its own series"
    )


class LuxembourgCoteIn(Strict):
    effective_date: IsoDate
    cote: Money
    source: Text


class ReferenceOut(BaseModel):
    smic: list[dict[str, Any]]
    smic_mayotte: list[dict[str, Any]] = Field(default_factory=list)
    luxembourg_cotes: list[dict[str, Any]]
    funding: dict[str, Any]


class RecordedOut(BaseModel):
    recorded: bool = Field(description="false when exactly this value was already recorded")


class FundingOut(BaseModel):
    """The funding state (funding-rules.md): every figure with its rule and inputs."""

    id: str
    mode: str = Field(description="domestic, cross_border or not_funded_in_france")
    concluded_on: str
    conclusion_provisional: bool = Field(description="true until the contract is signed (the start date is used)")
    level: dict[str, Any]
    schedule: dict[str, Any] | None
    contract_years: list[dict[str, Any]]
    payments: list[dict[str, Any]] = Field(description="dated lines: due_on, kind, payer, amount, rule, status")
    totals: dict[str, str]
    regularised_on: str | None


class HiringAidOut(BaseModel):
    id: str
    eligible: bool
    annual: str
    why: str
    rule: str
    months: list[dict[str, str]]


class NpecIn(Strict):
    certification: Annotated[str, Field(max_length=20, description="the diploma / RNCP code")]
    branch: Annotated[str, Field(max_length=4)] | None = Field(
        description="the branch's IDCC; null for an NPEC fixed by decree (D6332-78-2)"
    )
    amount: Money
    applies_from: IsoDate = Field(description="applies to contracts concluded on or after this date")
    source: Text


class NpecFixedIn(Strict):
    certification: Annotated[str, Field(max_length=20)]
    amount: Money
    applies_from: IsoDate = Field(description="the contracts concluded on or after this date it applies to")
    decided_on: IsoDate = Field(description="the decision: contracts funded at the forfait are regularised after it")
    source: Text


class ForfaitsIn(Strict):
    applies_from: IsoDate
    by_level: dict[str, Money] = Field(description='RNCP level → annual amount, e.g. {"3": "5470.00"}')
    source: Text


class FundingParameterIn(Strict):
    name: Annotated[str, Field(max_length=60)]
    value: Money
    applies_from: IsoDate
    article: Text


class ForecastOut(BaseModel):
    cfa: str | None
    months: list[dict[str, Any]] = Field(description="per month: OPCO and employer amounts, contracts paying")


class SubscriptionIn(Strict):
    url: Annotated[str, Field(max_length=2000, description="https (http only to localhost)")]
    event_types: Annotated[list[str], Field(min_length=1, max_length=12)] = Field(
        description="contract.signed, contract.filed, contract.decided, contract.extended, contract.terminated, "
        "contract.ended, contract.milestone, contract.deadline, wage.changed, or '*'",
        examples=[["contract.signed", "wage.changed"]],
    )
    description: Text = ""


class SubscriptionChangeIn(Strict):
    url: Annotated[str, Field(max_length=2000)] | None = None
    event_types: Annotated[list[str], Field(min_length=1, max_length=12)] | None = None


class SubscriptionOut(BaseModel):
    id: str
    owner: dict[str, str]
    url: str
    event_types: list[str]
    description: str
    status: str
    disabled_reason: str | None
    created_at: str
    secret: str | None = Field(default=None, description="whsec_…: only when created or rotated; store it")


class SubscriptionPage(BaseModel):
    items: list[SubscriptionOut]


class ReplayIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: datetime = Field(alias="from", description="deliveries created from this time (ISO 8601)")
    to: datetime


class DeliveryOut(BaseModel):
    id: str
    subscription_id: str
    type: str
    contract_id: str | None
    body: dict[str, Any]
    created_at: str
    status: str
    attempts: int
    next_attempt_at: str | None
    last_status: int | None
    delivered_at: str | None
    attempt_log: list[dict[str, Any]] = []


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
