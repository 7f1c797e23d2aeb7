"""French formatting for the CFA's page: money as « 1 801,80 € », dates as « 01/04/2026 »."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

NARROW_NBSP = "\u202f"  # thousands separator (CLDR fr)
NBSP = "\u00a0"  # before the euro sign


def euros(amount: str | Decimal | None) -> str:
    if amount is None or amount == "":
        return "—"
    value = Decimal(str(amount))
    sign = "-" if value < 0 else ""
    whole, cents = f"{abs(value):.2f}".split(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{sign}{NARROW_NBSP.join(groups)},{cents}{NBSP}€"


def day(value: str | date | None) -> str:
    if not value:
        return "—"
    d = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return d.strftime("%d/%m/%Y")


def moment(value: str | None) -> str:
    if not value:
        return "—"
    return datetime.fromisoformat(value).strftime("%d/%m/%Y %H:%M")


MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


def month(key: str) -> str:
    year, number = key.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"
