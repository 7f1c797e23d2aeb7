"""FastAPI dependencies: the one `Ledger` of the process, the caller's principal, and the contract it may see.

Every refusal that could tell an outsider whether a contract exists is a 404, the same as for an id that
does not exist.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.problems import ApiProblem
from domain.access import ADMIN, CFA, Principal
from domain.contract import Contract
from ledger.errors import ContractNotFound
from ledger.system import Ledger

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer al_…` (see `ledger keys`)")


# Dependencies that only look at what is already in memory are `async`: FastAPI runs a plain `def` one in a
# worker thread, and each such hop costs more than the check itself.
async def get_ledger(request: Request) -> Ledger:
    ledger: Ledger = request.app.state.ledger
    return ledger


LedgerDep = Annotated[Ledger, Depends(get_ledger)]


def authenticate(
    request: Request,
    ledger: LedgerDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None:
        raise ApiProblem(401, "unauthenticated", "Authentication required", "send an API key as a Bearer token")
    principal = ledger.contracts.keys.authenticate(credentials.credentials)
    if principal is None:
        raise ApiProblem(401, "unauthenticated", "Authentication required", "the API key is unknown or revoked")
    request.state.key_id = principal.key_id  # for the access log
    return principal


PrincipalDep = Annotated[Principal, Depends(authenticate)]


async def require_cfa(principal: PrincipalDep) -> Principal:
    if principal.role != CFA:
        raise ApiProblem(403, "forbidden", "Not allowed", "only a CFA key drafts and changes contracts")
    return principal


async def require_admin(principal: PrincipalDep) -> Principal:
    if principal.role != ADMIN:
        raise ApiProblem(403, "forbidden", "Not allowed", "only an admin key records reference data")
    return principal


CfaDep = Annotated[Principal, Depends(require_cfa)]
AdminDep = Annotated[Principal, Depends(require_admin)]


def not_found(contract_id: UUID | None) -> ContractNotFound:
    return ContractNotFound(f"no contract {contract_id}" if contract_id else "no such contract", field="contract_id")


def parse_contract_id(contract_id: str) -> UUID:
    try:
        return UUID(contract_id)
    except ValueError:
        raise not_found(None) from None  # the raw path is not echoed back


def readable_contract(contract_id: str, ledger: LedgerDep, principal: PrincipalDep) -> Contract:
    contract = ledger.contracts.read_contract(parse_contract_id(contract_id))
    siret = contract.terms_data["employer"].get("siret")
    if not principal.may_read(contract.cfa_id, siret):
        raise not_found(contract.id)
    return contract


ReadableContract = Annotated[Contract, Depends(readable_contract)]


async def changeable_contract(contract: ReadableContract, principal: PrincipalDep) -> Contract:
    if not principal.may_change(contract.cfa_id):
        raise ApiProblem(403, "forbidden", "Not allowed", "this key may read this contract, not change it")
    return contract


ChangeableContract = Annotated[Contract, Depends(changeable_contract)]
