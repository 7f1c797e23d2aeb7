"""Setting up is done by the setup scripts, never by the tests: `bin/test` runs `bin/setup-browser` before
pytest, and no test installs anything (no apt-get, no setup script run from a test)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bin_test_runs_the_browser_setup_before_pytest() -> None:
    script = (ROOT / "bin" / "test").read_text()
    assert "bin/setup-browser" in script
    assert script.index("bin/setup-browser") < script.index("pytest")


def test_no_test_installs_anything() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("*.py")
        if path.name != Path(__file__).name
        and any(word in path.read_text() for word in ('"setup-browser"', '"apt-get"', '"apt"', '"pip", "install"'))
    ]
    assert offenders == []
