"""/contracts/{id}/notice.pdf: the one-contract notice for the employer (month table, history, chart)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import LedgerDep, ReadableContract
from api.notice import notice_pdf
from api.problems import problem_responses

router = APIRouter(prefix="/contracts", tags=["contracts"])
PDF = "application/pdf"


@router.get(
    "/{contract_id}/notice.pdf",
    response_class=Response,
    responses={200: {"content": {PDF: {}}, "description": "The PDF notice"}, **problem_responses(401, 404)},
    summary="The employer's notice (PDF): the monthly minimum as a chart and a table, every change and its article",
)
def notice(request: Request, ledger: LedgerDep, contract: ReadableContract) -> Response:
    months = ledger.contracts.current_months(contract)
    ledger.wage_runner.catch_up()
    history = ledger.wage_view.history(str(contract.id))
    body = notice_pdf(contract, months, history, request.app.state.today())
    return Response(body, media_type=PDF, headers={"Content-Disposition": f'inline; filename="avis-{contract.id}.pdf"'})
