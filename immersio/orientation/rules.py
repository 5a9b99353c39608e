"""« Est-ce pour moi ? »: from a person's answers (situation, age, who already follows
them), whether a PMSMP is open to them, why, whom to contact first and what to prepare.

Pure functions over plain values: no database, no request. The one source of « which
prescriber for which situation » (Code du travail art. L5135-1 and L5135-2, the DGEFP
lists; ``docs/rules.md``): the wizard's result and the « Je cherche une immersion » page
both read :data:`FIRST_PRESCRIBER`.

The wizard's situations are the candidate's words; :data:`CORE_SITUATION` maps each onto
the shared vocabulary (``core.vocabulary.Situation``) a request or a convention stores,
where one fits (a student or a public agent has none: a PMSMP is not their scheme).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import models

from immersio.core.law import limits_for
from immersio.core.vocabulary import Situation

# Missions locales follow young people « de 16 à 25 ans révolus » (Code du travail
# L5314-2): under this age.
YOUNG_MAX_AGE = 26
# The RSA is open from this age, save exceptions (a child, « RSA jeune actif »): CASF L262-4.
RSA_MIN_AGE = 25
# The public agents' own « période d'immersion professionnelle » (décret 2022-1043).
PIP_MIN_DAYS = 2
PIP_MAX_DAYS = 10
PIP_MAX_DAYS_TOTAL = 20
PIP_TOTAL_YEARS = 3
PIP_NOTICE_MONTHS = 3


class WizardSituation(models.TextChoices):
    """What the person says of themselves (issue 13 item 1), in the first person."""

    JOB_SEEKER_FT = "demandeur_ft", "Je cherche un emploi et je suis inscrit·e à France Travail"
    JOB_SEEKER = "demandeur", "Je cherche un emploi sans être inscrit·e à France Travail"
    YOUNG_ML = "jeune_ml", "J'ai moins de 26 ans et une mission locale me suit"
    YOUNG = "jeune", "J'ai moins de 26 ans et aucune mission locale ne me suit"
    RQTH = "rqth", "J'ai une reconnaissance de travailleur handicapé (RQTH)"
    RSA = "rsa", "Je touche le RSA"
    EMPLOYEE_SEARCH = (
        "salarie_recherche",
        "Je suis salarié·e et je cherche activement un autre emploi",
    )
    SIAE = "siae", "Je suis salarié·e en insertion dans une SIAE (EI, AI, ACI)"
    CUI = "cui", "Je suis salarié·e en contrat aidé (parcours emploi compétences, CUI)"
    ESAT_EA = "esat_ea", "Je travaille en ESAT ou en entreprise adaptée"
    UNFITNESS = "inaptitude", "Je suis salarié·e et risque de ne plus pouvoir faire mon travail"
    RETRAINING = "reconversion", "Je suis salarié·e et je veux changer de métier (reconversion)"
    EMPLOYEE = "salarie", "Je suis salarié·e (CDI, CDD…), sans autre démarche"
    STUDENT = "etudiant", "Je suis élève ou étudiant·e"
    PUBLIC_AGENT = "agent_public", "Je suis agent public (fonctionnaire ou contractuel·le)"
    OTHER = "autre", "Autre situation"


class Followed(models.TextChoices):
    """Who already follows the person, if anyone: the kinds of ``agencies.Agency.Kind``
    a person can name, plus « no one » and « another structure »."""

    NO = "non", "Personne pour l'instant"
    FRANCE_TRAVAIL = "france-travail", "France Travail"
    MISSION_LOCALE = "mission-locale", "Une mission locale"
    CAP_EMPLOI = "cap-emploi", "Cap emploi"
    CONSEIL_DEPARTEMENTAL = "conseil-departemental", "Le conseil départemental (RSA)"
    SIAE = "siae", "Ma structure d'insertion (SIAE)"
    OTHER = (
        "autre",
        "Une autre structure (association, CCAS, conseil en évolution professionnelle…)",
    )


class Verdict(models.TextChoices):
    POSSIBLE = "possible", "Oui, une immersion est possible"
    CONDITIONS = "conditions", "Oui, à certaines conditions"
    ELSEWHERE = "ailleurs", "Pas par une immersion PMSMP, mais une autre voie existe"


# Agency kinds (the values of ``agencies.Agency.Kind``), named here to stay a pure module.
FRANCE_TRAVAIL = "france-travail"
MISSION_LOCALE = "mission-locale"
CAP_EMPLOI = "cap-emploi"
CONSEIL_DEPARTEMENTAL = "conseil-departemental"
SIAE = "siae"

#: How a prescriber's kind is named inside a sentence (« contactez … »).
KIND_IN_SENTENCE = {
    FRANCE_TRAVAIL: "France Travail",
    MISSION_LOCALE: "la mission locale",
    CAP_EMPLOI: "Cap emploi",
    CONSEIL_DEPARTEMENTAL: "le conseil départemental",
    SIAE: "votre structure d'insertion (SIAE)",
}

#: The wizard's situations in the shared vocabulary, where one fits.
CORE_SITUATION: dict[WizardSituation, Situation | None] = {
    WizardSituation.JOB_SEEKER_FT: Situation.JOB_SEEKER_FT,
    WizardSituation.JOB_SEEKER: Situation.JOB_SEEKER,
    WizardSituation.YOUNG_ML: Situation.YOUNG_ML,
    WizardSituation.YOUNG: Situation.JOB_SEEKER,
    WizardSituation.RQTH: Situation.RQTH,
    WizardSituation.RSA: Situation.RSA,
    WizardSituation.EMPLOYEE_SEARCH: Situation.EMPLOYEE_SEARCH,
    WizardSituation.SIAE: Situation.SIAE,
    WizardSituation.CUI: Situation.CUI,
    WizardSituation.ESAT_EA: Situation.ESAT_EA,
    WizardSituation.UNFITNESS: Situation.UNFITNESS,
    WizardSituation.RETRAINING: Situation.RETRAINING,
    WizardSituation.EMPLOYEE: Situation.EMPLOYEE,
    WizardSituation.STUDENT: None,
    WizardSituation.PUBLIC_AGENT: None,
    WizardSituation.OTHER: Situation.OTHER,
}


@dataclass(frozen=True)
class Route:
    """The usual answer for a situation, before age and the person's follow-up."""

    verdict: Verdict
    why: str
    kinds: tuple[str, ...]  # prescriber kinds, the one to contact first first
    kinds_why: str
    conditions: tuple[str, ...] = ()
    instead: str = ""  # what to do instead of a PMSMP


