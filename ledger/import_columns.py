"""The import spreadsheet's columns: French headers, one row per contract, each cell → a field of the terms.

A row becomes interfaces §1 terms here; every legal rule stays in `domain.terms` (parse and check) and in the
aggregate. Cells are read the way French spreadsheets write them: dates dd/mm/yyyy (or typed dates, or ISO),
decimal commas, « oui »/« non », amounts with spaces and « € ». An empty cell leaves the field out (its
default). A cell that cannot be read is a `CellProblem` naming the column, the field and the rule.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from domain import law
from domain.refusals_fr import refusal_fr
from domain.terms import AGE_EXCEPTIONS
from ledger.tabular import Column, write_table

REFERENCE = "Référence CFA"
MAX_REFERENCE_LENGTH = 100


@dataclass(frozen=True)
class CellProblem:
    """Why a row is refused: the column (French header), the terms field, the rule, a French message, and the
    domain's own detail when the refusal came from the rules."""

    column: str | None
    field: str | None
    rule: str | None
    message: str
    detail: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "field": self.field,
            "rule": self.rule,
            "message": self.message,
            "detail": self.detail,
        }


class CellError(Exception):
    def __init__(self, message: str, rule: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.rule = rule


@dataclass(frozen=True)
class ImportColumn:
    header: str
    path: str  # where the value goes in the terms ("apprentice.birth_date"); "" for the reference
    kind: str  # text, digits, date, bool, int, decimal, money, choice
    example: Any = None
    note: str = ""
    digits: int = 0  # "digits": the length a number typed in a spreadsheet is padded back to (SIRET, IDCC…)
    choices: Mapping[str, str | None] = field(default_factory=dict)  # "choice": accepted labels → value


def _labels(**pairs: str | None) -> dict[str, str | None]:
    return {_norm(k.replace("_", " ")): v for k, v in pairs.items()}


SECTORS = {"prive": "private", "private": "private", "public": "public"}
ROUTES = {"apprentissage": "apprenticeship", "apprenticeship": "apprenticeship", "autre": "other", "other": "other"}
REDUCTION = {g.lower(): g for g in law.REDUCTION_GROUNDS}
EXCEPTIONS = {e.replace("_", " "): e for e in AGE_EXCEPTIONS} | {e: e for e in AGE_EXCEPTIONS}

COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn(REFERENCE, "", "text", "CFA-2025-0001", "votre référence du contrat : la clé de l'import"),
    ImportColumn("Nom de l'apprenti", "apprentice.last_name", "text", "Martin"),
    ImportColumn("Prénom de l'apprenti", "apprentice.first_name", "text", "Léa"),
    ImportColumn("Date de naissance", "apprentice.birth_date", "date", date(2008, 3, 15), "jj/mm/aaaa"),
    ImportColumn("RQTH", "apprentice.disability_recognised", "bool", "non", "oui / non"),
    ImportColumn("Sportif de haut niveau", "apprentice.high_level_athlete", "bool", "non", "oui / non"),
    ImportColumn("Classe de 3e achevée", "apprentice.lower_secondary_completed", "bool", None, "oui / non (L6222-1)"),
    ImportColumn("Employeur", "employer.name", "text", "Boulangerie Martin", "dénomination"),
    ImportColumn("SIRET employeur", "employer.siret", "digits", "12345678900011", "14 chiffres", digits=14),
    # 976xx = Mayotte: the terms then take Mayotte's own SMIC series (domain.terms: Employer.territory).
    ImportColumn("Code postal employeur", "employer.postcode", "digits", "75011", "5 chiffres", digits=5),
    ImportColumn("Secteur employeur", "employer.sector", "choice", "privé", "privé / public", choices=SECTORS),
    ImportColumn("Majoration secteur public (points)", "employer.public_majoration_points", "int", None, "0, 10 ou 20"),
    ImportColumn("IDCC", "employer.idcc", "digits", "0843", "4 caractères", digits=4),
    ImportColumn("Effectif", "employer.headcount", "int", 4),
    ImportColumn("Pays employeur", "employer.country", "text", "FR", "code ISO à 2 lettres (FR par défaut)"),
    ImportColumn("Formation", "training.title", "text", "CAP Boulanger", "intitulé du diplôme"),
    ImportColumn("Code diplôme", "training.diploma_code", "text", "50022125"),
    ImportColumn("Niveau", "training.level", "int", 3, "niveau RNCP, 3 à 8"),
    ImportColumn("Durée du cycle (mois)", "training.cycle_months", "int", 24),
    ImportColumn("Début de la formation au CFA", "training.cfa_start_date", "date", date(2025, 9, 8), "jj/mm/aaaa"),
    ImportColumn("Début de la formation pratique", "training.practical_start_date", "date", None, "jj/mm/aaaa"),
    ImportColumn("Fin des épreuves", "training.exam_end_date", "date", date(2027, 6, 30), "jj/mm/aaaa"),
    ImportColumn("Licence professionnelle", "training.licence_pro", "bool", "non", "oui / non"),
    ImportColumn("Date de début du contrat", "start_date", "date", date(2025, 9, 1), "jj/mm/aaaa"),
    ImportColumn("Date de fin du contrat", "end_date", "date", date(2027, 8, 31), "jj/mm/aaaa"),
    ImportColumn(
        "Motif de réduction de durée",
        "reduction_ground",
        "choice",
        None,
        ", ".join(law.REDUCTION_GROUNDS),
        choices=REDUCTION,
    ),
    ImportColumn("Taux contractuel (%)", "contractual_pct", "decimal", None, "au-dessus du minimum légal"),
    ImportColumn("Temps de travail (fraction)", "working_time_ratio", "decimal", None, "1 = temps plein"),
    ImportColumn("Salaire minimum conventionnel (€/mois)", "smc.monthly", "money", None, "SMC de l'emploi"),
    ImportColumn("SMC applicable depuis", "smc.from", "date", None, "jj/mm/aaaa (début du contrat par défaut)"),
    ImportColumn("Maître d'apprentissage (identifiant)", "master.id", "text", None),
    ImportColumn("Maître d'apprentissage (nom)", "master.name", "text", None),
    ImportColumn(
        "Exception à la limite d'âge",
        "age_limit_exception",
        "choice",
        None,
        ", ".join(AGE_EXCEPTIONS),
        choices=EXCEPTIONS,
    ),
    ImportColumn(
        "Contrat précédent : voie", "previous_contract.route", "choice", None, "apprentissage / autre", choices=ROUTES
    ),
    ImportColumn("Contrat précédent : diplôme obtenu", "previous_contract.diploma_obtained", "bool", None, "oui / non"),
    ImportColumn("Contrat précédent : même employeur", "previous_contract.same_employer", "bool", None, "oui / non"),
    ImportColumn("Contrat précédent : dernière année", "previous_contract.last_year", "int", None, "1 à 4"),
    ImportColumn("Contrat précédent : taux payé (%)", "previous_contract.last_year_pct_paid", "decimal", None),
    ImportColumn("Contrat précédent : niveau", "previous_contract.level", "int", None, "3 à 8"),
    ImportColumn("Contrat précédent : en rapport", "previous_contract.related", "bool", None, "oui / non"),
    ImportColumn("Transfrontalier : pays", "cross_border.country", "text", None, "LU, DE…"),
    ImportColumn("Transfrontalier : formation", "cross_border.formation", "text", None),
    ImportColumn("Majoration handicap (€/an)", "funding.disability_majoration", "money", None),
    ImportColumn("Formation à distance", "funding.distance_learning", "bool", None, "oui / non"),
    ImportColumn("Nouvel employeur après rupture", "funding.new_employer_after_rupture", "bool", None, "oui / non"),
)


