"""Text normalisation shared by the import (stored search columns) and the search indexes."""

import re
import unicodedata

# Letters that NFKD does not decompose.
_LIGATURES = (("œ", "oe"), ("æ", "ae"), ("ß", "ss"), ("ø", "o"), ("ł", "l"), ("đ", "d"))
_COMBINING = re.compile("[\u0300-\u036f]+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")

# Abbreviations of commune names, rewritten in data and queries alike.
SAINT_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def normalize(text: str) -> str:
    """Lower case, no accents, every run of other characters (apostrophes, hyphens,
    slashes, punctuation, symbols, emoji…) turned into one space.

    >>> normalize("Conducteur / Conductrice d'engins")
    'conducteur conductrice d engins'
    """
    text = text.lower()
    if not text.isascii():
        for letter, replacement in _LIGATURES:
            if letter in text:
                text = text.replace(letter, replacement)
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _NOT_ALNUM.sub(" ", text).strip()


def words(text: str, replacements: dict[str, str] | None = None) -> list[str]:
    """The normalised words of ``text``, each rewritten through ``replacements``."""
    tokens = normalize(text).split()
    if replacements:
        tokens = [replacements.get(token, token) for token in tokens]
    return tokens


def normalize_commune_name(name: str) -> str:
    """``normalize`` with « st » → « saint » and « ste » → « sainte »."""
    return " ".join(words(name, SAINT_ABBREVIATIONS))


# Activity nouns → the names of the people who do them (« maraîchage » → « maraîcher »):
# (ending of the activity, endings of the métier name), tried longest first. Only the
# candidates that are words of the métier labels are kept (``search.metier_variants``).
ACTIVITY_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("abilite", ("able",)),  # comptabilité → comptable
    ("iculture", ("iculteur",)),  # agriculture, apiculture, viticulture → -culteur
    ("ariat", ("aire",)),  # secrétariat → secrétaire
    ("nnerie", ("n", "nnier")),  # maçonnerie → maçon, poissonnerie → poissonnier
    ("ement", ("ant", "eur")),  # enseignement → enseignant
    ("ation", ("ateur", "atrice", "eur")),  # animation → animateur
    ("erie", ("er", "ier", "eur", "iste", "e", "")),  # boulangerie, menuiserie, ébénisterie
    ("ique", ("icien", "iste")),  # mécanique → mécanicien, informatique → informaticien
    ("ture", ("tre", "teur", "turier")),  # peinture → peintre, couture → couturier
    ("ure", ("eur", "urier", "ier")),  # coiffure → coiffeur, soudure → soudeur
    ("age", ("er", "eur", "ier", "iste", "agiste", "eron")),  # maraîchage, élevage, garage
    ("ite", ("ien",)),  # électricité → électricien
    ("ie", ("ien", "e", "iste")),  # pharmacie → pharmacien, librairie → libraire
    ("e", ("ier", "er", "eur", "iste", "eron")),  # cuisine → cuisinier, vigne → vigneron
    ("", ("ier", "iste", "eur", "er", "ien", "nier")),  # jardin → jardinier, fleur → fleuriste
)
MIN_STEM_LENGTH = 3


def activity_stems(word: str) -> list[str]:
    """Possible métier words for a normalised activity noun, most likely first, without
    checking that they exist (``"maraichage"`` → ``["maraicher", "maraicheur", …]``).
    A plural is read as its singular (« fleurs » → « fleur »)."""
    forms = [word]
    if len(word) > 4 and word[-1] in "sx":
        forms.append(word[:-1])
    found: list[str] = []
    for form in forms:
        for ending, replacements in ACTIVITY_ENDINGS:
            if not form.endswith(ending):
                continue
            stem = form[: len(form) - len(ending)] if ending else form
            if len(stem) < MIN_STEM_LENGTH:
                continue
            for replacement in replacements:
                candidate = stem + replacement
                if candidate != word and candidate not in found:
                    found.append(candidate)
    return found
