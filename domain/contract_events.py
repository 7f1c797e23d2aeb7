"""Every event of a contract's life, declared once: its fields (interfaces §3), who records it, the status it
leaves the contract in, the rule it applies, its French name, and what it moves (the wage, the funding, a
webhook). The aggregate's recorder, the projections, the webhooks, the page and the API's lists are derived
from this table; the aggregate's `@event` methods apply it.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain import law
from domain.contract_status import DRAFTED, ENDED, EXTENDED, FILED, SIGNED, TERMINATED


@dataclass(frozen=True)
class ContractEventKind:
    name: str
    fields: tuple[str, ...] = ()  # what a caller gives when recording it (interfaces §3)
    derived: tuple[str, ...] = ()  # fields the service derives: accepted and ignored when given
    by_service: bool = False  # recorded by the clock only, never by a user
    recordable: bool = True  # recorded from its JSON form (`Contract.record`); else by its own command only
    status: str | None = None  # the status the contract is in after it (None: unchanged, or decided by it)
    article: str = ""  # the rule that moves the wage when it does (the wage history's article)
    funding_article: str = ""  # the rule that moves the funding when it does (the funding history's)
    french: str = ""  # its name on the page and in the exports
    moves_wage: bool = False  # a fact the month-by-month minimum depends on
    timeline: bool = False  # a milestone of the contract's own timeline (the minimum was already known)
    webhook: str | None = None  # the public webhook type it is delivered as


CONTRACT_EVENTS: tuple[ContractEventKind, ...] = (
    ContractEventKind(
        "Drafted",
        recordable=False,
        status=DRAFTED,
        article=law.GRID_ARTICLE,
        funding_article=law.FUNDING_LEVEL_ARTICLE,
        french="Contrat rédigé",
    ),
    ContractEventKind(
        "Signed",
        ("on",),
        status=SIGNED,
        funding_article=law.CONCLUSION_NPEC_ARTICLE,
        french="Signé",
        webhook="contract.signed",
    ),
    ContractEventKind("FormAttached", recordable=False, french="Formulaire CERFA joint"),
    ContractEventKind(
        "Filed",
        ("on", "authority"),
        ("decision_due",),
        status=FILED,
        french="Transmis pour dépôt",
        webhook="contract.filed",
    ),
    ContractEventKind(
        "FilingDecided",
        ("on", "accepted", "reason", "implicit"),
        french="Décision de dépôt",
        webhook="contract.decided",
    ),
    ContractEventKind("ProbationEnded", ("on",), french="Fin de la période d'essai"),
    ContractEventKind(
        "AgeBracketReached",
        ("effective_date", "bracket", "age"),
        by_service=True,
        article=law.BRACKET_CHANGE_ARTICLE,
        french="Nouvelle tranche d'âge",
        timeline=True,
        webhook="contract.milestone",
    ),
    ContractEventKind(
        "ContractYearStarted",
        ("effective_date", "year"),
        by_service=True,
        article=law.GRID_ARTICLE,
        french="Nouvelle année de contrat",
        timeline=True,
        webhook="contract.milestone",
    ),
    ContractEventKind(
        "ExamFailedExtended",
        ("on", "new_end_date"),
        ("previous_end_date",),
        status=EXTENDED,
        article=law.EXTENSION_WAGE_ARTICLE,
        funding_article=law.EXTENSION_FUNDING_ARTICLE,
        french="Prolongé après échec à l'examen",
        moves_wage=True,
        webhook="contract.extended",
    ),
    ContractEventKind(
        "DisabilityRecognised",
        ("on",),
        article=law.DISABILITY_WAGE_ARTICLE,
        funding_article=law.DISABILITY_FUNDING_ARTICLE,
        french="Handicap reconnu",
        moves_wage=True,
    ),
    ContractEventKind(
        "SmcChanged",
        ("from", "monthly"),
        article=law.GRID_ARTICLE,
        french="Nouveau salaire minimum conventionnel",
        moves_wage=True,
    ),
    ContractEventKind(
        "Terminated",
        ("on", "reason"),
        status=TERMINATED,
        article=law.TERMINATION_ARTICLE,
        funding_article=law.RUPTURE_FUNDING_ARTICLE,
        french="Rupture",
        moves_wage=True,
        webhook="contract.terminated",
    ),
    ContractEventKind(
        "Ended", ("on",), by_service=True, status=ENDED, french="Fin du contrat", webhook="contract.ended"
    ),
    ContractEventKind(
        "FilingOverdue",
        ("effective_date",),
        ("filing_due",),
        by_service=True,
        french="Dépôt en retard",
        webhook="contract.deadline",
    ),
    ContractEventKind(
        "EndApproaching",
        ("effective_date", "end_date"),
        by_service=True,
        french="Fin du contrat proche",
        webhook="contract.deadline",
    ),
    ContractEventKind("PersonalDataErased", recordable=False, french="Données personnelles effacées"),
    ContractEventKind(
        "TermsCorrected",
        ("terms", "changes", "reason"),
        ("changed", "deadlines", "warnings"),
        article="correction of the terms",
        funding_article="correction of the terms",
        french="Correction des termes",
        moves_wage=True,
    ),
)
BY_NAME = {k.name: k for k in CONTRACT_EVENTS}

RECORDABLE = tuple(k for k in CONTRACT_EVENTS if k.recordable)
USER_EVENT_TYPES = frozenset(k.name for k in RECORDABLE if not k.by_service)
SERVICE_EVENT_TYPES = frozenset(k.name for k in RECORDABLE if k.by_service)
WAGE_FACT_EVENTS = frozenset(k.name for k in CONTRACT_EVENTS if k.moves_wage)
TIMELINE_EVENTS = frozenset(k.name for k in CONTRACT_EVENTS if k.timeline)
STATUS_AFTER = {k.name: k.status for k in CONTRACT_EVENTS if k.status is not None}
WAGE_ARTICLES = {k.name: k.article for k in CONTRACT_EVENTS if k.article}
FUNDING_ARTICLES = {k.name: k.funding_article for k in CONTRACT_EVENTS if k.funding_article}
FRENCH_NAMES = {k.name: k.french for k in CONTRACT_EVENTS}
