"""Interfaces §2 and §4: a contract, its list, its events, its wage schedule and history, and a simulation."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import Number, Strict
from api.schemas.terms import ContractTermsIn


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
