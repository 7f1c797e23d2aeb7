"""The dated reference series the wage engine reads (SMIC, Luxembourg cotes), in a lookup-friendly form.

Built from the legal-parameter seeds or from the recorded reference-data events; the engine itself never
reads the seeds directly, so a revaluation recorded as an event is what the engine uses.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from domain import law


def to_cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


@dataclass(frozen=True)
class DatedSeries:
    """A value in force from each effective date (ordinal) until the next one."""

    starts: tuple[int, ...]
    values: tuple[int, ...]  # integer units (cents, or hundredths of an index point)
    labels: tuple[str, ...]

    @classmethod
    def build(cls, rows: Iterable[tuple[date, int, str]]) -> DatedSeries:
        ordered = sorted(rows, key=lambda r: r[0])
        return cls(tuple(r[0].toordinal() for r in ordered), tuple(r[1] for r in ordered), tuple(r[2] for r in ordered))

    def index_at(self, ordinal: int) -> int:
        """Index of the value in force on that day, -1 before the first."""
        return bisect_right(self.starts, ordinal) - 1

    def value_at(self, ordinal: int) -> int:
        i = self.index_at(ordinal)
        return self.values[i] if i >= 0 else 0

    def changes_within(self, first: int, last: int) -> list[int]:
        """Effective dates strictly after `first` and not after `last`."""
        lo = bisect_right(self.starts, first)
        hi = bisect_right(self.starts, last)
        return list(self.starts[lo:hi])


def _smic_series(smic: Iterable[law.SmicRevaluation]) -> DatedSeries:
    return DatedSeries.build((s.effective_date, to_cents(s.monthly), s.act) for s in smic)


@dataclass(frozen=True)
class WageReference:
    smic: DatedSeries  # monthly SMIC in cents (metropolitan France and the DOM but Mayotte)
    lu_cotes: DatedSeries  # cote d'application × 100
    smic_mayotte: DatedSeries = DatedSeries((), (), ())  # Mayotte's own monthly SMIC in cents

    @classmethod
    def from_series(
        cls,
        smic: Iterable[law.SmicRevaluation],
        lu_cotes: Iterable[law.LuxembourgCote] = law.LU_COTE_SEED,
        smic_mayotte: Iterable[law.SmicRevaluation] = (),
    ) -> WageReference:
        return cls(
            smic=_smic_series(smic),
            lu_cotes=DatedSeries.build((c.effective_date, to_cents(c.cote), c.source) for c in lu_cotes),
            smic_mayotte=_smic_series(smic_mayotte),
        )

    @classmethod
    def seed(cls) -> WageReference:
        return cls.from_series(law.SMIC_SEED, law.LU_COTE_SEED, law.SMIC_MAYOTTE_SEED)

    def smic_for(self, territory: str) -> DatedSeries:
        """The SMIC series of the employer's territory (the one place that choice is made)."""
        return self.smic_mayotte if territory == law.MAYOTTE else self.smic

    @cached_property
    def fingerprint(self) -> str:
        """Equal for two references with the same values on the same dates (labels aside): equal months."""
        parts = (self.smic, self.lu_cotes, self.smic_mayotte)
        text = ";".join(",".join(f"{d}={v}" for d, v in zip(s.starts, s.values, strict=True)) for s in parts)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def last_smic_date(self) -> date:
        return date.fromordinal(self.smic.starts[-1])
