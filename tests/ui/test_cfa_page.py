"""The CFA's page in a real headless browser (Debian's chromium, driven by Selenium) against a live
`ledger serve` on 127.0.0.1 with seeded contracts. A screenshot is kept in test-artifacts/.

The browser is a setup step (`bin/setup-browser`, which `bin/test` runs before pytest); the tests install
nothing. Without it they skip with the reason outside CI, and fail under CI=true.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from domain.dates import add_months
from ledger.bootstrap import bootstrap
from ledger.settings import Settings
from tests.contract_builders import terms
from tests.live_server import serving
from tests.system.helpers import running
from tests.ui.conftest import ARTIFACTS, NBSP, login


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """`ledger serve` on a seeded SQLite store: CFA A's three contracts, CFA B's one; a key for each."""
    url = f"sqlite:///{tmp_path_factory.mktemp('ui') / 'ledger.sqlite3'}"
    ledger = bootstrap(Settings(database_url=url))
    lea = running(ledger, "lea", terms(birth="2008-03-15"))  # 18 on 2026-03-15: bracket B from April
    durand = running(ledger, "durand", terms(birth="2007-01-20", apprentice__last_name="Durand"))
    ledger.contracts.draft_contract(terms(apprentice__last_name="Petit"), "petit", "cfa-1")  # drafted only
    unfiled = ledger.contracts.draft_contract(terms(apprentice__last_name="Roux"), "roux", "cfa-1").contract_id
    ledger.contracts.sign(unfiled, date(2025, 8, 25))  # never filed: the filing is overdue
    ends = date.today() + timedelta(days=20)
    start = add_months(ends, -12) + timedelta(days=1)
    running(
        ledger,
        "ending",
        terms(birth="2006-05-05", start=start.isoformat(), end=ends.isoformat(), apprentice__last_name="Fin"),
    )
    other = ledger.contracts.draft_contract(terms(apprentice__last_name="Autre"), "other", "cfa-2").contract_id
    keys = {
        "a": ledger.contracts.keys.issue("cfa", "cfa-1", "A").token,
        "b": ledger.contracts.keys.issue("cfa", "cfa-2", "B").token,
    }
    schedule = ledger.contracts.wage_schedule(lea)
    ledger.close()
    with serving(url) as base:
        yield {
            "base": base,
            "keys": keys,
            "lea": str(lea),
            "durand": str(durand),
            "other": str(other),
            "months": len(schedule.months),
        }


def rows(driver: Any) -> list[Any]:
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, "table.contracts tbody tr[data-contract]")


def test_the_cfa_sees_its_live_contracts_filters_and_searches(driver: Any, site: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    login(driver, site["base"], site["keys"]["a"])
    assert driver.current_url.endswith("/ui/contracts")
    assert len(rows(driver)) == 5
    driver.find_element(By.ID, "q").send_keys("durand")
    driver.find_element(By.CSS_SELECTOR, "form.filters button").click()
    WebDriverWait(driver, 10).until(lambda d: "q=durand" in d.current_url)  # the filtered page, not the old one
    assert [r.get_attribute("data-contract") for r in rows(driver)] == [site["durand"]]
    driver.get(f"{site['base']}/ui/contracts?status=drafted")
    assert [r.find_element(By.CSS_SELECTOR, "th").text for r in rows(driver)] == ["Léa Petit"]
    driver.get(f"{site['base']}/ui/contracts")
    amount = driver.find_element(By.CSS_SELECTOR, f"tr[data-contract='{site['lea']}'] td.num").get_attribute(
        "textContent"
    )
    assert amount.endswith(f"{NBSP}€") and "," in amount  # French money: 952,18 €, 1 801,80 €


def test_one_contract_draws_its_wage_chart_and_each_change_is_explained_by_keyboard(
    driver: Any, site: dict[str, Any]
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    login(driver, site["base"], site["keys"]["a"])
    driver.find_element(By.LINK_TEXT, "Léa Martin").click()
    chart = "return Chart.getChart('wage-chart')"
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(chart + " !== undefined"))
    plotted = driver.execute_script(chart + ".data.datasets[0].data.length")
    assert plotted == site["months"] == len(driver.find_elements(By.CSS_SELECTOR, "table.months tbody tr"))
    amounts = [td.get_attribute("textContent") for td in driver.find_elements(By.CSS_SELECTOR, "table.months td.num")]
    changes = 1 + sum(1 for a, b in zip(amounts, amounts[1:], strict=False) if a != b)
    markers = driver.find_elements(By.CSS_SELECTOR, "ol.markers button.marker")
    assert len(markers) == changes
    # Keyboard only: Tab from the section's heading reaches the first change; its reason and article are
    # written to the live region and its point is the chart's active one.
    driver.find_element(By.ID, "chart-h").click()
    body = driver.switch_to.active_element
    for _ in range(40):
        body.send_keys(Keys.TAB)
        body = driver.switch_to.active_element
        if "marker" in (body.get_attribute("class") or ""):
            break
    assert body.get_attribute("data-month") == markers[0].get_attribute("data-month")
    body.send_keys(Keys.TAB)
    focused = driver.switch_to.active_element
    detail = driver.find_element(By.ID, "chart-detail").text
    assert focused.get_attribute("aria-pressed") == "true" and "article" in detail
    april = next(m for m in markers if m.get_attribute("data-month") == "2026-04")
    april.click()  # a touch or a click does the same
    detail = driver.find_element(By.ID, "chart-detail").text
    assert "Nouvelle tranche d'âge" in detail and "D6222-31" in detail  # the reason and the article
    active = driver.execute_script(chart + ".getActiveElements().map(e => e.index)")
    labels = driver.execute_script(chart + ".data.labels")
    assert [labels[i] for i in active] == ["avr. 2026"]
    first_month = driver.find_element(By.CSS_SELECTOR, "table.months tbody tr td.num").get_attribute("textContent")
    assert first_month == f"486,49{NBSP}€"  # 27 % of the SMIC 1 801,80 €
    history = driver.find_element(By.CSS_SELECTOR, "table.events").text
    assert "Signé" in history and "/" in history  # dd/mm/yyyy HH:MM
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "cfa-contract-page.png"
    driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000


def test_the_todo_list_sorts_deadlines_by_date(driver: Any, site: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By

    login(driver, site["base"], site["keys"]["a"])
    driver.get(f"{site['base']}/ui/todo")
    todo = driver.find_elements(By.CSS_SELECTOR, "table.todo tbody tr[data-kind]")
    assert {r.get_attribute("data-kind") for r in todo} >= {"filing", "end"}
    dates = [r.find_element(By.TAG_NAME, "td").text.split(" ")[0] for r in todo]
    assert all(len(d) == 10 and d[2] == d[5] == "/" for d in dates)  # dd/mm/yyyy
    as_iso = [f"{d[6:10]}-{d[3:5]}-{d[0:2]}" for d in dates]
    assert as_iso == sorted(as_iso)
    filing = next(r for r in todo if r.get_attribute("data-kind") == "filing")
    assert "en retard" in filing.text and "D6224-1" in filing.text


def test_a_cfa_key_cannot_see_another_cfas_contracts_on_the_page(driver: Any, site: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By

    login(driver, site["base"], site["keys"]["b"])
    assert [r.get_attribute("data-contract") for r in rows(driver)] == [site["other"]]
    driver.get(f"{site['base']}/ui/contracts/{site['lea']}")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Contrat introuvable"
    driver.delete_all_cookies()
    driver.get(f"{site['base']}/ui/contracts")
    assert driver.current_url.endswith("/ui/login")


def test_on_a_390_px_phone_the_list_and_a_contract_fit_the_screen_with_logout_and_wages_visible(
    driver: Any, site: dict[str, Any]
) -> None:
    from selenium.webdriver.common.by import By

    driver.set_window_size(390, 844)
    try:
        login(driver, site["base"], site["keys"]["a"])
        for path in ("/ui/contracts", f"/ui/contracts/{site['lea']}", "/ui/import"):
            driver.get(site["base"] + path)
            width = driver.execute_script("return document.documentElement.clientWidth")
            scroll = driver.execute_script("return document.documentElement.scrollWidth")
            wide = driver.execute_script(
                "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > "
                "document.documentElement.clientWidth).map(e => e.tagName + '.' + e.className).slice(0, 5)"
            )
            assert scroll <= width, f"{path} scrolls sideways: {scroll} > {width}: {wide}"
            assert driver.find_element(By.CSS_SELECTOR, ".logout button").is_displayed()
        driver.get(site["base"] + "/ui/contracts")
        wage = driver.find_element(By.CSS_SELECTOR, f"tr[data-contract='{site['lea']}'] td.num")
        assert wage.is_displayed() and wage.text.endswith("€")
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "contracts-390px.png"))
    finally:
        driver.set_window_size(1280, 1400)
