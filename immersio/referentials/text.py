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
