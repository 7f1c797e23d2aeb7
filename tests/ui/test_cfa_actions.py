"""A CFA's whole day on its page, in a real browser, on a desktop and on a 390 px phone: drafting a contract
(the domain's refusal shown first), every lifecycle action, a correction, an erasure, a page left open while
the contract moved, the list's exports; the employer's page and the funding forecast; and an accessibility
check (axe-core) of every page with no serious or critical violation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ledger.bootstrap import bootstrap
from ledger.settings import Settings
from tests.contract_builders import terms
from tests.live_server import serving
from tests.system.helpers import running
from tests.ui.conftest import ARTIFACTS, axe_violations, login

EMPLOYER_SIRET = "12345678900011"
DESKTOP, PHONE = (1280, 1400), (390, 844)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('actions') / 'ledger.sqlite3'}"
    ledger = bootstrap(Settings(database_url=url))
    lea = running(ledger, "lea", terms(birth="2008-03-15"))
    keys = {
        "cfa": ledger.contracts.keys.issue("cfa", "cfa-1", "CFA").token,
        "employer": ledger.contracts.keys.issue("employer", EMPLOYER_SIRET, "Boulangerie").token,
    }
    ledger.close()
    with serving(url) as base:
        yield {"base": base, "keys": keys, "lea": str(lea)}


def sized(driver: Any, size: tuple[int, int]) -> None:
    driver.set_window_size(*size)


def fill(driver: Any, form: Any, values: dict[str, str]) -> None:
    from selenium.webdriver.common.by import By

    for name, value in values.items():
        field = form.find_element(By.NAME, name)
        if field.tag_name == "select":
            from selenium.webdriver.support.ui import Select

            Select(field).select_by_value(value)
        else:
            driver.execute_script("arguments[0].value = arguments[1]", field, value)


def submit(driver: Any, form: Any) -> None:
    """Send a form and wait for the next page: the button left the document, the new one loaded."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    button = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()

    def left(_: Any) -> bool:
        try:
            button.is_enabled()
        except WebDriverException:  # stale, or (chromedriver, mid-navigation) no longer in the document
            return True
        return False

    WebDriverWait(driver, 15).until(left)
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")


def action(driver: Any, event: str, values: dict[str, str]) -> str:
    """Open an action's form on the contract page, fill it, send it; the page's confirmation or error."""
    from selenium.webdriver.common.by import By

    form = driver.find_element(By.CSS_SELECTOR, f"form[data-action='{event}']")
    details = form.find_element(By.XPATH, "./ancestor::details")
    if details.get_attribute("open") is None:
        summary = details.find_element(By.TAG_NAME, "summary")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", summary)
        summary.click()
    fill(driver, form, values)
    for box in form.find_elements(By.CSS_SELECTOR, "input[type=checkbox]"):
        if not box.is_selected():
            box.click()
    submit(driver, form)
    for selector in ("#done", "#action-error"):
        found = driver.find_elements(By.CSS_SELECTOR, selector)
        if found:
            return str(found[0].text)
    return ""


def draft(driver: Any, base: str, last_name: str) -> str:
    """Draft from the page's form: first refused (too young, L6222-1), then accepted; the new contract's id."""
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/ui/contracts/new")
    values = {
        "first_name": "Zoé",
        "last_name": last_name,
        "birth_date": "2012-01-01",
        "employer_name": "Boulangerie Martin",
        "siret": EMPLOYER_SIRET,
        "postcode": "75011",
        "idcc": "0843",
        "training_title": "CAP Boulanger",
        "level": "3",
        "cycle_months": "24",
        "start_date": "2025-09-01",
        "end_date": "2027-08-31",
    }
    fill(driver, driver.find_element(By.CSS_SELECTOR, "form.draft"), values)
    submit(driver, driver.find_element(By.CSS_SELECTOR, "form.draft"))
    refusal = driver.find_element(By.ID, "draft-errors").text
    assert "Date de naissance" in refusal and "L6222-1" in refusal and "Rien n’a été enregistré" in refusal
    form = driver.find_element(By.CSS_SELECTOR, "form.draft")
    assert form.find_element(By.NAME, "last_name").get_attribute("value") == last_name  # kept as typed
    fill(driver, form, {"birth_date": "2007-05-02"})
    submit(driver, form)
    assert "Enregistré : Contrat rédigé" in driver.find_element(By.ID, "done").text
    return str(driver.current_url.split("/ui/contracts/")[1].split("?")[0])


