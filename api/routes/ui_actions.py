"""The CFA's commands from its page: draft a contract, record each lifecycle event, correct the terms, erase
the apprentice's personal data. Every form carries the version of the contract it was shown with (the page's
If-Match): if the contract moved meanwhile, nothing is recorded and the page says what changed. A rule the
domain refuses comes back on the page with its field and article; a success goes back to the contract."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from api.deps import LedgerDep
from api.page_actions import BY_EVENT, FormInvalid, corrections_from_form, event_from_form
from api.routes.contracts import run_command
from api.routes.ui import PagePrincipal, _readable, contract_view, render
from api.schemas import ContractTermsIn
from domain.access import Principal
from domain.contract import Contract
from domain.errors import DomainError
from domain.refusals_fr import refusal_fr
from domain.wage.facts import deep_merge
from ledger.errors import VersionConflict
from ledger.system import Ledger

router = APIRouter(prefix="/ui", include_in_schema=False)


async def _form(request: Request) -> dict[str, str]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


def _changeable(ledger: Ledger, principal: Principal, contract_id: str) -> Contract | None:
    contract = _readable(ledger, principal, contract_id)
    return contract if contract is not None and principal.may_change(contract.cfa_id) else None


def _command(
    request: Request,
    ledger: Ledger,
    principal: Principal,
    contract_id: str,
    form: Mapping[str, str],
    action: str,
    command: Callable[[Contract, int], object],
    done: str,
) -> Response:
    """Run a command under the form's version; the page again with what went wrong, or the contract."""
    contract = _changeable(ledger, principal, contract_id)
    if contract is None:
        return HTMLResponse(render(request, "missing.html", principal).body, status_code=404)
    version_text = form.get("version", "")
    if not version_text.isdigit():
        return _again(
            request, ledger, principal, contract, action, form, ["La version du contrat manque au formulaire."]
        )
    version = int(version_text)
    try:
        run_command(ledger, contract, version, lambda: command(contract, version))
    except VersionConflict as e:
        message = (
            f"Le contrat a changé depuis l'ouverture de cette page (version {e.expected}, maintenant {e.actual}) : "
            "rien n’a été enregistré. La page montre le contrat à jour ; vérifiez-le, puis recommencez."
        )
        return _again(request, ledger, principal, contract, action, form, [message], status_code=409)
    except FormInvalid as e:
        return _again(request, ledger, principal, contract, action, form, [m for _, m in e.problems])
    except DomainError as e:
        return _again(request, ledger, principal, contract, action, form, [_refusal(e)])
    return RedirectResponse(f"/ui/contracts/{contract.id}?fait={done}", status_code=303)


def _refusal(e: DomainError) -> str:
    """A domain refusal in the page's words: the field as labelled, the article, the rule's message in French."""
    where = f" « {FIELD_LABELS.get(e.field, e.field)} »" if e.field else ""
    rule = f" (règle {e.rule})" if e.rule else ""
    return f"Refusé{where}{rule} : {refusal_fr(e.detail) or e.detail}. Rien n’a été enregistré."


def _again(
    request: Request,
    ledger: Ledger,
    principal: Principal,
    contract: Contract,
    action: str,
    form: Mapping[str, str],
    messages: list[str],
    status_code: int = 422,
) -> HTMLResponse:
    current = ledger.contracts.read_contract(contract.id)
    error = {"action": action, "messages": messages}
    return contract_view(request, ledger, principal, current, status_code, action_error=error, typed=dict(form))


@router.post("/contracts/{contract_id}/actions")
async def record_action(request: Request, ledger: LedgerDep, principal: PagePrincipal, contract_id: str) -> Response:
    form = await _form(request)
    event = form.get("type", "")

    def command(contract: Contract, version: int) -> object:
        payload = event_from_form(event, form)
        return ledger.contracts.record_event(contract.id, payload, version)

    action = event if event in BY_EVENT else "unknown"
    return await run_in_threadpool(
        _command, request, ledger, principal, contract_id, form, action, command, event if event in BY_EVENT else ""
    )


@router.post("/contracts/{contract_id}/correct")
async def correct(request: Request, ledger: LedgerDep, principal: PagePrincipal, contract_id: str) -> Response:
    form = await _form(request)

    def command(contract: Contract, version: int) -> object:
        reason = form.get("reason", "").strip()
        changes = corrections_from_form(contract.terms_data, form)
        problems = [] if reason else [("reason", "« Motif de la correction » est à remplir")]
        if not changes:
            problems.append(("changes", "Aucun champ n’a changé : rien à corriger"))
        if problems:
            raise FormInvalid(problems)
        try:
            terms = ContractTermsIn.model_validate(deep_merge(contract.terms_data, changes)).as_terms()
        except ValidationError as e:
            raise FormInvalid(
                [(".".join(map(str, x["loc"])), f"{'.'.join(map(str, x['loc']))} : {x['msg']}") for x in e.errors()]
            ) from None
        return ledger.contracts.correct_terms(contract.id, terms, reason, version)

    return await run_in_threadpool(
        _command, request, ledger, principal, contract_id, form, "correct", command, "TermsCorrected"
    )


@router.post("/contracts/{contract_id}/erase")
async def erase(request: Request, ledger: LedgerDep, principal: PagePrincipal, contract_id: str) -> Response:
    form = await _form(request)

    def command(contract: Contract, version: int) -> object:
        if form.get("confirm") != "yes":
            raise FormInvalid([("confirm", "Cochez la case pour confirmer l’effacement : il est définitif.")])
        return ledger.contracts.erase_personal_data(contract.id, version)

    return await run_in_threadpool(_command, request, ledger, principal, contract_id, form, "erase", command, "erased")


