"""The HTTP API through the real app, on memory, SQLite and PostgreSQL: routes, errors, concurrency headers."""

from __future__ import annotations

from tests.api.conftest import TODAY, Api
from tests.contract_builders import terms

PROBLEM = "application/problem+json"


def events_of(api: Api, cid: str) -> list[str]:
    return [e["type"] for e in api.get(f"/contracts/{cid}/events").json()["events"]]


def test_drafting_answers_201_with_etag_and_location_and_a_retry_answers_200_with_the_same_contract(api: Api) -> None:
    first = api.draft(terms(), key="draft-1")
    assert first.status_code == 201
    body = first.json()
    assert first.headers["ETag"] == '"1"' and first.headers["Location"] == f"/contracts/{body['id']}"
    assert (body["status"], body["cfa_id"], body["created"]) == ("drafted", "cfa-a", True)
    assert body["deadlines"]["filing_due"] == "2025-09-06"  # 5 jours ouvrables (Mon–Sat) after 2025-09-01, D6224-1
    retry = api.draft(terms(), key="draft-1")
    assert (retry.status_code, retry.json()["id"], retry.json()["created"]) == (200, body["id"], False)
    assert events_of(api, body["id"]) == ["Drafted"]


def test_an_idempotency_key_reused_with_other_terms_is_refused_and_records_nothing(api: Api) -> None:
    cid = api.draft(terms(), key="k").json()["id"]
    other = api.draft(terms(birth="2007-01-01"), key="k")
    assert other.status_code == 422 and other.headers["content-type"] == PROBLEM
    assert other.json()["type"] == "/problems/idempotency-key-reused"
    assert api.get(f"/contracts/{cid}").json()["terms"]["apprentice"]["birth_date"] == "2008-03-15"


def test_two_cfas_using_the_same_idempotency_key_get_two_contracts(api: Api) -> None:
    a = api.draft(terms(), who="cfa_a", key="same").json()["id"]
    b = api.draft(terms(), who="cfa_b", key="same")
    assert b.status_code == 201 and b.json()["id"] != a


def test_a_command_needs_if_match_and_a_stale_one_is_refused_without_recording(api: Api) -> None:
    r = api.draft(terms())
    cid, etag = r.json()["id"], r.headers["ETag"]
    missing = api.record(cid, {"type": "Signed", "on": "2025-08-25"}, None)
    assert missing.status_code == 428 and missing.json()["type"] == "/problems/if-match-required"
    stale = api.record(cid, {"type": "Signed", "on": "2025-08-25"}, '"7"')
    assert stale.status_code == 412 and stale.json()["current_version"] == 1
    assert events_of(api, cid) == ["Drafted"]
    ok = api.record(cid, {"type": "Signed", "on": "2025-08-25"}, etag)
    assert (ok.status_code, ok.headers["ETag"], ok.json()["status"]) == (200, '"2"', "signed")
    again = api.record(cid, {"type": "Filed", "on": "2025-09-02", "authority": "OPCO"}, etag)  # the old ETag
    assert again.status_code == 412
    assert events_of(api, cid) == ["Drafted", "Signed"]


def test_the_whole_lifecycle_reads_back_as_state_wages_history_and_audit_trail(api: Api) -> None:
    cid, _ = api.running(terms())
    contract = api.get(f"/contracts/{cid}").json()
    assert contract["status"] == "accepted" and contract["history"]["decision"]["accepted"] is True
    # Born 2008-03-15: under 18 in January 2026, year 1 → 27 % of the SMIC 1 823.03 (spec §9 ex. 1).
    assert contract["current_wage"] == {"month": "2026-01", "amount": "492.22"}
    assert contract["next_milestones"][0] == {"type": "AgeBracketReached", "effective_date": "2026-04-01"}
    months = {m["month"]: m for m in api.get(f"/contracts/{cid}/wages").json()["months"]}
    assert months["2025-09"]["amount"] == "486.49" and months["2026-04"]["amount"] == "783.90"
    assert months["2025-09"]["segments"][0]["rules"] == ["D6222-26"]
    history = api.get(f"/contracts/{cid}/wage-history").json()["entries"]
    assert history[0]["cause"] == "Drafted" and history[0]["new_amount"] == "486.49"
    audit = api.get(f"/contracts/{cid}/events").json()["events"]
    assert [e["type"] for e in audit] == ["Drafted", "Signed", "Filed", "FilingDecided"]
    assert [e["version"] for e in audit] == [1, 2, 3, 4] and all(e["recorded_at"] for e in audit)


