"""A legal parameter: its value, its article, and the date from which it applies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Parameter:
    value: int
    article: str
    effective_from: date
    note: str = ""
