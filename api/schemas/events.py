"""Interfaces §3: the lifecycle events a user records, one model per event, discriminated by `type`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import IsoDate, LongText, Money, Strict
from api.schemas.terms import ContractTermsIn


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
