"""`ledger keys create|list|revoke`: the API keys (only a hash of each is stored; the key is shown once)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from domain.access import ROLES
from domain.errors import DomainError
from ledger.bootstrap import bootstrap


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("keys", help="create, list and revoke API keys")
    keys = p.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    create = keys.add_parser("create", help="create a key and print it once (JSON)")
    create.add_argument("--role", choices=ROLES, required=True)
    create.add_argument("--tenant", default=None, help="the CFA id (role cfa) or the SIRET (role employer)")
    create.add_argument("--label", default="", help="who or what the key is for")
    create.set_defaults(handler=handle_create)
    keys.add_parser("list", help="every key issued, without secrets (JSON lines)").set_defaults(handler=handle_list)
    revoke = keys.add_parser("revoke", help="revoke a key at once")
    revoke.add_argument("key_id")
    revoke.set_defaults(handler=handle_revoke)


def _out(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def _error(e: DomainError) -> int:
    sys.stderr.write(json.dumps({"error": e.as_problem()}, ensure_ascii=False) + "\n")
    return 1


def handle_create(args: argparse.Namespace) -> int:
    ledger = bootstrap()
    app = ledger.contracts
    try:
        issued = app.keys.issue(args.role, args.tenant, args.label)
    except DomainError as e:
        return _error(e)
    finally:
        ledger.close()
    _out({"token": issued.token, **issued.key, "note": "the token is shown once; only its hash is stored"})
    return 0


def handle_list(args: argparse.Namespace) -> int:
    ledger = bootstrap()
    app = ledger.contracts
    try:
        for key in app.keys.all():
            _out(key)
    finally:
        ledger.close()
    return 0


def handle_revoke(args: argparse.Namespace) -> int:
    ledger = bootstrap()
    app = ledger.contracts
    try:
        _out(app.keys.revoke(args.key_id))
    except DomainError as e:
        return _error(e)
    finally:
        ledger.close()
    return 0
