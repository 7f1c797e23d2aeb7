"""Spreadsheets in and out: XLSX through openpyxl, CSV through the csv module.

CSV is read as French Excel writes it — `;` between fields, UTF-8 with a BOM (« CSV UTF-8 ») or Windows-1252
(« CSV (séparateur : point-virgule) ») — and `,` is accepted too; it is written with `;` and a BOM, so French
Excel and LibreOffice open it in columns with its accents. Numbers keep a decimal comma and dates are
written dd/mm/yyyy in CSV; XLSX cells are typed (dates, numbers) with French display formats.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ledger.errors import InvalidRequest

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
FORMATS = ("csv", "xlsx")
MONEY_FORMAT = '#,##0.00 "€"'
DATE_FORMAT = "DD/MM/YYYY"
MAX_XLSX_UNPACKED_BYTES = 256 * 2**20  # 100,000 rows of the import's columns unpack to well under this


class UnreadableSheet(InvalidRequest):
    type = "unreadable-spreadsheet"
    title = "The spreadsheet cannot be read"


@dataclass(frozen=True)
class Table:
    """The first sheet: its header row and the data rows below it (spreadsheet line numbers, blank rows left
    out). Values are as the file holds them: texts from CSV; texts, numbers, dates from XLSX."""

    headers: list[str]
    rows: list[tuple[int, list[Any]]]


def format_of(filename: str | None, data: bytes = b"") -> str:
    """ "xlsx" or "csv": from the name's extension, else from the content (an XLSX file is a zip)."""
    name = (filename or "").lower()
    if name.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if name.endswith((".csv", ".txt")):
        return "csv"
    return "xlsx" if data[:4] == b"PK\x03\x04" else "csv"


def read_table(data: bytes, filename: str | None = None, max_rows: int | None = None) -> Table:
    """The file's first sheet; an unreadable file is an `UnreadableSheet` naming the field `file`."""
    fmt = format_of(filename, data)
    rows = _xlsx_rows(data) if fmt == "xlsx" else _csv_rows(data)
    header: list[str] | None = None
    out: list[tuple[int, list[Any]]] = []
    for line, values in rows:
        if all(_blank(v) for v in values):
            continue
        if header is None:
            header = ["" if v is None else str(v).strip() for v in values]
            continue
        if max_rows is not None and len(out) >= max_rows:
            raise UnreadableSheet(f"the file has more than {max_rows} rows; split it", field="file")
        out.append((line, list(values)))
    if header is None:
        raise UnreadableSheet("the file is empty: no header row", field="file")
    return Table(header, out)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # French Excel's plain « CSV »
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        yield from enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)
    except csv.Error as e:
        raise UnreadableSheet(f"the CSV file is malformed: {e}", field="file") from None


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except zipfile.BadZipFile:
        raise UnreadableSheet("the file is not a readable XLSX workbook (not a zip archive)", field="file") from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:  # a small upload that would unpack into gigabytes of XML
        raise UnreadableSheet(
            f"the workbook unpacks to more than {MAX_XLSX_UNPACKED_BYTES // 2**20} MiB; export the sheet as CSV",
            field="file",
        )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise UnreadableSheet(f"the file is not a readable XLSX workbook ({type(e).__name__})", field="file") from None
    try:
        sheet = book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        book.close()


# -- writing ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """An output column: its French header and the kind of its values (text, date, money, number, integer)."""

    header: str
    kind: str = "text"
    width: int = 16
    note: str = ""  # XLSX: a comment on the header cell


def write_table(fmt: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]], title: str = "Feuille") -> bytes:
    if fmt == "xlsx":
        return _write_xlsx(columns, rows, title)
    return _write_csv(columns, rows)


def _csv_cell(value: Any, kind: str = "text") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%m/%Y" if kind == "month" else "%d/%m/%Y")
    if isinstance(value, (Decimal, float)):
        return str(value).replace(".", ",")
    return str(value)


def _write_csv(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow([_csv_cell(v, c.kind) for v, c in zip(row, columns, strict=False)])
    return buffer.getvalue().encode("utf-8-sig")


def _write_xlsx(columns: Sequence[Column], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append([c.header for c in columns])
    for cell, column in zip(sheet[1], columns, strict=True):
        cell.font = Font(bold=True)
        if column.note:
            cell.comment = Comment(column.note, "apprenticeship-ledger")
    sheet.freeze_panes = "A2"
    formats = {"date": DATE_FORMAT, "month": "MM/YYYY", "money": MONEY_FORMAT, "number": "0.##", "integer": "0"}
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        fmt = formats.get(column.kind)
        if fmt is not None:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = fmt
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return value
