"""Amounts as the funding state prints them, and their cents as the funding lines table keeps them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.funding.report import amount, cents


@pytest.mark.parametrize("value", ["0", "0.00", "-0.00", "7000", "1234.56", "-12.30", "0.05", "-0.01", "999999.99"])
def test_the_cents_of_a_printed_amount_are_the_amounts_own(value: str) -> None:
    d = Decimal(value)
    assert cents(amount(d)) == int(d * 100)
    assert Decimal(amount(d)) == d
