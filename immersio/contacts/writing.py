"""« Préparer ma demande »: the texts a candidate sends to a structure that is not on
Immersio — an e-mail, a letter, a post for a professional network — written from the
answers of the guided request. Pure functions: plain answers in, texts out.

The post follows the seed's testimony: the intention first (why an immersion, what the
person looks for), then the practical terms (when, how long, where, which kind of
structure, which field), then a call to share.
"""

from dataclasses import dataclass, field
from datetime import date

from immersio.core.dates import format_day

#: The advised bounds, as the advice states them (never typed again in a text).
EMAIL_ADVISED_WORDS = 250  # read whole on a phone, in about a minute
LETTER_ADVISED_WORDS = 400  # one printed page with the addresses
POST_ADVISED_CHARACTERS = 1300  # a post read without unfolding it twice
POST_VISIBLE_CHARACTERS = 210  # what a network shows before « voir plus »

EMAIL = "email"
LETTER = "lettre"
POST = "publication"

NAME_PLACEHOLDER = "[Votre prénom et votre nom]"


@dataclass(frozen=True)
class Answers:
    """The answers, as people read them (labels, not codes); optional ones are ''."""

    objective: str  # « découvrir un métier ou un secteur d'activité »
    motivations: str
    hopes: str
    period: str
    duration: str  # « 1 semaine »
    place: str  # « Lyon »
    metier: str = ""  # « Maraîcher / Maraîchère »
    cause: str = ""  # « Alimentation durable »
    why_now: str = ""
    structure_kind: str = ""  # « Association »
    name: str = ""


@dataclass(frozen=True)
class Draft:
    """One text to copy, with its advice and its length against the advised bound."""

    kind: str
    title: str
    text: str
    unit: str  # « mots » or « caractères »
    length: int
    advised_max: int
    advice: tuple[str, ...] = field(default_factory=tuple)
    subject: str = ""

    @property
    def over(self) -> bool:
        return self.length > self.advised_max


