"""Every article the service cites comes from `domain.law`: no module outside it writes one as a literal."""

from __future__ import annotations

import ast
import re
import typing
from pathlib import Path

from api.schemas import ContractTermsIn
from domain import law

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "projections", "api", "ledger", "scheduler", "store", "workers", "cli")
# A string that *is* an article reference (what a rule or an article field holds), not prose that cites one.
TERMS_SCHEMA = ROOT / "api" / "schemas" / "terms.py"  # a `Literal` spells its values: checked below
ARTICLE = re.compile(r"^([LRD] ?\d{4}-\d+|arrêté |décret |circulaire |BBiG |RGD )", re.IGNORECASE)


def _docstrings(tree: ast.Module) -> set[int]:
    holders = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, holders)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def _article_literals(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module that are article references, with their lines (docstrings aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
        if ARTICLE.match(node.value)
    ]


def test_no_article_is_written_outside_the_law_package() -> None:
    found = [
        hit
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if not path.is_relative_to(ROOT / "domain" / "law") and path != TERMS_SCHEMA
        for line, text in _article_literals(path)
        for hit in [f"{path.relative_to(ROOT)}:{line}: {text!r}"]
    ]
    assert found == []


def test_the_scan_would_see_an_article_written_as_a_literal(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('"""Cites L6222-7-1 in prose."""\nRULE = "L6222-18"\nWHY = "a rupture (L6222-18)"\n')
    assert _article_literals(module) == [(2, "L6222-18")]


def test_the_api_schemas_only_article_literals_are_the_reduction_grounds_of_the_law() -> None:
    """A `Literal` type must spell its values; they are held equal to the law's grounds here."""
    literals = {text for _, text in _article_literals(TERMS_SCHEMA)}
    assert literals == set(law.REDUCTION_GROUNDS)
    annotation = ContractTermsIn.model_fields["reduction_ground"].annotation
    allowed = {v for arg in typing.get_args(annotation) for v in typing.get_args(arg)}
    assert allowed == set(law.REDUCTION_GROUNDS)
