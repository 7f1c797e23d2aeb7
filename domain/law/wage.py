"""The wage grid and its special cases (D6222-26 ff.): scope, ages and brackets, the grid, the
majorations, and the SMIC's seeds (metropolitan France and Mayotte)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.law.parameter import Parameter

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
# The rules a change of the minimum cites in the wage history (besides the grid's and the bracket's).
EXTENSION_WAGE_ARTICLE = "L6222-11 / D6222-28"  # an extension after an exam failure
DISABILITY_WAGE_ARTICLE = "R6222-48 / R6222-49"  # a disability recognised
TERMINATION_ARTICLE = "L6222-18"  # a termination: the months after it are owed no more
DISABILITY_DURING_CONTRACT_ARTICLE = "R6222-49"  # a disability recognised after the contract started
DISABILITY_AGE_ARTICLE = "R6222-46"  # a disabled apprentice: no age limit, a longer contract
# The exceptions to the upper age limit, by ground (L6222-2, D6222-1, D6222-1-2).
AGE_LIMIT_EXCEPTION_ARTICLE = "L6222-2"
AGE_LIMIT_EXEMPTION_ARTICLES = {
    "disability": "L6222-2 3°",
    "high_level_athlete": "L6222-2 5°",
    "business_project": "L6222-2 4°",
    "exam_failure_new_employer": "D6222-1-2",
}
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
MENSUALISATION_ARTICLE = MENSUALISATION_WEEKS_PER_YEAR.article