def _clean(text: str) -> str:
    """A typed text, its lines trimmed and without empty runs of lines."""
    lines = [line.strip() for line in (text or "").strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _sentence(text: str) -> str:
    """A typed text ending like a sentence (a final full stop when it has none)."""
    text = _clean(text)
    if text and text[-1] not in ".!?…»)":
        text += "."
    return text


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _what(answers: Answers) -> str:
    """What the immersion is about, ending the sentence of the objective."""
    what = f" : le métier de {answers.metier}" if answers.metier else ""
    if answers.cause:
        what += f", au service de la cause « {answers.cause} »"
    return what


def subject(answers: Answers) -> str:
    """The e-mail's subject (and the letter's « Objet »)."""
    about = answers.metier or answers.cause
    return f"Demande d'immersion professionnelle (PMSMP) – {about}"


def practical_lines(answers: Answers) -> list[str]:
    """The practical terms, one line each; an unanswered one is left out (the métier and
    the cause open the text)."""
    lines = [
        f"– quand : {_lower_first(_clean(answers.period).rstrip('.'))}",
        f"– durée souhaitée : {answers.duration}",
        f"– où : à {answers.place} ou aux alentours",
    ]
    if answers.structure_kind:
        lines.append(f"– type de structure : {_lower_first(answers.structure_kind)}")
    return lines


def _body(answers: Answers, *, formal: bool) -> list[str]:
    """The paragraphs shared by the e-mail and the letter."""
    kind = _lower_first(answers.structure_kind) if answers.structure_kind else "structure"
    opening = (
        ("Je me permets de vous écrire" if formal else "Je vous écris")
        + " pour vous demander s'il serait possible de faire une immersion professionnelle "
        + f"(PMSMP) dans votre {kind}, afin de {answers.objective}{_what(answers)}."
    )
    paragraphs = [opening, _sentence(answers.motivations)]
    if answers.why_now.strip():
        paragraphs.append(_sentence(answers.why_now))
    paragraphs.append(
        "Pendant l'immersion, j'aimerais surtout : " + _lower_first(_sentence(answers.hopes))
    )
    paragraphs.append("En pratique :\n" + "\n".join(practical_lines(answers)))
    paragraphs.append(
        "L'immersion est encadrée par une convention signée avec la structure qui "
        "m'accompagne dans mon projet. Elle n'engage votre structure à aucune rémunération, "
        "et la couverture en cas d'accident revient à la structure qui prescrit "
        "l'immersion (ou à mon employeur si je suis salarié·e)."
    )
    return paragraphs


def _count_words(text: str) -> int:
    return len(text.split())


def email(answers: Answers) -> Draft:
    name = answers.name.strip() or NAME_PLACEHOLDER
    paragraphs = [
        "Bonjour,",
        *_body(answers, formal=False),
        "Seriez-vous d'accord pour en parler, par téléphone ou de vive voix ? Je peux vous "
        "présenter mon projet en quelques minutes et répondre à vos questions.",
        f"Bien cordialement,\n{name}\n[Votre téléphone]",
    ]
    text = "\n\n".join(paragraphs)
    return Draft(
        kind=EMAIL,
        title="Un e-mail",
        subject=subject(answers),
        text=text,
        unit="mots",
        length=_count_words(text),
        advised_max=EMAIL_ADVISED_WORDS,
        advice=(
            f"Restez sous {EMAIL_ADVISED_WORDS} mots : un e-mail court se lit en entier, "
            "souvent sur un téléphone.",
            "Écrivez de préférence à une personne nommée (page « Équipe » ou « Contact » du "
            "site) plutôt qu'à une adresse générale, et commencez alors par son nom.",
            "Un ton simple et sincère convainc plus qu'un ton commercial : dites pourquoi "
            "cette structure, avec vos mots.",
            "Sans réponse, une relance courte et polie est bienvenue après une semaine ou deux.",
        ),
    )


def letter(answers: Answers, *, today: date) -> Draft:
    name = answers.name.strip() or NAME_PLACEHOLDER
    header = "\n".join(
        [
            name,
            "[Votre adresse]",
            "[Code postal et commune]",
            "[Votre téléphone] – [Votre adresse e-mail]",
            "",
            "[Nom de la structure]",
            "[À l'attention de Madame ou Monsieur …]",
            "[Adresse de la structure]",
            "",
            f"[Votre commune], le {format_day(today, 'j F Y')}",
            "",
            f"Objet : {_lower_first(subject(answers))}",
        ]
    )
    paragraphs = [
        header,
        "Madame, Monsieur,",
        *_body(answers, formal=True),
        "Je serais heureux·se de vous rencontrer ou de vous appeler pour vous présenter mon "
        "projet et répondre à vos questions.",
        "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
        f"{name}\n[Signature]",
    ]
    text = "\n\n".join(paragraphs)
    return Draft(
        kind=LETTER,
        title="Une lettre",
        text=text,
        unit="mots",
        length=_count_words(text),
        advised_max=LETTER_ADVISED_WORDS,
        advice=(
            f"Une page suffit : restez sous {LETTER_ADVISED_WORDS} mots, adresses comprises.",
            "Remplacez chaque passage entre crochets, datez et signez à la main.",
            "Un courrier se prête bien aux structures de proximité ou aux petites équipes : "
            "vous pouvez aussi le déposer en passant, et vous présenter.",
        ),
    )


def post(answers: Answers) -> Draft:
    about = answers.metier or f"la cause « {answers.cause} »"
    if answers.metier and answers.cause:
        about += f", pour la cause « {answers.cause} »"
    paragraphs = [
        f"Je cherche une immersion professionnelle (PMSMP) : {about}, à {answers.place} ou "
        "aux alentours.",
        f"Mon intention : {answers.objective}. " + _sentence(answers.motivations),
    ]
    if answers.why_now.strip():
        paragraphs.append(_sentence(answers.why_now))
    paragraphs.append("Ce que je cherche : " + _lower_first(_sentence(answers.hopes)))
    paragraphs.append("En pratique :\n" + "\n".join(practical_lines(answers)))
    paragraphs.append(
        "Vous connaissez une structure qui pourrait m'accueillir, ou une personne avec qui en "
        "parler ? Un commentaire, un message ou un partage m'aideraient beaucoup. Merci !"
    )
    paragraphs.append("#immersion #PMSMP #reconversion")
    text = "\n\n".join(paragraphs)
    return Draft(
        kind=POST,
        title="Une publication sur un réseau professionnel",
        text=text,
        unit="caractères",
        length=len(text),
        advised_max=POST_ADVISED_CHARACTERS,
        advice=(
            f"Restez sous {POST_ADVISED_CHARACTERS} caractères : une publication courte est "
            "lue et partagée.",
            f"Les {POST_VISIBLE_CHARACTERS} premiers caractères s'affichent seuls : la première "
            "phrase dit ce que vous cherchez et où.",
            "Ce texte est public : pas d'adresse ni de téléphone. Les personnes intéressées "
            "vous écriront par message.",
            "Demandez à vos proches de la partager et d'identifier les structures qu'ils "
            "connaissent : c'est souvent ainsi qu'une immersion se trouve.",
        ),
    )


def drafts(answers: Answers, *, today: date) -> list[Draft]:
    """The three texts, in the order the page shows them."""
    return [email(answers), letter(answers, today=today), post(answers)]


def board_motivations(answers: Answers) -> str:
    """The « Vos motivations » of the public board, from the same answers."""
    parts = [_sentence(answers.motivations)]
    if answers.why_now.strip():
        parts.append(_sentence(answers.why_now))
    parts.append("Ce que je cherche : " + _lower_first(_sentence(answers.hopes)))
    return "\n\n".join(parts)
