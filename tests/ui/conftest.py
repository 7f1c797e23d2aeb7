"""The browser and the live server the page tests share: Debian's chromium driven by Selenium (a setup step,
`bin/setup-browser`; without it the tests skip with the reason outside CI and fail under CI=true), and
`ledger serve` on 127.0.0.1 over a store the test seeded."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = Path(__file__).resolve().parent / "assets" / "axe.min.js"  # axe-core 4.14.1 (MPL-2.0), for the checks
NARROW_NBSP, NBSP = "\u202f", "\u00a0"


def _browser_available() -> str | None:
    """Why the browser cannot be used, or None."""
    if shutil.which("chromium") and shutil.which("chromedriver"):
        return None
    return "no headless chromium or chromedriver: run bin/setup-browser (bin/test runs it before pytest)"


@pytest.fixture(scope="session")
def driver() -> Iterator[Any]:
    reason = _browser_available()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1400",
        f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}",
    ):
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium") or "chromium"
    browser = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    browser.set_page_load_timeout(30)
    yield browser
    browser.quit()


def login(driver: Any, base: str, key: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.delete_all_cookies()
    driver.get(f"{base}/ui/login")
    field = driver.find_element(By.ID, "key")
    label = driver.find_element(By.CSS_SELECTOR, "label[for=key]")
    assert label.text == "Clé d'API"  # a real label for the field
    field.send_keys(key)
    field.submit()
    WebDriverWait(driver, 10).until(lambda d: not d.current_url.endswith("/ui/login"))


def axe_violations(driver: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's violations of the page shown, of these impacts: "rule: the first offending element"."""
    driver.execute_script(AXE.read_text())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => "
        "[v.impact, v.id, v.nodes.length ? v.nodes[0].target.join(' ') : ''])));"
    )
    return [f"{rule}: {target}" for impact, rule, target in result if impact in impacts]
