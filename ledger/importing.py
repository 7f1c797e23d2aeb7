"""Spreadsheet import: each row drafts, corrects or leaves alone the contract of its « Référence CFA ».

The reference is the idempotency key: row `R` of CFA `C` is the contract `POST /contracts` would draft with
`Idempotency-Key: ref:R` under C's key (`contract_id_for("C/ref:R")`), so finding it is one read by id, with
no index of references to keep. A row whose terms differ from the contract's current terms records
`TermsCorrected` with reason "import" (allowed while the contract is live, D6224-5); the same terms record
nothing. Each row is its own command and its own transaction: a refused row records nothing and the others
go on. A dry run applies the same rules to a copy and saves nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain import law
from domain.contract import Contract
from domain.drafting import changed_paths, contract_id_for
from domain.errors import DomainError, IllegalTransition
from domain.events import event_json, event_type
from domain.personal_data import is_erased
from domain.terms import ContractTerms, parse_terms
from domain.wage.engine import compute_schedule
from domain.wage.facts import WAGE_FACT_EVENTS, wage_facts
from ledger.errors import ApplicationError, ContractNotFound
from ledger.import_columns import REFERENCE, CellProblem, Layout, ParsedRow, column_for, french_message, row_terms
from ledger.tabular import Column, Table, UnreadableSheet, write_table

if TYPE_CHECKING:
    from ledger.application import Contracts

CREATED, CORRECTED, UNCHANGED, ERROR = "created", "corrected", "unchanged", "error"
IMPORT_REASON = "import"
MAX_IMPORT_ROWS = 100_000
OUTCOME_LABELS = {CREATED: "créé", CORRECTED: "corrigé", UNCHANGED: "inchangé", ERROR: "erreur"}
CLOSED_REFUSAL = "cannot record a correction of the terms: the contract is"  # Contract._require, final status
STATUS_LABELS = {"terminated": "rompu", "ended": "arrivé à son terme", "refused": "refusé au dépôt"}


NOT_LOOKED_UP = object()
LOOKUP_CHUNK = 200  # rows whose contracts are read in one query


def reference_key(reference: str) -> str:
    """The idempotency key a reference stands for (the CFA's id scopes it, as for `POST /contracts`)."""
    return f"ref:{reference}"


def import_contract_id(cfa_id: str, reference: str) -> UUID:
    return contract_id_for(f"{cfa_id}/{reference_key(reference)}")


def import_contract(
    contracts: Contracts,
    reference: str,
    terms_raw: Mapping[str, Any],
    cfa_id: str,
    dry_run: bool = False,
    found: Contract | None | object = NOT_LOOKED_UP,
) -> tuple[str, UUID]:
    """One row: (outcome, contract id). Raises the domain's or the application's error when refused.

    `found`: the reference's contract (or None) when the caller already looked it up (a file's rows are
    looked up many at a time, see `import_table`)."""
    terms = parse_terms(terms_raw)
    key = reference_key(reference)
    contract_id = import_contract_id(cfa_id, reference)
    existing: Contract | None
    if isinstance(found, Contract) or found is None:
        existing = found
    else:
        try:
            existing = contracts.read_contract(contract_id)
        except ContractNotFound:
            existing = None
    if existing is None:
        if dry_run:
            draft = Contract.draft(terms, f"{cfa_id}/{key}", cfa_id)
            compute_schedule(wage_facts(terms, []), contracts.reference.current())  # or NotComputable
            if terms.master is not None:  # the master's limit as recorded (not counting the file's rows)
                contracts.master_roster(terms.master.id).admit(str(draft.id), terms.start_date, terms.end_date)
            return CREATED, draft.id
        result = contracts.draft_contract(terms_raw, key, cfa_id)
        return (CREATED if result.created else UNCHANGED), result.contract_id
    if not changed_paths(existing.terms_data, terms.to_json()):  # the aggregate's own test of a correction
        return UNCHANGED, contract_id
    if is_erased(existing.terms_data):
        raise IllegalTransition(
            "the apprentice's personal data were erased on request: the row is not imported again",
            field="apprentice",
            rule=law.ERASURE_ARTICLE,
        )
    if dry_run:
        _try_correction(contracts, existing, terms)
    else:
        contracts.correct_terms(contract_id, terms_raw, IMPORT_REASON, existing.version)
    return CORRECTED, contract_id


def _try_correction(contracts: Contracts, existing: Contract, terms: ContractTerms) -> None:
    """The correction's rules and the schedule it would give, on a copy; nothing is saved."""
    drafted, recorded = contracts.contract_history(existing.id, WAGE_FACT_EVENTS)
    copy = contracts.get_contract(existing.id)  # this caller's own copy: the shared read copy is never changed
    copy.correct_terms(terms, IMPORT_REASON)
    pending = [event_json(e) for e in copy.collect_events() if event_type(e) in WAGE_FACT_EVENTS]
    compute_schedule(wage_facts(drafted, recorded + pending), contracts.reference.current())


# -- a whole file ------------------------------------------------------------------------------------------
@dataclass
class RowResult:
    line: int
    reference: str | None
    outcome: str
    contract_id: str | None = None
    problems: list[CellProblem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "reference": self.reference,
            "outcome": self.outcome,
            "contract_id": self.contract_id,
            "errors": [p.as_dict() for p in self.problems],
        }


@dataclass
class ImportReport:
    dry_run: bool
    table: Table
    rows: list[RowResult]
    ignored_columns: list[str]

    def counts(self) -> dict[str, int]:
        counts = {CREATED: 0, CORRECTED: 0, UNCHANGED: 0, ERROR: 0}
        for r in self.rows:
            counts[r.outcome] += 1
        return counts

    def summary(self) -> dict[str, Any]:
        return {
            "rows": len(self.rows),
            **self.counts(),
            "dry_run": self.dry_run,
            "ignored_columns": self.ignored_columns,
        }

    def as_dict(self) -> dict[str, Any]:
        return {**self.summary(), "lines": [r.as_dict() for r in self.rows]}


def problem_of(error: DomainError | ApplicationError) -> CellProblem:
    """A refusal of the rules as the report shows it: the column, the field, the rule and a French message."""
    fld = error.field
    rule = getattr(error, "rule", None)
    column = column_for(fld)
    if isinstance(error, IllegalTransition) and error.detail.startswith(CLOSED_REFUSAL):
        status = str(error.detail).rsplit(" ", 1)[-1]
        message = (
            f"le contrat est clos ({STATUS_LABELS.get(status, status)}) : ses termes ne se corrigent plus ; "
            "la ligne n'est pas appliquée"
        )
    elif isinstance(error, DomainError):
        message = french_message(error.detail)
    else:
        message = {
            "concurrent-change": "le contrat a changé pendant l'import : relancez l'import",
            "version-conflict": "le contrat a changé pendant l'import : relancez l'import",
            "idempotency-key-reused": "cette référence a été créée au même moment avec d'autres termes",
        }.get(error.type, "refusé")
    if column:
        message = f"« {column} » : {message}"
    return CellProblem(column, fld, rule, message, error.detail)


def import_table(
    contracts: Contracts,
    table: Table,
    cfa_id: str,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Every row of the file, in order; the contracts of each chunk of rows are read in one query."""
    layout = Layout.of(table.headers)
    if layout.reference_index is None:
        raise UnreadableSheet(f"the header row has no column « {REFERENCE} » (the key of each contract)", field="file")
    results: list[RowResult] = []
    first_line: dict[str, int] = {}
    total = len(table.rows)
    for start in range(0, total, LOOKUP_CHUNK):
        chunk = [(line, row_terms(layout, values)) for line, values in table.rows[start : start + LOOKUP_CHUNK]]
        ids = {import_contract_id(cfa_id, p.reference) for _, p in chunk if p.terms is not None and p.reference}
        found = contracts.read_many(sorted(ids, key=str))
        for line, parsed in chunk:
            results.append(_import_row(contracts, line, parsed, cfa_id, dry_run, first_line, found))
        if progress is not None:
            progress(len(results), total)
    return ImportReport(dry_run, table, results, layout.unknown)


def _import_row(
    contracts: Contracts,
    line: int,
    parsed: ParsedRow,
    cfa_id: str,
    dry_run: bool,
    first_line: dict[str, int],
    found: Mapping[UUID, Any],
) -> RowResult:
    reference = parsed.reference
    if reference and reference in first_line:
        problem = CellProblem(
            REFERENCE, None, None, f"référence déjà présente ligne {first_line[reference]} du fichier"
        )
        return RowResult(line, reference, ERROR, problems=[problem])
    if reference:
        first_line[reference] = line
    if parsed.terms is None:
        return RowResult(line, reference, ERROR, problems=parsed.problems)
    assert reference is not None
    try:
        existing = found.get(import_contract_id(cfa_id, reference))
        outcome, contract_id = import_contract(
            contracts, reference, parsed.terms, cfa_id, dry_run, existing if isinstance(existing, Contract) else None
        )
    except (DomainError, ApplicationError) as e:
        return RowResult(line, reference, ERROR, problems=[problem_of(e)])
    return RowResult(line, reference, outcome, str(contract_id))


# -- the report written back --------------------------------------------------------------------------------
REPORT_COLUMNS = (
    Column("Résultat", width=12),
    Column("Identifiant du contrat", width=38),
    Column("Colonne en erreur", width=28),
    Column("Règle", width=14),
    Column("Erreur", width=60),
)


def report_file(report: ImportReport, fmt: str) -> bytes:
    """The file as it came, each row followed by its outcome, the column at fault, the rule and the message."""
    source = report.table
    width = max([len(source.headers), *(len(v) for _, v in source.rows)])
    headers = [*source.headers, *[""] * (width - len(source.headers))]
    columns = [Column(h or "", width=max(12, len(h or "") + 2)) for h in headers] + list(REPORT_COLUMNS)
    by_line = {r.line: r for r in report.rows}
    rows = []
    for line, values in source.rows:
        result = by_line[line]
        padded = [*values, *[None] * (width - len(values))]
        rows.append(
            [
                *padded,
                OUTCOME_LABELS[result.outcome],
                result.contract_id,
                " ; ".join(p.column or "" for p in result.problems) or None,
                " ; ".join(p.rule or "" for p in result.problems if p.rule) or None,
                " ; ".join(p.message for p in result.problems) or None,
            ]
        )
    return write_table(fmt, columns, rows, "Rapport d'import")
