"""The CFA's page (server-rendered, a little JavaScript for the chart): live contracts, what is due, and one
contract's wage timeline. The same API keys and tenant rules as the API: the key is given once on the login
form and opens a server-side session (`ledger.access.UiSessions`) whose token is kept in an HttpOnly, SameSite=Strict
cookie (Secure over TLS); every page checks the session and its key again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from api import french
from api.contract_views import TODO_LABELS, contract_data, summary_data, timeline_changes, todo_items
from api.deps import LedgerDep
from api.figures import CONTRACT_COLUMNS
from api.french import EVENT_FR, STATUS_FR
from api.page_actions import CORRECTABLE, available_actions
from api.routes.imports import attachment
from domain.access import Principal
from domain.contract import Contract
from domain.contract_events import SERVICE_EVENT_TYPES
from domain.contract_status import LIVE
from domain.errors import DomainError
from domain.funding.report import funding_json, hiring_aid_json
from domain.sessions import SESSION_LIFETIME
from domain.wage.engine import schedule_json
from ledger.cerfa.forms import conformity, filled_form
from ledger.errors import ContractNotFound
from ledger.tabular import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, Column, write_table

router = APIRouter(prefix="/ui", include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
templates.env.filters.update(
    euros=french.euros,
    day=french.day,
    moment=french.moment,
    month=french.month,
    payment_kind=french.payment_kind,
    payer=french.payer,
    value=french.value,
    event_key=french.event_key,
)
COOKIE = "ledger_session"  # a server-side session's token (`ledger.access.UiSessions`), never the API key
templates.env.globals.update(status_fr=STATUS_FR, event_fr=EVENT_FR)


class LoginRequired(Exception):
    pass


def page_principal(request: Request, ledger: LedgerDep) -> Principal:
    token = request.cookies.get(COOKIE)
    principal = ledger.contracts.sessions.principal(token) if token else None
    if principal is None:
        raise LoginRequired
    request.state.key_id = principal.key_id
    return principal


PagePrincipal = Annotated[Principal, Depends(page_principal)]


def render(request: Request, name: str, principal: Principal | None, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"principal": principal, **context})


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, error: str | None = None) -> HTMLResponse:
    return render(request, "login.html", None, error=error)


@router.post("/login")
async def login(request: Request, ledger: LedgerDep) -> Response:
    form = parse_qs((await request.body()).decode(errors="replace"))
    token = (form.get("key") or [""])[0].strip()
    session = ledger.contracts.sessions.open(token) if token else None
    if session is None:
        return render(request, "login.html", None, error="Clé inconnue ou révoquée.")
    principal = ledger.contracts.sessions.principal(session)
    home = "/ui/employer" if principal is not None and principal.role == "employer" else "/ui/contracts"
    response = RedirectResponse(home, status_code=303)
    secure = request.url.scheme == "https"
    max_age = int(SESSION_LIFETIME.total_seconds())
    response.set_cookie(COOKIE, session, httponly=True, samesite="strict", secure=secure, path="/ui", max_age=max_age)
    return response


@router.post("/logout")
def logout(request: Request, ledger: LedgerDep) -> Response:
    ledger.contracts.sessions.close(request.cookies.get(COOKIE) or "")
    response = RedirectResponse("/ui/login", status_code=303)
    response.delete_cookie(COOKIE, path="/ui")
    return response


PAGE_SIZE = 50  # contracts per page of the list
SORT_LABELS = {
    "apprentice": "Apprenti",
    "employer": "Employeur",
    "training": "Formation",
    "status": "Statut",
    "start_date": "Début",
    "end_date": "Fin",
    "next_due": "Prochaine échéance",
    "current_wage": "Minimum du mois",
}


@dataclass(frozen=True)
class ListQuery:
    """The list's filters and order as the page's query string gives them, checked."""

    status: str = ""
    employer: str = ""
    due_within_days: str = ""
    q: str = ""
    sort: str = "start_date"
    order: str = "desc"

    def clean(self) -> ListQuery:
        return ListQuery(
            self.status if self.status in STATUS_FR else "",
            self.employer.strip(),
            self.due_within_days if self.due_within_days.isdigit() else "",
            self.q.strip(),
            self.sort if self.sort in SORT_LABELS else "start_date",
            "asc" if self.order == "asc" else "desc",
        )

    def view_filters(self, principal: Principal, today: date) -> dict[str, Any]:
        """The wage view's `page` arguments for these filters, in the key's scope."""
        cfa, siret = principal.scope() or (None, None)
        days = int(self.due_within_days) if self.due_within_days else None
        return {
            "cfa_id": cfa,
            "employer_siret": siret,
            "statuses": [self.status] if self.status else sorted(LIVE),
            "apprentice": self.q or None,
            "employer": self.employer or None,
            "due_until": (today + timedelta(days=days)).isoformat() if days is not None else None,
            "sort": self.sort,
            "descending": self.order == "desc",
            "month": today.isoformat()[:7],
        }


def list_query(
    status: Annotated[str, Query(max_length=20)] = "",
    employer: Annotated[str, Query(max_length=200)] = "",
    due_within_days: Annotated[str, Query(max_length=3)] = "",
    q: Annotated[str, Query(max_length=100)] = "",
    sort: Annotated[str, Query(max_length=20)] = "start_date",
    order: Annotated[str, Query(max_length=4)] = "desc",
) -> ListQuery:
    return ListQuery(status, employer, due_within_days, q, sort, order).clean()


ListQueryDep = Annotated[ListQuery, Depends(list_query)]


@router.get("/contracts", response_class=HTMLResponse)
def contracts_page(
    request: Request,
    ledger: LedgerDep,
    principal: PagePrincipal,
    query: ListQueryDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    today = request.app.state.today()
    ledger.sync()
    total, rows = ledger.wage_view.page(
        **query.view_filters(principal, today), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    items = [list_item(row, upcoming, today) for row, upcoming in rows]
    pages = max(1, -(-total // PAGE_SIZE))
    return render(
        request,
        "contracts.html",
        principal,
        items=items,
        total=total,
        filters=query,
        statuses=STATUS_FR,
        sort=query.sort,
        order=query.order,
        sorts=SORT_LABELS,
        page=min(page, pages),
        pages=pages,
        first=(page - 1) * PAGE_SIZE + 1 if items else 0,
        last=(page - 1) * PAGE_SIZE + len(items),
        todo_labels=TODO_LABELS,
        today_iso=today.isoformat(),
    )


def list_item(row: Any, upcoming: tuple[str, str] | None, today: date) -> dict[str, Any]:
    return {
        **summary_data(row, upcoming, today),
        "employer": row.terms["employer"]["name"],
        "siret": row.terms["employer"].get("siret"),
        "training": row.terms["training"]["title"],
    }


LIST_COLUMNS = (
    *CONTRACT_COLUMNS,
    Column("Formation", width=30),
    Column("Début", "date", 11),
    Column("Fin", "date", 11),
    Column("Minimum du mois", "money", 14),
    Column("Prochaine échéance", width=34),
    Column("Date de l'échéance", "date", 11),
)
EXPORT_LIMIT = 100_000  # contracts in one export of the list


@router.get("/contracts/export", response_model=None)
def contracts_export(
    request: Request,
    ledger: LedgerDep,
    principal: PagePrincipal,
    query: ListQueryDep,
    format: Annotated[str, Query(max_length=4)] = "csv",
    ids: Annotated[list[str] | None, Query(max_length=1000)] = None,
) -> Response:
    """The list as a spreadsheet: every contract the filters give (all pages), or the ones selected."""
    today = request.app.state.today()
    ledger.sync()
    chosen = [i for i in ids or [] if len(i) == 36]
    _, rows = ledger.wage_view.page(
        **query.view_filters(principal, today), contract_ids=chosen, limit=EXPORT_LIMIT, offset=0
    )
    lines = []
    for row, upcoming in rows:
        item = list_item(row, upcoming, today)
        wage = item["current_wage"]
        milestone = item.get("next_milestone")
        lines.append(
            [
                item["id"],
                row.cfa_id,
                item["apprentice"],
                item["employer"],
                item["siret"],
                STATUS_FR.get(item["status"], item["status"]),
                item["training"],
                date_cell(row.start_date),
                date_cell(row.effective_end),
                Decimal(wage["amount"]) if wage else None,
                milestone_label(milestone),
                date_cell(milestone["deadline"] or milestone["effective_date"]) if milestone else None,
            ]
        )
    fmt = "xlsx" if format == "xlsx" else "csv"
    body = write_table(fmt, LIST_COLUMNS, lines, "Contrats")
    name = f"contrats-{today.isoformat()}.{fmt}"
    return attachment(body, XLSX_MEDIA_TYPE if fmt == "xlsx" else CSV_MEDIA_TYPE, name)


def milestone_label(m: dict[str, Any] | None) -> str | None:
    if m is None:
        return None
    return TODO_LABELS[m["todo"]] if m.get("todo") else EVENT_FR.get(m["type"], m["type"])


def date_cell(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@router.get("/todo", response_class=HTMLResponse)
def todo_page(request: Request, ledger: LedgerDep, principal: PagePrincipal) -> HTMLResponse:
    today = request.app.state.today()
    ledger.sync()
    cfa, siret = principal.scope() or (None, None)
    _, rows = ledger.wage_view.page(cfa_id=cfa, employer_siret=siret, statuses=sorted(LIVE), limit=1000)
    items = []
    for row, _upcoming in rows:
        contract = ledger.contracts.read_contract(UUID(row.contract_id))
        for item in todo_items(contract, today):
            items.append({**item, "contract_id": row.contract_id, "apprentice": row.apprentice})
    items.sort(key=lambda i: (i["date"], i["apprentice"]))
    return render(request, "todo.html", principal, items=items, today=today)


def _readable(ledger: Any, principal: Principal, contract_id: str) -> Contract | None:
    """The contract if this key may read it; None when it does not exist or belongs to another tenant."""
    try:
        contract = ledger.contracts.read_contract(UUID(contract_id))
    except (ValueError, ContractNotFound):
        return None
    return contract if principal.may_read(contract.cfa_id, contract.terms_data["employer"].get("siret")) else None


@router.get("/contracts/{contract_id}", response_class=HTMLResponse)
def contract_page(
    request: Request,
    ledger: LedgerDep,
    principal: PagePrincipal,
    contract_id: str,
    fait: Annotated[str, Query(max_length=40)] = "",
) -> HTMLResponse:
    contract = _readable(ledger, principal, contract_id)
    if contract is None:
        return HTMLResponse(render(request, "missing.html", principal).body, status_code=404)
    done = EVENT_FR.get(fait) or ACTION_DONE.get(fait)
    return contract_view(request, ledger, principal, contract, done=done)


ACTION_DONE = {"erased": "Données personnelles effacées", "drafted": "Contrat rédigé"}


def contract_view(
    request: Request, ledger: Any, principal: Principal, contract: Contract, status_code: int = 200, **extra: Any
) -> HTMLResponse:
    """The contract's page; `extra`: what an action adds (its error, the values typed, a confirmation)."""
    today = request.app.state.today()
    try:
        months: list[dict[str, Any]] | None = schedule_json(ledger.contracts.wage_schedule(contract.id))
    except DomainError:
        months = None
    try:
        funding: dict[str, Any] | None = funding_json(ledger.contracts.funding.of_contract(contract.id), today)
    except DomainError:
        funding = None
    try:
        hiring: dict[str, Any] | None = hiring_aid_json(ledger.contracts.funding.hiring_aid(contract.id))
    except DomainError:
        hiring = None
    events = [
        {**e, "who": "service (horloge)" if e["type"] in SERVICE_EVENT_TYPES or e["payload"].get("implicit") else "CFA"}
        for e in ledger.contracts.contract_events(contract.id)
    ]
    chart = {
        "months": [
            {"month": m["month"], "label": french.month(m["month"]), "amount": m["amount"]} for m in months or []
        ],
        "changes": [
            {
                "date": f"{c['month']}-01",
                "label": french.month(c["month"]),
                "reason": EVENT_FR.get(c["cause"], c["cause"]),
                "article": c["article"],
                "amount": french.euros(c["amount"]),
            }
            for c in timeline_changes(months or [])
        ],
    }
    data = contract_data(contract, months, today)
    form = conformity(ledger.contracts, contract.id) if contract.form is not None and months is not None else None
    response = render(
        request,
        "contract.html",
        principal,
        c=data,
        version=contract.version,
        months=months or [],
        chart=chart,
        events=events,
        funding=funding,
        hiring=hiring,
        form=form,
        actions=available_actions(contract) if principal.may_change(contract.cfa_id) else [],
        correctable=CORRECTABLE,
        live_statuses=LIVE,
        today=today,
        **extra,
    )
    response.status_code = status_code
    return response


