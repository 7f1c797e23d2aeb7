"""Spreadsheets of contracts for the import tests: rows written the way French spreadsheets write them."""

from __future__ import annotations

import contextlib
import csv
import io
from datetime import date
from typing import Any

from openpyxl import Workbook

from ledger.import_columns import COLUMNS, REFERENCE


def cell(terms: dict[str, Any], path: str, kind: str) -> Any:
    """The terms' value for a column, as a French user types it (dates dd/mm/yyyy, oui/non, decimal commas)."""
    node: Any = terms
    if path.startswith("smc."):
        entries = terms.get("smc") or []
        node = entries[0][path[4:]] if entries else None
    else:
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
    if node is None:
        return None
    if kind == "date":
        return date.fromisoformat(node).strftime("%d/%m/%Y")
    if kind == "bool":
        return "oui" if node else "non"
    if kind == "choice" and path == "employer.sector":
        return {"private": "privé", "public": "public"}[node]
    if isinstance(node, str) and kind in ("money", "decimal"):
        return node.replace(".", ",")
    return node


def row(reference: str | None, terms: dict[str, Any]) -> list[Any]:
    return [reference if c.header == REFERENCE else cell(terms, c.path, c.kind) for c in COLUMNS]


HEADERS = [c.header for c in COLUMNS]


def csv_bytes(rows: list[list[Any]], delimiter: str = ";", encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for r in rows:
        writer.writerow(["" if v is None else v for v in r])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[Any]], typed_dates: bool = True) -> bytes:
    """An XLSX workbook; `typed_dates`: date cells as real dates (as Excel stores them), not texts."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADERS)
    kinds = [c.kind for c in COLUMNS]
    for r in rows:
        values = []
        for value, kind in zip(r, kinds, strict=True):
            if typed_dates and kind == "date" and isinstance(value, str):
                day, month, year = (int(x) for x in value.split("/"))
                with contextlib.suppress(ValueError):  # not a calendar date: stays the text the user typed
                    value = date(year, month, day)
            values.append(value)
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_bytes(fmt: str, rows: list[list[Any]]) -> bytes:
    return xlsx_bytes(rows) if fmt == "xlsx" else csv_bytes(rows)
