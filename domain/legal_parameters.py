"""Every legal parameter the service uses, as data, with its article and effective dates.

This module is the one place where the law's numbers live. Nothing else in the code base writes a
percentage, an age, a duration or an amount of the law. Reference series that change over time
(SMIC, Luxembourg index, German minima) are only *seeds* here: the running service records them as
reference-data events, and a new revaluation is recorded, never coded.

Sources: shared spec `wage-and-lifecycle-rules.md` (Code du travail consolidated 2026-03-27) and
`funding-rules.md` §4, copied here so the project never needs them at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Parameter:
    value: int
    article: str
    effective_from: date
    note: str = ""


# --- Scope --------------------------------------------------------------------------------------------
GRID_IN_FORCE_FROM = Parameter(
    0, "D6222-26 (décret 2018-1347)", date(2019, 1, 1), "contracts starting before this date are out of scope"
)

# --- Age (L6222-1, D6222-1, D6222-27, D6222-31) ---------------------------------------------------------
MIN_AGE = Parameter(16, "L6222-1", date(2019, 1, 1), "age on the start date")
MIN_AGE_AFTER_3E = Parameter(15, "L6222-1", date(2019, 1, 1), "15 with the first secondary cycle (3e) completed")
MAX_AGE = Parameter(29, "L6222-1", date(2019, 1, 1), "29 ans révolus: until the day before the 30th birthday")
MAX_AGE_EXTENDED = Parameter(
    35,
    "D6222-1",
    date(2020, 4, 1),
    "L6222-2 1° (higher level after a previous contract) and 2° (rupture not caused "
    "by the apprentice): until the day before the 36th birthday",
)
BRACKET_AGES = (18, 21, 26)  # D6222-26; changes from the 1st of the month after the birthday (D6222-31)
BRACKET_CHANGE_ARTICLE = "D6222-31"
UNDER_16_ARTICLE = "D6222-27"
# Erasure of personal data on request (RGPD, Regulation (EU) 2016/679, art. 17): domain/personal_data.py
ERASURE_ARTICLE = "RGPD art. 17"

# Bracket labels as published in `segments[].bracket` (interfaces §2): index = number of thresholds passed.
BRACKET_LABELS = ("<18", "18-20", "21-25", "26+")

# --- Grid D6222-26: percentage points of the base, by bracket (row) and year of execution (column) -------
GRID_ARTICLE = "D6222-26"
GRID: tuple[tuple[int, int, int], ...] = (
    (27, 39, 55),  # < 18 (and under 16, D6222-27)
    (43, 51, 67),  # 18-20
    (53, 61, 78),  # 21-25: of max(SMIC, SMC)
    (100, 100, 100),  # 26+: of max(SMIC, SMC)
)
SMC_FROM_BRACKET = 2  # brackets 21-25 and 26+ take max(SMIC, SMC) as base (D6222-26 3° and 4°)
LAST_GRID_YEAR = 3

# --- Special cases -------------------------------------------------------------------------------------
SUCCESSIVE_SAME_LEVEL_POINTS = Parameter(
    15, "D6222-30", date(2020, 4, 1), "contract <= 1 year, same level, direct relation"
)
SUCCESSIVE_SAME_LEVEL_MAX_MONTHS = Parameter(12, "D6222-30", date(2020, 4, 1))
MAJORATION_CAP_PCT = Parameter(
    100, "D6222-31 al. 2", date(2020, 4, 1), "the D6222-30 majoration cannot take the minimum above 100 % of the SMIC"
)
DISABILITY_EXTENSION_POINTS = Parameter(
    15, "R6222-48", date(2019, 1, 1), "uniform +15 points on the last year's rate, extension year only"
)
PUBLIC_MAJORATION_POINTS = (0, 10, 20)  # D6272-2, contracts concluded from 2020-04-27, optional, no cap
PUBLIC_MAJORATION_ARTICLE = "D6272-2"
LICENCE_PRO_MIN_YEAR = Parameter(2, "D6222-32", date(2020, 4, 1))
REDUCED_DURATION_ARTICLE = "D6222-28-1"
REDUCTION_GROUNDS = ("L6222-7-1", "L6222-12-1", "R6222-23-1")
PREVIOUS_CONTRACT_ARTICLE = "D6222-29"
EXAM_FAILURE_ARTICLE = "D6222-28"
CONVENTION_EXTENSION_ARTICLE = "D6222-28-2"
ATHLETE_ARTICLE = "R6222-60"
CONTRACTUAL_RATE_ARTICLE = "L6222-27"

# --- Duration and dates (L6222-7-1, R6222-46, R6222-60, L6222-11, L6222-12) ------------------------------
MIN_DURATION_MONTHS = Parameter(6, "L6222-7-1", date(2019, 1, 1), "below only on ground R6222-23-1")
SHORT_CONTRACT_GROUND = "R6222-23-1"
MAX_DURATION_MONTHS = Parameter(36, "L6222-7-1", date(2019, 1, 1))
MAX_DURATION_MONTHS_EXTENDED = Parameter(
    48, "R6222-46 / R6222-60", date(2019, 1, 1), "disabled apprentice or listed high-level athlete"
)
MAX_EXTENSION_MONTHS = Parameter(12, "L6222-11", date(2019, 1, 1), "exam failure: one year at most")
MAX_TRAINING_START_DELAY_MONTHS = Parameter(
    3, "L6222-12", date(2019, 1, 1), "CFA and practical start at most 3 months after the start"
)
EXAM_END_WARNING_MONTHS = Parameter(
    2,
    "circulaire 30 Nov 1996 (practice, not law)",
    date(2019, 1, 1),
    "end more than 2 months after the exams: warning only",
)

# --- Deadlines (D6224-1, D6275-1, R6224-3, R6275-3, L6222-18) --------------------------------------------
FILING_WORKING_DAYS = Parameter(
    5, "D6224-1 / D6275-1", date(2019, 1, 1), "jours ouvrables after the start of execution"
)
DECISION_DAYS = Parameter(
    20, "R6224-3 / R6275-3", date(2019, 1, 1), "silence: refusal for an OPCO, acceptance for the DDETS"
)
PROBATION_DAYS = Parameter(
    45, "L6222-18", date(2019, 1, 1), "days of practical training in the company; earliest end = 45th day"
)
AUTHORITIES = {"OPCO": "private", "DDETS": "public"}  # L6224-1 / L6227-11
SILENCE_MEANS_ACCEPTANCE = {"OPCO": False, "DDETS": True}  # R6224-3 / R6275-3

# --- Maître d'apprentissage (R6223-6) ---------------------------------------------------------------------
MAX_APPRENTICES_PER_MASTER = Parameter(2, "R6223-6", date(2019, 1, 1))
MAX_EXTRA_EXTENDED_PER_MASTER = Parameter(1, "R6223-6", date(2019, 1, 1), "one more in exam-failure extension")


# --- SMIC (L3231-5, L3231-6, L3242-1): seed of the reference data -------------------------------------------
@dataclass(frozen=True)
class SmicRevaluation:
    effective_date: date
    hourly: Decimal
    monthly: Decimal  # hourly × 35 × 52/12, rounded half-up (L3242-1), as published
    act: str


SMIC_SEED: tuple[SmicRevaluation, ...] = tuple(
    SmicRevaluation(date.fromisoformat(d), Decimal(h), Decimal(m), act)
    for d, h, m, act in (
        ("2019-01-01", "10.03", "1521.22", "Décret 2018-1173 du 19/12/2018"),
        ("2020-01-01", "10.15", "1539.42", "Décret 2019-1387 du 18/12/2019"),
        ("2021-01-01", "10.25", "1554.58", "Décret 2020-1598 du 16/12/2020"),
        ("2021-10-01", "10.48", "1589.47", "Arrêté du 27/09/2021"),
        ("2022-01-01", "10.57", "1603.12", "Décret 2021-1741 du 22/12/2021"),
        ("2022-05-01", "10.85", "1645.58", "Arrêté du 19/04/2022"),
        ("2022-08-01", "11.07", "1678.95", "Arrêté du 29/07/2022"),
        ("2023-01-01", "11.27", "1709.28", "Décret 2022-1608 du 22/12/2022"),
        ("2023-05-01", "11.52", "1747.20", "Arrêté du 26/04/2023"),
        ("2024-01-01", "11.65", "1766.92", "Décret du 20/12/2023"),
        ("2024-11-01", "11.88", "1801.80", "Décret 2024-951 du 23/10/2024"),
        ("2026-01-01", "12.02", "1823.03", "Décret 2025-1228 du 17/12/2025"),
        ("2026-06-01", "12.31", "1867.02", "Arrêté du 22/05/2026"),
    )
)
SMIC_ARTICLE = "L3231-5 / L3242-1"

# Mayotte (département 976) has its own SMIC, set by the same acts (L3423-3 until 2022, then the Code's
# general rules with a Mayotte amount). Values as the public simulators use them; recorded like the
# metropolitan series, in the reference data, under the territory below.
METROPOLE, MAYOTTE = "metropole", "mayotte"
TERRITORIES = (METROPOLE, MAYOTTE)
MAYOTTE_POSTCODE_PREFIX = "976"  # département 976: postcodes 976xx
MAYOTTE_SMIC_ARTICLE = "L3231-5 / L3423-3"
SMIC_MAYOTTE_SEED: tuple[SmicRevaluation, ...] = tuple(
    SmicRevaluation(date.fromisoformat(d), Decimal(h), Decimal(m), act)
    for d, h, m, act in (
        ("2024-11-01", "8.98", "1361.97", "Décret 2024-951 du 23/10/2024 (Mayotte)"),
        ("2026-01-01", "9.33", "1415.05", "Décret 2025-1228 du 17/12/2025 (Mayotte)"),
        ("2026-06-01", "9.56", "1449.93", "Arrêté du 22/05/2026 (Mayotte)"),
    )
)
# The monthly SMIC is the hourly SMIC over the legal working week, mensualised: hourly × 35 × 52 / 12.
LEGAL_WEEKLY_HOURS = Parameter(35, "L3121-27", date(2002, 1, 1), "durée légale du travail, every employer")
MENSUALISATION_WEEKS_PER_YEAR = Parameter(52, "L3242-1", date(1978, 1, 19), "monthly = weekly × 52 / 12")


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
NPEC_ARTICLE = "L6332-14 I 1°, D6332-78"
DECREE_NPEC_ARTICLE = "D6332-78-2 (décret 2025-860)"
AMORCAGE_ARTICLE = "D6332-80"


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
