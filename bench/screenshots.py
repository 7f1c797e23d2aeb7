"""Screenshots of every page of the service, on a desktop and on a 390 px phone, for review.

    .venv/bin/python -m bench.screenshots [--out test-artifacts/screens]

A fresh SQLite store gets the demo's contracts (`ledger demo`'s, dated from today) and a few more, a CFA key,
an employer key and an admin key; `ledger serve` runs on 127.0.0.1; headless chromium (`bin/setup-browser`)
signs in with each key and saves one PNG per page and width (the whole page's height), named
`<page>-<width>px.png`. Prints the files written.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from cli.commands.demo import CFA_ID, run_demo
from ledger.bootstrap import bootstrap
from ledger.settings import Settings
from ledger.time import paris_today

WIDTHS = (1280, 390)


def seed(url: str, today: date) -> dict[str, Any]:
    ledger = bootstrap(Settings(database_url=url))
    try:
        ids = run_demo(ledger.contracts, today)
        first = ledger.contracts.read_contract(ids[0])
        siret = first.terms_data["employer"]["siret"]
        keys = {
            "cfa": ledger.contracts.keys.issue("cfa", CFA_ID, "CFA démo").token,
            "employer": ledger.contracts.keys.issue("employer", siret, "Employeur démo").token,
            "admin": ledger.contracts.keys.issue("admin", None, "Auditeur").token,
        }
        ledger.sync()
    finally:
        ledger.close()
    return {"keys": keys, "contract": str(ids[0])}


def browser() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-shots-')}")
    options.binary_location = shutil.which("chromium") or "chromium"
    return webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))


def shoot(driver: Any, url: str, path: Path, width: int) -> None:
    driver.set_window_size(width, 900)
    driver.get(url)
    height = driver.execute_script("return Math.max(document.body.scrollHeight, 900)")
    driver.set_window_size(width, min(int(height), 8000))
    driver.save_screenshot(str(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="test-artifacts/screens")
    args = parser.parse_args()
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        raise SystemExit("no headless chromium or chromedriver: run bin/setup-browser")
    from tests.live_server import serving  # the same server and sign-in as the browser tests
    from tests.ui.conftest import login

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'screens.sqlite3'}"
        site = seed(url, paris_today())
        with serving(url) as base:
            driver = browser()
            try:
                pages = {
                    "cfa": [
                        ("contracts", "/ui/contracts"),
                        ("contract", f"/ui/contracts/{site['contract']}"),
                        ("todo", "/ui/todo"),
                        ("new-contract", "/ui/contracts/new"),
                        ("import", "/ui/import"),
                        ("funding", "/ui/funding"),
                    ],
                    "employer": [("employer", "/ui/employer")],
                    "admin": [("admin-contracts", "/ui/contracts")],
                }
                written = []
                for who, paths in pages.items():
                    login(driver, base, site["keys"][who])
                    for name, path in paths:
                        for width in WIDTHS:
                            file = out / f"{name}-{width}px.png"
                            shoot(driver, base + path, file, width)
                            written.append(file)
                driver.delete_all_cookies()
                for width in WIDTHS:
                    file = out / f"login-{width}px.png"
                    shoot(driver, base + "/ui/login", file, width)
                    written.append(file)
            finally:
                driver.quit()
    for file in written:
        print(file)


if __name__ == "__main__":
    main()