def test_a_termination_prorates_the_last_month_and_shows_in_the_wage_history(api: Api) -> None:
    cid, etag = api.running(terms())
    r = api.record(cid, {"type": "Terminated", "on": "2026-01-15", "reason": "mutual_agreement"}, etag)
    assert r.status_code == 200 and r.json()["status"] == "terminated"
    months = api.get(f"/contracts/{cid}/wages").json()["months"]
    assert months[-1]["month"] == "2026-01" and months[-1]["amount"] == "238.17"  # 27 % × 1 823.03 × 15/31
    assert api.get(f"/contracts/{cid}/wage-history").json()["entries"][-1]["cause"] == "Terminated"


def test_refusals_are_problem_details_naming_the_field_and_the_article(api: Api) -> None:
    too_old = api.draft(terms(birth="1990-01-01"))
    assert too_old.status_code == 422 and too_old.headers["content-type"] == PROBLEM
    p = too_old.json()
    assert (p["type"], p["field"], p["rule"], p["status"]) == (
        "/problems/invalid-terms",
        "apprentice.birth_date",
        "L6222-1",
        422,
    )
    malformed = api.draft({**terms(), "start_date": 20250901})
    assert malformed.status_code == 422 and malformed.json()["field"] == "start_date"
    unknown_field = api.draft({**terms(), "salary": "2000"})
    assert unknown_field.status_code == 422 and unknown_field.json()["field"] == "salary"
    cid, etag = api.running(terms())
    twice = api.record(cid, {"type": "Signed", "on": "2025-08-25"}, etag)
    assert twice.status_code == 409 and (twice.json()["field"], twice.json()["rule"]) == ("type", "L6222-4")
    by_service = api.record(cid, {"type": "AgeBracketReached", "effective_date": "2026-04-01"}, etag)
    assert by_service.status_code == 422 and by_service.json()["field"] == "type"
    too_long = api.record(cid, {"type": "ExamFailedExtended", "on": "2027-07-01", "new_end_date": "2029-08-31"}, etag)
    assert too_long.status_code == 409 and too_long.json()["field"] == "new_end_date"
    assert len(api.get(f"/contracts/{cid}/events").json()["events"]) == 4  # nothing recorded by any refusal


def test_unknown_and_malformed_ids_are_404_problems(api: Api) -> None:
    for path in ("/contracts/00000000-0000-0000-0000-000000000000", "/contracts/not-a-uuid/wages", "/nowhere"):
        r = api.get(path)
        assert r.status_code == 404 and r.headers["content-type"] == PROBLEM, path