def _norm(text: str) -> str:
    """A header or a label as compared: no accents, no case, single spaces, typographic apostrophes folded."""
    plain = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().split())


BY_HEADER = {_norm(c.header): c for c in COLUMNS}
BY_PATH = {c.path: c for c in COLUMNS}


@dataclass(frozen=True)
class Layout:
    """Which column of the file holds which import column; the headers it does not know."""

    columns: list[tuple[int, ImportColumn]]
    unknown: list[str]
    reference_index: int | None

    @classmethod
    def of(cls, headers: Sequence[str]) -> Layout:
        columns, unknown, seen = [], [], set()
        for index, header in enumerate(headers):
            column = BY_HEADER.get(_norm(header))
            if column is None or column.header in seen:
                if header:
                    unknown.append(header)
                continue
            seen.add(column.header)
            columns.append((index, column))
        reference = next((i for i, c in columns if c.header == REFERENCE), None)
        return cls(columns, unknown, reference)


# -- cells -------------------------------------------------------------------------------------------------
FRENCH_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
TRUE = frozenset({"oui", "o", "vrai", "x", "1", "yes", "true"})
FALSE = frozenset({"non", "n", "faux", "0", "no", "false"})


def _text_of(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_date(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = _text_of(value)
    match = FRENCH_DATE.fullmatch(text)
    try:
        if match:
            d, m, y = (int(g) for g in match.groups())
            return date(y, m, d).isoformat()
        return date.fromisoformat(text).isoformat() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else _bad_date(text)
    except ValueError:
        raise CellError(f"« {text} » n'est pas une date du calendrier") from None


def _bad_date(text: str) -> str:
    raise CellError(f"« {text} » n'est pas une date jj/mm/aaaa")


def read_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise CellError("un nombre est attendu")
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = re.sub(r"[\s\u00a0\u202f€%]", "", str(value))
    if text.count(",") == 1 and "." in text:  # 1.234,56: the point groups thousands
        text = text.replace(".", "")
    text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(f"« {value} » n'est pas un nombre (virgule décimale acceptée)") from None
    if not number.is_finite():
        raise CellError(f"« {value} » n'est pas un nombre")
    return number


def read_cell(column: ImportColumn, value: Any) -> Any:
    """The cell as the terms JSON wants it (texts, ISO dates, numbers, booleans); CellError if unreadable."""
    kind = column.kind
    if kind == "text":
        return _text_of(value)
    if kind == "digits":
        text = _text_of(value).replace(" ", "")
        return text.zfill(column.digits) if text.isdigit() and len(text) < column.digits else text
    if kind == "date":
        return read_date(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        word = _norm(_text_of(value))
        if word in TRUE or word in FALSE:
            return word in TRUE
        raise CellError(f"« {value} » : « oui » ou « non » attendu")
    if kind == "int":
        number = read_decimal(value)
        if number != number.to_integral_value():
            raise CellError(f"« {value} » n'est pas un nombre entier")
        return int(number)
    if kind == "decimal":
        number = read_decimal(value)
        return int(number) if number == number.to_integral_value() else str(number)
    if kind == "money":
        number = read_decimal(value)
        return f"{number:.2f}" if number == number.quantize(Decimal("0.01")) else str(number)
    if kind == "choice":
        choice = column.choices.get(_norm(_text_of(value)), "?")
        if choice == "?":
            raise CellError(f"« {value} » n'est pas une valeur acceptée ({column.note})")
        return choice
    raise AssertionError(kind)


# -- rows → terms ------------------------------------------------------------------------------------------
@dataclass
class ParsedRow:
    reference: str | None
    terms: dict[str, Any] | None
    problems: list[CellProblem]


def row_terms(layout: Layout, values: Sequence[Any]) -> ParsedRow:
    """The reference and the terms of one row; every unreadable cell is reported, not only the first."""
    cells: dict[str, Any] = {}
    problems: list[CellProblem] = []
    reference: str | None = None
    for index, column in layout.columns:
        value = values[index] if index < len(values) else None
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if column.header == REFERENCE:
            reference = _text_of(value)
            continue
        try:
            cells[column.path] = read_cell(column, value)
        except CellError as e:
            problems.append(CellProblem(column.header, column.path, e.rule, e.message))
    if not reference:
        problems.insert(0, CellProblem(REFERENCE, None, None, "la référence CFA est obligatoire : c'est la clé"))
    elif len(reference) > MAX_REFERENCE_LENGTH:
        problems.insert(
            0, CellProblem(REFERENCE, None, None, f"la référence dépasse {MAX_REFERENCE_LENGTH} caractères")
        )
    if problems:
        return ParsedRow(reference, None, problems)
    return ParsedRow(reference, assemble(cells), [])


def assemble(cells: Mapping[str, Any]) -> dict[str, Any]:
    """Nested terms from dotted paths; the optional sections exist only when one of their cells is filled."""
    terms: dict[str, Any] = {"apprentice": {}, "employer": {}, "training": {}}
    for path, value in cells.items():
        if path.startswith("smc."):
            continue
        head, _, leaf = path.partition(".")
        if leaf:
            terms.setdefault(head, {})[leaf] = value
        else:
            terms[head] = value
    if "smc.monthly" in cells or "smc.from" in cells:
        terms["smc"] = [{"from": cells.get("smc.from", cells.get("start_date")), "monthly": cells.get("smc.monthly")}]
    return terms


# -- the template ------------------------------------------------------------------------------------------
def template(fmt: str) -> bytes:
    """The headers (each with its note as a comment in XLSX) and one example contract, the API's example."""
    columns = [
        Column(c.header, "date" if c.kind == "date" else "text", max(14, len(c.header) + 2), c.note) for c in COLUMNS
    ]
    return write_table(fmt, columns, [[c.example for c in COLUMNS]], "Contrats")


def french_message(detail: str) -> str:
    """A refusal in the report's French (`domain.refusals_fr`); a French lead for one it does not know."""
    return refusal_fr(detail) or "refusé par la règle"


def column_for(field_path: str | None) -> str | None:
    """The French header of the column holding a terms field (`smc[0].monthly` → the SMC column)."""
    if not field_path:
        return None
    path = re.sub(r"\[\d+\]", "", field_path)
    column = BY_PATH.get(path)
    return column.header if column else None
