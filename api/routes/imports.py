"""/contracts/import: a CFA's contracts from a spreadsheet (CSV or XLSX, one row per contract), and its template.

The upload is `multipart/form-data` with the file in the field `file` (the CFA page's form posts here). The
answer is the row-by-row report: JSON by default, the file written back with an outcome and an error
column when asked for as a spreadsheet (`Accept` XLSX, or `?format=xlsx|csv`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Header, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.deps import CfaDep, LedgerDep, PrincipalDep
from api.problems import problem_responses
from ledger.import_columns import template
from ledger.importing import MAX_IMPORT_ROWS, import_table, report_file
from ledger.tabular import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, read_table

router = APIRouter(prefix="/contracts/import", tags=["import"])


class RowProblemOut(BaseModel):
    column: str | None = Field(description="the French header of the column at fault")
    field: str | None = Field(description="the terms field (interfaces §1)")
    rule: str | None = Field(description="the article")
    message: str = Field(description="in French")
    detail: str | None = Field(description="the rule's own wording, when the refusal came from the rules")


class RowOut(BaseModel):
    line: int = Field(description="the line in the spreadsheet (the header is line 1)")
    reference: str | None
    outcome: Literal["created", "corrected", "unchanged", "error"]
    contract_id: str | None
    errors: list[RowProblemOut]


class ImportReportOut(BaseModel):
    rows: int
    created: int
    corrected: int
    unchanged: int
    error: int
    dry_run: bool
    ignored_columns: list[str] = Field(description="headers of the file that are not import columns")
    lines: list[RowOut]


SPREADSHEET_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {XLSX_MEDIA_TYPE: {}, CSV_MEDIA_TYPE: {}}, "description": "The file"}
}


def attachment(body: bytes, media_type: str, filename: str) -> Response:
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get(
    "/template.xlsx",
    responses={**SPREADSHEET_RESPONSE, **problem_responses(401)},
    response_class=Response,
    summary="The import template: French headers (with notes) and one example row",
)
def import_template(principal: PrincipalDep) -> Response:
    return attachment(template("xlsx"), XLSX_MEDIA_TYPE, "modele-import-contrats.xlsx")


@router.post(
    "/spreadsheet",
    response_model=ImportReportOut,
    responses={**SPREADSHEET_RESPONSE, **problem_responses(401, 403, 413, 422)},
    summary="Import contracts from a spreadsheet; each row is created, corrected, unchanged or refused",
    description="One row per contract, keyed by « Référence CFA »: a new reference drafts the contract (the same"
    " as `POST /contracts` with `Idempotency-Key: ref:<référence>`), changed terms record `TermsCorrected` with"
    " reason `import` (live contracts only, D6224-5), the same terms record nothing. A refused row records"
    " nothing and never stops the others. `dry_run=true` checks every row and records nothing.",
)
def import_spreadsheet(
    ledger: LedgerDep,
    principal: CfaDep,
    file: Annotated[UploadFile, File(description="the spreadsheet: .xlsx, or .csv with ; or , separators")],
    dry_run: Annotated[bool, Query(description="check and report only; nothing is recorded")] = False,
    format: Annotated[Literal["json", "xlsx", "csv"] | None, Query(description="the report's form")] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Any:
    data = file.file.read()
    table = read_table(data, file.filename, MAX_IMPORT_ROWS)
    assert principal.tenant is not None  # a CFA key always names its CFA
    report = import_table(ledger.contracts, table, principal.tenant, dry_run)
    wanted = format or ("xlsx" if accept and XLSX_MEDIA_TYPE in accept else "json")
    if wanted == "json":
        return report.as_dict()
    media = XLSX_MEDIA_TYPE if wanted == "xlsx" else CSV_MEDIA_TYPE
    return attachment(report_file(report, wanted), media, f"rapport-import.{wanted}")
