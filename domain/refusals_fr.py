"""The domain's refusals in French, for the people who read them: the CFA's page and the import report.

The domain words its refusals in English for the API (a stable, documented detail beside the field and the
article). Each English message is listed here once, as the shape its code writes (`{}` where a value goes),
with its French wording (`{0}`, `{1}`… the same values, in the order the English gives them). A test holds
this table equal to the messages the domain raises: a new refusal without its French fails the suite.

Messages that begin with the field they refuse are worded without it: the page and the report name the field
(as labelled, or as the column) just before.
"""

from __future__ import annotations

import re
from functools import cache

from domain.contract_events import FRENCH_NAMES
from domain.contract_status import STATUS_FR

# The English phrases a refusal slots in (what could not be recorded), in French.
WORDS_FR = {
    "a CERFA form": "un formulaire CERFA",
    "a change of the branch minimum": "un changement du salaire minimum conventionnel",
    "a correction of the terms": "une correction des termes",
    "a disability recognition (correct the terms of a draft instead)": (
        "une reconnaissance de handicap (sur un brouillon, corrigez plutôt les termes)"
    ),
    "a filing": "un dépôt",
    "a filing decision": "une décision sur le dépôt",
    "a filing-overdue notice": "un avis de dépôt en retard",
    "a new contract year": "une nouvelle année de contrat",
    "a signature": "une signature",
    "a termination": "une rupture",
    "an age bracket change": "un changement de tranche d'âge",
    "an end-approaching notice": "un avis de fin prochaine",
    "an exam-failure extension": "une prolongation après échec à l'examen",
    "the end of the probation period": "la fin de la période d'essai",
    "the natural end": "la fin du contrat à son terme",
    "the exam-failure extension": "la prolongation après échec à l'examen",
    "an SMC change": "un changement du salaire minimum conventionnel",
    "private": "privé",
    "public": "public",
    "acceptance": "acceptation",
    "refusal": "refus",
}

