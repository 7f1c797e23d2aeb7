"""What the French documents write: PDF text in the standard fonts' encoding, articles in French."""

from __future__ import annotations

from api.figures import article_fr
from api.notice import pdf_text


def test_pdf_text_keeps_french_and_writes_other_letters_without_their_accent() -> None:
    assert pdf_text("Léa Œuvray, 1\u202f234,56\u00a0€") == "Léa Œuvray, 1\u00a0234,56\u00a0€"
    assert pdf_text("Łukasiewicz Dvořák Đorđević") == "Lukasiewicz Dvorák Dordevic"  # á is in Windows-1252, ř is not
    assert pdf_text("王 <b>") == "? &lt;b&gt;"
    assert pdf_text("a & b", markup=False) == "a & b"


def test_a_corrections_ground_is_cited_by_its_article() -> None:
    assert article_fr("correction of the terms") == "D6224-5 (correction des termes)"
    assert article_fr("D6222-31") == "D6222-31" and article_fr(None) == ""
