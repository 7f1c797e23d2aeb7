"""The reference data recorded over HTTP (SMIC, Luxembourg cote, NPEC, forfaits, funding parameters)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from api.schemas.common import IsoDate, Money, Strict, Text


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
