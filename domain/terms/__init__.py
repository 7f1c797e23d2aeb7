"""Contract terms (interfaces §1): their values, reading them from plain data, and the rules on them (spec §6).

- `model`: the immutable `ContractTerms` and its sections, and their JSON shape;
- `reader`: reading plain data field by field, each refusal naming its field;
- `parsing`: `parse_terms`, the terms JSON to `ContractTerms`, section by section;
- `rules`: `check_terms`, the law's rules on the whole terms (hard ones refused, soft ones warned).
"""

from __future__ import annotations

from domain.terms.model import (
    AGE_EXCEPTIONS,
    NO_FUNDING_TERMS,
    Apprentice,
    ContractTerms,
    CrossBorder,
    Employer,
    FundingTerms,
    Master,
    PreviousContract,
    SmcEntry,
    Training,
)
from domain.terms.parsing import parse_terms
from domain.terms.reader import (
    MAX_AMOUNT,
    MAX_MASTER_ID,
    MAX_SMC_ENTRIES,
    MAX_TEXT,
    has_control_characters,
    is_one_visible_line,
    parse_date,
    parse_decimal,
    parse_money,
)
from domain.terms.rules import check_terms, contract_months, luxembourg_family, max_age_for

__all__ = [
    "AGE_EXCEPTIONS",
    "NO_FUNDING_TERMS",
    "Apprentice",
    "ContractTerms",
    "CrossBorder",
    "Employer",
    "FundingTerms",
    "Master",
    "PreviousContract",
    "SmcEntry",
    "Training",
    "parse_terms",
    "MAX_AMOUNT",
    "MAX_MASTER_ID",
    "MAX_SMC_ENTRIES",
    "MAX_TEXT",
    "has_control_characters",
    "is_one_visible_line",
    "parse_date",
    "parse_decimal",
    "parse_money",
    "check_terms",
    "contract_months",
    "luxembourg_family",
    "max_age_for",
]