# -- drafting ---------------------------------------------------------------------------------------------
DRAFT_FIELDS: tuple[tuple[str, str, str], ...] = (
    # (form name, label, input type)
    ("first_name", "Prénom de l'apprenti", "text"),
    ("last_name", "Nom de l'apprenti", "text"),
    ("birth_date", "Date de naissance", "date"),
    ("employer_name", "Employeur", "text"),
    ("siret", "SIRET de l'employeur (14 chiffres)", "text"),
    ("postcode", "Code postal du lieu de travail", "text"),
    ("idcc", "Convention collective (IDCC)", "text"),
    ("training_title", "Formation", "text"),
    ("level", "Niveau (3 à 8)", "number"),
    ("cycle_months", "Durée du cycle (mois)", "number"),
    ("start_date", "Début du contrat", "date"),
    ("end_date", "Fin du contrat", "date"),
    ("master_name", "Maître d'apprentissage (nom)", "text"),
)


# Where each drafting field goes in the terms (interfaces §1).
DRAFT_PATHS: dict[str, tuple[str, ...]] = {
    "first_name": ("apprentice", "first_name"),
    "last_name": ("apprentice", "last_name"),
    "birth_date": ("apprentice", "birth_date"),
    "employer_name": ("employer", "name"),
    "siret": ("employer", "siret"),
    "idcc": ("employer", "idcc"),
    "postcode": ("employer", "postcode"),
    "training_title": ("training", "title"),
    "level": ("training", "level"),
    "cycle_months": ("training", "cycle_months"),
    "start_date": ("start_date",),
    "end_date": ("end_date",),
}
# The terms' fields as the page's forms label them, for the domain's refusals (and an event's own dates).
FIELD_LABELS = {
    **{".".join(DRAFT_PATHS[name]): label for name, label, _ in DRAFT_FIELDS if name in DRAFT_PATHS},
    "apprentice.lower_secondary_completed": "Classe de 3e terminée",
    "on": "Date",
    "new_end_date": "Nouvelle date de fin",
}


def terms_from_form(form: Mapping[str, str]) -> dict[str, Any]:
    """The terms of interfaces §1 the drafting form describes, checked by the API's request model."""

    def text(name: str) -> str | None:
        return (form.get(name) or "").strip() or None

    def number(name: str) -> Any:
        value = text(name)
        return int(value) if value is not None and value.isdigit() else value

    sector = "public" if form.get("sector") == "public" else "private"
    raw: dict[str, Any] = {
        "apprentice": {
            "first_name": text("first_name"),
            "last_name": text("last_name"),
            "birth_date": text("birth_date"),
            "disability_recognised": form.get("disability") == "yes",
            "lower_secondary_completed": {"yes": True, "no": False}.get(form.get("lower_secondary", "")),
        },
        "employer": {
            "name": text("employer_name"),
            "siret": text("siret"),
            "sector": sector,
            "public_majoration_points": number("public_points") or 0 if sector == "public" else 0,
            "idcc": text("idcc"),
            "postcode": text("postcode"),
        },
        "training": {
            "title": text("training_title"),
            "level": number("level"),
            "cycle_months": number("cycle_months"),
            "cfa_start_date": text("start_date"),
        },
        "start_date": text("start_date"),
        "end_date": text("end_date"),
    }
    master = text("master_name")
    if master:
        raw["master"] = {"id": f"page-{secrets.token_hex(4)}", "name": master}
    labels = {name: label for name, label, _ in DRAFT_FIELDS}
    form_names = {path: name for name, path in DRAFT_PATHS.items()}
    try:
        return ContractTermsIn.model_validate(raw).as_terms()
    except ValidationError as e:
        problems = []
        for err in e.errors():
            name = form_names.get(tuple(str(p) for p in err["loc"]), ".".join(map(str, err["loc"])))
            label = labels.get(name, name)
            value_missing = err["type"] in ("string_type", "int_type", "missing") and not text(name)
            problems.append((name, f"« {label} » est à remplir" if value_missing else f"« {label} » : {err['msg']}"))
        raise FormInvalid(problems) from None


@router.get("/contracts/new", response_class=HTMLResponse)
def draft_form(request: Request, principal: PagePrincipal) -> HTMLResponse:
    if principal.role != "cfa":
        return HTMLResponse(render(request, "missing.html", principal).body, status_code=404)
    return render(request, "draft.html", principal, fields=DRAFT_FIELDS, typed={"token": secrets.token_hex(16)})


@router.post("/contracts/new")
async def draft(request: Request, ledger: LedgerDep, principal: PagePrincipal) -> Response:
    if principal.role != "cfa" or principal.tenant is None:
        return HTMLResponse(render(request, "missing.html", principal).body, status_code=404)
    form = await _form(request)

    def run() -> Response:
        try:
            terms = terms_from_form(form)
            key = f"page:{form.get('token') or secrets.token_hex(16)}"  # the same form sent twice drafts once
            drafted = ledger.contracts.draft_contract(terms, key, principal.tenant)
        except FormInvalid as e:
            messages = [m for _, m in e.problems]
            return _draft_again(request, principal, form, messages)
        except DomainError as e:
            return _draft_again(request, principal, form, [_refusal(e)])
        return RedirectResponse(f"/ui/contracts/{drafted.contract_id}?fait=drafted", status_code=303)

    return await run_in_threadpool(run)


def _draft_again(request: Request, principal: Principal, form: Mapping[str, str], messages: list[str]) -> HTMLResponse:
    response = render(request, "draft.html", principal, fields=DRAFT_FIELDS, typed=dict(form), errors=messages)
    response.status_code = 422
    return response
