"""The one-contract notice for the employer, as a PDF (reportlab): who, the chart of the monthly legal minimum,
the month table and the history of every change with its cause, article and arrears. French throughout.

The text uses the PDF standard fonts (nothing to ship): their encoding is Windows-1252, so the narrow
no-break space of French amounts becomes a no-break space, and a letter outside that encoding is written
without its accent.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from api.figures import article_fr
from api.french import EVENT_FR, STATUS_FR, day, euros
from domain.contract import Contract

NARROW_NBSP, NBSP = "\u202f", "\u00a0"
# Letters outside Windows-1252 that do not decompose into a base letter and an accent.
PLAIN_LETTERS = str.maketrans("ŁłĐđĦħıĿŀŦŧŊŋ", "LlDdHhiLlTtNn")


def pdf_text(text: Any, markup: bool = True) -> str:
    """Text the standard fonts can show (Windows-1252), escaped for a paragraph (`markup`) or plain for a cell."""
    value = str(text).replace(NARROW_NBSP, NBSP).translate(PLAIN_LETTERS)
    out = []
    for ch in value:
        try:
            ch.encode("cp1252")
            out.append(ch)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("cp1252", "ignore").decode("cp1252")
            out.append(base or "?")
    plain = "".join(out)
    return escape(plain) if markup else plain


def pct(value: Any) -> str:
    return "—" if value is None else f"{str(value).replace('.', ',')} %"


def month_fr(key: str) -> str:
    return f"{key[5:7]}/{key[:4]}"


def _chart(months: list[dict[str, Any]], width: float) -> Drawing:
    height = 62 * mm
    drawing = Drawing(width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = 18 * mm, 10 * mm
    chart.width, chart.height = width - 24 * mm, height - 18 * mm
    amounts = [float(Decimal(m["amount"])) for m in months]
    chart.data = [amounts]
    step = max(1, len(months) // 8)
    chart.categoryAxis.categoryNames = [month_fr(m["month"]) if i % step == 0 else "" for i, m in enumerate(months)]
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 0
    top = max(amounts, default=0)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(100.0, round(top * 1.15, -2))
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: f"{v:,.0f} €".replace(",", NBSP)
    chart.lines[0].strokeColor = colors.HexColor("#1f5fa8")
    chart.lines[0].strokeWidth = 1.5
    drawing.add(chart)
    drawing.add(String(18 * mm, height - 5 * mm, "Minimum légal mensuel (€)", fontName="Helvetica-Bold", fontSize=8))
    return drawing


def _table(rows: list[list[str]], widths: list[float], numeric: set[int]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 7.5),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f6f6")]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    style += [("ALIGN", (c, 0), (c, -1), "RIGHT") for c in numeric]
    table.setStyle(TableStyle(style))
    return table


def notice_pdf(contract: Contract, months: list[dict[str, Any]], history: list[dict[str, Any]], today: date) -> bytes:
    """The notice of one contract: its months (interfaces §2) and its wage history (the `/wage-history` entries)."""
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=7.5, leading=9)
    terms = contract.terms_data
    a, e, t = terms["apprentice"], terms["employer"], terms["training"]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title="Avis de salaire minimum de l'apprenti",
        author="apprenticeship-ledger",
    )
    width = A4[0] - 30 * mm

    def para(text: str, style: Any = body) -> Paragraph:
        return Paragraph(text, style)

    story: list[Any] = [
        para("Avis de salaire minimum de l'apprenti", styles["Title"]),
        para(
            f"<b>Employeur</b> : {pdf_text(e.get('name'))} — SIRET {pdf_text(e.get('siret') or '—')}<br/>"
            f"<b>Apprenti</b> : {pdf_text(a.get('first_name'))} {pdf_text(a.get('last_name'))}<br/>"
            f"<b>Formation</b> : {pdf_text(t.get('title'))} (niveau {pdf_text(t.get('level'))})<br/>"
            f"<b>Contrat</b> : du {day(terms['start_date'])} au {day(contract.effective_end)}"
            f" — statut : {pdf_text(STATUS_FR.get(contract.status, contract.status))}<br/>"
            f"<b>Référence</b> : {pdf_text(contract.id)} — avis établi le {day(today)}"
        ),
        Spacer(1, 4 * mm),
        para(
            "Montants : salaire minimum légal brut mensuel de l'apprenti, mois par mois, arrondi au centime ; un "
            "mois incomplet est calculé au prorata des jours calendaires. Chaque changement est daté et cite "
            "l'article qui le fonde ; un rappel est dû pour les mois déjà payés qu'un changement tardif a "
            "relevés.",
            small,
        ),
        Spacer(1, 3 * mm),
    ]
    if months:
        story += [_chart(months, width), Spacer(1, 3 * mm)]
    story.append(para("<b>Minimum légal par mois</b>"))
    rows = [["Mois", "Minimum légal", "Taux", "Base", "Tranche d'âge", "Année", "Articles"]]
    for m in months:
        s = m["segments"][-1] if m["segments"] else {}
        rows.append(
            [
                month_fr(m["month"]),
                pdf_text(euros(m["amount"]), False),
                pct(s.get("pct")),
                pdf_text(s.get("base_kind", ""), False),
                pdf_text(s.get("bracket", ""), False),
                str(s.get("year", "")),
                pdf_text(", ".join(dict.fromkeys(r for seg in m["segments"] for r in seg.get("rules", []))), False),
            ]
        )
    story += [
        _table(rows, [18 * mm, 26 * mm, 16 * mm, 16 * mm, 22 * mm, 12 * mm, width - 110 * mm], {1, 2}),
        Spacer(1, 5 * mm),
        para("<b>Historique des changements</b>"),
    ]
    changes = [["Date d'effet", "Cause", "Article", "Ancien", "Nouveau", "Rappel", "Enregistré le"]]
    for h in history:
        changes.append(
            [
                day(h["effective_date"]),
                Paragraph(pdf_text(EVENT_FR.get(h["cause"], h["cause"])), small),
                Paragraph(pdf_text(article_fr(h.get("article"))), small),
                pdf_text(euros(h.get("old_amount")), False),
                pdf_text(euros(h.get("new_amount")), False),
                pdf_text(euros(h.get("arrears")), False) if Decimal(h.get("arrears") or 0) else "—",
                day(h["recorded_at"]),
            ]
        )
    story.append(_table(changes, [20 * mm, 40 * mm, 34 * mm, 22 * mm, 22 * mm, 20 * mm, width - 158 * mm], {3, 4, 5}))
    doc.build(story)
    return buffer.getvalue()
