"""Reading plain data field by field: each reader names the field in its error (`InvalidTerms`)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.errors import InvalidTerms

_MISSING = object()
# Product limits on the terms' texts and lists (not law); the HTTP schemas read them from here.
MAX_TEXT = 200
MAX_MASTER_ID = 100
MAX_SMC_ENTRIES = 200
# Control characters (tab and line breaks aside) are never part of a name, an id or a reason, and
# PostgreSQL text columns cannot even hold a NUL: refused wherever a text enters the ledger.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(value: str) -> bool:
    return CONTROL_CHARACTERS.search(value) is not None


LINE_BREAKS = frozenset("\n\r\x85\u2028\u2029")
INVISIBLE = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})  # format (zero-width), control, space and separators


def is_one_visible_line(value: str) -> bool:
    """A name: one line (no line or paragraph separator) with at least one visible character."""
    return not LINE_BREAKS.intersection(value) and any(unicodedata.category(ch) not in INVISIBLE for ch in value)


class FieldReader:
    def __init__(self, raw: Any, path: str) -> None:
        if not isinstance(raw, Mapping):
            raise InvalidTerms(f"{path or 'terms'} must be a JSON object", field=path or "terms")
        self.raw = raw
        self.path = path

    def _f(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, default: Any = _MISSING) -> Any:
        if key not in self.raw or self.raw[key] is None:
            if default is _MISSING:
                raise InvalidTerms(f"{self._f(key)} is required", field=self._f(key))
            return default
        return self.raw[key]

    def text(self, key: str, default: Any = _MISSING, max_len: int = MAX_TEXT) -> Any:
        v = self.get(key, default)
        if v is default and default is not _MISSING:
            return v
        if not isinstance(v, str) or not v.strip():
            raise InvalidTerms(f"{self._f(key)} must be a non-empty string", field=self._f(key))
        if len(v) > max_len:
            raise InvalidTerms(f"{self._f(key)} is longer than {max_len} characters", field=self._f(key))
        if has_control_characters(v):
            raise InvalidTerms(f"{self._f(key)} contains control characters", field=self._f(key))
        return v

    def name(self, key: str, default: Any = _MISSING, max_len: int = MAX_TEXT) -> Any:
        """A name or title: a text on one line, not made only of invisible (zero-width, space) characters."""
        v = self.text(key, default, max_len)
        if isinstance(v, str) and not is_one_visible_line(v):
            raise InvalidTerms(
                f"{self._f(key)} must be one line of visible characters (no line break, not only zero-width "
                "or space characters)",
                field=self._f(key),
            )
        return v

    def date(self, key: str, default: Any = _MISSING) -> Any:
        v = self.get(key, default)
        if v is default and default is not _MISSING:
            return v
        return parse_date(v, self._f(key))

    def boolean(self, key: str, default: Any = _MISSING) -> Any:
        v = self.get(key, default)
        if v is default and default is not _MISSING:
            return v
        if not isinstance(v, bool):
            raise InvalidTerms(f"{self._f(key)} must be true or false", field=self._f(key))
        return v

    def integer(self, key: str, default: Any = _MISSING, lo: int | None = None, hi: int | None = None) -> Any:
        v = self.get(key, default)
        if v is default and default is not _MISSING:
            return v
        if isinstance(v, bool) or not isinstance(v, (int, str)):
            raise InvalidTerms(f"{self._f(key)} must be a whole number", field=self._f(key))
        try:
            n = int(v)
        except ValueError:
            raise InvalidTerms(f"{self._f(key)} must be a whole number", field=self._f(key)) from None
        if (lo is not None and n < lo) or (hi is not None and n > hi):
            raise InvalidTerms(f"{self._f(key)} must be between {lo} and {hi}", field=self._f(key))
        return n

    def number(self, key: str, default: Any = _MISSING) -> Any:
        v = self.get(key, default)
        if v is default and default is not _MISSING:
            return v
        return parse_decimal(v, self._f(key))

    def sub(self, key: str, optional: bool = False) -> FieldReader | None:
        v = self.get(key, None if optional else _MISSING)
        return None if v is None else FieldReader(v, self._f(key))


# Dates the ledger accepts: wide enough for any birth date or contract, narrow enough that date arithmetic
# (a year added, a day after the end) never leaves Python's calendar.
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2199, 12, 31)
MAX_AMOUNT = Decimal("1000000")  # euros: no wage, SMC or NPEC comes near it


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(v: Any, fld: str) -> date:
    if not isinstance(v, str) or not ISO_DATE.fullmatch(v):
        raise InvalidTerms(f"{fld} must be a date YYYY-MM-DD", field=fld)
    try:
        d = date.fromisoformat(v)
    except ValueError:
        raise InvalidTerms(f"{fld} is not a calendar date ({v})", field=fld) from None
    if not EARLIEST_DATE <= d <= LATEST_DATE:
        raise InvalidTerms(f"{fld} must be between {EARLIEST_DATE} and {LATEST_DATE}", field=fld)
    return d


def parse_decimal(v: Any, fld: str) -> Decimal:
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        raise InvalidTerms(f"{fld} must be a number", field=fld)
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        raise InvalidTerms(f"{fld} must be a number", field=fld) from None
    if not d.is_finite():
        raise InvalidTerms(f"{fld} must be a finite number", field=fld)
    return d


def parse_money(v: Any, fld: str) -> Decimal:
    d = parse_decimal(v, fld)
    if d > MAX_AMOUNT:  # before quantize, which cannot represent 1e308 to the cent
        raise InvalidTerms(f"{fld} is implausibly large (more than {MAX_AMOUNT})", field=fld)
    if d < 0 or d != d.quantize(Decimal("0.01")):
        raise InvalidTerms(f"{fld} must be a non-negative amount with at most two decimals", field=fld)
    return d.quantize(Decimal("0.01"))