def test_listing_filters_by_status_name_and_upcoming_milestone_with_pagination(api: Api) -> None:
    running, _ = api.running(terms(birth="2008-03-15"))  # next: bracket B on 2026-04-01
    api.draft(terms(birth="2007-01-20", apprentice__last_name="Durand"))
    api.draft(terms(birth="2007-01-20", apprentice__last_name="Petit"))
    page = api.get("/contracts", limit=2).json()
    assert (page["total"], len(page["items"]), page["next_offset"]) == (3, 2, 2)
    assert len(api.get("/contracts", limit=2, offset=2).json()["items"]) == 1
    assert [c["apprentice"] for c in api.get("/contracts", apprentice="duRAND").json()["items"]] == ["Léa Durand"]
    accepted = api.get("/contracts", status="accepted").json()["items"]
    assert [c["id"] for c in accepted] == [running]
    assert accepted[0]["next_milestone"] == {
        "type": "AgeBracketReached",
        "effective_date": "2026-04-01",
        "deadline": None,
    }
    assert accepted[0]["current_wage"] == {"month": "2026-01", "amount": "492.22"}
    due = (TODAY.replace(month=4, day=1) - TODAY).days
    assert [c["id"] for c in api.get("/contracts", due_within_days=due).json()["items"]] == [running]
    assert api.get("/contracts", due_within_days=due - 1).json()["items"] == []


def test_a_simulation_computes_the_schedule_and_records_nothing(api: Api) -> None:
    before = api.ledger.contracts.recorder.max_notification_id()
    r = api.client.post("/simulations/schedule", json={"terms": terms()}, headers=api.auth("employer"))
    assert r.status_code == 200 and r.json()["months"][0]["amount"] == "486.49"
    bad = api.client.post(
        "/simulations/schedule", json={"terms": terms(start="2017-01-01")}, headers=api.auth("employer")
    )
    assert bad.status_code == 422 and bad.json()["field"] == "start_date"
    assert api.ledger.contracts.recorder.max_notification_id() == before


def test_an_admin_revaluation_changes_the_wages_and_as_of_shows_what_was_known_before(api: Api) -> None:
    cid, _ = api.running(terms())
    known_before = api.get(f"/contracts/{cid}/events").json()["events"][-1]["recorded_at"]
    body = {"effective_date": "2026-09-01", "hourly": "12.50", "act": "hypothetical décret"}
    assert api.client.post("/reference/smic", json=body, headers=api.auth("cfa_a")).status_code == 403
    r = api.client.post("/reference/smic", json=body, headers=api.auth("admin"))
    assert r.status_code == 201 and r.json() == {"recorded": True}
    retry = api.client.post("/reference/smic", json=body, headers=api.auth("admin"))
    assert retry.status_code == 200 and retry.json() == {"recorded": False}
    wrong = {**body, "effective_date": "2026-10-01", "monthly": "1900.00"}
    assert api.client.post("/reference/smic", json=wrong, headers=api.auth("admin")).json()["rule"] == "L3242-1"
    months = {m["month"]: m["amount"] for m in api.get(f"/contracts/{cid}/wages").json()["months"]}
    assert months["2026-09"] == "966.87"  # y2, bracket B: 51 % × 1 895.83 (12.50 × 35 × 52 / 12)
    then = api.get(f"/contracts/{cid}/wages", as_of=known_before).json()["months"]
    assert {m["month"]: m["amount"] for m in then}["2026-09"] == "952.18"  # 51 % × 1 867.02
    entry = api.get(f"/contracts/{cid}/wage-history").json()["entries"][-1]
    assert (entry["cause"], entry["effective_date"], entry["new_amount"]) == ("SmicRevalued", "2026-09-01", "966.87")
    smic = api.get("/reference", who="employer").json()["smic"]
    assert smic[-1]["effective_date"] == "2026-09-01" and smic[-1]["monthly"] == "1895.83"


def test_health_readiness_request_id_and_body_limit(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}
    ready = api.client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["last_event"] >= 1
    r = api.client.get("/contracts", headers=api.auth("cfa_a") | {"X-Request-ID": "abc-123"})
    assert r.headers["X-Request-ID"] == "abc-123"
    huge = api.client.post(
        "/contracts",
        content=b"{" + b" " * 70_000 + b"}",
        headers=api.auth("cfa_a") | {"content-type": "application/json"},
    )
    assert huge.status_code == 413 and huge.headers["content-type"] == PROBLEM
    assert api.ledger.contracts.recorder.max_notification_id() == ready["last_event"]