def _pip_text() -> str:
    return (
        "Pour découvrir un autre service public, les agents publics ont leur propre "
        "« période d'immersion professionnelle » (décret n° 2022-1043) : "
        f"de {PIP_MIN_DAYS} à {PIP_MAX_DAYS} jours ouvrés par période, "
        f"{PIP_MAX_DAYS_TOTAL} jours au plus sur {PIP_TOTAL_YEARS} ans, dans une autre "
        "administration. Faites la demande motivée à votre service des ressources humaines "
        f"au moins {PIP_NOTICE_MONTHS} mois avant."
    )


def _routes(on: date) -> dict[WizardSituation, Route]:
    share_num, share_den = limits_for(on).insertion_contract_max_share
    share = f"{round(100 * share_num / share_den)} %"
    employer = (
        "Votre employeur signe aussi la convention : parlez-lui de votre projet, son accord "
        "est nécessaire si l'immersion a lieu pendant votre temps de travail."
    )
    return {
        WizardSituation.JOB_SEEKER_FT: Route(
            Verdict.POSSIBLE,
            "Les personnes inscrites à France Travail font partie des publics de "
            "l'immersion (Code du travail, art. L5135-1).",
            (FRANCE_TRAVAIL,),
            "France Travail vous suit déjà : votre conseiller ou conseillère peut prescrire "
            "l'immersion.",
        ),
        WizardSituation.JOB_SEEKER: Route(
            Verdict.POSSIBLE,
            "Une immersion est ouverte à toute personne en recherche d'emploi qui est "
            "accompagnée, inscrite ou non à France Travail (art. L5135-1).",
            (FRANCE_TRAVAIL,),
            "Sans accompagnement, pas d'immersion : France Travail peut vous inscrire et "
            "prescrire l'immersion.",
        ),
        WizardSituation.YOUNG_ML: Route(
            Verdict.POSSIBLE,
            "Les jeunes suivis par une mission locale font partie des publics de "
            "l'immersion ; la mission locale peut la prescrire (art. L5135-2).",
            (MISSION_LOCALE,),
            "Votre mission locale vous connaît : c'est elle qui prescrit l'immersion.",
        ),
        WizardSituation.YOUNG: Route(
            Verdict.POSSIBLE,
            "Une immersion est ouverte aux jeunes accompagnés ; les missions locales "
            "accueillent les jeunes qui ne sont suivis par personne (art. L5135-2).",
            (MISSION_LOCALE,),
            "La mission locale de votre secteur accueille les jeunes de moins de "
            f"{YOUNG_MAX_AGE} ans, même sans rendez-vous préalable ailleurs.",
        ),
        WizardSituation.RQTH: Route(
            Verdict.POSSIBLE,
            "Les personnes reconnues travailleuses handicapées font partie des publics de "
            "l'immersion (art. L5135-1).",
            (CAP_EMPLOI, FRANCE_TRAVAIL),
            "Cap emploi accompagne les personnes en situation de handicap et peut prescrire "
            "l'immersion ; France Travail aussi.",
        ),
        WizardSituation.RSA: Route(
            Verdict.POSSIBLE,
            "Les bénéficiaires du RSA peuvent faire une immersion dans le cadre de leur "
            "parcours d'insertion (art. L5135-1).",
            (CONSEIL_DEPARTEMENTAL, FRANCE_TRAVAIL),
            "Le conseil départemental, qui suit votre parcours d'insertion, peut prescrire "
            "l'immersion (art. L5135-2) ; France Travail aussi s'il vous accompagne.",
        ),
        WizardSituation.EMPLOYEE_SEARCH: Route(
            Verdict.CONDITIONS,
            "Les salarié·es engagé·es dans une recherche active d'emploi peuvent faire une "
            "immersion s'ils sont inscrits à France Travail (art. L5135-1).",
            (FRANCE_TRAVAIL,),
            "France Travail accompagne les salarié·es qui cherchent un autre emploi et peut "
            "prescrire l'immersion.",
            conditions=(
                "Être inscrit·e à France Travail dans une démarche active de recherche d'emploi.",
                employer,
            ),
        ),
        WizardSituation.SIAE: Route(
            Verdict.POSSIBLE,
            "Les salarié·es en insertion peuvent faire une immersion ; leur structure "
            "d'insertion la prescrit elle-même (art. L5135-2).",
            (SIAE,),
            "Votre structure d'insertion (entreprise d'insertion, association "
            "intermédiaire, atelier chantier d'insertion) prescrit l'immersion ; une "
            "entreprise de travail temporaire d'insertion ne le peut pas.",
            conditions=(
                f"Toutes vos immersions ensemble ne dépassent pas {share} de la durée de "
                "votre contrat.",
                "Votre contrat continue pendant l'immersion : vous gardez votre salaire.",
            ),
        ),
        WizardSituation.CUI: Route(
            Verdict.CONDITIONS,
            "Les salarié·es en contrat aidé peuvent faire une immersion (art. L5135-1).",
            (FRANCE_TRAVAIL, MISSION_LOCALE, CAP_EMPLOI, CONSEIL_DEPARTEMENTAL),
            "Le prescripteur de votre contrat aidé (France Travail, la mission locale, Cap "
            "emploi ou le conseil départemental) prescrit aussi l'immersion.",
            conditions=(
                f"Toutes vos immersions ensemble ne dépassent pas {share} de la durée de "
                "votre contrat.",
                employer,
            ),
        ),
        WizardSituation.ESAT_EA: Route(
            Verdict.POSSIBLE,
            "Les travailleurs et travailleuses d'ESAT et les salarié·es d'entreprise "
            "adaptée peuvent faire une immersion (art. L5135-1).",
            (CAP_EMPLOI, FRANCE_TRAVAIL),
            "Cap emploi accompagne les personnes en situation de handicap vers le milieu "
            "ordinaire et peut prescrire l'immersion ; France Travail aussi. Une mise en "
            "situation en ESAT décidée par la CDAPH est un autre dispositif.",
            conditions=(employer,),
        ),
        WizardSituation.UNFITNESS: Route(
            Verdict.POSSIBLE,
            "Les salarié·es menacé·es d'inaptitude peuvent découvrir un autre métier par une "
            "immersion, pour préparer leur maintien dans l'emploi ou une reconversion "
            "(art. L5135-1).",
            (CAP_EMPLOI, FRANCE_TRAVAIL),
            "Cap emploi accompagne le maintien dans l'emploi et peut prescrire "
            "l'immersion ; France Travail aussi.",
            conditions=(employer,),
        ),
        WizardSituation.RETRAINING: Route(
            Verdict.CONDITIONS,
            "Un·e salarié·e en reconversion peut faire une immersion s'il ou elle est "
            "accompagné·e dans son projet (art. L5135-1).",
            (FRANCE_TRAVAIL,),
            "France Travail peut prescrire l'immersion. Un conseil en évolution "
            "professionnelle (CEP) vous aide à construire le projet ; il ne prescrit que "
            "s'il a reçu une délégation.",
            conditions=(
                "Être accompagné·e dans votre projet de reconversion (France Travail, conseil "
                "en évolution professionnelle).",
                employer,
            ),
        ),
        WizardSituation.EMPLOYEE: Route(
            Verdict.CONDITIONS,
            "Une immersion suppose un accompagnement : un·e salarié·e y a droit s'il ou "
            "elle cherche activement un autre emploi ou prépare une reconversion, avec un "
            "accompagnement (art. L5135-1).",
            (FRANCE_TRAVAIL,),
            "France Travail accompagne les salarié·es qui cherchent à changer d'emploi et "
            "peut prescrire l'immersion.",
            conditions=(
                "Être accompagné·e : inscription à France Travail ou projet suivi par un "
                "conseil en évolution professionnelle.",
                employer,
            ),
        ),
        WizardSituation.STUDENT: Route(
            Verdict.ELSEWHERE,
            "Une immersion n'est pas un stage : tant que vous êtes inscrit·e dans un "
            "établissement, c'est une convention de stage, signée par votre école ou votre "
            "université, qui encadre une expérience en structure (Code de l'éducation, "
            "art. L124-1).",
            (MISSION_LOCALE, FRANCE_TRAVAIL),
            "Si vous arrêtez vos études, ou si aucune convention de stage n'est possible, "
            "la mission locale (avant vos 26 ans) ou France Travail peut vous accompagner "
            "vers une immersion.",
            instead="Demandez une convention de stage au service des stages de votre "
            "établissement.",
        ),
        WizardSituation.PUBLIC_AGENT: Route(
            Verdict.ELSEWHERE,
            "Un agent public qui veut découvrir un autre métier public a son propre "
            "dispositif, distinct de l'immersion PMSMP.",
            (FRANCE_TRAVAIL,),
            "Pour une immersion dans une entreprise ou une association, un agent "
            "contractuel qui prépare son départ peut être accompagné par France Travail ; "
            "l'immersion se fait alors sur son temps personnel, hors de ses heures de "
            "service.",
            instead=_pip_text(),
        ),
        WizardSituation.OTHER: Route(
            Verdict.CONDITIONS,
            "Une immersion est ouverte à toute personne qui bénéficie d'un accompagnement "
            "social ou professionnel, quel que soit son statut (art. L5135-1).",
            (FRANCE_TRAVAIL,),
            "France Travail peut vous accompagner et prescrire l'immersion ; une "
            "association qui vous suit peut aussi le faire si elle a reçu une délégation.",
            conditions=("Être accompagné·e par une structure qui peut prescrire.",),
        ),
    }


