"""French formatting for the CFA's page: money as « 1 801,80 € », dates as « 01/04/2026 »."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from domain.contract_events import FRENCH_NAMES
from domain.contract_status import STATUS_FR  # noqa: F401 (the pages' and documents' name for it)

NARROW_NBSP = "\u202f"  # thousands separator (CLDR fr)
NBSP = "\u00a0"  # before the euro sign


def euros(amount: str | Decimal | None) -> str:
    if amount is None or amount == "":
        return "—"
    value = Decimal(str(amount))
    sign = "-" if value < 0 else ""
    whole, cents = f"{abs(value):.2f}".split(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{sign}{NARROW_NBSP.join(groups)},{cents}{NBSP}€"


def day(value: str | date | None) -> str:
    if not value:
        return "—"
    d = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return d.strftime("%d/%m/%Y")


def moment(value: str | None) -> str:
    if not value:
        return "—"
    return datetime.fromisoformat(value).strftime("%d/%m/%Y %H:%M")


MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


def month(key: str) -> str:
    year, number = key.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


# The funding engine's payment kinds and payers, as a CFA reads them.
PAYERS_FR = {"OPCO": "OPCO", "employer": "employeur"}
KINDS_FR = {
    "advance": "avance",
    "balance": "solde",
    "regularisation": "régularisation",
    "employer participation": "participation employeur",
    "rupture complement": "complément (rupture)",
    "rupture recovery": "reprise (rupture)",
}


def payment_kind(kind: str) -> str:
    """« avance », « mois 7 »…: the engine's English kinds in French."""
    return KINDS_FR.get(kind, kind.replace("month ", "mois "))


def payer(who: str) -> str:
    return PAYERS_FR.get(who, who)


def value(v: object) -> str:
    """An event's detail value as the page shows it: oui/non for booleans."""
    if isinstance(v, bool):
        return "oui" if v else "non"
    return str(v)


# An event's detail keys on the page.
EVENT_KEYS_FR = {
    "on": "le",
    "accepted": "accepté",
    "authority": "auprès de",
    "reason": "motif",
    "effective_date": "à compter du",
    "new_end_date": "nouvelle fin",
    "end_date": "fin",
    "from": "à partir du",
    "monthly": "montant mensuel",
    "bracket": "tranche",
    "age": "âge",
    "year": "année",
    "implicit": "implicite",
    "salary_at_hiring": "salaire brut à l'embauche",
}


def event_key(key: str) -> str:
    return EVENT_KEYS_FR.get(key, key)


# Statuses and event names as the page and the exports say them.
EVENT_FR = {
    **FRENCH_NAMES,
    "SmicRevalued": "Revalorisation du SMIC",
    "LuxembourgCoteRecorded": "Indexation luxembourgeoise",
    "RateChanged": "Nouveau taux",
    "EndOfContract": "Fin du contrat (mois partiel)",
    "FullMonthAtRate": "Premier mois entier au taux du mois précédent (celui-ci au prorata des jours)",
}