LIFECYCLE = [
    ("Signed", {"on": "2025-08-25"}, "Signé"),
    ("Filed", {"on": "2025-09-01", "authority": "OPCO"}, "Transmis pour dépôt"),
    ("FilingDecided", {"on": "2025-09-03", "accepted": "true"}, "Décision de dépôt"),
    ("ProbationEnded", {"on": "2025-10-16"}, "Fin de la période d'essai"),
    ("SmcChanged", {"from": "2026-01-01", "monthly": "1950,00"}, "Nouveau salaire minimum conventionnel"),
    ("DisabilityRecognised", {"on": "2026-02-01"}, "Handicap reconnu"),
    ("ExamFailedExtended", {"on": "2027-06-30", "new_end_date": "2028-08-31"}, "Prolongé après échec à l'examen"),
    ("Terminated", {"on": "2027-12-31", "reason": "démission"}, "Rupture"),
]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_cfa_drafts_and_records_every_action_from_the_page(
    driver: Any, site: dict[str, Any], size: tuple[int, int]
) -> None:
    from selenium.webdriver.common.by import By

    sized(driver, size)
    try:
        login(driver, site["base"], site["keys"]["cfa"])
        cid = draft(driver, site["base"], f"Durand{size[0]}")
        for event, values, seen in LIFECYCLE:
            if event == "Terminated":  # a correction, while the contract runs
                said = action(driver, "correct", {"employer_name": "Boulangerie Martin & Fils", "reason": "raison"})
                assert said == "Enregistré : Correction des termes."
            said = action(driver, event, values)
            assert said == f"Enregistré : {seen}.", (event, said)
        history = driver.find_element(By.CSS_SELECTOR, "table.events").text
        assert all(seen in history for _, _, seen in LIFECYCLE)
        assert not driver.find_elements(By.CSS_SELECTOR, "form[data-action='correct']")  # not once terminated
        said = action(driver, "erase", {})
        assert said == "Enregistré : Données personnelles effacées."
        assert "(effacé)" in driver.find_element(By.TAG_NAME, "h1").text
        width = driver.execute_script("return document.documentElement.clientWidth")
        wide = driver.execute_script(
            "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > "
            "document.documentElement.clientWidth).map(e => e.tagName + '.' + e.className).slice(0, 5)"
        )
        assert driver.execute_script("return document.documentElement.scrollWidth") <= width, wide
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / f"contract-actions-{size[0]}px.png"))
        assert cid
    finally:
        sized(driver, DESKTOP)


def test_a_page_left_open_while_someone_else_changed_the_contract_records_nothing(
    driver: Any, site: dict[str, Any]
) -> None:
    from selenium.webdriver.common.by import By

    login(driver, site["base"], site["keys"]["cfa"])
    driver.get(f"{site['base']}/ui/contracts/{site['lea']}")
    version = driver.find_element(By.CSS_SELECTOR, "input[name=version]").get_attribute("value")
    # Meanwhile, through the API, a colleague ends the probation.
    r = httpx.post(
        f"{site['base']}/contracts/{site['lea']}/events",
        json={"type": "ProbationEnded", "on": "2025-10-20"},
        headers={"Authorization": f"Bearer {site['keys']['cfa']}", "If-Match": f'"{version}"'},
    )
    assert r.status_code == 200, r.text
    said = action(driver, "Terminated", {"on": "2026-01-31", "reason": "commun accord"})
    assert "a changé depuis l'ouverture de cette page" in said and "rien n’a été enregistré" in said
    assert driver.find_element(By.CSS_SELECTOR, "input[name=version]").get_attribute("value") != version
    assert "Fin de la période d'essai" in driver.find_element(By.CSS_SELECTOR, "table.events").text
    assert "Rupture" not in driver.find_element(By.CSS_SELECTOR, "table.events").text


