"""A contract's durations, dates and deadlines (L6222-7-1, R6222-46, D6224-1 ff.) and the master's limit
(R6223-6)."""

from __future__ import annotations

from datetime import date

from domain.law.parameter import Parameter

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
FILING_AUTHORITY_ARTICLES = {"OPCO": "L6224-1", "DDETS": "L6227-11"}  # who receives the contract
SILENCE_MEANS_ACCEPTANCE = {"OPCO": False, "DDETS": True}  # R6224-3 / R6275-3

# --- Maître d'apprentissage (R6223-6) ---------------------------------------------------------------------
MAX_APPRENTICES_PER_MASTER = Parameter(2, "R6223-6", date(2019, 1, 1))
MAX_EXTRA_EXTENDED_PER_MASTER = Parameter(1, "R6223-6", date(2019, 1, 1), "one more in exam-failure extension")

# --- Articles the lifecycle's refusals and notices cite ------------------------------------------------------
SIGNATURE_ARTICLE = "L6222-4"  # the contract is signed by the employer and the apprentice
REFUSAL_REASON_ARTICLE = "D6224-2"  # a refusal of the filing states its reasons
TERM_ARTICLE = "L6222-7-1"  # the contract's term: its end date, its length against the cycle
START_ARTICLE = "L6222-12"  # the start of execution
CORRECTION_ARTICLE = "D6224-5"  # the terms corrected after filing
PUBLIC_EMPLOYER_ARTICLE = "D6272-1"  # private or public employer: which chapter of the code applies
CROSS_BORDER_CONTRACT_ARTICLE = "L6235-1"  # a contract whose practical part is abroad
