"""The funding reference data, recorded as events: NPEC versions, amorçage forfaits, payment schedules, caps.

One singleton aggregate, seeded from `domain.law` on the first start (`FundingReferenceSeeded`).
Every later value is an admin command: an NPEC version for a certification and a branch (or fixed by
decree, branch null), an `NpecFixed` decision for a certification that had none (the contracts funded
meanwhile at the amorçage forfait are regularised on the first payment after it), new forfaits, a new
R6332-25 schedule, a new cap or minoration. `FundingTables` is the engine's read-only view of it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain import law
from domain.errors import ReferenceDataError
from domain.terms import MAX_AMOUNT, has_control_characters

FUNDING_REFERENCE_ID = uuid5(NAMESPACE_URL, "apprenticeship-ledger/funding-reference")
PARAMETER_NAMES = frozenset(p.name for p in law.FUNDING_PARAMETER_SEED)
MAX_TEXT = 200


def _text(value: Any, fld: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT or has_control_characters(value):
        raise ReferenceDataError(f"{fld} must be a non-empty text of at most {MAX_TEXT} characters", field=fld)
    return value


def _amount(value: Decimal, fld: str, rule: str) -> Decimal:
    if not value.is_finite() or value <= 0 or value > MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        raise ReferenceDataError(f"{fld} must be a positive amount in euros and cents", field=fld, rule=rule)
    return value


def _schedule_entry(v: law.PaymentScheduleVersion) -> dict[str, Any]:
    return {
        "applies_from": v.applies_from,
        "instalments": [{"name": i.name, "share_pct": i.share_pct, "month": i.month} for i in v.instalments],
        "prorata": v.prorata,
        "article": v.article,
    }


def _forfait_entry(f: law.AmorcageForfaits) -> dict[str, Any]:
    return {"applies_from": f.applies_from, "by_level": {str(k): v for k, v in f.by_level.items()}, "source": f.source}


def _parameter_entry(p: law.FundingParameter) -> dict[str, Any]:
    return {"name": p.name, "value": p.value, "applies_from": p.applies_from, "article": p.article}


class FundingReference(Aggregate):
    @staticmethod
    def create_id(**_: Any) -> UUID:
        return FUNDING_REFERENCE_ID

    @classmethod
    def seed(cls) -> FundingReference:
        return cls(
            schedules=[_schedule_entry(v) for v in law.PAYMENT_SCHEDULE_SEED],
            forfaits=[_forfait_entry(f) for f in law.AMORCAGE_SEED],
            parameters=[_parameter_entry(p) for p in law.FUNDING_PARAMETER_SEED],
        )

    @event("FundingReferenceSeeded")
    def __init__(
        self, schedules: list[dict[str, Any]], forfaits: list[dict[str, Any]], parameters: list[dict[str, Any]]
    ) -> None:
        self.schedules = list(schedules)
        self.forfaits = list(forfaits)
        self.parameters = list(parameters)
        self.npecs: list[dict[str, Any]] = []

    # -- commands ---------------------------------------------------------------------------------------
    def record_npec(
        self, certification: str, branch: str | None, amount: Decimal, applies_from: date, source: str
    ) -> bool:
        """An NPEC version (branch = the employer's IDCC; None: fixed by decree). False for a repeat."""
        rule = law.NPEC_ARTICLE if branch is not None else law.DECREE_NPEC_ARTICLE
        entry = self._npec_entry(certification, branch, amount, applies_from, source, None, rule)
        if entry is None:
            return False
        self._npec_recorded(**entry)
        return True

    def fix_npec(self, certification: str, amount: Decimal, applies_from: date, decided_on: date, source: str) -> bool:
        """A decree fixing the NPEC of a certification that had none: contracts concluded from `applies_from`
        and funded at the forfait meanwhile are regularised on their first payment after `decided_on`."""
        entry = self._npec_entry(certification, None, amount, applies_from, source, decided_on, law.AMORCAGE_ARTICLE)
        if entry is None:
            return False
        self._npec_fixed(**entry)
        return True

    def _npec_entry(
        self,
        certification: str,
        branch: str | None,
        amount: Decimal,
        applies_from: date,
        source: str,
        decided_on: date | None,
        rule: str,
    ) -> dict[str, Any] | None:
        _text(certification, "certification")
        if branch is not None:
            _text(branch, "branch")
        _amount(amount, "amount", rule)
        _text(source, "source")
        if decided_on is not None and decided_on < applies_from:
            raise ReferenceDataError("decided_on is before applies_from", field="decided_on", rule=rule)
        same = next(
            (
                n
                for n in self.npecs
                if (n["certification"], n["branch"], n["applies_from"]) == (certification, branch, applies_from)
            ),
            None,
        )
        if same is not None:
            if (same["amount"], same["decided_on"]) == (amount, decided_on):
                return None
            raise ReferenceDataError(
                f"an NPEC of {same['amount']} is already recorded for {certification} from {applies_from}",
                field="applies_from",
                rule=rule,
            )
        return {
            "certification": certification,
            "branch": branch,
            "amount": amount,
            "applies_from": applies_from,
            "source": source,
            "decided_on": decided_on,
        }

    @event("NpecRecorded")
    def _npec_recorded(
        self,
        certification: str,
        branch: str | None,
        amount: Decimal,
        applies_from: date,
        source: str,
        decided_on: date | None,
    ) -> None:
        self._add_npec(certification, branch, amount, applies_from, source, decided_on)

    @event("NpecFixed")
    def _npec_fixed(
        self,
        certification: str,
        branch: str | None,
        amount: Decimal,
        applies_from: date,
        source: str,
        decided_on: date | None,
    ) -> None:
        self._add_npec(certification, branch, amount, applies_from, source, decided_on)

    def _add_npec(
        self,
        certification: str,
        branch: str | None,
        amount: Decimal,
        applies_from: date,
        source: str,
        decided_on: date | None,
    ) -> None:
        entry = {
            "certification": certification,
            "branch": branch,
            "amount": amount,
            "applies_from": applies_from,
            "source": source,
            "decided_on": decided_on,
        }
        self.npecs = [*self.npecs, entry]

    def record_forfaits(self, applies_from: date, by_level: dict[int, Decimal], source: str) -> bool:
        if not by_level or any(level not in range(3, 9) for level in by_level):
            raise ReferenceDataError("by_level maps RNCP levels 3..8 to amounts", field="by_level")
        for level, amount in by_level.items():
            _amount(amount, f"by_level.{level}", law.AMORCAGE_ARTICLE)
        levels = {str(k): v for k, v in by_level.items()}
        _text(source, "source")
        if {"applies_from": applies_from, "by_level": levels, "source": source} in self.forfaits:
            return False
        self._forfaits_recorded(applies_from=applies_from, by_level=levels, source=source)
        return True

    @event("AmorcageForfaitsRecorded")
    def _forfaits_recorded(self, applies_from: date, by_level: dict[str, Decimal], source: str) -> None:
        self.forfaits = [*self.forfaits, {"applies_from": applies_from, "by_level": by_level, "source": source}]

    def record_parameter(self, name: str, value: Decimal, applies_from: date, article: str) -> bool:
        if name not in PARAMETER_NAMES:
            raise ReferenceDataError(f"name must be one of {', '.join(sorted(PARAMETER_NAMES))}", field="name")
        if not value.is_finite() or value < 0:
            raise ReferenceDataError("value must be a non-negative number", field="value")
        _text(article, "article")
        if {"name": name, "value": value, "applies_from": applies_from, "article": article} in self.parameters:
            return False
        self._parameter_recorded(name=name, value=value, applies_from=applies_from, article=article)
        return True

    @event("FundingParameterRecorded")
    def _parameter_recorded(self, name: str, value: Decimal, applies_from: date, article: str) -> None:
        entry = {"name": name, "value": value, "applies_from": applies_from, "article": article}
        self.parameters = [*self.parameters, entry]

    def tables(self) -> FundingTables:
        return FundingTables.from_entries(self.schedules, self.forfaits, self.parameters, self.npecs)


# -- the engine's view ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Npec:
    certification: str
    branch: str | None
    amount: Decimal
    applies_from: date
    source: str
    decided_on: date | None  # an NpecFixed decision: known from this date, regularising earlier contracts


@dataclass(frozen=True)
class FundingTables:
    schedules: tuple[law.PaymentScheduleVersion, ...]
    forfaits: tuple[law.AmorcageForfaits, ...]
    parameters: tuple[law.FundingParameter, ...]
    npecs: tuple[Npec, ...]

    @classmethod
    def seed(cls) -> FundingTables:
        return cls(law.PAYMENT_SCHEDULE_SEED, law.AMORCAGE_SEED, law.FUNDING_PARAMETER_SEED, ())

    @classmethod
    def from_entries(
        cls,
        schedules: Iterable[dict[str, Any]],
        forfaits: Iterable[dict[str, Any]],
        parameters: Iterable[dict[str, Any]],
        npecs: Iterable[dict[str, Any]],
    ) -> FundingTables:
        return cls(
            tuple(
                law.PaymentScheduleVersion(
                    s["applies_from"],
                    tuple(law.Instalment(i["name"], i["share_pct"], i["month"]) for i in s["instalments"]),
                    s["prorata"],
                    s["article"],
                )
                for s in schedules
            ),
            tuple(
                law.AmorcageForfaits(f["applies_from"], {int(k): v for k, v in f["by_level"].items()}, f["source"])
                for f in forfaits
            ),
            tuple(law.FundingParameter(p["name"], p["value"], p["applies_from"], p["article"]) for p in parameters),
            tuple(Npec(**n) for n in npecs),
        )

    @cached_property
    def breakpoints(self) -> tuple[date, ...]:
        """Every date from which a lookup can answer differently: an entry starts applying or becomes known."""
        dates = {s.applies_from for s in self.schedules} | {f.applies_from for f in self.forfaits}
        dates |= {p.applies_from for p in self.parameters} | {n.applies_from for n in self.npecs}
        dates |= {n.decided_on for n in self.npecs if n.decided_on is not None}
        return tuple(sorted(dates))

    def same_lookups(self, a: date, b: date) -> bool:
        """Whether every lookup answers the same for a contract concluded on `a` as on `b` (known on that day):
        each one keeps the entries from on or before the date, so only a breakpoint in (min, max] tells them apart."""
        low, high = min(a, b), max(a, b)
        i = bisect_right(self.breakpoints, low)
        return i == len(self.breakpoints) or self.breakpoints[i] > high

    @cached_property
    def _npecs_by_key(self) -> dict[tuple[str, str | None], tuple[Npec, ...]]:
        """The NPECs by (certification, branch): a national table holds thousands, and each contract looks its
        own up two to four times."""
        index: dict[tuple[str, str | None], list[Npec]] = {}
        for n in self.npecs:
            index.setdefault((n.certification, n.branch), []).append(n)
        return {k: tuple(v) for k, v in index.items()}

    @cached_property
    def last_decision(self) -> date | None:
        """The latest NpecFixed decision: what is known on any later day is everything recorded."""
        return max((n.decided_on for n in self.npecs if n.decided_on is not None), default=None)

    def with_npecs(self, *npecs: Npec) -> FundingTables:
        return FundingTables(self.schedules, self.forfaits, self.parameters, (*self.npecs, *npecs))

    # -- lookups, all "in force for a contract concluded on `concluded`" ---------------------------------
    def schedule(self, concluded: date) -> law.PaymentScheduleVersion:
        versions = [s for s in self.schedules if s.applies_from <= concluded]
        if not versions:
            raise ReferenceDataError(f"no R6332-25 payment schedule for a contract concluded on {concluded}")
        return max(versions, key=lambda s: s.applies_from)

    def forfait(self, level: int, concluded: date) -> tuple[Decimal, str] | None:
        versions = [f for f in self.forfaits if f.applies_from <= concluded and level in f.by_level]
        if not versions:
            return None
        latest = max(versions, key=lambda f: f.applies_from)
        return latest.by_level[level], latest.source

    def parameter(self, name: str, concluded: date) -> law.FundingParameter | None:
        """The parameter in force for a contract concluded then; None when the rule did not apply yet. A name
        no rule has is an error, not a rule silently left out."""
        if name not in PARAMETER_NAMES:
            raise KeyError(f"no funding parameter is named {name!r} (one of {', '.join(sorted(PARAMETER_NAMES))})")
        versions = [p for p in self.parameters if p.name == name and p.applies_from <= concluded]
        return max(versions, key=lambda p: p.applies_from) if versions else None

    def npec(
        self, certification: str | None, branch: str | None, concluded: date, known_on: date | None
    ) -> Npec | None:
        """The NPEC for the certification in the branch (None: the decree's), in force at the conclusion date,
        as known on `known_on` (None: everything recorded)."""
        if certification is None:
            return None
        versions = [
            n
            for n in self._npecs_by_key.get((certification, branch), ())
            if n.applies_from <= concluded and (known_on is None or n.decided_on is None or n.decided_on <= known_on)
        ]
        return max(versions, key=lambda n: n.applies_from) if versions else None