#: The prescriber to contact first for each situation, and why (« Je cherche une
#: immersion » lists it; the wizard refines it with age and follow-up).
def first_prescribers(on: date) -> list[tuple[WizardSituation, str, str]]:
    """(situation, the prescriber in a sentence, why), in the order of the choices."""
    routes = _routes(on)
    return [
        (situation, KIND_IN_SENTENCE[routes[situation].kinds[0]], routes[situation].kinds_why)
        for situation in WizardSituation
    ]


@dataclass(frozen=True)
class Orientation:
    """The wizard's answer. Templates read the ``is_*`` flags, never the verdict's value."""

    verdict: Verdict
    reasons: tuple[str, ...]
    kinds: tuple[str, ...]
    prescriber_why: str
    conditions: tuple[str, ...] = ()
    instead: str = ""
    notes: tuple[str, ...] = ()  # contradictions between answers, explained
    prepare: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_possible(self) -> bool:
        return self.verdict == Verdict.POSSIBLE

    @property
    def has_conditions(self) -> bool:
        return self.verdict == Verdict.CONDITIONS

    @property
    def is_elsewhere(self) -> bool:
        return self.verdict == Verdict.ELSEWHERE

    @property
    def headline(self) -> str:
        return self.verdict.label

    @property
    def first_kind(self) -> str:
        return self.kinds[0] if self.kinds else ""

    @property
    def prescriber(self) -> str:
        """The prescriber to contact first, in a sentence (« la mission locale »)."""
        return KIND_IN_SENTENCE.get(self.first_kind, "")


