"""The words of the domain that several apps share: one enum per concept, one set of
stored values.

Requests (``contacts``) and conventions (``conventions``) speak of the same immersion
object and the same beneficiary's situation, so both store these values. ``core`` is the
lowest app: every other app may import this module, and the pure rules too (defining a
``TextChoices`` needs neither settings nor a database).

Stored values:

- **Immersion object**: the English values of the public API (``discover``, ``confirm``,
  ``recruit``), which conventions already stored; requests stored French values
  (``decouvrir``, ``confirmer``, ``recrutement``) until ``contacts`` migration 0005.
- **Situation**: the detailed values of requests (the eligible people of art. L5135-1 and the
  DGEFP lists), which requests already stored, plus ``salarie`` and ``autre`` that
  conventions used; conventions' coarse values (``jeune``, ``insertion``, ``esat``) were
  converted by ``conventions`` migration 0004.
"""

from django.db import models


class ImmersionObject(models.TextChoices):
    """The single object of an immersion (Code du travail, art. L5135-1)."""

    DISCOVER = "discover", "Découvrir un métier ou un secteur d'activité"
    CONFIRM = "confirm", "Confirmer un projet professionnel"
    RECRUIT = "recruit", "Initier une démarche de recrutement"

    @property
    def in_sentence(self) -> str:
        """The label inside a sentence: « découvrir un métier ou un secteur d'activité »."""
        return self.label[:1].lower() + self.label[1:]


class Situation(models.TextChoices):
    """The beneficiary's situation that opens the right to an immersion (L5135-1, L5135-2),
    as a prescriber or a host reads it. Candidates choose among the same values, each
    said in the first person (:data:`SITUATION_IN_FIRST_PERSON`)."""

    JOB_SEEKER_FT = "demandeur_ft", "Demandeur ou demandeuse d'emploi inscrit(e) à France Travail"
    JOB_SEEKER = "demandeur", "Demandeur ou demandeuse d'emploi"
    YOUNG_ML = "jeune_ml", "Jeune de moins de 26 ans suivi(e) par une mission locale"
    RQTH = "rqth", "Travailleur ou travailleuse handicapé(e) (RQTH)"
    RSA = "rsa", "Allocataire du RSA"
    CSP = "csp", "En contrat de sécurisation professionnelle (CSP)"
    SIAE = "siae", "Salarié(e) en insertion dans une SIAE (EI, AI, ACI)"
    CUI = "cui", "Salarié(e) en contrat aidé (parcours emploi compétences, CUI)"
    ESAT_EA = "esat_ea", "Travailleur ou travailleuse en ESAT ou en entreprise adaptée"
    UNFITNESS = "inaptitude", "Salarié(e) menacé(e) d'inaptitude"
    EMPLOYEE_SEARCH = "salarie_recherche", "Salarié(e) à la recherche d'un autre emploi"
    RETRAINING = "reconversion", "Salarié(e) en reconversion"
    DISMISSAL = "licenciement", "Salarié(e) menacé(e) de licenciement ou en congé de reclassement"
    FOREIGNER = "etranger", "Étranger(e) en situation régulière ou demandeur(se) d'asile"
    MINOR = "mineur", "Mineur(e), avec l'accord de ses représentants légaux"
    EMPLOYEE = "salarie", "Salarié(e)"
    OTHER = "autre", "Autre personne accompagnée"
    UNKNOWN = "ne_sais_pas", "Situation à préciser"


#: What a candidate reads when writing a request (the situations they may choose).
SITUATION_IN_FIRST_PERSON: dict[Situation, str] = {
    Situation.JOB_SEEKER_FT: "Je cherche un emploi et je suis inscrit(e) à France Travail",
    Situation.JOB_SEEKER: "Je cherche un emploi sans être inscrit(e) à France Travail",
    Situation.YOUNG_ML: "J'ai moins de 26 ans et je suis suivi(e) par une mission locale",
    Situation.RQTH: "J'ai une reconnaissance de travailleur handicapé (RQTH)",
    Situation.RSA: "Je touche le RSA",
    Situation.CSP: "Je suis en contrat de sécurisation professionnelle (CSP)",
    Situation.SIAE: "Je suis salarié(e) en insertion (chantier, entreprise d'insertion…)",
    Situation.CUI: "Je suis en contrat aidé (parcours emploi compétences, CUI)",
    Situation.ESAT_EA: "Je travaille en ESAT ou en entreprise adaptée",
    Situation.UNFITNESS: "Je suis salarié(e) et risque de ne plus pouvoir faire mon travail",
    Situation.EMPLOYEE_SEARCH: "Je suis salarié(e) et cherche un autre emploi",
    Situation.RETRAINING: "Je suis salarié(e) et veux changer de métier (reconversion)",
    Situation.DISMISSAL: "Je suis menacé(e) de licenciement ou en congé de reclassement",
    Situation.FOREIGNER: "Je suis étranger(e) en situation régulière ou demandeur(se) d'asile",
    Situation.MINOR: "J'ai moins de 18 ans (avec l'accord de mes parents)",
    Situation.UNKNOWN: "Je ne sais pas",
}

#: The candidate's choices, in the request form's order.
CANDIDATE_SITUATIONS: list[tuple[str, str]] = [
    (situation.value, label) for situation, label in SITUATION_IN_FIRST_PERSON.items()
]

#: A convention states a known situation (« à préciser » is for requests only).
CONVENTION_SITUATIONS: list[tuple[str, str]] = [
    (situation.value, situation.label) for situation in Situation if situation != Situation.UNKNOWN
]


#: Situations that tell a health condition, a social benefit, a residence status or a
#: threat on a job (RGPD art. 9 and simple discretion): the candidate's structure of
#: support needs them, the host structure does not. A request shows them to the host as
#: :data:`SITUATION_WITHHELD`.
SENSITIVE_SITUATIONS: frozenset[Situation] = frozenset(
    {
        Situation.RQTH,
        Situation.RSA,
        Situation.ESAT_EA,
        Situation.UNFITNESS,
        Situation.DISMISSAL,
        Situation.FOREIGNER,
    }
)
SITUATION_WITHHELD = "Précisée à sa structure d'accompagnement, pas à la structure d'accueil"


def situation_for_host(value: str) -> str:
    """The candidate's situation as the host structure reads it in a request."""
    if Situation(value) in SENSITIVE_SITUATIONS:
        return SITUATION_WITHHELD
    return situation_in_first_person(value)


def situation_in_first_person(value: str) -> str:
    """How the candidate said their situation (the neutral label for the few values
    candidates do not choose)."""
    situation = Situation(value)
    return SITUATION_IN_FIRST_PERSON.get(situation, situation.label)
