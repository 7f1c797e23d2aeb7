"""`ledger erase CONTRACT_ID` and `ledger cipher-key`: an apprentice's personal data, at rest and on request."""

from __future__ import annotations

import argparse
import json
import sys
from uuid import UUID

from eventsourcing.cipher import AESCipher

from domain.errors import DomainError
from ledger.bootstrap import bootstrap
from ledger.errors import ApplicationError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "erase",
        help="erase an apprentice's name and exact birth date (RGPD art. 17); the wages stay the same",
    )
    p.add_argument("contract_id")
    p.add_argument("--yes", action="store_true", help="confirm: the erasure cannot be undone")
    p.set_defaults(handler=handle_erase)
    k = sub.add_parser("cipher-key", help="print a new random AES-256 key for LEDGER_CIPHER_KEY")
    k.set_defaults(handler=handle_cipher_key)


def _problem(problem: dict[str, str]) -> int:
    sys.stderr.write(json.dumps({"error": problem}, ensure_ascii=False) + "\n")
    return 1


def handle_erase(args: argparse.Namespace) -> int:
    try:
        contract_id = UUID(args.contract_id)
    except ValueError:
        return _problem({"type": "invalid-request", "field": "contract_id", "detail": "must be a contract id (UUID)"})
    if not args.yes:  # irreversible: never on a mistyped command alone
        return _problem(
            {
                "type": "confirmation-required",
                "field": "yes",
                "detail": "erasing personal data cannot be undone: run again with --yes to confirm",
            }
        )
    ledger = bootstrap()
    app = ledger.contracts
    try:
        version = app.erase_personal_data(contract_id)
    except (DomainError, ApplicationError) as e:
        return _problem(e.as_problem())
    finally:
        ledger.close()
    sys.stdout.write(json.dumps({"id": str(contract_id), "version": version, "erased": True}) + "\n")
    return 0


def handle_cipher_key(args: argparse.Namespace) -> int:
    sys.stdout.write(AESCipher.create_key(32) + "\n")
    return 0