EMPLOYED = frozenset(
    {
        WizardSituation.EMPLOYEE_SEARCH,
        WizardSituation.SIAE,
        WizardSituation.CUI,
        WizardSituation.ESAT_EA,
        WizardSituation.UNFITNESS,
        WizardSituation.RETRAINING,
        WizardSituation.EMPLOYEE,
        WizardSituation.PUBLIC_AGENT,
    }
)
YOUNG_SITUATIONS = frozenset({WizardSituation.YOUNG_ML, WizardSituation.YOUNG})
# Who may prescribe for a person they follow, whatever the situation (L5135-2 1° to 4° bis).
GENERAL_PRESCRIBERS = frozenset({FRANCE_TRAVAIL, MISSION_LOCALE, CAP_EMPLOI, CONSEIL_DEPARTEMENTAL})


def _prepare(situation: WizardSituation, minor: bool) -> tuple[str, ...]:
    items = [
        "Ce que vous voulez découvrir ou vérifier : un métier, des missions, un milieu, une "
        "cause — et pourquoi maintenant.",
        "Une ou deux structures qui vous attirent, trouvées dans l'annuaire d'Immersio ou "
        "autour de vous.",
        "Vos disponibilités : quand, combien de temps (d'une journée à un mois), où, et "
        "comment vous vous y rendrez.",
        "Votre CV, même court, et vos questions.",
    ]
    if situation in EMPLOYED:
        items.append(
            "Le nom et les coordonnées de votre employeur, qui signera aussi la convention."
        )
    if minor:
        items.append(
            "L'accord écrit de vos parents ou de votre représentant légal, qui signera la "
            "convention avec vous."
        )
    return tuple(items)


