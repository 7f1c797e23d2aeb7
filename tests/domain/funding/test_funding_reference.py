"""The funding parameters are named once: the engine asks only for names the reference data holds, and a name
it does not hold is an error rather than a rule silently left out."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from domain.funding import engine
from domain.funding.reference import PARAMETER_NAMES, FundingReference


def test_every_parameter_the_engine_reads_is_a_known_one_and_an_unknown_name_is_an_error() -> None:
    source = Path(engine.__file__).read_text()
    asked = set(re.findall(r'parameter\(\s*"([a-z_]+)"', source))
    asked |= set(re.findall(r'_majoration\([^)]*"([a-z_]+)"', source))
    assert asked and asked <= PARAMETER_NAMES
    tables = FundingReference.seed().tables()
    with pytest.raises(KeyError, match="distance_minoration"):
        tables.parameter("distance_minoration", date(2026, 1, 1))  # a misspelt name is not a rule left out
