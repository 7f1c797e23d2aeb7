"""The PDF side of the CERFA: field values out of a filled form, and the blank form filled.

The ledger also writes, in the PDF's document information, the terms it filled the form from
(`/ApprenticeshipLedgerTerms`): the facts the form has no field for (the cycle's normal length, the ground of
a reduction, the previous contract, the SMC…) then read back as they were. The form's own fields still win.
"""

from __future__ import annotations

import json
import logging
from importlib.resources import files
from io import BytesIO
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError, PyPdfError

from domain.cerfa import fields as F
from domain.errors import InvalidTerms

# The blank form's fields name a font its resources lack; pypdf says so at every fill: not the user's concern.
logging.getLogger("pypdf").setLevel(logging.ERROR)
TERMS_KEY = "/ApprenticeshipLedgerTerms"
BLANK_FORM = files("ledger.cerfa").joinpath("cerfa_10103-12.pdf")
MAX_FORM_BYTES = 10 * 1024 * 1024


class NotACerfa(InvalidTerms):
    """The file is not a readable PDF form, or not this CERFA."""


def read_pdf(data: bytes) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(field name → value, the ledger's terms if the ledger filled it)."""
    try:
        reader = PdfReader(BytesIO(data))
        raw = reader.get_fields() or {}
        info: Any = reader.metadata or {}
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError) as e:
        raise NotACerfa(f"not a readable PDF form: {e}", field="file") from None
    if F.APPRENTICE_BIRTH not in raw or F.START not in raw:
        raise NotACerfa("not the CERFA 10103*12 (apprenticeship contract) form", field="file")
    values = {name: _value(f.get("/V")) for name, f in raw.items()}
    supplement = None
    text = info.get(TERMS_KEY)
    if isinstance(text, str):
        try:
            loaded = json.loads(text)
            supplement = loaded if isinstance(loaded, dict) else None
        except ValueError:
            supplement = None
    return values, supplement


def _value(v: Any) -> Any:
    if v is None:
        return None
    return str(v)


def fill_pdf(values: dict[str, str], terms: dict[str, Any] | None = None) -> bytes:
    """The blank form with these field values (and the terms they came from, in the document information)."""
    writer = PdfWriter(clone_from=BytesIO(BLANK_FORM.read_bytes()))
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    writer.set_need_appearances_writer(True)
    if terms is not None:
        writer.add_metadata({TERMS_KEY: json.dumps(terms, ensure_ascii=False, sort_keys=True)})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