def orientation(
    situation: WizardSituation | str,
    age: int,
    followed: Followed | str = Followed.NO,
    *,
    on: date | None = None,
) -> Orientation:
    """The answer for these answers. Never raises for answers that contradict each other:
    each contradiction becomes a note that says which answer was kept and why."""
    situation = WizardSituation(situation)
    followed = Followed(followed)
    on = on or date.today()
    limits = limits_for(on)
    route = _routes(on)[situation]
    verdict, kinds, why = route.verdict, route.kinds, route.kinds_why
    reasons = [route.why]
    conditions = list(route.conditions)
    instead = route.instead
    notes: list[str] = []
    minor = limits.minor_min_age <= age < limits.majority_age

    # Contradictions -------------------------------------------------------------------
    if age < limits.minor_min_age and situation in EMPLOYED | {WizardSituation.RSA}:
        notes.append(
            f"À {age} ans, la situation choisie (« {situation.label} ») ne correspond pas "
            "à votre âge : vérifiez l'un ou l'autre. La réponse ci-dessous tient compte de "
            "votre âge."
        )
    if situation in YOUNG_SITUATIONS and age >= YOUNG_MAX_AGE:
        notes.append(
            f"Vous avez indiqué {age} ans : les missions locales accompagnent les jeunes de "
            f"moins de {YOUNG_MAX_AGE} ans. Nous vous orientons donc vers France Travail."
        )
        kinds = (FRANCE_TRAVAIL,)
        why = "À partir de votre âge, c'est France Travail qui accompagne et prescrit."
    if situation == WizardSituation.RSA and age < RSA_MIN_AGE:
        notes.append(
            f"Le RSA est en principe ouvert à partir de {RSA_MIN_AGE} ans (sauf si vous avez "
            "ou attendez un enfant, ou au titre du RSA jeune actif). Si vous le touchez bien, "
            "la réponse ci-dessous vaut pour vous ; sinon, choisissez une autre situation."
        )
    if situation == WizardSituation.STUDENT and age >= YOUNG_MAX_AGE:
        kinds = (FRANCE_TRAVAIL,)

    # Who already follows the person --------------------------------------------------
    followed_kind = followed.value if followed.value in GENERAL_PRESCRIBERS | {SIAE} else ""
    if followed_kind == MISSION_LOCALE and age >= YOUNG_MAX_AGE:
        notes.append(
            f"Une mission locale accompagne les jeunes de moins de {YOUNG_MAX_AGE} ans : si "
            "elle vous suit encore, parlez-lui de votre projet ; sinon, adressez-vous à "
            "France Travail."
        )
        followed_kind = ""
    if situation == WizardSituation.YOUNG and followed_kind == MISSION_LOCALE:
        notes.append(
            "Vous avez indiqué qu'aucune mission locale ne vous suit, puis qu'une mission "
            "locale vous accompagne : nous retenons la mission locale."
        )
    if situation == WizardSituation.JOB_SEEKER and followed_kind == FRANCE_TRAVAIL:
        notes.append(
            "Vous avez indiqué ne pas être inscrit·e à France Travail, puis que France "
            "Travail vous accompagne : nous retenons France Travail."
        )
    if followed_kind == SIAE and situation != WizardSituation.SIAE:
        notes.append(
            "Une structure d'insertion ne prescrit une immersion que pour ses propres "
            "salarié·es en insertion : si elle vous emploie, choisissez « "
            f"{WizardSituation.SIAE.label} »."
        )
        followed_kind = ""
    if followed == Followed.OTHER and route.verdict != Verdict.ELSEWHERE:
        notes.append(
            "La structure qui vous suit peut prescrire l'immersion si elle a reçu une "
            "délégation d'un prescripteur : demandez-le-lui. Sinon, elle vous orientera vers "
            f"{KIND_IN_SENTENCE[kinds[0]]}."
        )

    # Age ------------------------------------------------------------------------------
    if age < limits.minor_min_age:
        verdict = Verdict.ELSEWHERE
        reasons = [
            f"Avant {limits.minor_min_age} ans, vous êtes encore soumis·e à l'instruction "
            "obligatoire. Les textes de l'immersion ne fixent pas d'âge minimum, mais "
            f"Immersio, comme le service public, ne l'ouvre qu'à partir de "
            f"{limits.minor_min_age} ans."
        ]
        instead = (
            "Pour découvrir un métier, passez par votre établissement : stage "
            "d'observation de troisième, séquence d'observation en entreprise."
        )
        conditions = []
        kinds = (MISSION_LOCALE,)
        why = (
            f"À partir de {limits.minor_min_age} ans, si vous quittez l'école, la mission "
            "locale pourra vous accompagner."
        )
        followed_kind = ""
    elif minor:
        if verdict == Verdict.POSSIBLE:
            verdict = Verdict.CONDITIONS
        conditions.insert(
            0,
            f"Vous avez moins de {limits.majority_age} ans : vos parents ou votre "
            "représentant légal donnent leur accord et signent la convention ; la structure "
            "applique les règles du travail des mineurs (horaires, repos, travaux interdits).",
        )
        keeps_own = situation in {WizardSituation.SIAE, WizardSituation.STUDENT}
        if not keeps_own and not followed_kind and kinds[0] != MISSION_LOCALE:
            kinds = (MISSION_LOCALE, *[k for k in kinds if k != MISSION_LOCALE])
            why = (
                f"Avant {limits.majority_age} ans, la mission locale est l'interlocutrice "
                "habituelle : elle accompagne les jeunes et prescrit l'immersion."
            )

    if followed_kind and verdict != Verdict.ELSEWHERE:
        kinds = (followed_kind, *[k for k in kinds if k != followed_kind])
        why = (
            f"Vous êtes déjà suivi·e par {KIND_IN_SENTENCE[followed_kind]} : parlez-en "
            "d'abord à votre conseiller ou conseillère, qui peut prescrire l'immersion "
            "(art. L5135-2)."
        )

    return Orientation(
        verdict=verdict,
        reasons=tuple(reasons),
        kinds=tuple(kinds),
        prescriber_why=why,
        conditions=tuple(conditions),
        instead=instead,
        notes=tuple(notes),
        prepare=_prepare(situation, minor),
    )
