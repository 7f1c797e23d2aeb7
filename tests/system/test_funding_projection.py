"""Funding through the application and its projection, on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.funding.report import funding_json
from ledger.system import Ledger
from tests.contract_builders import terms
from tests.system.helpers import D

BTS, OTHER = "32031309", "40031201"


def bts(certification: str = BTS, start: str = "2025-09-01", end: str = "2027-08-31", **kw: Any) -> dict[str, Any]:
    t = terms(birth="2005-01-10", start=start, end=end, **kw)
    t["training"].update(diploma_code=certification, level=5, title="BTS")
    return t


def cross_border(certification: str = BTS, start: str = "2025-10-01", end: str = "2027-09-30") -> dict[str, Any]:
    t = bts(certification, start=start, end=end)
    t["cross_border"] = {"country": "DE", "practical_part_abroad": True, "formation": "BTS"}
    t["employer"].update(siret=None, idcc=None, country="DE")
    return t


def accepted(ledger: Ledger, key: str, t: dict[str, Any], signed: str = "2025-08-20") -> UUID:
    c = ledger.contracts
    cid = c.draft_contract(t, key, "cfa-1").contract_id
    c.sign(cid, D(signed))
    filed = max(D(signed), D(t["start_date"]))
    c.file(cid, filed, "OPCO")
    c.decide_filing(cid, filed, True)
    return cid


def test_the_projection_keeps_each_contracts_funding_and_a_history_of_its_changes(ledger: Ledger) -> None:
    assert ledger.contracts.funding.record_npec(BTS, "0843", Decimal(7000), D("2024-01-01"), "illustrative")
    cid = accepted(ledger, "a", bts())
    ledger.sync()
    state = ledger.funding_view.state(str(cid))
    assert state == funding_json(ledger.contracts.funding.of_contract(cid))
    assert state is not None and state["level"]["annual"] == "7000.00" and state["totals"]["contract"] == "14000.00"
    ledger.contracts.terminate(cid, D("2026-01-15"), "resignation")
    ledger.sync()
    history = ledger.funding_view.history(str(cid))
    assert [h["cause"] for h in history] == ["Drafted", "Terminated"]
    rupture = history[-1]
    assert (rupture["old_total"], rupture["new_total"]) == ("14000.00", "2627.40")
    assert {
        "due_on": "2026-01-15",
        "kind": "rupture recovery",
        "payer": "OPCO",
        "before": None,
        "after": "-172.60",
    } in (rupture["lines"])


def test_an_npec_fixed_regularises_every_contract_of_its_certification_once(ledger: Ledger) -> None:
    first = accepted(ledger, "a", cross_border(), signed="2025-09-25")
    second = accepted(ledger, "b", cross_border(), signed="2025-09-25")
    other = accepted(ledger, "c", cross_border(OTHER), signed="2025-09-25")
    ledger.sync()
    assert ledger.funding_view.state(str(first))["level"]["source"] == "forfait"  # type: ignore[index]
    assert ledger.contracts.funding.fix_npec(
        BTS, Decimal(7400), D("2025-09-01"), D("2026-05-15"), "décret (illustrative)"
    )
    ledger.sync()
    for cid in (first, second):
        state = ledger.funding_view.state(str(cid))
        assert state is not None and state["regularised_on"] == "2026-05-15"
        causes = [h["cause"] for h in ledger.funding_view.history(str(cid))]
        assert causes.count("NpecFixed") == 1
    assert "NpecFixed" not in [h["cause"] for h in ledger.funding_view.history(str(other))]


def test_the_cfa_forecast_sums_the_payments_of_its_contracts_per_month(ledger: Ledger) -> None:
    ledger.contracts.funding.record_npec(BTS, "0843", Decimal(7000), D("2024-01-01"), "illustrative")
    for key in ("a", "b", "c"):
        accepted(ledger, key, bts())
    ledger.sync()
    months = {
        m: (payer, cents, n) for m, payer, cents, n in ledger.funding_view.forecast("cfa-1", "2025-09", "2026-12")
    }
    assert months["2025-10"] == ("OPCO", 3 * 280000, 3)  # three advances of 2 800.00
    assert months["2026-03"] == ("OPCO", 3 * 210000, 3)
    assert ledger.funding_view.forecast("cfa-other", "2025-09", "2026-12") == []


def test_a_rebuild_from_zero_gives_the_same_funding(ledger: Ledger) -> None:
    ledger.contracts.funding.record_npec(BTS, "0843", Decimal(7000), D("2024-01-01"), "illustrative")
    ids = [accepted(ledger, k, bts()) for k in ("a", "b")]
    ledger.contracts.terminate(ids[0], D("2026-01-15"), "resignation")
    ledger.contracts.funding.record_npec(BTS, "0843", Decimal(7500), D("2025-06-01"), "revised (illustrative)")
    ledger.sync()
    before = [(ledger.funding_view.state(str(c)), ledger.funding_view.history(str(c))) for c in ids]
    assert before[1][0]["level"]["annual"] == "7500.00"  # type: ignore[index]
    ledger.rebuild()
    ledger.sync()
    after = [(ledger.funding_view.state(str(c)), ledger.funding_view.history(str(c))) for c in ids]
    assert after == before  # the same state and the same history, entry for entry


def test_a_signature_gives_the_funding_computed_from_scratch_on_either_side_of_every_table_change(
    ledger: Ledger,
) -> None:
    # The projection reuses the draft's funding at the signature when no table entry starts in between:
    # signatures just before, on and after each breakpoint (schedule of 1 Jul 2025, cross-border from
    # 1 Sep 2025, an NPEC and a decree fixing one) must give what the engine computes from the events.
    c = ledger.contracts
    c.funding.record_npec(BTS, "0843", Decimal(7000), D("2025-03-01"), "illustrative")
    c.funding.fix_npec(OTHER, Decimal(7400), D("2025-09-01"), D("2025-09-10"), "décret (illustrative)")
    cases: list[tuple[dict[str, Any], str]] = []
    for start, signatures in (
        ("2025-07-01", ("2025-06-30", "2025-07-01", "2025-06-01")),
        ("2025-09-01", ("2025-08-31", "2025-09-01", "2025-07-15")),
        ("2025-03-03", ("2025-02-28", "2025-03-01", "2025-03-03")),
        ("2025-09-15", ("2025-09-09", "2025-09-10", "2025-09-15")),
    ):
        end = f"{int(start[:4]) + 2}{start[4:8]}28"
        for signed in signatures:
            for t in (bts(start=start, end=end), bts(OTHER, start=start, end=end), cross_border(OTHER, start, end)):
                cases.append((t, signed))
    ids = []
    for i, (t, signed) in enumerate(cases):
        cid = c.draft_contract(t, f"k{i}", "cfa-1").contract_id
        if i % 2:
            ledger.sync()  # the signature then comes in a later batch than the draft
        c.sign(cid, D(signed))
        ids.append(cid)
    ledger.sync()
    for cid in ids:
        state = ledger.funding_view.state(str(cid))
        assert state == funding_json(c.funding.of_contract(cid)), cid
        assert state is not None and state["conclusion_provisional"] is False
