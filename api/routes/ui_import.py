"""The CFA page's imports: a filled CERFA drafts its contract, a spreadsheet imports its rows (with a dry run),
through the same use cases as `POST /contracts/import/cerfa` and `…/spreadsheet`, with the page's session."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import LedgerDep
from api.routes.ui import PagePrincipal, render
from domain.access import CFA
from domain.errors import DomainError, FormIncomplete
from ledger.cerfa.forms import draft_from_form
from ledger.errors import ApplicationError
from ledger.import_columns import template
from ledger.importing import MAX_IMPORT_ROWS, import_table
from ledger.tabular import XLSX_MEDIA_TYPE, read_table

router = APIRouter(prefix="/ui/import", include_in_schema=False)
OUTCOME_FR = {"created": "créé", "corrected": "corrigé", "unchanged": "inchangé", "error": "refusé"}


def _forbidden(request: Request, principal: Any) -> HTMLResponse:
    page = render(request, "import.html", principal, error="Seul un CFA importe des contrats.", report=None)
    return HTMLResponse(page.body, status_code=403)


@router.get("", response_class=HTMLResponse)
def import_page(request: Request, principal: PagePrincipal) -> HTMLResponse:
    if principal.role != CFA:
        return _forbidden(request, principal)
    return render(request, "import.html", principal, error=None, report=None)


@router.get("/template.xlsx", response_model=None)
def import_template(principal: PagePrincipal) -> Response:
    return Response(
        template("xlsx"),
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": 'attachment; filename="modele-import-contrats.xlsx"'},
    )


@router.post("/cerfa", response_model=None)
def import_cerfa(
    request: Request, ledger: LedgerDep, principal: PagePrincipal, file: Annotated[UploadFile, File()]
) -> Response:
    if principal.role != CFA:
        return _forbidden(request, principal)
    try:
        draft = draft_from_form(ledger.contracts, file.file.read(), principal.tenant)
    except FormIncomplete as e:
        page = render(request, "import.html", principal, error=None, report=None, problems=e.problems)
        return HTMLResponse(page.body, status_code=422)
    except (DomainError, ApplicationError) as e:
        page = render(request, "import.html", principal, error=e.detail, report=None)
        return HTMLResponse(page.body, status_code=422)
    return RedirectResponse(f"/ui/contracts/{draft.result.contract_id}", status_code=303)


@router.post("/spreadsheet", response_class=HTMLResponse)
def import_spreadsheet(
    request: Request,
    ledger: LedgerDep,
    principal: PagePrincipal,
    file: Annotated[UploadFile, File()],
    dry_run: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    if principal.role != CFA or principal.tenant is None:
        return _forbidden(request, principal)
    try:
        table = read_table(file.file.read(), file.filename, MAX_IMPORT_ROWS)
    except (DomainError, ApplicationError) as e:
        page = render(request, "import.html", principal, error=e.detail, report=None)
        return HTMLResponse(page.body, status_code=422)
    report = import_table(ledger.contracts, table, principal.tenant, dry_run)
    return render(request, "import.html", principal, error=None, report=report.as_dict(), outcome_fr=OUTCOME_FR)
