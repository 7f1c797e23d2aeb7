"""One tick of the clock: record every time-driven event due by `today`, for the contracts the index names.

Cost follows what is due: the clock index answers "which contracts need the clock by today" with an
indexed range query; only those contracts are loaded. Each contract's due events are saved together
(`Contracts.advance_clock`), so a tick killed halfway leaves whole contracts done or untouched, and the
next tick finishes the rest. Two ticks at once record each event once: the second save of a contract
loses the optimistic-concurrency race and, on retry, finds nothing due.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from domain.errors import DomainError
from ledger.errors import ConcurrentChange, ContractNotFound, refuse_if_rebuilding
from ledger.system import Ledger

log = logging.getLogger(__name__)
BATCH = 1000


@dataclass
class TickReport:
    today: date
    contracts: int = 0  # contracts the index named as due
    recorded: list[tuple[str, str, date]] = field(default_factory=list)  # (contract id, event type, effective)
    failed: dict[str, str] = field(default_factory=dict)  # contract id → why (left for the next tick)

    def as_dict(self) -> dict[str, object]:
        return {
            "today": self.today.isoformat(),
            "contracts": self.contracts,
            "recorded": len(self.recorded),
            "events": [{"contract_id": c, "type": k, "effective_date": d.isoformat()} for c, k, d in self.recorded],
            "failed": self.failed,
        }


def tick(ledger: Ledger, today: date, batch: int = BATCH) -> TickReport:
    """Catch the clock index up, then advance every contract it names as due by `today`."""
    # a half-built index names too few contracts: refused rather than a tick that records nothing
    refuse_if_rebuilding(ledger.incomplete_rebuilds(("clock", "wages")), ("clock", "wages"))
    report = TickReport(today)
    done: set[str] = set()  # advanced (or failed) in this tick: never twice, whatever the index says
    ledger.clock_runner.catch_up()
    while True:
        ids = [cid for cid in ledger.clock_view.due(today.isoformat(), batch + len(done)) if cid not in done]
        if not ids:
            return report
        for contract_id in ids[:batch]:
            done.add(contract_id)
            report.contracts += 1
            try:
                due = ledger.contracts.advance_clock(UUID(contract_id), today)
            except (DomainError, ConcurrentChange, ContractNotFound) as e:
                log.error("clock: contract %s not advanced: %s", contract_id, e)
                report.failed[contract_id] = str(e)
                continue
            if not due:  # the index was early (it read a state older than a concurrent tick's): refresh it
                ledger.clock_index.refresh(contract_id)
            report.recorded.extend((contract_id, d.kind, d.effective_date) for d in due)
        ledger.clock_runner.catch_up()  # the index now shows each advanced contract's next date