def test_the_list_exports_the_selection(driver: Any, site: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By

    login(driver, site["base"], site["keys"]["cfa"])
    boxes = driver.find_elements(By.CSS_SELECTOR, "table.contracts input[name=ids]")
    assert boxes
    boxes[0].click()
    chosen = boxes[0].get_attribute("value")
    # The browser would download the file: the same request, with the page's cookie, read here.
    cookie = {c["name"]: c["value"] for c in driver.get_cookies()}
    r = httpx.get(f"{site['base']}/ui/contracts/export", params={"ids": chosen, "format": "csv"}, cookies=cookie)
    lines = r.content.decode("utf-8-sig").strip().splitlines()
    assert r.status_code == 200 and len(lines) == 2 and lines[1].startswith(chosen)
    assert driver.find_element(By.CSS_SELECTOR, ".bulk-actions button[value=xlsx]").is_displayed()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_page_passes_axe_with_no_serious_violation(
    driver: Any, site: dict[str, Any], size: tuple[int, int]
) -> None:
    sized(driver, size)
    try:
        login(driver, site["base"], site["keys"]["cfa"])
        pages = [
            "/ui/contracts",
            f"/ui/contracts/{site['lea']}",
            "/ui/todo",
            "/ui/import",
            "/ui/contracts/new",
            "/ui/funding",
        ]
        found = {}
        for path in pages:
            driver.get(site["base"] + path)
            found[path] = axe_violations(driver)
        login(driver, site["base"], site["keys"]["employer"])
        assert driver.current_url.endswith("/ui/employer")
        found["/ui/employer"] = axe_violations(driver)
        assert not any(found.values()), found
    finally:
        sized(driver, DESKTOP)


def test_the_employer_and_the_funding_pages_show_their_figures(driver: Any, site: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    login(driver, site["base"], site["keys"]["employer"])
    rows = driver.find_elements(By.CSS_SELECTOR, "table.employer tbody tr[data-contract]")
    assert rows and all("€" in r.text for r in rows)
    login(driver, site["base"], site["keys"]["cfa"])
    driver.get(f"{site['base']}/ui/funding?from=2025-09&to=2026-08")
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return Chart.getChart('funding-chart') !== undefined"))
    bars = driver.execute_script("return Chart.getChart('funding-chart').data.labels.length")
    assert bars == len(driver.find_elements(By.CSS_SELECTOR, "table.forecast tbody tr")) > 0


def test_every_page_fits_a_360_px_screen(driver: Any, site: dict[str, Any]) -> None:
    sized(driver, (360, 740))
    try:
        wide = {}
        for who, paths in (
            ("cfa", ["/ui/contracts", f"/ui/contracts/{site['lea']}", "/ui/todo", "/ui/import", "/ui/contracts/new"]),
            ("cfa", ["/ui/funding"]),
            ("employer", ["/ui/employer"]),
        ):
            login(driver, site["base"], site["keys"][who])
            for path in paths:
                driver.get(site["base"] + path)
                width = driver.execute_script("return document.documentElement.clientWidth")
                if driver.execute_script("return document.documentElement.scrollWidth") > width:
                    wide[path] = driver.execute_script(
                        "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect()"
                        ".right > document.documentElement.clientWidth).map(e => e.tagName + '.' + e.className)"
                        ".slice(0, 3)"
                    )
        assert not wide, wide
    finally:
        sized(driver, DESKTOP)


def test_the_print_view_keeps_the_figures_and_drops_the_controls(driver: Any, site: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By

    login(driver, site["base"], site["keys"]["cfa"])
    driver.get(f"{site['base']}/ui/contracts/{site['lea']}")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not driver.find_element(By.CSS_SELECTOR, "section.actions").is_displayed()
        assert not driver.find_element(By.CSS_SELECTOR, "header").is_displayed()
        assert driver.find_element(By.CSS_SELECTOR, "table.months").is_displayed()
        assert driver.find_element(By.ID, "wage-chart").is_displayed()
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
