"""Pure rules of testimonies: bounds, the consent's text (versioned), who is shown how.
Plain data in, French messages out."""

from immersio.core.names import public_name
from immersio.core.violations import Violation

ANONYMOUS = "Anonyme"  # the signature of a testimony whose author chose not to be named
TITLE_MAX = 120
TEXT_MAX = 2000
TEXT_MIN_WORDS = 15  # a story, not a word: « Super ! » tells nobody anything
SHOWN_ON_STRUCTURE = 3  # the latest testimonies on a structure's page
SHOWN_ON_SEARCH = 3  # beside the directory's results
PAGE_SIZE = 10
REVIEW_NOTE_MAX = 1000
REPORT_NOTE_MAX = 1000

#: The consent a person gives, word for word; a new wording takes a new version, and each
#: testimony keeps the version and the text its author agreed to.
CONSENT_VERSION = "2026-11"
CONSENT_TEXT = (
    "J'accepte que ce témoignage soit publié sur Immersio, sur la page « Témoignages », sur "
    "la fiche de la structure qui m'a accueilli·e et à côté des résultats de recherche "
    "pour ce métier ou ces causes, avec le nom que j'ai choisi (mon prénom et l'initiale "
    "de mon nom, ou « Anonyme »). Je peux le modifier, retirer mon accord ou le supprimer "
    "à tout moment depuis « Mes témoignages » : il n'est alors plus montré."
)


def display_name(first_name: str, last_name: str, *, anonymous: bool) -> str:
    """« Camille D. », or « Anonyme »: never a full last name."""
    if anonymous or not (first_name or "").strip():
        return ANONYMOUS
    return public_name(first_name, last_name, fallback=ANONYMOUS)


def text_violations(*, title: str, text: str, consent: bool) -> list[Violation]:
    """What the author wrote and agreed to, before it goes to review."""
    found = []
    if not title.strip():
        found.append(Violation("title", "required", "Donnez un titre à votre témoignage."))
    elif len(title) > TITLE_MAX:
        found.append(
            Violation("title", "too_long", f"{len(title)} caractères : {TITLE_MAX} au plus.")
        )
    if len(text) > TEXT_MAX:
        found.append(Violation("text", "too_long", f"{len(text)} caractères : {TEXT_MAX} au plus."))
    elif len(text.split()) < TEXT_MIN_WORDS:
        found.append(
            Violation(
                "text",
                "too_short",
                f"Racontez en quelques phrases ({TEXT_MIN_WORDS} mots au moins) : ce que vous "
                "cherchiez, ce que vous avez découvert, ce que l'immersion a changé.",
            )
        )
    if not consent:
        found.append(
            Violation(
                "consent",
                "consent_required",
                "Pour que votre témoignage soit publié, cochez la case d'accord.",
            )
        )
    return found


def excerpt(text: str, limit: int = 240) -> str:
    """The start of a story, cut at a word, for the lists and the directory."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def draft_from_reflection(*, learned: str, unexpected: str, people: str, metier_why: str) -> str:
    """A first draft of the story from « Mon bilan », for its author to rewrite."""
    parts = []
    if metier_why.strip():
        parts.append(metier_why.strip())
    if learned.strip():
        parts.append("Ce que j'ai appris : " + learned.strip())
    if unexpected.strip():
        parts.append("Ce à quoi je ne m'attendais pas : " + unexpected.strip())
    if people.strip():
        parts.append("Les personnes qui m'ont marqué·e : " + people.strip())
    return "\n\n".join(parts)
