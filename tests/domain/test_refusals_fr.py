"""Every refusal a CFA can meet (on the page, in an import report) has its French wording, and only those do."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from domain import errors
from domain.errors import DomainError
from domain.refusals_fr import REFUSALS_FR, WORDS_FR, refusal_fr

ROOT = Path(__file__).resolve().parents[2]
# Where the refusals of the terms, the contract's commands and events, its wage and an import are raised.
RAISING = (
    "domain/terms/*.py",
    "domain/contract.py",
    "domain/event_payload.py",
    "domain/drafting.py",
    "domain/roster.py",
    "domain/wage/facts.py",
    "domain/wage/engine.py",
    "ledger/importing.py",
)
ERROR_NAMES = {
    name for name, value in vars(errors).items() if isinstance(value, type) and issubclass(value, DomainError)
}


def _shape(node: ast.expr) -> str | None:
    """The message as its code writes it, `{}` where a value goes (None: not written in place)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)  # type: ignore[misc]
    return None


def raised_shapes() -> set[str]:
    shapes: set[str] = set()
    for pattern in RAISING:
        for path in ROOT.glob(pattern):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ERROR_NAMES:
                    shape = _shape(node.args[0]) if node.args else None
                    if shape is not None:
                        shapes.add(shape)
    return shapes


def test_every_refusal_raised_has_its_french_and_the_table_has_no_other() -> None:
    raised = raised_shapes()
    assert len(raised) > 100  # the scan reads the modules it names
    assert sorted(raised - set(REFUSALS_FR)) == []
    assert sorted(set(REFUSALS_FR) - raised) == []


def test_each_message_finds_its_own_french_with_the_values_its_english_gives() -> None:
    for english, french in REFUSALS_FR.items():
        values = [f"v{i}" for i in range(english.count("{}"))]
        detail = english.replace("{}", "\0").split("\0")
        written = "".join(part + (values[i] if i < len(values) else "") for i, part in enumerate(detail))
        assert refusal_fr(written) == french.format(*values), english  # its own wording, not a look-alike's


@pytest.mark.parametrize(
    ("detail", "french"),
    [
        (
            "signature on 2026-09-01 is after the contract's end 2026-08-31",
            "signature le 01/09/2026, après la fin du contrat le 31/08/2026",
        ),
        (
            "cannot record a signature: the contract is terminated",
            "impossible d'enregistrer une signature : le contrat est rompu",
        ),
        (
            "cannot record a filing on a drafted contract (allowed when accepted, signed)",
            "impossible d'enregistrer un dépôt sur un contrat brouillon (possible quand il est : accepté, signé)",
        ),
        ("apprentice.birth_date is required", "valeur obligatoire"),
        ("the OPCO's silence means refusal", "le silence de l'OPCO vaut refus"),
    ],
)
def test_a_refusal_reads_in_french_with_french_dates_statuses_and_phrases(detail: str, french: str) -> None:
    assert refusal_fr(detail) == french


def test_an_unknown_detail_has_no_french() -> None:
    assert refusal_fr("something the table does not know") is None


def test_every_phrase_the_contract_slots_in_a_refusal_has_its_french() -> None:
    """`_require(allowed, what, rule)` and `_within(on, field, what)` write `what` into their refusals."""
    tree = ast.parse((ROOT / "domain" / "contract.py").read_text(encoding="utf-8"))
    phrases = {
        node.args[position].value  # type: ignore[attr-defined]
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        for name, position in (("_require", 1), ("_within", 2))
        if node.func.attr == name and len(node.args) > position and isinstance(node.args[position], ast.Constant)
    }
    assert len(phrases) > 10
    assert sorted(phrases - set(WORDS_FR)) == []
