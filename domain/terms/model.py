"""The contract's terms as immutable values (interfaces §1), and their JSON shape."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from domain import law


@dataclass(frozen=True)
class Apprentice:
    first_name: str
    last_name: str
    birth_date: date
    disability_recognised: bool = False
    high_level_athlete: bool = False
    lower_secondary_completed: bool | None = None


@dataclass(frozen=True)
class Employer:
    name: str
    siret: str | None
    sector: str = "private"
    public_majoration_points: int = 0
    idcc: str | None = None
    headcount: int | None = None
    country: str = "FR"
    postcode: str | None = None

    @property
    def territory(self) -> str:
        """Which SMIC series applies: Mayotte's own for an employer in département 976."""
        in_mayotte = self.postcode is not None and self.postcode.startswith(law.MAYOTTE_POSTCODE_PREFIX)
        return law.MAYOTTE if in_mayotte else law.METROPOLE


@dataclass(frozen=True)
class Training:
    title: str
    diploma_code: str | None
    level: int
    cycle_months: int
    cfa_start_date: date | None = None
    exam_end_date: date | None = None
    licence_pro: bool = False
    practical_start_date: date | None = None


@dataclass(frozen=True)
class PreviousContract:
    route: str
    diploma_obtained: bool
    same_employer: bool
    last_year: int
    last_year_pct_paid: Decimal | None
    level: int | None
    related: bool


@dataclass(frozen=True)
class SmcEntry:
    from_date: date
    monthly: Decimal


@dataclass(frozen=True)
class CrossBorder:
    country: str
    practical_part_abroad: bool
    formation: str | None


@dataclass(frozen=True)
class FundingTerms:
    """What the OPCO's funding depends on beyond the other terms (funding-rules §2.3); all optional."""

    disability_majoration: Decimal | None = None  # per contract year, from the référentiel modules (D6332-82)
    distance_learning: bool = False  # at least 80 % of the training at a distance (D6332-82-1)
    new_employer_after_rupture: bool = False  # employer participation of 200 € instead of 750 € (R6332-25-1)


NO_FUNDING_TERMS = FundingTerms()


@dataclass(frozen=True)
class Master:
    id: str
    name: str | None = None


AGE_EXCEPTIONS = (
    "higher_level_successive",
    "rupture_not_attributable",
    "business_project",
    "exam_failure_new_employer",
)


@dataclass(frozen=True)
class ContractTerms:
    apprentice: Apprentice
    employer: Employer
    training: Training
    start_date: date
    end_date: date
    reduction_ground: str | None = None
    previous_contract: PreviousContract | None = None
    smc: tuple[SmcEntry, ...] = ()
    contractual_pct: Decimal | None = None
    working_time_ratio: Decimal = Decimal(1)
    cross_border: CrossBorder | None = None
    master: Master | None = None
    age_limit_exception: str | None = None
    funding: FundingTerms = NO_FUNDING_TERMS
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data (ISO dates, money as strings), the shape of interfaces §1."""
        data: dict[str, Any] = _jsonable(asdict(self, dict_factory=_without_extra))
        if self.funding == NO_FUNDING_TERMS:
            del data["funding"]  # terms drafted before the funding fields existed keep their exact JSON
        if self.employer.postcode is None:
            del data["employer"]["postcode"]  # likewise for terms drafted before the postcode existed
        return data


def _without_extra(items: list[tuple[str, Any]]) -> dict[str, Any]:
    out = {}
    for k, v in items:
        if k == "extra":
            continue
        out["from" if k == "from_date" else k] = v
    return out


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return _decimal_json(v)
    return v


def _decimal_json(v: Decimal) -> Any:
    if v == v.to_integral_value():
        return int(v)
    return float(v) if v.as_tuple().exponent != -2 else str(v)
