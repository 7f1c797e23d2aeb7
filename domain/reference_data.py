"""Dated reference series the wage depends on (SMIC, Luxembourg cote), recorded as events.

One singleton aggregate. It is created from the seeds of `domain.law` on the service's first start
(`ReferenceDataSeeded`), and every later value is a command (`SmicRevalued`, `LuxembourgCoteRecorded`), so
a revaluation is recorded with who/when in the audit trail and is never a code change.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain import law
from domain.errors import ReferenceDataError
from domain.terms import MAX_AMOUNT, has_control_characters
from domain.wage.reference import WageReference

REFERENCE_DATA_ID = uuid5(NAMESPACE_URL, "apprenticeship-ledger/reference-data")
CENT = Decimal("0.01")
MAX_LABEL_LENGTH = 200  # product limit on the act/source text, not law


def monthly_smic(hourly: Decimal) -> Decimal:
    """L3242-1 mensualisation: hourly × legal weekly hours × 52 / 12, rounded half-up to the cent."""
    weekly = hourly * law.LEGAL_WEEKLY_HOURS.value
    return (weekly * law.MENSUALISATION_WEEKS_PER_YEAR.value / 12).quantize(CENT, rounding=ROUND_HALF_UP)


def _smic_entry(s: law.SmicRevaluation, territory: str = law.METROPOLE) -> dict[str, Any]:
    entry = {"effective_date": s.effective_date, "hourly": s.hourly, "monthly": s.monthly, "act": s.act}
    if territory != law.METROPOLE:  # entries recorded before territories existed are metropolitan
        entry["territory"] = territory
    return entry


def _territory(entry: dict[str, Any]) -> str:
    return str(entry.get("territory", law.METROPOLE))


def _cote_entry(c: law.LuxembourgCote) -> dict[str, Any]:
    return {"effective_date": c.effective_date, "cote": c.cote, "source": c.source}


def _positive_cents(value: Decimal, fld: str, rule: str) -> None:
    if not value.is_finite() or value <= 0 or value > MAX_AMOUNT or value != value.quantize(CENT):
        raise ReferenceDataError(
            f"{fld} must be a positive amount with at most two decimals, not {value}", field=fld, rule=rule
        )


def _label(value: str, fld: str, rule: str) -> None:
    if (
        not isinstance(value, str)
        or not value.strip()
        or len(value) > MAX_LABEL_LENGTH
        or has_control_characters(value)
    ):
        raise ReferenceDataError(
            f"{fld} must be a non-empty text of at most {MAX_LABEL_LENGTH} characters, no control characters",
            field=fld,
            rule=rule,
        )


class ReferenceData(Aggregate):
    @staticmethod
    def create_id(**_: Any) -> UUID:
        return REFERENCE_DATA_ID

    @classmethod
    def seed(
        cls,
        smic: Iterable[law.SmicRevaluation] = law.SMIC_SEED,
        lu_cotes: Iterable[law.LuxembourgCote] = law.LU_COTE_SEED,
        smic_mayotte: Iterable[law.SmicRevaluation] = law.SMIC_MAYOTTE_SEED,
    ) -> ReferenceData:
        entries = [_smic_entry(s) for s in smic] + [_smic_entry(s, law.MAYOTTE) for s in smic_mayotte]
        return cls(smic=entries, lu_cotes=[_cote_entry(c) for c in lu_cotes])

    @event("ReferenceDataSeeded")
    def __init__(self, smic: list[dict[str, Any]], lu_cotes: list[dict[str, Any]]) -> None:
        self.smic_entries = sorted(smic, key=lambda e: e["effective_date"])
        self.lu_cote_entries = sorted(lu_cotes, key=lambda e: e["effective_date"])

    # -- queries --------------------------------------------------------------------------------------
    def smic_history(self, territory: str = law.METROPOLE) -> tuple[law.SmicRevaluation, ...]:
        """Every SMIC value of a territory, oldest first, in the shape of the `domain.law` seed."""
        return tuple(
            law.SmicRevaluation(e["effective_date"], e["hourly"], e["monthly"], e["act"])
            for e in self.smic_entries
            if _territory(e) == territory
        )

    def lu_cotes(self) -> tuple[law.LuxembourgCote, ...]:
        """Every Luxembourg cote d'application, oldest first."""
        return tuple(law.LuxembourgCote(e["effective_date"], e["cote"], e["source"]) for e in self.lu_cote_entries)

    def wage_reference(self) -> WageReference:
        """The series the wage engine reads, every territory's."""
        return WageReference.from_series(self.smic_history(), self.lu_cotes(), self.smic_history(law.MAYOTTE))

    def missing_seeds(self) -> list[tuple[law.SmicRevaluation, str]]:
        """Seed values of a territory this store was seeded without (Mayotte, in stores older than it)."""
        if self.smic_history(law.MAYOTTE):
            return []
        return [(s, law.MAYOTTE) for s in law.SMIC_MAYOTTE_SEED]

    # -- commands -------------------------------------------------------------------------------------
    def revalue_smic(
        self, effective_date: date, hourly: Decimal, monthly: Decimal, act: str, territory: str = law.METROPOLE
    ) -> bool:
        """Record a revaluation of a territory's SMIC; False when exactly that one is already recorded (a retry)."""
        if territory not in law.TERRITORIES:
            raise ReferenceDataError(
                f"territory must be one of {', '.join(law.TERRITORIES)}", field="territory", rule=law.SMIC_ARTICLE
            )
        rule = law.MAYOTTE_SMIC_ARTICLE if territory == law.MAYOTTE else law.SMIC_ARTICLE
        _positive_cents(hourly, "hourly", rule)
        _positive_cents(monthly, "monthly", rule)
        _label(act, "act", rule)
        expected = monthly_smic(hourly)
        if monthly != expected:
            raise ReferenceDataError(
                f"monthly {monthly} does not match hourly {hourly}: "
                f"{hourly} × {law.LEGAL_WEEKLY_HOURS.value} × "
                f"{law.MENSUALISATION_WEEKS_PER_YEAR.value} / 12 = {expected}",
                field="monthly",
                rule=law.MENSUALISATION_ARTICLE,
            )
        existing = next(
            (e for e in self.smic_entries if e["effective_date"] == effective_date and _territory(e) == territory),
            None,
        )
        if existing is not None:
            if (existing["hourly"], existing["monthly"]) == (hourly, monthly):
                return False
            raise ReferenceDataError(
                f"a revaluation on {effective_date} is already recorded ({existing['hourly']} / {existing['monthly']})",
                field="effective_date",
                rule=rule,
            )
        self._smic_revalued(effective_date=effective_date, hourly=hourly, monthly=monthly, act=act, territory=territory)
        return True

    @event("SmicRevalued")
    def _smic_revalued(
        self, effective_date: date, hourly: Decimal, monthly: Decimal, act: str, territory: str = law.METROPOLE
    ) -> None:
        entry = _smic_entry(law.SmicRevaluation(effective_date, hourly, monthly, act), territory)
        self.smic_entries = sorted([*self.smic_entries, entry], key=lambda e: e["effective_date"])

    def record_lu_cote(self, effective_date: date, cote: Decimal, source: str) -> bool:
        """Record a new Luxembourg cote d'application; False when exactly that one is already recorded."""
        rule = law.LU_ARTICLE
        _positive_cents(cote, "cote", rule)
        _label(source, "source", rule)
        existing = next((e for e in self.lu_cote_entries if e["effective_date"] == effective_date), None)
        if existing is not None:
            if existing["cote"] == cote:
                return False
            raise ReferenceDataError(
                f"a cote on {effective_date} is already recorded ({existing['cote']})",
                field="effective_date",
                rule=rule,
            )
        self._lu_cote_recorded(effective_date=effective_date, cote=cote, source=source)
        return True

    @event("LuxembourgCoteRecorded")
    def _lu_cote_recorded(self, effective_date: date, cote: Decimal, source: str) -> None:
        entry = {"effective_date": effective_date, "cote": cote, "source": source}
        self.lu_cote_entries = sorted([*self.lu_cote_entries, entry], key=lambda e: e["effective_date"])
