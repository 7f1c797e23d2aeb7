"""`ledger demo`: three realistic contracts drafted, signed, filed and accepted on the configured store, then
shown as a CFA officer reads them, with their legal minimum month by month.

The contracts are dated from today (they started three months ago, so they are running and their first
months are paid): the sample terms below are written for a September 2025 start and shifted by whole months.
Idempotency keys carry the start month and state checks skip what is recorded: a second run records nothing.
"""

from __future__ import annotations

import argparse
import re
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from domain import law
from domain.contract_status import DRAFTED, FILED, SIGNED
from domain.dates import add_months, age_on
from domain.errors import DomainError
from domain.examples import example_terms
from domain.wage.engine import schedule_json
from ledger.application import Contracts
from ledger.bootstrap import bootstrap
from ledger.errors import ApplicationError
from ledger.settings import Settings
from ledger.time import paris_today

CFA_ID = "CFA-DEMO-0001"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _apprentice(first: str, last: str, birth: str, disability: bool = False) -> dict[str, Any]:
    return {
        "first_name": first,
        "last_name": last,
        "birth_date": birth,
        "disability_recognised": disability,
        "high_level_athlete": False,
    }


# (idempotency key, terms (interfaces §1), signed on, filed on)
DEMO_CONTRACTS: tuple[tuple[str, dict[str, Any], str, str], ...] = (
    (
        "demo-2025-cap-boulanger-lea-martin",
        {**example_terms(), "master": {"id": "MA-BOULANGERIE-MARTIN-01", "name": "Paul Martin"}},
        "2025-08-25",
        "2025-09-03",
    ),
    (
        "demo-2025-bts-sio-mairie-karim-benali",
        {
            **example_terms(
                apprentice=_apprentice("Karim", "Benali", "2005-05-10"),
                employer={
                    "name": "Mairie de Villeurbanne",
                    "siret": "21690266800013",
                    "sector": "public",
                    "public_majoration_points": 20,
                    "idcc": None,
                    "headcount": 2400,
                },
                training={
                    "title": "BTS Services informatiques aux organisations",
                    "diploma_code": "32032603",
                    "level": 5,
                    "cfa_start_date": "2025-09-15",
                    "exam_end_date": "2027-06-15",
                },
            ),
            "master": {"id": "MA-VILLEURBANNE-DSI-04", "name": "Sophie Girard"},
            "end_date": "2027-08-14",
        },
        "2025-08-28",
        "2025-09-04",
    ),
    (
        "demo-2025-bac-pro-msp-rqth-hugo-petit",
        {
            **example_terms(
                apprentice=_apprentice("Hugo", "Petit", "2007-01-20", disability=True),
                employer={
                    "name": "Mécanique de Précision du Rhône",
                    "siret": "41234567800027",
                    "idcc": "3248",
                    "headcount": 85,
                },
                training={
                    "title": "Bac pro Maintenance des systèmes de production connectés",
                    "diploma_code": "40025012",
                    "level": 4,
                    "cycle_months": 36,
                    "exam_end_date": "2029-06-30",
                },
            ),
            "master": {"id": "MA-MPR-ATELIER-02", "name": "Nadia Lefèvre"},
            "end_date": "2029-08-30",
        },
        "2025-08-29",
        "2025-09-05",
    ),
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "demo",
        help="draft, sign and file three sample contracts on the configured store, and show them",
        description="Idempotent: a second run finds the same contracts and records nothing new. The store is "
        "LEDGER_DATABASE_URL (default sqlite:///var/ledger.sqlite3) unless --database-url is given.",
    )
    p.add_argument("--database-url", help="sqlite:///path, sqlite:////abs/path, postgresql://... or memory:")
    p.set_defaults(handler=handle)


SAMPLE_START = date(2025, 9, 1)  # the start the sample terms are written for
STARTED_MONTHS_AGO = 3
DECISION_AFTER_DAYS = 10  # the filing body's decision, well within its 20 days (R6224-3)


def demo_start(today: date) -> date:
    """The first of the month three months back: running contracts with a few months already paid."""
    return add_months(today.replace(day=1), -STARTED_MONTHS_AGO)


def _shifted(value: Any, months: int) -> Any:
    """The terms with every date moved by whole months (the ages and durations stay the same)."""
    if isinstance(value, dict):
        return {k: _shifted(v, months) for k, v in value.items()}
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return add_months(date.fromisoformat(value), months).isoformat()
    return value


