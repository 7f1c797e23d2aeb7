"""The CFA's funding forecast page and the employer's apprentices page, through the real app."""

from __future__ import annotations

import csv
import html
import io
import re

from api.french import euros
from tests.api.conftest import Api
from tests.api.test_ui_import import session
from tests.contract_builders import terms


def test_the_funding_page_shows_the_forecast_month_by_month_as_the_api_gives_it(api: Api) -> None:
    api.running(terms())
    api.running(terms(birth="2006-02-02"))
    forecast = api.get("/funding/forecast", **{"from": "2025-09", "to": "2026-08"}).json()["months"]
    assert forecast, "the contracts have payments in the year"
    session(api)
    page = html.unescape(api.client.get("/ui/funding", params={"from": "2025-09", "to": "2026-08"}).text)
    assert "Financement prévu" in page and 'id="funding-chart"' in page and "/static/vendor/chart.umd.min.js" in page
    for m in forecast:
        assert euros(m["OPCO"]) in page
    rows = re.findall(r'<tr><th scope="row">', page)
    assert len(rows) == 12  # every month of the range, those without a payment at 0
    export = api.client.get("/ui/funding/export", params={"from": "2025-09", "to": "2026-08", "format": "csv"})
    lines = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["Mois", "OPCO", "Employeurs", "Total", "Contrats"] and len(lines) - 1 == len(forecast)
    payments = api.client.get(
        "/ui/funding/export", params={"from": "2025-09", "to": "2026-08", "detail": "payments", "format": "xlsx"}
    )
    assert payments.status_code == 200 and payments.content[:2] == b"PK"


def test_an_employer_sees_its_apprentices_minimum_this_month_and_next_and_why_it_changed(api: Api) -> None:
    # The app's today is 2026-01-15: 18 on 2026-01-10, a new bracket from February.
    lea, _ = api.running(terms(birth="2008-01-10"))
    api.running(terms(birth="2007-01-20", apprentice__last_name="Durand", employer__siret="98765432100015"))
    session(api, "employer")
    r = api.client.post("/ui/login", data={"key": api.keys["employer"]}, follow_redirects=False)
    assert r.headers["location"] == "/ui/employer"
    page = html.unescape(api.client.get("/ui/employer").text)
    assert "Mes apprentis" in page and "Léa Martin" in page
    assert "Durand" not in page  # another employer's apprentice
    row = re.search(rf'<tr data-contract="{lea}"[^>]*>(.*?)</tr>', page, re.S)
    assert row is not None
    cells = re.findall(r'<td class="num">([^<]+)', row.group(1))
    wages = api.get(f"/contracts/{lea}/wages").json()["months"]
    by_month = {m["month"]: m["amount"] for m in wages}
    this, following = re.findall(r'<th scope="col" class="num">([^<]+)</th>', page)
    assert cells[0].strip() == euros(by_month[_key(this)]) and cells[1].strip() == euros(by_month[_key(following)])
    assert "(change)" in row.group(1)  # next month's minimum differs: a new age bracket
    last = re.search(r'<td class="last">(.*?)</td>', row.group(1), re.S)
    coming = re.search(r'<td class="coming">(.*?)</td>', row.group(1), re.S)
    assert last is not None and "févr. 2026 : Nouvelle tranche d'âge" in last.group(1) and "D6222-31" in last.group(1)
    assert coming is not None and "juin 2026 : Revalorisation du SMIC" in coming.group(1)
    assert api.client.get("/ui/funding").status_code == 404  # the forecast is the CFA's


def _key(label: str) -> str:
    from api.french import MONTHS

    name, year = label.rsplit(" ", 1)
    return f"{year}-{MONTHS.index(name) + 1:02d}"


def test_a_contract_page_shows_its_master_its_employer_and_the_hiring_aid_in_french(api: Api) -> None:
    cid, _ = api.running(terms(master="M-1"))
    session(api)
    page = html.unescape(api.client.get(f"/ui/contracts/{cid}").text)
    assert "Maître d'apprentissage" in page and "M-1" in page
    assert "Boulangerie Martin (SIRET 12345678900011, privé, 4 salariés)" in page
    aid = api.get(f"/contracts/{cid}/hiring-aid").json()
    assert "Aide à l'embauche" in page
    assert aid["eligible"] and f"Éligible : <strong>{euros(aid['annual'])}</strong>" in page
    assert all(euros(m["amount"]) in page for m in aid["months"])
