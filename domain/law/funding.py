"""What the OPCO pays the CFA (funding-rules §2-§3) and the French hiring aid (§5): the seeds of the
funding reference data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.law.parameter import Parameter

# --- Funding: what the OPCO pays the CFA (funding-rules §2-§3) -----------------------------------------------
# Seeds of the funding reference data (domain/funding/reference.py): the running service records new
# versions as events; the engine reads only the recorded reference, never these constants directly.
FUNDING_DAYS_PER_YEAR = Parameter(
    365, "R6332-25 (décret 2025-585)", date(2025, 7, 1), "daily prorata: annual amount / 365 per day"
)
FUNDING_MONTHS_PER_YEAR = Parameter(12, "R6332-25 (2019-2025 versions)", date(2019, 1, 1), "tout mois commencé est dû")
INVOICE_PAYMENT_DAYS = Parameter(30, "R6332-25 / L6332-6 4°", date(2019, 1, 1), "advance within 30 days of the invoice")
BALANCE_DEADLINE_MONTHS = Parameter(
    4, "R6332-25 (décret 2025-585)", date(2025, 7, 1), "last balance: invoice + certificate within 4 months of the end"
)


@dataclass(frozen=True)
class Instalment:
    name: str
    share_pct: int  # percent of the contract year's amount
    month: int  # 1: the advance (year start + 30 days); 7: "au septième mois"; 0: the balance after the year


@dataclass(frozen=True)
class PaymentScheduleVersion:
    applies_from: date  # contracts concluded on or after
    instalments: tuple[Instalment, ...]
    prorata: str  # "daily" (annual/365 per day) or "started_month" (every started month is due)
    article: str


PAYMENT_SCHEDULE_SEED: tuple[PaymentScheduleVersion, ...] = (
    PaymentScheduleVersion(
        date(2019, 1, 1),  # the 12 Dec 2019 text; applied to 2019 contracts too (no earlier version in the spec)
        (Instalment("advance", 50, 1), Instalment("month 7", 25, 7), Instalment("month 10", 25, 10)),
        "started_month",
        "R6332-25 (version of 12 Dec 2019)",
    ),
    PaymentScheduleVersion(
        date(2020, 12, 31),
        (Instalment("advance", 40, 1), Instalment("month 7", 30, 7), Instalment("month 10", 30, 10)),
        "started_month",
        "R6332-25 (version of 31 Dec 2020)",
    ),
    PaymentScheduleVersion(
        date(2025, 7, 1),
        (
            Instalment("advance", 40, 1),
            Instalment("month 7", 30, 7),
            Instalment("month 10", 20, 10),
            Instalment("balance", 10, 0),
        ),
        "daily",
        "R6332-25 (décret 2025-585)",
    ),
)


@dataclass(frozen=True)
class AmorcageForfaits:
    applies_from: date  # contracts concluded on or after
    by_level: dict[int, Decimal]  # RNCP level → annual amount
    source: str


AMORCAGE_SEED: tuple[AmorcageForfaits, ...] = (
    AmorcageForfaits(
        date(2022, 9, 1),
        {3: Decimal(5470), 4: Decimal(5621), 5: Decimal(6000), 6: Decimal(6000), 7: Decimal(7000), 8: Decimal(7000)},
        "D6332-80; arrêté du 31 août 2022 (niveaux d'amorçage)",
    ),
)


@dataclass(frozen=True)
class FundingParameter:
    name: str
    value: Decimal
    applies_from: date  # contracts concluded on or after
    article: str


FUNDING_PARAMETER_SEED: tuple[FundingParameter, ...] = (
    FundingParameter("disability_majoration_cap", Decimal(4000), date(2021, 1, 1), "D6332-82; arrêté du 7 déc. 2020"),
    FundingParameter("distance_minoration_pct", Decimal(20), date(2025, 7, 1), "D6332-82-1 (décret 2025-586)"),
    FundingParameter("distance_floor", Decimal(4000), date(2025, 7, 1), "D6332-82-1 (décret 2025-586)"),
    FundingParameter("employer_participation", Decimal(750), date(2025, 7, 1), "R6332-25-1 (décret 2025-585)"),
    FundingParameter(
        "employer_participation_after_rupture", Decimal(200), date(2025, 7, 1), "R6332-25-1 (décret 2025-585)"
    ),
    FundingParameter("employer_participation_min_level", Decimal(6), date(2025, 7, 1), "R6332-25-1 (décret 2025-585)"),
    FundingParameter(
        "employer_participation_probation_pct", Decimal(50), date(2025, 7, 1), "R6332-25-2 (décret 2025-585)"
    ),
    FundingParameter("cross_border_minoration_pct", Decimal(10), date(2025, 9, 1), "arrêté du 9 sept. 2025, art. 1"),
    FundingParameter("cross_border_majoration_cap", Decimal(4000), date(2025, 9, 1), "arrêté du 9 sept. 2025, art. 2"),
)
CROSS_BORDER_ARTICLE = "L6235-5 III-IV; arrêté du 9 sept. 2025"
PART_TIME_ARTICLE = "arrêté du 9 sept. 2025, art. 3"  # a cross-border part time: funding and wage × the ratio
NPEC_ARTICLE = "L6332-14 I 1°, D6332-78"
# The rules a change of the funding cites in the funding history, by the contract's event.
FUNDING_LEVEL_ARTICLE = "L6332-14 I 1°"  # the level of the contract drafted
CONCLUSION_NPEC_ARTICLE = "L6332-14 (NPEC in force at the conclusion)"
RUPTURE_FUNDING_ARTICLE = "R6332-25 (rupture)"
EXTENSION_FUNDING_ARTICLE = "L6222-11 (extension funded at the same level)"
DISABILITY_FUNDING_ARTICLE = "D6332-82"
DECREE_NPEC_ARTICLE = "D6332-78-2 (décret 2025-860)"
AMORCAGE_ARTICLE = "D6332-80"
NPEC_RECORDED_ARTICLE = "D6332-78"  # the branch's NPEC recorded
NPEC_FIXED_ARTICLE = "D6332-80 (regularisation)"  # a missing NPEC fixed by the State
NPEC_CAP_ARTICLE = "L6332-14"  # the NPEC bounds what an OPCO pays
# Cross-border contracts (funding-rules §3): which country funds which part.
THEORY_ABROAD_ARTICLE = "L6235-5 II 2° (funding-rules §3.4 F)"  # no French NPEC: the other country funds
CONVENTION_ARTICLE = "L6235-2 (funding-rules §3.1)"  # funded only under a convention with that country
HIRING_AID_ABROAD_ARTICLE = "L6235-4 II 2°"  # an employer abroad gets no French hiring aid


# --- French hiring aid (funding-rules §5): by conclusion date, size and level; first contract year only ------
@dataclass(frozen=True)
class HiringAidVersion:
    concluded_from: date
    concluded_until: date | None  # inclusive; None: open
    small_by_level: dict[int, Decimal]  # < 250 employees: level → annual aid (absent: none)
    large_by_level: dict[int, Decimal]  # ≥ 250 employees (with the alternance-quota commitment)
    disabled: Decimal  # RQTH apprentice, any size or level (within the scope of the aid)
    daily_prorata: bool  # first and last months prorated to the days (décret 2025-1031, from 1 Nov 2025)
    source: str
    starting_before: date | None = None  # the contract must also start before this date
    disabled_whatever_size_or_level: bool = False  # the RQTH amount applies even outside the other columns


def _levels(amounts: dict[tuple[int, ...], int]) -> dict[int, Decimal]:
    return {level: Decimal(v) for levels, v in amounts.items() for level in levels}


HIRING_AID_SEED: tuple[HiringAidVersion, ...] = (
    HiringAidVersion(
        date(2023, 1, 1),
        date(2024, 12, 31),
        _levels({(3, 4, 5, 6, 7): 6000}),
        _levels({(3, 4, 5, 6, 7): 6000}),
        Decimal(6000),
        False,
        "décrets 2022-1714, 2023-1354",
    ),
    HiringAidVersion(  # the exceptional aid (levels 5-7, large firms) of this window is unclear: not granted
        date(2025, 1, 1),
        date(2025, 2, 23),
        _levels({(3, 4): 6000}),
        {},
        Decimal(6000),
        False,
        "D6243-2 (aide unique); exceptional aid unclear (funding-rules §5)",
    ),
    HiringAidVersion(
        date(2025, 2, 24),
        date(2025, 10, 31),
        _levels({(3, 4, 5, 6, 7): 5000}),
        _levels({(3, 4, 5, 6, 7): 2000}),
        Decimal(6000),
        False,
        "décret 2025-174",
    ),
    HiringAidVersion(
        date(2025, 11, 1),
        date(2025, 12, 31),
        _levels({(3, 4, 5, 6, 7): 5000}),
        _levels({(3, 4, 5, 6, 7): 2000}),
        Decimal(6000),
        True,
        "décret 2025-174; daily prorata décret 2025-1031",
    ),
    HiringAidVersion(
        date(2026, 1, 1),
        date(2026, 3, 7),
        _levels({(3, 4): 5000}),
        {},
        Decimal(6000),
        True,
        "D6243-2 (aide unique); exceptional aid suspended (no budget law)",
    ),
    HiringAidVersion(
        date(2026, 3, 8),
        None,
        _levels({(3, 4): 5000, (5,): 4500, (6, 7): 2000}),
        _levels({(3, 4): 2000, (5,): 1500, (6, 7): 750}),
        Decimal(6000),
        True,
        "décret 2026-168 (contracts starting before 1 Jan 2027)",
        date(2027, 1, 1),
        True,
    ),
)
HIRING_AID_LARGE_HEADCOUNT = Parameter(250, "D6243-1 ff.", date(2023, 1, 1), "from 250 employees: quota commitment")
HIRING_AID_ARTICLE = "L6243-1, D6243-1 ff."
