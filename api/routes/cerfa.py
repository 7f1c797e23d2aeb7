"""The CERFA 10103*12: a contract drafted from an uploaded form, a contract's form filled by the ledger, and
the conformity of the form's pay table with the legal minimum."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from api.deps import CfaDep, LedgerDep, ReadableContract
from api.problems import problem_responses
from api.routes.contracts import _contract_body, etag
from api.schemas import DraftOut
from ledger.cerfa.forms import conformity, draft_from_form, filled_form

router = APIRouter(tags=["cerfa"])
PDF = "application/pdf"


class FormDraftOut(DraftOut):
    problems: list[dict[str, Any]] = Field(description="what the form misses or garbles, none blocking")
    findings: list[dict[str, Any]] = Field(description="where the form's pay table is below the legal minimum")


class FindingOut(BaseModel):
    kind: str = Field(description="pct_below_legal, bracket_switch_late, wrong_base or salary_below_minimum")
    model_config = ConfigDict(populate_by_name=True)

    period: str
    field: str = Field(description="the CERFA field at fault")
    from_: str = Field(alias="from", description="first day (ISO) where the form is below the law")
    to: str
    written: str
    legal: str
    article: str
    message: str = Field(description="in French")


class ConformityOut(BaseModel):
    contract_id: str
    form: bool = Field(description="false when the contract was not drafted from a CERFA")
    pay_table: list[dict[str, Any]] = []
    salary_at_hiring: str | None = None
    findings: list[FindingOut]
    conforming: bool | None = None


@router.post(
    "/contracts/import/cerfa",
    status_code=201,
    response_model=FormDraftOut,
    responses={200: {"description": "The same form again: the same contract"}, **problem_responses(401, 403, 413, 422)},
    summary="Draft a contract from a filled CERFA 10103*12 (and sign it on its conclusion date)",
    description="Multipart upload, the PDF in the field `file`. The form's content is the idempotency key: the same"
    " file again drafts nothing and answers 200 with the same contract. A form missing what the wage depends on is"
    " a 422 listing every problem by its CERFA field; nothing is recorded.",
)
def import_cerfa(
    request: Request,
    response: Response,
    ledger: LedgerDep,
    principal: CfaDep,
    file: Annotated[UploadFile, File(description="the filled form, PDF")],
) -> dict[str, Any]:
    draft = draft_from_form(ledger.contracts, file.file.read(), principal.tenant)
    contract = ledger.contracts.read_contract(draft.result.contract_id)
    response.status_code = 201 if draft.result.created else 200
    response.headers["ETag"] = etag(contract.version)
    response.headers["Location"] = f"/contracts/{contract.id}"
    return {
        **_contract_body(ledger, contract, request),
        "created": draft.result.created,
        "problems": draft.case.reading.problems,
        "findings": draft.case.findings,
    }


@router.get(
    "/contracts/{contract_id}/cerfa.pdf",
    response_class=Response,
    responses={200: {"content": {PDF: {}}, "description": "The filled form"}, **problem_responses(401, 404)},
    summary="The contract's CERFA 10103*12, filled by the ledger (its pay table from the legal schedule)",
)
def cerfa_pdf(ledger: LedgerDep, contract: ReadableContract) -> Response:
    body = filled_form(ledger.contracts, contract.id)
    disposition = f'attachment; filename="cerfa-10103-{contract.id}.pdf"'
    return Response(body, media_type=PDF, headers={"Content-Disposition": disposition})


@router.get(
    "/contracts/{contract_id}/conformity",
    response_model=ConformityOut,
    responses=problem_responses(401, 404),
    summary="The imported form's pay table against the legal minimum, period by period",
)
def pay_table_conformity(ledger: LedgerDep, contract: ReadableContract) -> dict[str, Any]:
    return conformity(ledger.contracts, contract.id)
