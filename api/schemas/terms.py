"""Interfaces §1: the contract terms a CFA drafts (or corrects), with the canonical example shown on /docs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from api.schemas.common import IsoDate, Money, Number, Strict, Text
from domain.examples import EXAMPLE_TERMS
from domain.terms import MAX_MASTER_ID, MAX_SMC_ENTRIES


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
