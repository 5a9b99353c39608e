"""The register of processings (RGPD art. 30), written once: ``docs/donnees-personnelles.md``
(``manage.py privacy_register --write``) and the public « Données personnelles » page are
both drawn from ``PROCESSINGS``. A duration is never typed here: each comes from the rule
of ``retention.RULES`` that enforces it (by key), or from the constant of the code that
enforces it; what no code enforces is said plainly.
"""

from dataclasses import dataclass

from django.conf import settings

from immersio.contacts.models import BOARD_DAYS
from immersio.contacts.rules import EXPIRY_DAYS

from .retention import RULES, Action, rule

#: How the register names each action (a noun: « suppression 30 jours après… »).
ACTION_NOUNS = {
    Action.DELETE: "suppression",
    Action.ANONYMISE: "anonymisation",
    Action.ARCHIVE: "archivage",
    Action.PURGE: "effacement du texte",
    Action.WARN: "avertissement par e-mail",
}

PUBLIC_INTEREST = (
    "Mission d'intérêt public (article 6-1 e du RGPD) : les périodes de mise en situation "
    "en milieu professionnel du Code du travail (articles L5135-1 et D5135-1 et suivants)."
)


@dataclass(frozen=True)
class Kept:
    """One line of « how long »: a rule of the table (``rule_key``), or a plain sentence
    for what no rule of the table does (``text``)."""

    rule_key: str = ""
    text: str = ""

    def sentence(self) -> str:
        if not self.rule_key:
            return self.text
        found = rule(self.rule_key)
        sentence = f"{found.label} : {ACTION_NOUNS[found.action]} {found.duration} {found.starts}."
        if found.kept:
            sentence += f" Seuls restent {found.kept}."
        return sentence


@dataclass(frozen=True)
class Processing:
    key: str
    title: str
    purpose: str
    legal_basis: str
    data: str
    recipients: str
    kept: tuple[Kept, ...]

    def retention(self) -> list[str]:
        return [kept.sentence() for kept in self.kept]


