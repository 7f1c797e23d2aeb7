"""The Contracts application: one method per use case, each get → command → save.

The aggregates hold the rules; this layer loads them, applies the caller's expected version (If-Match),
keeps the masters' rosters in step with their contracts (saved in the same transaction), and turns the
library's persistence outcomes into application errors.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Mapper, Recording
from eventsourcing.postgres import PostgresDatastore

from domain.clock import DueEvent, due_events
from domain.contract import Contract
from domain.drafting import contract_id_for
from domain.events import event_json, event_payload, event_type, recorded_timestamp
from domain.personal_data import is_erased
from domain.roster import MasterRoster, roster_id_for
from domain.terms import ContractTerms, has_control_characters, parse_terms
from domain.wage.engine import Schedule, compute_schedule, schedule_json
from domain.wage.facts import WAGE_FACT_EVENTS, wage_facts
from ledger.access import ApiKeys, UiSessions
from ledger.current_reads import CurrentReads
from ledger.errors import ConcurrentChange, ContractNotFound, IdempotencyKeyReused, InvalidRequest, VersionConflict
from ledger.funding import FundingUseCases
from ledger.lru import LruCache, PickledLru
from ledger.personal_data import DataKeys, KeyWritingRecorder, PersonalDataMapper, SQLDataKeys
from ledger.reference_data import ReferenceDataUseCases
from ledger.webhook_subscriptions import WebhookSubscriptions
from store.persistence import BaseApplication, find_aggregate

MAX_IDEMPOTENCY_KEY_LENGTH = 200
MONTHS_CACHE_SIZE = 20_000  # schedules of the contracts read most recently

Facts = tuple[ContractTerms, list[dict[str, Any]]]  # the drafted terms and the wage facts recorded since


def months_json(months: list[dict[str, Any]]) -> bytes:
    """The months as the API sends them (Starlette's JSONResponse separators)."""
    return json.dumps(months, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class DraftResult:
    contract_id: UUID
    created: bool  # False: the idempotency key had already drafted this contract; nothing was recorded
    version: int


class Contracts(CurrentReads, BaseApplication):
    """The contracts' use cases; the other use cases on the same store are its parts (`reference`, `funding`,
    `keys`, `sessions`, `webhooks`), each a class of its own module, sharing its store."""

    # No snapshots of contracts: a snapshot would copy the apprentice's name and birth date outside the sealed
    # events, out of reach of erasure; a contract has tens of events and loads fast without.

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert isinstance(self.mapper, PersonalDataMapper)
        self.data_keys = self.mapper.keys
        if isinstance(self.data_keys, SQLDataKeys) and isinstance(self.recorder, KeyWritingRecorder):
            self.recorder.data_keys = self.data_keys
            self.data_keys.deferred = True
        # (contract, version, reference version) -> the months as JSON: sent as they are, never scanned by the GC
        self._months_cache: LruCache[tuple[UUID, int, int], bytes] = LruCache(MONTHS_CACHE_SIZE)
        # (contract, version) -> drafted terms and wage facts: a new fact is checked without reading them all
        self._facts_cache: PickledLru[tuple[UUID, int], Facts] = PickledLru(MONTHS_CACHE_SIZE)
        self.keys = ApiKeys(self)
        self.sessions = UiSessions(self, self.keys)
        self.webhooks = WebhookSubscriptions(self)
        self.funding = FundingUseCases(self)
        self.reference = ReferenceDataUseCases(self)

    # -- drafting -----------------------------------------------------------------------------------
    def draft_contract(
        self,
        terms_raw: Mapping[str, Any],
        idempotency_key: str | None = None,
        cfa_id: str | None = None,
        then: Callable[[Contract], None] | None = None,
    ) -> DraftResult:
        """Draft a contract from interfaces §1 terms. The same key always answers with the same contract.

        A CFA's keys are its own: the key is scoped by the CFA id, so two CFAs using the same key never meet.
        `then` records more of the new contract's first events (a form's signature) in the same save.
        """
        terms = parse_terms(terms_raw)
        key = _checked_key(idempotency_key) if idempotency_key is not None else uuid4().hex
        if cfa_id is not None:
            key = f"{cfa_id}/{key}"
        contract_id = contract_id_for(key)
        existing = self.cached_copy(contract_id)  # a retry this process saw: no save attempted
        if isinstance(existing, Contract):
            return self._replayed(existing, terms.to_json(), cfa_id)
        # Otherwise the save itself tells a retry apart: the key's contract id is taken (IntegrityError below).
        contract = Contract.draft(terms, key, cfa_id)
        if then is not None:
            then(contract)
        facts = self._facts_after(contract)
        months = self._check_computable(contract, facts)
        to_save: list[Aggregate] = [contract]
        if terms.master is not None:
            roster = self._roster(terms.master.id)
            roster.admit(str(contract.id), terms.start_date, terms.end_date)
            to_save.insert(0, roster)
        try:
            recordings = self.save(*to_save)
        except IntegrityError:
            # Either a concurrent retry with the same key won (then this is that contract), or the roster moved.
            existing = self._find(contract_id)
            if existing is not None:
                return self._replayed(existing, terms.to_json(), cfa_id)
            raise ConcurrentChange(
                f"the roster of master {terms.master.id if terms.master else '?'} changed meanwhile; retry",
                field="master.id",
            ) from None
        self._remember_saved_contract(recordings, contract, facts, months)
        return DraftResult(contract.id, True, contract.version)

    @staticmethod
    def _replayed(existing: Contract, terms_json: dict[str, Any], cfa_id: str | None) -> DraftResult:
        if existing.drafted_terms_data != terms_json or existing.cfa_id != cfa_id:
            raise IdempotencyKeyReused(
                f"idempotency key '{existing.idempotency_key}' already drafted contract {existing.id} with other terms",
                field="idempotency_key",
            )
        return DraftResult(existing.id, False, existing.version)

    # -- lifecycle commands (interfaces §3); each returns the contract's new version ------------------
    def sign(self, contract_id: UUID, on: date, expected_version: int | None = None) -> int:
        return self._change(contract_id, lambda c: c.sign(on), expected_version)

    def file(self, contract_id: UUID, on: date, authority: str, expected_version: int | None = None) -> int:
        return self._change(contract_id, lambda c: c.file(on, authority), expected_version)

    def decide_filing(
        self,
        contract_id: UUID,
        on: date,
        accepted: bool,
        reason: str = "",
        implicit: bool = False,
        expected_version: int | None = None,
    ) -> int:
        return self._change(contract_id, lambda c: c.decide_filing(on, accepted, reason, implicit), expected_version)

    def end_probation(self, contract_id: UUID, on: date, expected_version: int | None = None) -> int:
        return self._change(contract_id, lambda c: c.end_probation(on), expected_version)

    def extend_for_exam_failure(
        self, contract_id: UUID, on: date, new_end_date: date, expected_version: int | None = None
    ) -> int:
        return self._change(contract_id, lambda c: c.extend_for_exam_failure(on, new_end_date), expected_version)

    def recognise_disability(self, contract_id: UUID, on: date, expected_version: int | None = None) -> int:
        return self._change(contract_id, lambda c: c.recognise_disability(on), expected_version)

    def change_smc(
        self, contract_id: UUID, from_date: date, monthly: Decimal, expected_version: int | None = None
    ) -> int:
        return self._change(contract_id, lambda c: c.change_smc(from_date, monthly), expected_version)

    def terminate(self, contract_id: UUID, on: date, reason: str, expected_version: int | None = None) -> int:
        return self._change(contract_id, lambda c: c.terminate(on, reason), expected_version)

    def end(self, contract_id: UUID, on: date, expected_version: int | None = None) -> int:
        return self._change(contract_id, lambda c: c.end(on), expected_version)

    def correct_terms(
        self, contract_id: UUID, terms_raw: Mapping[str, Any], reason: str, expected_version: int | None = None
    ) -> int:
        terms = parse_terms(terms_raw)
        return self._change(contract_id, lambda c: c.correct_terms(terms, reason), expected_version)

    def record_event(
        self,
        contract_id: UUID,
        payload: Mapping[str, Any],
        expected_version: int | None = None,
        *,
        by_service: bool = False,
    ) -> int:
        """Record one event in its interfaces §3 JSON form (API, CLI). `by_service`: the clock's own events."""
        return self._change(contract_id, lambda c: c.record(payload, by_service=by_service), expected_version)

    def advance_clock(self, contract_id: UUID, today: date, attempts: int = 5) -> list[DueEvent]:
        """Record every time-driven event due by `today` and not yet recorded, oldest first, in one save.

        Each event is recomputed from the state the previous one left (an implicit refusal stops the rest).
        A concurrent tick that saved first makes this save fail; the retry then finds nothing left to do.
        """
        for _ in range(attempts):
            contract = self.get_contract(contract_id)
            master_before = contract.master_id
            recorded: list[DueEvent] = []
            while due := due_events(contract.clock_state(), today):
                contract.record({"type": due[0].kind, **due[0].payload}, by_service=True)
                recorded.append(due[0])
            if not recorded:
                return []
            try:
                self.save_or_conflict(*self._follow_rosters(contract, master_before), contract)
            except ConcurrentChange:
                continue
            return recorded
        raise ConcurrentChange(f"contract {contract_id} kept changing during the tick; retry", field="contract_id")

    # -- personal data --------------------------------------------------------------------------------
    def erase_personal_data(self, contract_id: UUID, expected_version: int | None = None) -> int:
        """Erase the apprentice's name and exact birth date (RGPD art. 17); the wages stay exactly the same.

        Records `PersonalDataErased`, then deletes the contract's data key (crypto-shredding: the sealed
        values in the log, its backups and replicas can no longer be read). Asked again, it only makes sure
        the key is gone (a crash between the two steps), and returns the current version.
        """
        contract = self.read_contract(contract_id)
        if is_erased(contract.terms_data):
            version = contract.version
        else:
            version = self._change(contract_id, lambda c: c.erase_personal_data(), expected_version)
        self.data_keys.delete(contract_id)
        return version

    # -- queries --------------------------------------------------------------------------------------
    def get_contract(self, contract_id: UUID) -> Contract:
        """The contract to change: the caller's own copy."""
        contract = self._find(contract_id)
        if contract is None:
            raise ContractNotFound(f"no contract {contract_id}", field="contract_id")
        return contract

    def read_contract(self, contract_id: UUID) -> Contract:
        """The contract as it is now, to read only (shared between requests: never mutate it)."""
        contract = self.find_current(contract_id)
        if not isinstance(contract, Contract):
            raise ContractNotFound(f"no contract {contract_id}", field="contract_id")
        return contract

    def contract_events(self, contract_id: UUID) -> list[dict[str, Any]]:
        """The audit history: type, version, recorded_at (ISO timestamp) and the JSON payload of each event.

        `{"type": e["type"], **e["payload"]}` is the interfaces §3 form.
        """
        events = list(self.events.get(contract_id))
        if not events or event_type(events[0]) != "Drafted":
            raise ContractNotFound(f"no contract {contract_id}", field="contract_id")
        return [
            {
                "type": event_type(e),
                "version": e.originator_version,
                "recorded_at": _recorded_at(e),
                "payload": event_payload(e),
            }
            for e in events
        ]

    def wage_schedule(self, contract_id: UUID, as_of: datetime | None = None) -> Schedule:
        """The month-by-month minimum from the recorded events, as the service knew it at `as_of` (bitemporal).

        Contract events and reference data (SMIC, Luxembourg cotes) recorded after `as_of` are left out;
        effective dates still place every fact in its month. Without `as_of`: what is known now.
        """
        if as_of is None:
            terms, events = self._current_wage_facts(contract_id)
        else:
            terms, events = self.contract_history(contract_id, WAGE_FACT_EVENTS, as_of)
        return compute_schedule(wage_facts(terms, events), self.reference.as_of(as_of))

    def _current_wage_facts(self, contract_id: UUID, version: int | None = None) -> Facts:
        """The drafted terms and the wage facts recorded since: from the cache when `version` is known."""
        if version is not None and (cached := self._facts_cache.get((contract_id, version))) is not None:
            return cached
        events = list(self.events.get(contract_id, lte=version))  # that version's facts, even if it moved since
        if not events or event_type(events[0]) != "Drafted":
            raise ContractNotFound(f"no contract {contract_id}", field="contract_id")
        return self._remember_facts(contract_id, events)

    def _remember_facts(self, contract_id: UUID, events: list[Any]) -> Facts:
        facts = (
            parse_terms(event_payload(events[0])["terms"]),
            [event_json(e) for e in events[1:] if event_type(e) in WAGE_FACT_EVENTS],
        )
        self._facts_cache.put((contract_id, events[-1].originator_version), facts)
        return facts

    def history_read(self, aggregate: Any, events: list[Any]) -> None:
        if isinstance(aggregate, Contract):  # its wage facts come with it: no second read to check a change
            self._remember_facts(aggregate.id, events)

    def current_months(self, contract: Contract) -> list[dict[str, Any]]:
        """The contract's months (interfaces §2) as known now."""
        months: list[dict[str, Any]] = json.loads(self.current_months_json(contract))
        return months

    def current_months_json(self, contract: Contract) -> bytes:
        """`current_months` as JSON, computed once per (contract version, reference version): reads repeat far
        more often than anything changes a contract or the SMIC."""
        reference_version, reference = self.reference.current_versioned()  # its version is in the key
        key = (contract.id, contract.version, reference_version)
        months = self._months_cache.get(key)
        if months is None:
            # The facts of the version in hand: usually cached when the contract was read, so no second fetch.
            facts = self._current_wage_facts(contract.id, contract.version)
            months = months_json(schedule_json(compute_schedule(wage_facts(*facts), reference)))
            self._months_cache.put(key, months)
        return months

    def contract_history(self, contract_id: UUID, kinds: frozenset[str], as_of: datetime | None = None) -> Facts:
        """The drafted terms and the later events of the given kinds (interfaces §3 form), as known at `as_of`."""
        events = [e for e in self.events.get(contract_id) if as_of is None or recorded_timestamp(e) <= as_of]
        if not events or event_type(events[0]) != "Drafted":
            when = f" at {as_of.isoformat()}" if as_of is not None else ""
            raise ContractNotFound(f"no contract {contract_id}{when}", field="contract_id")
        terms = parse_terms(event_payload(events[0])["terms"])
        return terms, [event_json(e) for e in events[1:] if event_type(e) in kinds]

    def master_roster(self, master_id: str) -> MasterRoster:
        return self._roster(master_id)

    # -- plumbing -------------------------------------------------------------------------------------
    def construct_mapper(self) -> Mapper[UUID]:
        """The library's mapper (and its cipher, when LEDGER_CIPHER_KEY is set), sealing personal data."""
        cipher = self.factory.cipher()
        datastore = getattr(self.factory, "datastore", None)
        keys = (
            DataKeys(cipher)
            if datastore is None
            else SQLDataKeys(datastore, postgres=isinstance(datastore, PostgresDatastore), wrap=cipher)
        )
        return PersonalDataMapper(
            transcoder=self.construct_transcoder(), keys=keys, compressor=self.factory.compressor(), cipher=cipher
        )

    def _find(self, contract_id: UUID) -> Contract | None:
        return find_aggregate(self, contract_id, Contract)

    def _roster(self, master_id: str) -> MasterRoster:
        return find_aggregate(self, roster_id_for(master_id), MasterRoster) or MasterRoster(master_id=master_id)

    def _change(self, contract_id: UUID, command: Callable[[Contract], None], expected_version: int | None) -> int:
        # A copy of the current read: if the contract moved since, the save fails and nothing is recorded.
        return self._change_on(self.read_contract(contract_id), command, expected_version)

    def _change_on(self, contract: Contract, command: Callable[[Contract], None], expected_version: int | None) -> int:
        if expected_version is not None and expected_version != contract.version:
            raise VersionConflict(
                f"contract {contract.id} is at version {contract.version}, not {expected_version}",
                expected=expected_version,
                actual=contract.version,
            )
        master_before, version_before = contract.master_id, contract.version
        command(contract)
        erasing = any(event_type(e) == "PersonalDataErased" for e in contract.pending_events)
        facts = self._facts_after(contract)
        months = self._check_computable(contract, facts)
        rosters = self._follow_rosters(contract, master_before)
        recordings = self.save_or_conflict(*rosters, contract)
        if facts is None and not erasing:  # no wage fact among the new events: the facts carry over
            facts = self._facts_cache.get((contract.id, version_before))
        self._remember_saved_contract(recordings, contract, facts, months)
        return contract.version

    def _facts_after(self, contract: Contract) -> Facts | None:
        """The wage facts once the pending events are recorded; None when none of them is a wage fact."""
        pending = [event_json(e) for e in contract.pending_events if event_type(e) in WAGE_FACT_EVENTS]
        if event_type(contract.pending_events[0]) == "Drafted":
            return contract.terms, pending
        if not pending:
            return None
        before = contract.version - len(contract.pending_events)
        terms, recorded = self._current_wage_facts(contract.id, before)
        return terms, recorded + pending

    def _check_computable(self, contract: Contract, facts: Facts | None) -> bytes | None:
        """The minimum wage must follow from what is about to be recorded: refuse now, never after saving.

        Returns the months the contract will have (to cache once saved): computed when a wage fact is
        pending (`facts`), carried over from the previous version's cache when none is.
        """
        # The reference as last known, without asking the store: the check is about computability, and the months
        # are cached under that reference's version (a newer one makes the next read recompute them).
        reference_version, reference = self.reference.last_known()
        if facts is None:
            before = contract.version - len(contract.pending_events)
            return self._months_cache.get((contract.id, before, reference_version))
        return months_json(schedule_json(compute_schedule(wage_facts(*facts), reference)))  # or NotComputable

    def _remember_saved_contract(
        self,
        recordings: list[Recording[UUID]],
        contract: Contract,
        facts: Facts | None,
        months: bytes | None,
    ) -> None:
        """What was checked before saving serves the next reads: no fetch, no recomputation."""
        if months is not None:  # computed under the reference last known (`_check_computable`)
            self._months_cache.put((contract.id, contract.version, self.reference.last_known()[0]), months)
        if facts is not None:
            self._facts_cache.put((contract.id, contract.version), facts)
        self.remember_saved(recordings, contract)

    def _follow_rosters(self, contract: Contract, master_before: str | None) -> list[MasterRoster]:
        """Roster changes implied by the contract's new events (R6223-6), to save with it."""
        rosters: dict[str, MasterRoster] = {}

        def roster(master_id: str) -> MasterRoster:
            if master_id not in rosters:
                rosters[master_id] = self._roster(master_id)
            return rosters[master_id]

        cid = str(contract.id)
        for e in contract.pending_events:
            kind, master = event_type(e), contract.master_id
            if kind == "TermsCorrected" and master != master_before:
                if master_before is not None:
                    roster(master_before).withdraw(cid)
                if master is not None:
                    roster(master).admit(cid, contract.start_date, contract.effective_end)
            elif master is None:
                continue
            elif kind == "TermsCorrected":
                roster(master).reschedule(cid, contract.start_date, contract.planned_end)
            elif kind == "Terminated":
                roster(master).release_after(cid, getattr(e, "on"))  # noqa: B009
            elif kind == "FilingDecided" and not getattr(e, "accepted"):  # noqa: B009
                roster(master).withdraw(cid)
            elif kind == "ExamFailedExtended":
                previous_end: date = getattr(e, "previous_end_date")  # noqa: B009
                roster(master).extend(cid, previous_end + timedelta(days=1), getattr(e, "new_end_date"))  # noqa: B009
        return [r for r in rosters.values() if r.pending_events]

    def save_or_conflict(self, *aggregates: Aggregate) -> list[Recording[UUID]]:
        try:
            return self.save(*aggregates)
        except IntegrityError:
            names = ", ".join(f"{type(a).__name__} {a.id}" for a in aggregates)
            raise ConcurrentChange(f"{names} changed meanwhile; nothing was recorded, reload and retry") from None


def _recorded_at(domain_event: object) -> str:
    return recorded_timestamp(domain_event).isoformat()


def _checked_key(key: str) -> str:
    if (
        not isinstance(key, str)
        or not key.strip()
        or len(key) > MAX_IDEMPOTENCY_KEY_LENGTH
        or has_control_characters(key)
    ):
        raise InvalidRequest(
            f"the idempotency key must be a non-empty text of at most {MAX_IDEMPOTENCY_KEY_LENGTH} characters",
            field="idempotency_key",
        )
    return key
