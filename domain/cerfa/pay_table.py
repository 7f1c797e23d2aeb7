"""The form's pay table from the ledger's schedule, and the form's pay table checked against it.

A period of the form is (contract year, from, to, percentage, base). The ledger writes, for each contract
year, its stretches of one percentage and one kind of base (two at most: a year splits where the age bracket
changes). The check compares each written period, day by day, with the legal rate the engine computed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain import law
from domain.cerfa import fields as F
from domain.wage.engine import Rate, Schedule

HUNDRED = Decimal(100)
COMPARABLE_BASES = ("SMIC", "SMC")


@dataclass(frozen=True)
class Stretch:
    first: int  # ordinal
    last: int
    rate: Rate

    @property
    def pct(self) -> Decimal:
        return Decimal(self.rate.pct) / HUNDRED


def stretches(schedule: Schedule) -> Iterator[Stretch]:
    """Each rate of the schedule with the days it applies."""
    end = schedule.end.toordinal()
    for i, (first, rate) in enumerate(zip(schedule.bounds, schedule.rates, strict=True)):
        last = schedule.bounds[i + 1] - 1 if i + 1 < len(schedule.bounds) else end
        if first <= last:
            yield Stretch(first, last, rate)


def pay_table_from_schedule(schedule: Schedule) -> list[dict[str, Any]]:
    """Per contract year 1–4, its periods of one percentage and base; more than two are joined into the second
    at its highest percentage, so what the form commits to is never below the law."""
    table: list[dict[str, Any]] = []
    for year in F.PAY_YEARS:
        groups: list[list[Stretch]] = []
        for s in stretches(schedule):
            if s.rate.year != year or s.rate.base_kind not in COMPARABLE_BASES:
                continue
            last = groups[-1][-1] if groups else None
            if last is not None and (last.rate.pct, last.rate.base_kind) == (s.rate.pct, s.rate.base_kind):
                groups[-1].append(s)
            else:
                groups.append([s])
        if len(groups) > 2:
            groups = [groups[0], [s for g in groups[1:] for s in g]]
        for period, group in enumerate(groups, start=1):
            top = max(group, key=lambda s: s.rate.pct)
            table.append(
                {
                    "year": year,
                    "period": period,
                    "from": date.fromordinal(group[0].first).isoformat(),
                    "to": date.fromordinal(group[-1].last).isoformat(),
                    "pct": top.pct,
                    "base": top.rate.base_kind,
                }
            )
    return table


def _by_percentage(items: Iterator[Stretch]) -> list[Stretch]:
    """Consecutive stretches of one percentage, base and bracket joined (a SMIC change moves no percentage)."""
    out: list[Stretch] = []
    for s in items:
        prev = out[-1] if out else None
        if prev is not None and (prev.rate.pct, prev.rate.base_kind, prev.rate.bracket) == (
            s.rate.pct,
            s.rate.base_kind,
            s.rate.bracket,
        ):
            out[-1] = Stretch(prev.first, s.last, prev.rate)
        else:
            out.append(s)
    return out


def hiring_salary(schedule: Schedule) -> Decimal:
    """The first rate's full-month amount: the « salaire brut mensuel à l'embauche » the law requires at least."""
    cents = (schedule.rates[0].rate + 5_000) // 10_000
    return Decimal(cents) / HUNDRED


def _fr(d: int | str) -> str:
    day = date.fromordinal(d) if isinstance(d, int) else date.fromisoformat(d)
    return day.strftime("%d/%m/%Y")


def _label(p: dict[str, Any]) -> str:
    ordinal = "1re" if p["year"] == 1 else f"{p['year']}e"
    return f"{ordinal} année, période {p['period']} (du {_fr(p['from'])} au {_fr(p['to'])})"


def check_pay_table(
    pay_table: Sequence[dict[str, Any]], salary_at_hiring: Decimal | str | None, schedule: Schedule
) -> list[dict[str, Any]]:
    """Findings where the form's pay table or hiring salary is below the legal minimum, with the legal figure."""
    findings: list[dict[str, Any]] = []
    legal = _by_percentage(stretches(schedule))
    for p in pay_table:
        first, last = date.fromisoformat(p["from"]).toordinal(), date.fromisoformat(p["to"]).toordinal()
        written, base = Decimal(p["pct"]), str(p["base"]).upper()
        pct_field, base_field = F.pay_fields(p["year"], p["period"])[2:]
        opening = next((s for s in legal if s.first <= first <= s.last), None)
        for s in legal:
            lo, hi = max(first, s.first), min(last, s.last)
            if lo > hi or s.rate.base_kind not in COMPARABLE_BASES:
                continue
            if written < s.pct:
                late = opening is not None and s.rate.bracket > opening.rate.bracket
                findings.append(
                    {
                        "kind": "bracket_switch_late" if late else "pct_below_legal",
                        "period": _label(p),
                        "field": pct_field,
                        "from": date.fromordinal(lo).isoformat(),
                        "to": date.fromordinal(hi).isoformat(),
                        "written": f"{written} %",
                        "legal": f"{s.pct} %",
                        "article": law.BRACKET_CHANGE_ARTICLE if late else ", ".join(s.rate.rules),
                        "message": (
                            f"changement de tranche d'âge le {_fr(s.first)} (1er jour du mois suivant "
                            f"l'anniversaire) : {s.pct} % dus dès cette date, {written} % écrits jusqu'au {_fr(last)}"
                            if late
                            else f"du {_fr(lo)} au {_fr(hi)} : {written} % écrits, {s.pct} % au minimum légal"
                        ),
                    }
                )
            if base != s.rate.base_kind:
                findings.append(
                    {
                        "kind": "wrong_base",
                        "period": _label(p),
                        "field": base_field,
                        "from": date.fromordinal(lo).isoformat(),
                        "to": date.fromordinal(hi).isoformat(),
                        "written": base,
                        "legal": s.rate.base_kind,
                        "article": law.GRID_ARTICLE,
                        "message": f"du {_fr(lo)} au {_fr(hi)} : le minimum se calcule sur le {s.rate.base_kind}, "
                        f"pas sur le {base}",
                    }
                )
    if salary_at_hiring is not None and schedule.rates:
        salary, minimum = Decimal(salary_at_hiring), hiring_salary(schedule)
        if salary < minimum:
            findings.append(
                {
                    "kind": "salary_below_minimum",
                    "period": "à l'embauche",
                    "field": F.SALARY_AT_HIRING,
                    "from": schedule.start.isoformat(),
                    "to": schedule.start.isoformat(),
                    "written": f"{salary:.2f}",
                    "legal": f"{minimum:.2f}",
                    "article": ", ".join(schedule.rates[0].rules),
                    "message": f"salaire brut à l'embauche de {salary:.2f} € sous le minimum légal de {minimum:.2f} €",
                }
            )
    return findings