@router.get("/contracts/{contract_id}/cerfa.pdf", response_model=None)
def contract_cerfa(request: Request, ledger: LedgerDep, principal: PagePrincipal, contract_id: str) -> Response:
    contract = _readable(ledger, principal, contract_id)
    if contract is None:
        return HTMLResponse(render(request, "missing.html", principal).body, status_code=404)
    disposition = f'attachment; filename="cerfa-10103-{contract.id}.pdf"'
    body = filled_form(ledger.contracts, contract.id)
    return Response(body, media_type="application/pdf", headers={"Content-Disposition": disposition})


def install(app: Any) -> None:
    """The router, the static files, and the login redirect for pages without a valid key."""
    from fastapi.staticfiles import StaticFiles

    @app.get("/ui", include_in_schema=False)
    def ui_home() -> Response:  # the README's address: the contracts, or the login first
        return RedirectResponse("/ui/contracts", status_code=303)

    from api.routes import ui_actions, ui_import, ui_views

    app.include_router(ui_actions.router)  # first: /ui/contracts/new is not a contract's id
    app.include_router(router)
    app.include_router(ui_import.router)
    app.include_router(ui_views.router)
    app.mount("/static", StaticFiles(directory=str(Path(__file__).resolve().parent.parent / "static")), name="static")

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, e: LoginRequired) -> Response:
        return RedirectResponse("/ui/login", status_code=303)

    @app.get("/", include_in_schema=False)
    def home() -> Response:
        return RedirectResponse("/ui/contracts", status_code=303)
