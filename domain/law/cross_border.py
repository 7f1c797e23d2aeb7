"""Cross-border apprenticeships: Luxembourg's allowances and index, Germany's statutory minimum
(funding-rules §4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


# --- Cross-border: Luxembourg allowances (funding-rules §4.1-4.2) ----------------------------------------------
@dataclass(frozen=True)
class LuxembourgCote:
    effective_date: date
    cote: Decimal
    source: str


LU_COTE_SEED: tuple[LuxembourgCote, ...] = tuple(
    LuxembourgCote(date.fromisoformat(d), Decimal(c), s)
    for d, c, s in (
        ("2017-01-01", "794.54", "STATEC"),
        ("2018-08-01", "814.40", "STATEC"),
        ("2020-01-01", "834.76", "STATEC"),
        ("2021-10-01", "855.62", "STATEC"),
        ("2022-04-01", "877.01", "STATEC"),
        ("2023-02-01", "898.93", "STATEC"),
        ("2023-04-01", "921.40", "STATEC"),
        ("2023-09-01", "944.43", "STATEC"),
        ("2025-05-01", "968.04", "STATEC (29 Apr 2025)"),
    )
)
# Monthly allowance at index 100, by formation family and apprenticeship year (derived from the seed table at
# cote 944.43; RGD fixing the indemnités d'apprentissage). allowance = round2(base × cote / 100).
LU_BASES_AT_100: dict[tuple[str, int], Decimal] = {
    ("BAC", 1): Decimal("131.97"),
    ("BTS", 1): Decimal("176.20"),
    ("BTS", 2): Decimal("226.55"),
}
LU_ARTICLE = "RGD indemnités d'apprentissage (LU), échelle mobile"

# --- Cross-border: Germany, statutory minimum Ausbildungsvergütung by training start year (BBiG § 17 (2)) -------
DE_MINIMUM_BY_START_YEAR: dict[int, tuple[Decimal, Decimal, Decimal, Decimal]] = {
    year: tuple(Decimal(v) for v in values)  # type: ignore[misc]
    for year, values in {
        2020: ("515", "608", "695", "721"),
        2021: ("550", "649", "743", "770"),
        2022: ("585", "690", "790", "819"),
        2023: ("620", "732", "837", "868"),
        2024: ("649", "766", "876", "909"),
        2025: ("682", "805", "921", "955"),
        2026: ("724", "854", "977", "1014"),
    }.items()
}
DE_ARTICLE = "BBiG § 17 (2)"
