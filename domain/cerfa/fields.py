"""The form's field names, exactly as the PDF spells them (typographic apostrophes, double spaces), and codes.

The pay table has two periods per contract year (a year splits where the apprentice changes age bracket).
"""

from __future__ import annotations

APPRENTICE_LAST_NAME = "Nom de naissance de l’apprenti(e) :"
APPRENTICE_FIRST_NAME = "Le premier prénom de l’apprenti(e) selon l’état civil :"
APPRENTICE_BIRTH = "Apprenti Date naissance_af_date"
LAST_CLASS = "Dernière classe / année suivie"
RQTH_YES = "Déclare bénéficier de la reconnaissance travailleur handicapé OUI"
RQTH_NO = "Déclare bénéficier de la reconnaissance travailleur handicapé NON"
ATHLETE_YES = "Déclare être inscrit sur la liste des sportifs de haut niveau OUI"
ATHLETE_NO = "Déclare être inscrit sur la liste des sportifs de haut niveau NON"
BUSINESS_YES = "Déclare avoir un projet de création ou de reprise d’entreprise OUI"
BUSINESS_NO = "Déclare avoir un projet de création ou de reprise d’entreprise NON"

PRIVATE = "employeur privé"
PUBLIC = "employeur public"
EMPLOYER_NAME = "Nom et prénom ou dénomination :"
EMPLOYER_SIRET = "N°SIRET de l’établissement d’exécution du contrat :"
EMPLOYER_IDCC = "Code IDCC de la convention collective applicable :"
EMPLOYER_HEADCOUNT = "Effectif total salariés de l’entreprise :"
EMPLOYER_POSTCODE = "Code postal"

CONTRACT_TYPE = "Type de contrat ou d’avenant :"
DEROGATION = "Type de dérogation :"
PREVIOUS_NUMBER = "Numéro du contrat précédent ou du contrat sur lequel porte l’avenant :"
CONCLUSION = "Date de conclusion : _af_date"
START = "Date de début d’exécution du contrat : _af_date"
PRACTICAL_START = "Date de début de formation pratique chez l’employeur : _af_date"
END = "ate de fin du contrat ou de la période d'apprentissage_af_date"  # the form's name lacks its "D"
WEEKLY_HOURS = "Durée hebdomadaire du travail  heure"
WEEKLY_MINUTES = "Durée hebdomadaire du travail  minutes"
SALARY_AT_HIRING = "Salaire brut mensuel à l’embauche :"

DIPLOMA = "Diplôme ou titre visé par l’apprenti :"
DIPLOMA_TITLE = "Diplôme ou titre visé par l’apprenti : Intitulé précis :"
DIPLOMA_CODE = "Code du diplôme"
RNCP_CODE = "Code RNCP"
CFA_START = "Date de début de formation en CFA :  _af_date"
EXAM_END = "Date prévue de fin des épreuves ou examens :_af_date"
TRAINING_HOURS = "Durée de la formation :"
CFA_NAME = "Dénomination du CFA responsable :"
CFA_UAI = "N° UAI du CFA"

MASTER_LAST_NAME = "Maître d’apprentissage n°1 Nom de naissance"
MASTER_FIRST_NAME = "Maître d’apprentissage n°1 Prénom"
MASTER_BIRTH = "Maître d’apprentissage n°1 Date naissance_af_date"

CHECKED, UNCHECKED = "/Oui", "/Off"
CHECKBOXES = frozenset({RQTH_YES, RQTH_NO, ATHLETE_YES, ATHLETE_NO, BUSINESS_YES, BUSINESS_NO, PRIVATE, PUBLIC})

_ORDINAL = {1: "1re", 2: "2e", 3: "3e", 4: "4e"}
PAY_YEARS = (1, 2, 3, 4)


def pay_fields(year: int, period: int) -> tuple[str, str, str, str]:
    """(from, to, percentage, base) of one period (1 or 2) of one contract year (1 to 4) of the pay table."""
    if period == 1:
        return (
            f"Rémunération - {_ORDINAL[year]}  année, du _af_date",
            f"Rémunération - {_ORDINAL[year]}  année, au_af_date",
            f"{year}e année % du",
            f"{year}e année % du *",
        )
    return (f"{year}e année du_af_date", f"{year}e année au_af_date", f"{year}e année % du1", f"{year}e année % du *1")


# « Type de contrat ou d'avenant » (the form's notice): 11 first contract; 21 new contract after a finished one
# with the same employer; 22 … with another employer; 23 after a broken one; 3x are amendments.
FIRST_CONTRACT, SUCCESSIVE_SAME_EMPLOYER, SUCCESSIVE_OTHER_EMPLOYER, AFTER_RUPTURE = "11", "21", "22", "23"
SUCCESSIVE_TYPES = frozenset({SUCCESSIVE_SAME_EMPLOYER, SUCCESSIVE_OTHER_EMPLOYER, AFTER_RUPTURE})
AMENDMENT_TYPES = frozenset({"31", "32", "33", "34", "35", "36", "37", "38"})
CONTRACT_TYPES = frozenset({FIRST_CONTRACT}) | SUCCESSIVE_TYPES | AMENDMENT_TYPES
# « Type de dérogation »: 11 under 16; 12 over 29; 21 shorter; 22 longer; 50 several; 60 other.
UNDER_16, OVER_29, SHORTER, LONGER, SEVERAL, OTHER = "11", "12", "21", "22", "50", "60"
DEROGATIONS = frozenset({UNDER_16, OVER_29, SHORTER, LONGER, SEVERAL, OTHER})
# « Dernière classe / année suivie »: 40 collège (3e) completed; 41 left in 3e; 42 left in 4e; 01–32: a cycle
# after the collège (so the 3e was completed).
LOWER_SECONDARY_COMPLETED = "40"
LOWER_SECONDARY_NOT_COMPLETED = frozenset({"41", "42"})
# « Diplôme ou titre visé »: two digits, the first is the RNCP level (33 CAP, 41 Bac pro, 54 BTS, 62 licence
# professionnelle, 7x master…); the ledger writes <level>0, or 62 for a licence professionnelle.
LICENCE_PRO_CODE = "62"
