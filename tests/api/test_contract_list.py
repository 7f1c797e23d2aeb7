"""The contract list, in the API and on the page: accent- and case-insensitive search, the employer filter
before paging, sorting on each column, pages that add up to the count."""

from __future__ import annotations

import re
import typing

import pytest

from api.routes.contracts import Sort
from projections.wage.view import SORTS
from tests.api.conftest import Api
from tests.api.test_ui_import import session
from tests.contract_builders import terms

NAMES = [("Léa", "Martin"), ("Éloïse", "Dubois"), ("Hugo", "Petit"), ("Zoé", "Bernard"), ("Noël", "Étienne")]


def seed(api: Api, count: int = 0) -> None:
    for k, (first, last) in enumerate(NAMES):
        api.draft(terms(apprentice__first_name=first, apprentice__last_name=last), key=f"name-{k}")
    for i in range(count):
        api.draft(
            terms(apprentice__first_name="Test", apprentice__last_name=f"N{i:03d}", employer__name=f"Garage {i}"),
            key=f"n{i}",
        )


@pytest.mark.parametrize(
    ("query", "found"), [("lea", "Léa Martin"), ("ELOISE", "Éloïse Dubois"), ("etienne", "Noël Étienne")]
)
def test_the_api_finds_a_name_whatever_its_case_and_accents(api: Api, query: str, found: str) -> None:
    seed(api)
    body = api.get("/contracts", apprentice=query, status=["drafted"]).json()
    assert [i["apprentice"] for i in body["items"]] == [found] and body["total"] == 1


def test_every_sort_of_the_api_is_a_sort_of_the_view() -> None:
    assert set(typing.get_args(Sort)) == set(SORTS)


def test_the_api_sorts_by_apprentice_both_ways(api: Api) -> None:
    seed(api)
    up = [
        i["apprentice"]
        for i in api.get("/contracts", status=["drafted"], sort="apprentice", order="asc").json()["items"]
    ]
    down = api.get("/contracts", status=["drafted"], sort="apprentice", order="desc").json()["items"]
    assert up[0] == "Hugo Petit" and up == [i["apprentice"] for i in down][::-1]


def test_the_page_filters_by_employer_before_paging_and_its_pages_add_up(api: Api) -> None:
    seed(api, count=60)
    session(api)
    page = api.client.get("/ui/contracts", params={"status": "drafted", "employer": "garage 5"}).text
    # "Garage 5" and "Garage 50" to "Garage 59": all found, though the list holds 65 contracts.
    assert "1–11 sur 11 contrats" in page
    first = api.client.get("/ui/contracts", params={"status": "drafted", "sort": "apprentice", "order": "asc"}).text
    assert "1–50 sur 65 contrats" in first and "Page 1 sur 2" in first and 'rel="next"' in first
    api_total = api.get("/contracts", status=["drafted"]).json()["total"]
    assert f"sur {api_total} contrats" in api.client.get("/ui/contracts", params={"status": "drafted"}).text
    second_link = re.search(r'href="([^"]+)" rel="next"', first)
    assert second_link is not None
    second = api.client.get(second_link.group(1).replace("&amp;", "&")).text
    assert "51–65 sur 65 contrats" in second and 'rel="prev"' in second
    names = re.findall(r'<a href="/ui/contracts/[0-9a-f-]{36}">([^<]+)</a>', first + second)
    assert len(names) == 65 and len(set(names)) == 65  # every contract once across the pages
    assert "lea" in api.client.get("/ui/contracts", params={"status": "drafted", "q": "LEA"}).text.lower()


def test_the_api_sorts_by_this_months_minimum_and_by_training(api: Api) -> None:
    for k, birth in enumerate(("2008-03-15", "2001-01-10", "2005-06-01")):  # three ages: three minimums
        api.draft(terms(birth=birth, training__title=f"Formation {'CBA'[k]}"), key=f"age-{k}")
    items = api.get("/contracts", status=["drafted"], sort="current_wage", order="asc").json()["items"]
    amounts = [float(i["current_wage"]["amount"]) for i in items]
    assert amounts == sorted(amounts) and len(set(amounts)) == 3
    down = api.get("/contracts", status=["drafted"], sort="current_wage", order="desc", limit=1).json()
    assert down["total"] == 3 and float(down["items"][0]["current_wage"]["amount"]) == amounts[-1]
    session(api)
    page = api.client.get("/ui/contracts", params={"status": "drafted", "sort": "training", "order": "asc"}).text
    found = re.findall(r"<td>(Formation [ABC])</td>", page)
    assert found == ["Formation A", "Formation B", "Formation C"]


def test_the_list_exports_every_filtered_contract_or_the_ones_selected(api: Api) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    seed(api, count=60)
    session(api)
    every = api.client.get("/ui/contracts/export", params={"status": "drafted", "format": "csv"})
    assert every.status_code == 200 and "attachment" in every.headers["content-disposition"]
    lines = list(csv.reader(io.StringIO(every.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:3] == ["Identifiant du contrat", "CFA", "Apprenti"] and "Minimum du mois" in lines[0]
    assert len(lines) - 1 == 65  # every page, not the first 50
    garages = api.client.get("/ui/contracts/export", params={"employer": "garage 5", "status": "drafted"})
    assert len(garages.content.decode("utf-8-sig").strip().splitlines()) - 1 == 11
    chosen = [lines[1][0], lines[7][0]]
    picked = api.client.get("/ui/contracts/export", params={"status": "drafted", "format": "xlsx", "ids": chosen})
    sheet = load_workbook(io.BytesIO(picked.content)).active
    assert sheet is not None
    ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(ids) == sorted(chosen)
    # Another CFA's session exports none of them.
    session(api, "cfa_b")
    other = api.client.get("/ui/contracts/export", params={"status": "drafted", "ids": chosen})
    assert len(other.content.decode("utf-8-sig").strip().splitlines()) == 1
