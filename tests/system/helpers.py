"""Steps a CFA takes, through the application, for the system tests."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from ledger.system import Ledger


def D(text: str) -> date:
    return date.fromisoformat(text)


def running(ledger: Ledger, key: str, t: dict[str, Any], signed: str = "2025-08-25") -> UUID:
    """Draft, sign, file and accept a contract; returns its id."""
    c = ledger.contracts
    cid = c.draft_contract(t, key, "cfa-1").contract_id
    c.sign(cid, D(signed))
    filed = max(D(signed), D(t["start_date"]))
    c.file(cid, filed, "DDETS" if t["employer"]["sector"] == "public" else "OPCO")
    c.decide_filing(cid, filed, True)
    return cid


def months(ledger: Ledger, cid: UUID) -> dict[str, str]:
    row = ledger.wage_view.contract(str(cid))
    assert row is not None and row.schedule is not None, row
    return {m["month"]: m["amount"] for m in row.schedule}


def causes(ledger: Ledger, cid: UUID) -> list[str]:
    return [h["cause"] for h in ledger.wage_view.history(str(cid))]