def run_demo(app: Contracts, today: date) -> list[UUID]:
    """Bring each sample contract to 'accepted', doing only the steps not yet recorded."""
    start = demo_start(today)
    months = (start.year - SAMPLE_START.year) * 12 + start.month - SAMPLE_START.month
    ids = []
    for key, sample, signed_on, filed_on in DEMO_CONTRACTS:
        terms = _shifted(sample, months)
        signed, filed = (add_months(date.fromisoformat(d), months) for d in (signed_on, filed_on))
        result = app.draft_contract(terms, f"{key.replace('2025', f'{start:%Y-%m}')}", CFA_ID)
        contract = app.get_contract(result.contract_id)
        if contract.status == DRAFTED:
            app.sign(contract.id, signed)
            contract = app.get_contract(contract.id)
        if contract.status == SIGNED:
            app.file(contract.id, filed, contract.filing_authority)
            contract = app.get_contract(contract.id)
        if contract.status == FILED:
            app.decide_filing(contract.id, filed + timedelta(days=DECISION_AFTER_DAYS), True)
        ids.append(result.contract_id)
    return ids


def wage_lines(app: Contracts, contract_id: UUID, today: date) -> list[str]:
    """The legal minimum month by month, the current month marked, each change with its rate and rules."""
    lines = ["  Legal minimum wage, month by month (gross, EUR):"]
    current = f"{today:%Y-%m}"
    previous = None
    months: list[dict[str, Any]] = schedule_json(app.wage_schedule(contract_id))  # type: ignore[assignment]
    for m in months:
        last = m["segments"][-1]
        rate = f"{last['pct']} % of {last['base_kind']} {last['base']}, {last['bracket']}, year {last['year']}"
        change = f"   {rate}  [{', '.join(last['rules'])}]" if rate != previous else ""
        marker = "  <- this month" if m["month"] == current else ""
        lines.append(f"    {m['month']}  {m['amount']:>9}{marker}{change}")
        previous = rate
    return lines


def _event_date(payload: dict[str, Any]) -> str:
    for key in ("on", "effective_date", "from"):
        if key in payload:
            return str(payload[key])
    return "-"


def describe(app: Contracts, contract_id: UUID) -> str:
    c = app.get_contract(contract_id)
    t = c.terms
    a, e, tr = t.apprentice, t.employer, t.training
    d = c.deadlines
    lines = [
        f"Contract {c.id}  (version {c.version}, CFA {c.cfa_id})",
        f"  Apprentice : {a.first_name} {a.last_name}, born {a.birth_date}, {age_on(a.birth_date, t.start_date)} "
        f"at the start{', disability recognised (RQTH)' if a.disability_recognised else ''}",
        f"  Employer   : {e.name}, SIRET {e.siret}, {e.sector} sector"
        + (f", +{e.public_majoration_points} points (public majoration)" if e.public_majoration_points else ""),
        f"  Training   : {tr.title} (level {tr.level}, cycle {tr.cycle_months} months), "
        f"CFA from {tr.cfa_start_date or '-'}, exams by {tr.exam_end_date or '-'}",
        f"  Master     : {t.master.name} ({t.master.id})" if t.master else "  Master     : -",
        f"  Contract   : {t.start_date} to {c.effective_end}",
        f"  Status     : {c.status}" + (f", filed with the {c.authority} on {c.filed_on}" if c.filed_on else ""),
        "  Deadlines  :",
        f"    {'filing due (' + d['filing_authority'] + ')':<34}{d['filing_due']}  "
        f"({law.FILING_WORKING_DAYS.value} working days, {law.FILING_WORKING_DAYS.article})",
        f"    {'probation ends, at the earliest':<34}{d['probation_end_earliest']}  "
        f"(day {law.PROBATION_DAYS.value} in the company, {law.PROBATION_DAYS.article})",
        f"    {'decision due':<34}{d['decision_due'] or '- (not filed yet)'}  "
        f"({law.DECISION_DAYS.value} days, {law.DECISION_DAYS.article})",
    ]
    if c.warnings:
        lines.append("  Warnings   :")
        lines += [f"    [{w['rule']}] {w['detail']}" for w in c.warnings]
    else:
        lines.append("  Warnings   : none")
    lines.append("  History    :")
    for ev in app.contract_events(contract_id):
        lines.append(
            f"    v{ev['version']:<3} {ev['type']:<22} dated {_event_date(ev['payload']):<12} "
            f"recorded {ev['recorded_at'][:19].replace('T', ' ')} UTC"
        )
    return "\n".join(lines)


def handle(args: argparse.Namespace) -> int:
    settings = Settings(database_url=args.database_url) if args.database_url else Settings()
    ledger = bootstrap(settings)
    app = ledger.contracts
    today = paris_today()
    try:
        ids = run_demo(app, today)
        print(f"Store: {settings.database_url}\n")
        for contract_id in ids:
            print(describe(app, contract_id))
            print("\n".join(wage_lines(app, contract_id, today)))
            print()
    except (DomainError, ApplicationError) as e:
        print(f"demo refused: {e.as_problem()}")
        return 1
    finally:
        ledger.close()
    return 0
