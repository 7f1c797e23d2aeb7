"""What a CFA can record from a contract's page: each action's form (French labels, input kinds), the statuses
it is offered in, and the form's fields turned into the event of interfaces §3, checked by the same request
models as the API. The rules stay in the domain: an action it refuses comes back with its field and article."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from api.schemas import LifecycleEventIn, event_payload
from domain.contract import Contract

LIVE_AFTER_FILING = ("accepted", "extended")


@dataclass(frozen=True)
class Field:
    name: str  # the event's field
    label: str
    kind: str = "date"  # date, text, money, or a choice
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    required: bool = True


@dataclass(frozen=True)
class Action:
    event: str
    label: str
    statuses: tuple[str, ...]
    fields: tuple[Field, ...]
    danger: bool = False  # asks the user to confirm


ACTIONS = (
    Action("Signed", "Signer le contrat", ("drafted",), (Field("on", "Date de signature"),)),
    Action(
        "Filed",
        "Transmettre pour dépôt",
        ("signed",),
        (
            Field("on", "Date de transmission"),
            Field(
                "authority", "Organisme", "choice", (("OPCO", "OPCO (employeur privé)"), ("DDETS", "DDETS (public)"))
            ),
        ),
    ),
    Action(
        "FilingDecided",
        "Enregistrer la décision de dépôt",
        ("filed",),
        (
            Field("on", "Date de la décision"),
            Field("accepted", "Décision", "choice", (("true", "Dépôt accepté"), ("false", "Dépôt refusé"))),
            Field("reason", "Motif d'un refus", "text", required=False),
        ),
    ),
    Action("ProbationEnded", "Fin de la période d'essai", LIVE_AFTER_FILING, (Field("on", "Date de fin de l'essai"),)),
    Action(
        "DisabilityRecognised", "Handicap reconnu (RQTH)", LIVE_AFTER_FILING, (Field("on", "Date de reconnaissance"),)
    ),
    Action(
        "SmcChanged",
        "Nouveau salaire minimum conventionnel",
        LIVE_AFTER_FILING,
        (Field("from", "À partir du"), Field("monthly", "Montant mensuel brut (€)", "money")),
    ),
    Action(
        "ExamFailedExtended",
        "Prolonger après un échec à l'examen",
        LIVE_AFTER_FILING,
        (Field("on", "Date de l'échec"), Field("new_end_date", "Nouvelle date de fin")),
    ),
    Action(
        "Terminated",
        "Rompre le contrat",
        ("signed", "filed", *LIVE_AFTER_FILING),
        (Field("on", "Date de rupture"), Field("reason", "Motif", "text")),
        danger=True,
    ),
)
BY_EVENT = {a.event: a for a in ACTIONS}
_EVENT = TypeAdapter(LifecycleEventIn)

# The terms a correction from the page may change: (form name, label, path in the terms).
CORRECTABLE = (
    ("first_name", "Prénom", ("apprentice", "first_name")),
    ("last_name", "Nom", ("apprentice", "last_name")),
    ("birth_date", "Date de naissance", ("apprentice", "birth_date")),
    ("employer_name", "Employeur", ("employer", "name")),
    ("siret", "SIRET", ("employer", "siret")),
    ("postcode", "Code postal du lieu de travail", ("employer", "postcode")),
    ("training_title", "Formation", ("training", "title")),
    ("start_date", "Date de début", ("start_date",)),
    ("end_date", "Date de fin", ("end_date",)),
)


def available_actions(contract: Contract) -> list[Action]:
    return [a for a in ACTIONS if contract.status in a.statuses]


class FormInvalid(Exception):
    """The form does not make a valid event: (field, French message) for each problem."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))
        self.problems = problems


def event_from_form(event: str, form: Mapping[str, str]) -> dict[str, Any]:
    """The event of interfaces §3 the form describes, as the API would accept it."""
    action = BY_EVENT.get(event)
    if action is None:
        raise FormInvalid([("type", "action inconnue")])
    payload: dict[str, Any] = {"type": event}
    missing = []
    for f in action.fields:
        value = (form.get(f.name) or "").strip()
        if not value:
            if f.required:
                missing.append((f.name, f"« {f.label} » est à remplir"))
            continue
        if f.name == "accepted":
            payload[f.name] = value == "true"
        elif f.kind == "money":
            payload[f.name] = value.replace(",", ".").replace(" ", "")
        else:
            payload[f.name] = value
    if missing:
        raise FormInvalid(missing)
    try:
        return event_payload(_EVENT.validate_python(payload))
    except ValidationError as e:
        labels = {f.name: f.label for f in action.fields}
        raise FormInvalid(
            [
                (str(err["loc"][-1]), f"« {labels.get(str(err['loc'][-1]), err['loc'][-1])} » : {err['msg']}")
                for err in e.errors()
            ]
        ) from None


def corrections_from_form(terms: Mapping[str, Any], form: Mapping[str, str]) -> dict[str, Any]:
    """The changed fields of a correction, nested as the terms are (only what differs from the terms now)."""
    changes: dict[str, Any] = {}
    for name, _label, path in CORRECTABLE:
        value = (form.get(name) or "").strip()
        current: Any = terms
        for key in path:
            current = current.get(key) if isinstance(current, Mapping) else None
        if not value or value == (current or ""):
            continue
        target = changes
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = value
    return changes
