"""The compose file and the Dockerfile cannot be run here (no Docker daemon on the development machines), so
what they rely on is checked against the code: every service runs a real `ledger` command, every variable
they set is a setting the service reads, and the image holds every package the project installs."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

from cli.main import build_parser
from ledger.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def ledger_commands() -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return set(sub.choices)  # type: ignore[arg-type]


def test_compose_runs_postgresql_with_a_volume_and_a_health_check_and_the_app_waits_for_it() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "api", "worker"}
    postgres = services["postgres"]
    assert any(v.endswith(":/var/lib/postgresql/data") for v in postgres["volumes"])
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    for name in ("api", "worker"):
        assert services[name]["build"] == "."  # one image, from the repository's Dockerfile
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_every_service_runs_a_ledger_command_that_exists() -> None:
    services = compose()["services"]
    commands = ledger_commands()
    assert services["api"]["command"][:2] == ["ledger", "serve"]
    assert services["worker"]["command"] == ["ledger", "worker"]
    for name in ("api", "worker"):
        assert services[name]["command"][1] in commands
    # The same command line parses without Docker: what the container runs is what a shell runs.
    build_parser().parse_args(services["api"]["command"][1:])


def test_every_variable_compose_sets_is_a_setting_the_service_reads() -> None:
    fields = set(Settings.model_fields)
    for name in ("api", "worker"):
        for variable in compose()["services"][name]["environment"]:
            assert variable.startswith("LEDGER_"), variable
            assert variable.removeprefix("LEDGER_").lower() in fields, f"{variable} is read by no setting"


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for field, info in Settings.model_fields.items():
        variable = info.validation_alias if isinstance(info.validation_alias, str) else f"LEDGER_{field.upper()}"
        assert variable in readme, f"{variable} is not in the README's configuration"


def test_the_image_copies_every_package_the_project_installs() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    copied = set(re.findall(r"^COPY (\w+) \./\1$", dockerfile, re.MULTILINE))
    find = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    assert copied == {pattern.rstrip("*") for pattern in find["include"]}
    assert "RUN pip install ." in dockerfile and re.search(r'^CMD \["ledger", "serve"', dockerfile, re.MULTILINE)
