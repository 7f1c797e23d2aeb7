"""Funding results as plain JSON data: the shape `ledger funding` prints and the API returns.

Money is a JSON string with two decimals, dates ISO; every figure carries its rule and its inputs, and each
payment says whether it has fallen due on `today`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain.events import jsonable
from domain.funding.engine import Funding
from domain.funding.hiring_aid import HiringAid


def amount(value: Decimal) -> str:
    return f"{value:.2f}"


def cents(text: str) -> int:
    """The cents of an `amount` text ("-12.30" → -1230): its digits, without the point."""
    return int(text.replace(".", ""))


def funding_json(f: Funding, today: date | None = None) -> dict[str, Any]:
    level = f.level
    years = [
        {
            "year": y.year,
            "from": y.first.isoformat(),
            "to": y.last.isoformat(),
            "full": y.full,
            "annual": amount(level.annual(y.disabled)),
        }
        for y in f.years
    ]
    payments = [
        {
            "due_on": p.due_on.isoformat(),
            "contract_year": p.contract_year,
            "kind": p.kind,
            "payer": p.payer,
            "amount": amount(p.amount),
            "rule": p.rule,
            "note": p.note,
        }
        for p in f.payments
    ]
    if today is not None:
        for line, p in zip(payments, f.payments, strict=True):
            line["status"] = "due" if p.due_on <= today else "upcoming"
    fallen_due = sum((p.amount for p in f.payments if today is not None and p.due_on <= today), Decimal(0))
    return {
        "mode": f.mode,
        "concluded_on": f.concluded_on.isoformat(),
        "conclusion_provisional": not f.conclusion_known,
        "level": {
            "source": level.source,
            "annual": amount(level.annual(False)),
            "annual_with_majoration": amount(level.annual(True)),
            "steps": [
                {"what": s.what, "amount": amount(s.amount), "rule": s.rule, "inputs": jsonable(s.inputs)}
                for s in level.steps
            ],
        },
        "schedule": None
        if f.schedule is None
        else {
            "article": f.schedule.article,
            "prorata": f.schedule.prorata,
            "applies_from": f.schedule.applies_from.isoformat(),
        },
        "contract_years": years,
        "payments": payments,
        "totals": {
            "contract": amount(f.due_total),
            "opco": amount(f.opco_total()),
            "employer": amount(f.employer_total()),
            **({"fallen_due": amount(fallen_due)} if today is not None else {}),
        },
        "regularised_on": f.regularised_on.isoformat() if f.regularised_on else None,
    }


def hiring_aid_json(aid: HiringAid) -> dict[str, Any]:
    return {
        "eligible": aid.eligible,
        "annual": amount(aid.annual),
        "why": aid.why,
        "rule": aid.rule,
        "months": [{"month": m, "amount": amount(a)} for m, a in aid.months],
    }
