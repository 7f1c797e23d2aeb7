"""Schemathesis over the app's own OpenAPI schema: no 5xx for any input, every response as documented.

Generated requests go through the real app (ASGI) on a real SQLite file, with a CFA key and with an admin
key (each operation under both). The rules refuse most random terms with a 422 problem: that is expected; a
5xx or an undocumented status, content type or body is a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.main import create_app
from ledger.bootstrap import bootstrap
from ledger.settings import Settings
from tests.api.conftest import TODAY, issue_keys
from tests.contract_builders import terms

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Operations are read from the app's schema at collection (the schema does not depend on the store).
OPERATIONS = [
    (method.upper(), path)
    for path, item in create_app(settings=Settings(database_url="memory:")).openapi()["paths"].items()
    for method in item
]


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    path = Path(tmp_path_factory.mktemp("fuzz")) / "ledger.sqlite3"
    ledger = bootstrap(Settings(database_url=f"sqlite:///{path}"))
    keys = issue_keys(ledger)
    unlimited = Settings(database_url=f"sqlite:///{path}", api_rate_limit_per_key=0, api_rate_limit_per_ip=0)
    app = create_app(ledger, settings=unlimited, today=lambda: TODAY)
    with TestClient(app) as client:  # one real contract, so the per-contract routes find something too
        r = client.post("/contracts", json=terms(), headers={"Authorization": f"Bearer {keys['cfa_a']}"})
        assert r.status_code == 201
    yield {"schema": schemathesis.openapi.from_asgi("/openapi.json", app), "keys": keys, "contract": r.json()["id"]}
    ledger.close()


@pytest.mark.parametrize("role", ["cfa_a", "admin"])
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_input_gives_a_server_error_or_an_undocumented_response(
    fuzz_target: dict[str, Any], method: str, path: str, role: str
) -> None:
    operation = fuzz_target["schema"][path][method]
    auth = {"Authorization": f"Bearer {fuzz_target['keys'][role]}"}
    seen: list[int] = []

    @given(case=operation.as_strategy(), existing=st.booleans())
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def fuzz(case: schemathesis.Case, existing: bool) -> None:
        if existing and case.path_parameters and "contract_id" in case.path_parameters:
            case.path_parameters["contract_id"] = fuzz_target["contract"]  # a contract that exists, half the time
        response = case.call_and_validate(headers=auth, checks=CHECKS)
        seen.append(response.status_code)

    fuzz()
    assert seen and max(seen) < 500