REFUSALS_FR: dict[str, str] = {
    # -- the terms, field by field (domain/terms) ---------------------------------------------------------
    "{} is required": "valeur obligatoire",
    "{} must be a date YYYY-MM-DD": "date attendue (jj/mm/aaaa)",
    "{} is not a calendar date ({})": "{1} n'est pas une date du calendrier",
    "{} must be between {} and {}": "valeur attendue entre {1} et {2}",
    "{} must be a number": "nombre attendu",
    "{} must be a finite number": "nombre fini attendu",
    "{} is implausibly large (more than {})": "montant invraisemblable (plus de {1})",
    "{} must be a non-negative amount with at most two decimals": (
        "montant positif ou nul attendu, deux décimales au plus"
    ),
    "{} must be a JSON object": "objet JSON attendu",
    "{} must be a non-empty string": "texte non vide attendu",
    "{} is longer than {} characters": "texte de {1} caractères au plus",
    "{} contains control characters": "le texte contient des caractères de contrôle",
    "{} must be one line of visible characters (no line break, not only zero-width or space characters)": (
        "une ligne de caractères visibles attendue (sans retour à la ligne, pas seulement des espaces)"
    ),
    "{} must be true or false": "oui ou non attendu",
    "{} must be a whole number": "nombre entier attendu",
    "employer.sector must be 'private' or 'public'": "employeur privé ou public attendu",
    "employer.public_majoration_points must be 0, 10 or 20": "majoration du secteur public : 0, 10 ou 20 points",
    "employer.public_majoration_points is only for public employers": (
        "la majoration du secteur public ne vaut que pour un employeur public"
    ),
    "employer.siret must be 14 digits": "14 chiffres attendus",
    "employer.siret is required for an employer in France": "SIRET obligatoire pour un employeur établi en France",
    "employer.idcc must be 4 characters": "4 caractères attendus",
    "employer.postcode must be a French postcode of 5 characters": "code postal français de 5 caractères attendu",
    "reduction_ground must be null or one of {}": "motif de réduction de durée : aucun, ou l'un de {0}",
    "previous_contract.route must be 'apprenticeship' or 'other'": "contrat précédent : apprentissage ou autre",
    "previous_contract.last_year_pct_paid must be between 0 and 200": (
        "pourcentage de la dernière année du contrat précédent : entre 0 et 200"
    ),
    "smc must be a list of {from, monthly}": "salaire minimum conventionnel : une liste de {{date, montant}}",
    "smc has too many entries ({} at most)": "trop de salaires minima conventionnels ({0} au plus)",
    "contractual_pct must be between 0 and 300": "pourcentage contractuel : entre 0 et 300",
    "working_time_ratio must be in ]0, 1]": "quotité de travail : plus de 0 et au plus 1",
    "working_time_ratio below 1 is only allowed for a cross-border contract": (
        "une quotité de travail inférieure à 1 n'est permise que pour un contrat transfrontalier"
    ),
    "age_limit_exception must be null or one of {}": "exception à la limite d'âge : aucune, ou l'une de {0}",
    # -- the terms' rules (domain/terms/rules.py) -------------------------------------------------------------
    "start_date {} is before {}: contracts under the pre-2019 grid are out of scope": (
        "début du contrat le {0}, avant le {1} : la grille d'avant 2019 est hors du champ du service"
    ),
    "apprentice.birth_date must be before start_date": "la naissance doit précéder le début du contrat",
    "end_date must be after start_date": "la fin du contrat doit suivre son début",
    "the apprentice is {} on start_date: at {} a contract needs the 3e completed "
    "(apprentice.lower_secondary_completed true)": (
        "l'apprenti a {0} ans au début du contrat : à {1} ans, il faut avoir achevé la classe de 3e"
    ),
    "the apprentice is {} on start_date; the minimum is {} ({} with the 3e completed)": (
        "l'apprenti a {0} ans au début du contrat : {1} ans au moins ({2} ans avec la 3e achevée)"
    ),
    "the apprentice is {} on start_date; the limit is {} years "
    "(exceptions: disability, athlete, business project, successive contract)": (
        "l'apprenti a {0} ans au début du contrat : {1} ans au plus (sauf handicap, sportif de haut niveau, "
        "projet de création d'entreprise, contrat successif)"
    ),
    "the contract lasts more than {} years": "le contrat dure plus de {0} ans",
    "the contract lasts less than {} months (allowed only on ground {})": (
        "le contrat dure moins de {0} mois (permis seulement pour le motif {1})"
    ),
    "training.exam_end_date is before start_date": "la fin des examens précède le début du contrat",
    "{} is more than {} months after start_date": "plus de {1} mois après le début du contrat",
    "{} is after end_date": "après la fin du contrat",
    "smc[{}].from is after end_date": "le salaire minimum conventionnel commence après la fin du contrat",
    "cross_border.formation '{}' has no Luxembourg allowance in the table (known: {})": (
        "la formation « {0} » n'a pas d'indemnité luxembourgeoise dans le barème (connues : {1})"
    ),
    "the Luxembourg table has no {} allowance for year {} of this contract": (
        "le barème luxembourgeois n'a pas d'indemnité {0} pour l'année {1} de ce contrat"
    ),
    "cross_border.country '{}' with the practical part abroad is not supported (LU and DE are)": (
        "pays « {0} » avec la partie pratique à l'étranger : seuls le Luxembourg et l'Allemagne sont pris en charge"
    ),
    "no German statutory minimum is known for a training started in {}": (
        "aucun minimum légal allemand n'est connu pour une formation commencée en {0}"
    ),
    # -- the contract's commands (domain/contract.py, domain/wage/facts.py, domain/roster.py) ------------------
    "cannot record {}: the contract is {}": "impossible d'enregistrer {0} : le contrat est {1}",
    "cannot record {} on a {} contract (allowed when {})": (
        "impossible d'enregistrer {0} sur un contrat {1} (possible quand il est : {2})"
    ),
    "{} on {} is outside the contract ({} to {})": "{0} le {1} tombe hors du contrat (du {2} au {3})",
    "signature on {} is after the contract's end {}": "signature le {0}, après la fin du contrat le {1}",
    "a {} employer's contract is filed with the {}, not '{}'": (
        "le contrat d'un employeur {0} se dépose auprès de l'{1}, pas « {2} »"
    ),
    "filing on {} is before the signature on {}": "dépôt le {0}, avant la signature le {1}",
    "decision on {} is before the filing on {}": "décision le {0}, avant le dépôt le {1}",
    "silence is a decision only from {} ({} days after filing)": (
        "le silence ne vaut décision qu'à partir du {0} ({1} jours après le dépôt)"
    ),
    "the {}'s silence means {}": "le silence de l'{0} vaut {1}",
    "a refusal states its reason": "un refus doit être motivé",
    "the probation period already ended on {}": "la période d'essai a déjà pris fin le {0}",
    "the {}th day of practical training cannot be before {}": (
        "le {0}e jour de formation pratique ne peut pas tomber avant le {1}"
    ),
    "the bracket change at {} was already recorded": "le changement de tranche à {0} ans est déjà enregistré",
    "age must be one of {}": "âge attendu parmi {0}",
    "at {} the bracket is '{}'": "à {0} ans, la tranche est « {1} »",
    "the apprentice was already {} when the contract started": "l'apprenti avait déjà {0} ans au début du contrat",
    "the change at {} takes effect on {}": "le changement à {0} ans prend effet le {1}",
    "year {} was already recorded": "l'année {0} est déjà enregistrée",
    "year {} does not start during this contract": "l'année {0} ne commence pas pendant ce contrat",
    "year {} starts on {}": "l'année {0} commence le {1}",
    "the disability is already recognised": "le handicap est déjà reconnu",
    "monthly must be a positive amount in cents": "montant mensuel positif attendu, au centime près",
    "the contract ends on {}, not {}": "le contrat prend fin le {0}, pas le {1}",
    "the filing-overdue notice was already recorded": "l'avis de dépôt en retard est déjà enregistré",
    "the filing is due by {}": "le dépôt est attendu jusqu'au {0}",
    "the end-approaching notice was already recorded": "l'avis de fin prochaine est déjà enregistré",
    "the contract ends on {}": "le contrat prend fin le {0}",
    "the notice comes before the end": "l'avis précède la fin du contrat",
    "the corrected terms are the same as the current ones": "les termes corrigés sont identiques aux termes actuels",
    "the end date of an extended contract is changed by its extension, not by a correction": (
        "le contrat est prolongé (échec à l'examen) : sa fin suit la prolongation, pas une correction"
    ),
    "the apprentice's personal data are already erased": "les données personnelles de l'apprenti sont déjà effacées",
    "the apprentice's personal data were erased on request: the row is not imported again": (
        "les données de l'apprenti ont été effacées à sa demande : la ligne n'est pas réimportée"
    ),
    "the contract was already extended after an exam failure": (
        "le contrat a déjà été prolongé après un échec à l'examen"
    ),
    "new_end_date {} must be after the current end {}": "nouvelle fin le {0} : elle doit suivre la fin actuelle ({1})",
    "new_end_date {} extends the contract by more than {} months (latest {})": (
        "nouvelle fin le {0} : le contrat serait prolongé de plus de {1} mois (au plus tard le {2})"
    ),
    "termination on {} is before the contract start {}": "rupture le {0}, avant le début du contrat le {1}",
    "termination on {} is after the contract's end {}": "rupture le {0}, après la fin du contrat le {1}",
    "the contract is terminated": "le contrat est rompu",
    "the contract is already terminated": "le contrat est déjà rompu",
    "maître d'apprentissage {} would have {} apprentices on {} ({} in exam-failure extension); "
    "the limit is {}, plus {} in extension": (
        "le maître d'apprentissage {0} aurait {1} apprentis le {2} (dont {3} en prolongation après échec) ; "
        "la limite est de {4}, plus {5} en prolongation"
    ),
    # -- an event given as JSON (domain/contract.py, domain/event_payload.py, domain/wage/facts.py) -------------
    "an event is a JSON object with a 'type'": "un événement est un objet JSON avec un « type »",
    "type {} is not an event a contract records (one of {})": (
        "{0} n'est pas un événement qu'un contrat enregistre (l'un de {1})"
    ),
    "{} is recorded by the service itself, not by a user": (
        "« {0} » est enregistré par le service, pas par un utilisateur"
    ),
    "{} has no field '{}' (fields: {})": "« {0} » n'a pas de champ « {1} » (champs : {2})",
    "TermsCorrected carries either the whole 'terms' or the 'changes' to merge": (
        "une correction porte soit les termes complets, soit les seuls changements"
    ),
    "an implicit decision (silence) is recorded by the service itself": (
        "une décision implicite (le silence) est enregistrée par le service lui-même"
    ),
    "reason must be a non-empty text": "motif obligatoire",
    "reason is longer than {} characters": "motif de {0} caractères au plus",
    "reason contains control characters": "le motif contient des caractères de contrôle",
    "{} must be a text": "texte attendu",
    "{} must be a text of at most {} characters, no control characters": (
        "texte de {1} caractères au plus, sans caractère de contrôle"
    ),
    "{} must be positive": "montant positif attendu",
    "{} is required for {}": "valeur obligatoire pour « {1} »",
    "events[{}].{} is required for {}": "événement {0} : « {1} » est obligatoire pour « {2} »",
    "events[{}] must be a JSON object": "événement {0} : objet JSON attendu",
    "events[{}].type '{}' is not a known event": "événement {0} : « {1} » n'est pas un événement connu",
    "events[{}] TermsCorrected needs 'terms' or 'changes'": (
        "événement {0} : une correction porte les termes complets ou les changements"
    ),
    # -- the wage engine (domain/wage/engine.py) ------------------------------------------------------------------
    "no SMIC is known on {}": "aucun SMIC n'est connu au {0}",
    "no SMIC of Mayotte is known on {} (employer.postcode 976xx)": (
        "aucun SMIC de Mayotte n'est connu au {0} (employeur à Mayotte, code postal 976xx)"
    ),
    "no Luxembourg allowance is known for {} year {}": (
        "aucune indemnité luxembourgeoise n'est connue pour {0}, année {1}"
    ),
    "no Luxembourg index is known on {}": "aucune cote luxembourgeoise n'est connue au {0}",
}

ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each English shape as an anchored pattern, the most specific (longest fixed text) first."""
    shapes = sorted(REFUSALS_FR, key=lambda shape: len(shape.replace("{}", "")), reverse=True)
    return tuple(
        (re.compile("(.+?)".join(re.escape(part) for part in shape.split("{}")), re.DOTALL), REFUSALS_FR[shape])
        for shape in shapes
    )


def _value_fr(value: str) -> str:
    """A value slotted in a refusal, in French: a date as dd/mm/yyyy, a status, an event or a phrase (or a list
    of them)."""
    return ", ".join(_one_value_fr(v) for v in value.split(", "))


def _one_value_fr(value: str) -> str:
    bare = value.strip("'")
    for table in (WORDS_FR, STATUS_FR, FRENCH_NAMES):
        if bare in table:
            return table[bare]
    return ISO_DATE.sub(lambda m: f"{m[3]}/{m[2]}/{m[1]}", value)


def refusal_fr(detail: str) -> str | None:
    """The French wording of a domain refusal's detail; None for a detail this table does not know."""
    for pattern, french in _patterns():
        match = pattern.fullmatch(detail)
        if match:
            return french.format(*(_value_fr(v) for v in match.groups()))
    return None
