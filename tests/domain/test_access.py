"""Who sees what: the scope a key's listings use (the API's list, the forecast and the CFA's page share it)."""

from __future__ import annotations

from domain.access import Principal

CFA_A = Principal("k1", "cfa", "cfa-a")
EMPLOYER = Principal("k2", "employer", "12345678900011")
ADMIN = Principal("k3", "admin", None)


def test_a_tenant_key_lists_its_own_contracts_whatever_it_asks() -> None:
    assert CFA_A.scope() == ("cfa-a", None)
    assert CFA_A.scope("cfa-a", "98765432100019") == ("cfa-a", "98765432100019")
    assert EMPLOYER.scope() == (None, "12345678900011")
    assert EMPLOYER.scope("cfa-b") == ("cfa-b", "12345678900011")


def test_asking_for_another_tenant_gives_nothing_and_an_admin_sees_what_it_asks() -> None:
    assert CFA_A.scope("cfa-b") is None
    assert EMPLOYER.scope(None, "98765432100019") is None
    assert ADMIN.scope("cfa-b", None) == ("cfa-b", None) and ADMIN.scope() == (None, None)


def test_a_revoked_key_shows_when_it_was_revoked_not_when_it_was_made() -> None:
    import time
    from datetime import datetime

    from domain.access import ApiKey

    key = ApiKey.issue("abc", "secret", "cfa", "cfa-a", "")
    time.sleep(0.01)
    key.revoke()
    described = key.describe()
    assert datetime.fromisoformat(described["revoked_at"]) > datetime.fromisoformat(described["created_at"])
    assert not key.matches("secret")