def processings() -> list[Processing]:
    """The register, in the order of a person's journey."""
    login_minutes = settings.SESAME_MAX_AGE // 60
    return [
        Processing(
            key="comptes",
            title="Comptes",
            purpose=(
                "Vous connecter sans mot de passe et retrouver vos demandes, vos conventions "
                "et vos équipes."
            ),
            legal_basis=PUBLIC_INTEREST,
            data=(
                "Adresse e-mail, prénom, nom, téléphone (facultatif), date d'inscription, "
                "équipes dont vous êtes membre et votre rôle ou fonction ; codes à usage "
                "unique envoyés (leur empreinte seulement, et l'adresse ou le numéro masqués) ; "
                "adresses des personnes invitées à rejoindre une équipe."
            ),
            recipients=(
                "Vous ; les membres de vos équipes voient votre nom, votre fonction et votre "
                "adresse ; l'équipe Immersio."
            ),
            kept=(
                Kept(
                    text=(
                        f"Un lien de connexion ne sert qu'une fois et expire au bout de "
                        f"{login_minutes} minutes ; le texte des e-mails qui contiennent un "
                        "lien personnel est effacé dès leur envoi."
                    )
                ),
                Kept(
                    text=(
                        "Le compte est conservé jusqu'à sa suppression : par vous, à tout "
                        "moment, depuis « Mes données », ou après une longue inactivité :"
                    )
                ),
                Kept(rule_key="comptes_inactifs_avertissement"),
                Kept(rule_key="comptes_inactifs"),
                Kept(rule_key="codes"),
                Kept(rule_key="invitations_structures"),
                Kept(rule_key="invitations_prescripteurs"),
            ),
        ),
        Processing(
            key="demandes",
            title="Demandes d'immersion et messages",
            purpose=(
                "Transmettre votre demande à une structure d'accueil, lui permettre d'y "
                "répondre et de vous écrire, vous relancer, mesurer le taux de réponse des "
                "structures."
            ),
            legal_basis=PUBLIC_INTEREST,
            data=(
                "Prénom, nom, adresse e-mail, téléphone (facultatif), situation, structure "
                "qui vous accompagne, motivations, disponibilités, trajet, messages échangés."
            ),
            recipients=(
                "Vous, la structure à qui vous écrivez et son équipe (sans le détail d'une "
                "situation qui touche à la santé, aux aides sociales, au droit au séjour ou à "
                "l'emploi actuel) ; l'équipe Immersio."
            ),
            kept=(
                Kept(
                    text=(
                        f"Sans réponse, une demande expire au bout de {EXPIRY_DAYS} jours : "
                        "la structure ne peut plus y répondre."
                    )
                ),
                Kept(rule_key="demandes"),
                Kept(
                    text=(
                        "Une demande suivie d'une convention est conservée avec elle, et "
                        "anonymisée en même temps qu'elle."
                    )
                ),
            ),
        ),
        Processing(
            key="tableau",
            title="Tableau public des demandes",
            purpose=(
                "Faire connaître votre recherche aux structures, qui vous proposent une "
                "immersion ; la conversation continue dans Immersio."
            ),
            legal_basis=PUBLIC_INTEREST,
            data=(
                "Prénom et initiale du nom, métier ou cause, commune, disponibilités, "
                "motivations (téléphones et adresses masqués), propositions et messages."
            ),
            recipients=(
                f"Tout le monde pendant {BOARD_DAYS} jours (prénom et initiale seulement) ; "
                "les structures qui vous font une proposition ; l'équipe Immersio."
            ),
            kept=(Kept(rule_key="tableau"),),
        ),
        Processing(
            key="personnes_ressources",
            title="Personnes ressources et entretiens-métier",
            purpose=(
                "Publier, après relecture par l'équipe Immersio, le parcours de personnes qui "
                "ont changé de métier, et permettre à d'autres de leur demander un "
                "entretien-métier : demande, créneaux, réponse, relances."
            ),
            legal_basis=PUBLIC_INTEREST,
            data=(
                "Profil : métier ou situation avant et après, parcours, ce qui a aidé, "
                "présentation, causes, commune, façons d'échanger, nombre d'entretiens par "
                "mois, relecture par l'équipe. Entretien : qui je suis, pourquoi cette "
                "personne, ce que je veux comprendre, façon d'échanger, créneaux proposés et "
                "retenu, moyen de se joindre (lien de visio, numéro ou lieu), raison d'un "
                "refus et son mot."
            ),
            recipients=(
                "Tout le monde pour un profil publié (prénom et initiale du nom, commune ; "
                "jamais l'adresse ni le téléphone) ; pour un entretien, les deux personnes "
                "seulement (le moyen de se joindre, une fois le créneau choisi) ; l'équipe "
                "Immersio pour la relecture des profils."
            ),
            kept=(
                Kept(
                    text=(
                        "Un profil est conservé jusqu'à ce que la personne le supprime (à tout "
                        "moment, ou avec son compte) ; un profil en pause est conservé caché."
                    )
                ),
                Kept(rule_key="profils_refuses"),
                Kept(rule_key="entretiens_metier"),
            ),
        ),
        Processing(
            key="conventions",
            title="Conventions d'immersion et signatures",
            purpose=(
                "Établir, signer et valider la convention prévue par le Code du travail, "
                "permettre au prescripteur de suivre l'immersion, prouver qui a signé quoi."
            ),
            legal_basis=(
                PUBLIC_INTEREST + " La reconnaissance de travailleur handicapé et les besoins "
                "liés à la santé sont des données sensibles (article 9 du RGPD), traitées "
                "parce qu'elles sont nécessaires aux obligations du droit du travail et de la "
                "protection sociale (article 9-2 b)."
            ),
            data=(
                "Identité, date de naissance, coordonnées et situation de la personne "
                "(dont la RQTH et le RSA), personne à prévenir en cas d'urgence, aide "
                "nécessaire, représentant légal d'un mineur, employeur actuel ; représentants "
                "et tuteur de la structure, conseiller du prescripteur ; planning ; preuves de "
                "signature (date, heure, adresse IP, navigateur, empreinte de la version "
                "signée) ; PDF de la convention ; bilan de l'immersion (rempli par le tuteur "
                "ou le prescripteur, cosigné par la personne, corrections et leurs motifs)."
            ),
            recipients=(
                "Les parties de la convention (la personne, la structure d'accueil, le "
                "prescripteur) ; les données sensibles, seulement les parties de cette "
                "convention et son prescripteur ; l'équipe Immersio, et pour les données "
                "sensibles seulement après avoir dit pourquoi (chaque consultation est "
                "inscrite au journal ci-dessous)."
            ),
            kept=(
                Kept(rule_key="conventions_brouillons"),
                Kept(rule_key="invitations_conventions"),
                Kept(rule_key="conventions_non_signees"),
                Kept(rule_key="conventions_signees_archivage"),
                Kept(rule_key="conventions_signees"),
                Kept(
                    text=(
                        "Les adresses IP et les navigateurs des preuves de signature sont "
                        "conservés exactement aussi longtemps que la convention qu'ils "
                        "prouvent : ils disparaissent à son anonymisation."
                    )
                ),
                Kept(
                    text=(
                        "Le bilan de l'immersion est conservé avec sa convention et anonymisé "
                        "avec elle : ses textes libres, les commentaires et les noms "
                        "disparaissent, les résultats restent pour les statistiques."
                    )
                ),
            ),
        ),
        Processing(
            key="consultations",
            title="Journal des consultations des données sensibles",
            purpose=(
                "Savoir qui, parmi les personnes qui n'en sont pas partie, a ouvert les "
                "données sensibles d'une convention, quand et pourquoi."
            ),
            legal_basis=PUBLIC_INTEREST,
            data="Convention, personne qui a consulté, son rôle, date et heure, motif donné.",
            recipients="La personne concernée ; l'équipe Immersio.",
            kept=(
                Kept(
                    text=(
                        "Aussi longtemps que la convention : le journal est supprimé à son "
                        "anonymisation."
                    )
                ),
            ),
        ),
        Processing(
            key="messages",
            title="E-mails et SMS envoyés",
            purpose=(
                "Vous prévenir (réponses, signatures, validation…), vous envoyer vos liens "
                "et codes personnels, et garder la trace de ce qui a été envoyé."
            ),
            legal_basis=PUBLIC_INTEREST,
            data="Destinataire (adresse ou numéro), objet, texte, type de message, dates d'envoi.",
            recipients="Le destinataire ; l'équipe Immersio.",
            kept=(
                Kept(
                    text=(
                        "Le texte d'un e-mail ou d'un SMS qui contient un lien ou un code "
                        "personnel est effacé dès son envoi."
                    )
                ),
                Kept(
                    text=(
                        "Certains e-mails (signature, validation d'une convention) sont "
                        "préparés quelques secondes après l'action qui les cause : ce qu'il "
                        "faut pour les écrire (la convention concernée, le motif d'une "
                        "décision) attend jusque-là, puis est effacé."
                    )
                ),
                Kept(rule_key="notifications_a_preparer"),
                Kept(rule_key="emails"),
                Kept(rule_key="sms"),
            ),
        ),
        Processing(
            key="limites",
            title="Limitation des abus",
            purpose="Limiter le nombre d'envois de formulaires, contre les robots et les abus.",
            legal_basis=(
                "Intérêt légitime à protéger le service (article 6-1 f du RGPD) et sécurité "
                "du traitement (article 32)."
            ),
            data=(
                "Une empreinte (un condensat) de l'adresse e-mail ou de l'adresse IP, jamais "
                "l'adresse elle-même, et le nombre de tentatives."
            ),
            recipients="Personne : ces compteurs ne sont lus que par le code.",
            kept=(Kept(rule_key="limites_de_debit"),),
        ),
        Processing(
            key="journaux",
            title="Journaux techniques",
            purpose="Faire fonctionner le site, comprendre une panne, repérer une attaque.",
            legal_basis="Sécurité du traitement (article 32 du RGPD).",
            data="Date, page demandée, code de réponse, durée, erreurs.",
            recipients="L'exploitant du site et l'équipe Immersio.",
            kept=(
                Kept(
                    text=(
                        "Immersio ne garde pas ces journaux lui-même : il les écrit sur la "
                        "sortie du serveur, et leur durée de conservation est celle que "
                        "règle l'exploitant du site."
                    )
                ),
            ),
        ),
        Processing(
            key="api",
            title="Appels à l'API",
            purpose=(
                "Permettre aux partenaires de chercher des structures et de vérifier une "
                "convention."
            ),
            legal_basis=PUBLIC_INTEREST,
            data=(
                "Aucune donnée conservée : l'API ne demande pas de compte, et la vérification "
                "d'une convention n'enregistre rien."
            ),
            recipients="Personne.",
            kept=(Kept(text="Immersio n'enregistre pas les appels à son API."),),
        ),
        Processing(
            key="carnet_et_bilan",
            title="Carnet d'immersion et bilan personnel",
            purpose=(
                "Vous aider à garder une trace de votre immersion (ce que vous avez observé, "
                "essayé, les personnes rencontrées) et à en tirer votre bilan et vos "
                "prochaines étapes : une réflexion qui vous appartient."
            ),
            legal_basis=(
                "Votre consentement (article 6-1 a du RGPD) : le carnet et le bilan sont "
                "facultatifs, vous seul les écrivez, et vous pouvez les effacer en supprimant "
                "votre compte. Les coordonnées d'une personne rencontrée ne sont notées que "
                "si elle est d'accord."
            ),
            data=(
                "Vos pages du carnet (un texte par jour, les réponses aux questions), les "
                "personnes rencontrées (nom, rôle, coordonnées si elles l'acceptent), votre "
                "bilan (le métier, les missions, le cadre vous correspondent-ils, ce que vous "
                "avez appris…) et votre plan d'action, avec ce que vous avez partagé et quand."
            ),
            recipients=(
                "Vous seul ; votre conseiller ou votre conseillère (l'équipe du prescripteur "
                "de la convention) lit les pages et le bilan que vous choisissez de partager, "
                "tant que vous les partagez. Jamais la structure d'accueil."
            ),
            kept=(
                Kept(text="Supprimés avec votre compte, à tout moment, depuis « Mes données »."),
                Kept(rule_key="carnets"),
                Kept(rule_key="bilans_personnels"),
                Kept(
                    text=(
                        "Deux ans au plus : le temps de l'accompagnement qui suit l'immersion "
                        "(formation, renouvellement, autre immersion) ; au-delà, le carnet n'est "
                        "plus utile qu'à vous, et vous pouvez l'exporter à tout moment."
                    )
                ),
            ),
        ),
        Processing(
            key="temoignages",
            title="Témoignages",
            purpose=(
                "Publier, avec votre accord, le récit de votre immersion, pour aider d'autres "
                "personnes à se lancer : sur la page « Témoignages », sur la fiche de la "
                "structure qui vous a accueilli·e et à côté des résultats de recherche."
            ),
            legal_basis=(
                "Votre consentement (article 6-1 a du RGPD), enregistré avec le texte exact "
                "auquel vous avez consenti, sa version et sa date ; vous pouvez le retirer à "
                "tout moment depuis « Mes témoignages » : le témoignage n'est alors plus montré."
            ),
            data=(
                "Le titre et le texte de votre témoignage, le métier, les causes, la structure "
                "citée, le nom affiché (votre prénom et l'initiale de votre nom, ou « Anonyme »), "
                "votre accord (texte, version, date, retrait) et la relecture de l'équipe "
                "(date, décision, message) ; les signalements de la structure citée."
            ),
            recipients=(
                "Tout le monde une fois publié, sous le nom que vous avez choisi ; l'équipe "
                "Immersio, qui relit chaque témoignage avant de le publier ; la structure citée "
                "peut le signaler, jamais le modifier."
            ),
            kept=(
                Kept(
                    text=(
                        "Un témoignage publié le reste tant que vous ne retirez pas votre "
                        "accord ; il est supprimé avec votre compte (il n'est pas anonymisé : "
                        "un récit reste personnel sans nom)."
                    )
                ),
                Kept(rule_key="temoignages_retires"),
            ),
        ),
        Processing(
            key="evenements",
            title="Événements proposés",
            purpose=(
                "Annoncer les forums, festivals, portes ouvertes et rencontres où l'on peut "
                "rencontrer des structures ; permettre à l'équipe de les relire avant de les "
                "publier et de prévenir la personne qui les a proposés."
            ),
            legal_basis=PUBLIC_INTEREST,
            data=(
                "Qui a proposé l'événement (son compte), qui l'a relu, la décision et son "
                "motif, l'adresse e-mail de contact affichée sur la page (facultative, de "
                "préférence celle de la structure)."
            ),
            recipients=(
                "L'équipe Immersio ; l'équipe de la structure organisatrice ; le public voit "
                "l'événement et son adresse de contact, jamais qui l'a proposé."
            ),
            kept=(
                Kept(
                    text=(
                        "Avec votre compte, les événements jamais publiés sont supprimés ; "
                        "les autres restent, sans votre nom ni votre adresse."
                    )
                ),
                Kept(rule_key="evenements"),
                Kept(rule_key="evenements_non_publies"),
            ),
        ),
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown() -> str:
    """``docs/donnees-personnelles.md``: the register in French, for people."""
    lines = [
        "# Registre des traitements de données personnelles",
        "",
        "<!-- Fichier produit par `python manage.py privacy_register --write` depuis "
        "`immersio/privacy/register.py` ; ne pas le modifier à la main. -->",
        "",
        "Ce que traite Immersio, pourquoi, sur quelle base, qui le voit et combien de temps "
        "c'est gardé. Les durées viennent du code qui les applique chaque nuit "
        "(`python manage.py apply_retention`, table `immersio/privacy/retention.py`) : la "
        "page publique « Données personnelles » est tirée de la même source.",
        "",
    ]
    for processing in processings():
        lines += [
            f"## {processing.title}",
            "",
            f"- **Finalité** : {processing.purpose}",
            f"- **Base légale** : {processing.legal_basis}",
            f"- **Données** : {processing.data}",
            f"- **Qui les voit** : {processing.recipients}",
            "- **Combien de temps** :",
            *(f"  - {sentence}" for sentence in processing.retention()),
            "",
        ]
    lines += [
        "## Table de conservation",
        "",
        "| règle | données | action | délai | à partir de |",
        "|---|---|---|---|---|",
    ]
    for found in RULES:
        lines.append(
            f"| `{found.key}` | {_cell(found.label)} | {ACTION_NOUNS[found.action]} | "
            f"{found.duration} | {_cell(found.starts)} |"
        )
    return "\n".join(lines) + "\n"
