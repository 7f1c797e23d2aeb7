"""Mayotte's SMIC is reference data like the metropolitan one: recorded as events, followed by the wage view."""

from __future__ import annotations

from decimal import Decimal

from domain import law
from domain.reference_data import ReferenceData, monthly_smic
from ledger.system import Ledger
from tests.contract_builders import terms
from tests.system.helpers import D, causes, months, running


def test_a_mayotte_revaluation_moves_mayotte_contracts_only(ledger: Ledger) -> None:
    mayotte = running(ledger, "m", terms(employer__postcode="97600"))
    paris = running(ledger, "p", terms())
    ledger.sync()
    assert months(ledger, mayotte)["2027-01"] == "739.46"  # 51 % × 1 449,93 € (18–20, year 2)
    written_at = "SELECT updated_at FROM {schema}wage_contracts WHERE contract_id = ?"
    paris_written = ledger.wage_view.query(written_at, (str(paris),))
    hourly = Decimal("9.80")
    assert ledger.contracts.reference.record_smic_revaluation(
        D("2027-01-01"), hourly, monthly_smic(hourly), "test", "mayotte"
    )
    ledger.sync()
    assert months(ledger, mayotte)["2027-01"] == "758.03"  # 51 % × 1 486,33 € (9,80 × 35 × 52 / 12)
    assert months(ledger, mayotte)["2026-12"] == "739.46"  # before its effective date: unchanged
    assert months(ledger, paris)["2027-01"] == "952.18"  # the metropolitan SMIC did not move
    assert causes(ledger, paris) == ["Drafted"]
    assert ledger.wage_view.query(written_at, (str(paris),)) == paris_written  # not even rewritten
    assert "SmicRevalued" in causes(ledger, mayotte)


def test_the_seed_holds_mayottes_series_and_an_older_seed_reports_it_missing(ledger: Ledger) -> None:
    app = ledger.contracts
    data = app.reference.data()
    assert [s.monthly for s in data.smic_history(law.MAYOTTE)] == [s.monthly for s in law.SMIC_MAYOTTE_SEED]
    # An old seed (metropolitan only) replays with no Mayotte series; the start records the missing seeds.
    old = ReferenceData.seed(smic_mayotte=())
    assert old.smic_history(law.MAYOTTE) == () and len(old.missing_seeds()) == len(law.SMIC_MAYOTTE_SEED)
    assert data.missing_seeds() == []
