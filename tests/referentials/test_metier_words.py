"""Issue 8 item 29: the words people type for a métier that its labels do not hold.

Activity nouns (« maraîchage », « boulangerie ») lead to the people who do them, and a
short curated table (``referentials/data/metier_synonyms.csv``) covers everyday words
(« vente », « compost »). Checked on the real ROME labels.
"""

import csv

import pytest

from immersio.referentials import search
from immersio.referentials.text import activity_stems, normalize

# Everyday word → the label its first suggestion starts with.
EVERYDAY_WORDS = [
    ("maraîchage", "Maraîcher / Maraîchère"),
    ("Maraichage", "Maraîcher / Maraîchère"),
    ("compost", "Valoriste"),
    ("compostage", "Valoriste"),
    ("recyclage", "Valoriste"),
    ("boulangerie", "Boulanger / Boulangère"),
    ("pâtisserie", "Pâtissier / Pâtissière"),
    ("boucherie", "Boucher / Bouchère"),
    ("poissonnerie", "Poissonnier / Poissonnière"),
    ("fromagerie", "Fromager / Fromagère"),
    ("menuiserie", "Menuisier / Menuisière"),
    ("ébénisterie", "Ébéniste"),
    ("serrurerie", "Serrurier / Serrurière"),
    ("plomberie", "Plombier / Plombière"),
    ("maçonnerie", "Maçon / Maçonne"),
    ("charpente", "Charpentier / Charpentière"),
    ("carrelage", "Carreleur / Carreleuse"),
    ("peinture", "Peintre"),
    ("soudure", "Soudeur / Soudeuse"),
    ("électricité", "Électricien / Électricienne"),
    ("mécanique", "Mécanicien / Mécanicienne"),
    ("garage", "Mécanicien / Mécanicienne"),
    ("informatique", "Informaticien / Informaticienne"),
    ("coiffure", "Coiffeur / Coiffeuse"),
    ("esthétique", "Esthéticien / Esthéticienne"),
    ("couture", "Couturier"),
    ("cuisine", "Cuisinier / Cuisinière"),
    ("jardinage", "Jardinier / Jardinière"),
    ("jardin", "Jardinier / Jardinière"),
    ("agriculture", "Agriculteur / Agricultrice"),
    ("apiculture", "Apiculteur / Apicultrice"),
    ("abeilles", "Apiculteur / Apicultrice"),
    ("viticulture", "Viticulteur / Viticultrice"),
    ("vigne", "Viticulteur / Viticultrice"),
    ("élevage", "Éleveur / Éleveuse"),
    ("comptabilité", "Comptable"),
    ("secrétariat", "Secrétaire"),
    ("vente", "Vendeur / Vendeuse"),
    ("pharmacie", "Pharmacien / Pharmacienne"),
    ("librairie", "Libraire"),
    ("fleurs", "Fleuriste"),
    ("animation", "Animateur / Animatrice"),
    ("enseignement", "Enseignant"),
    ("pain", "Boulanger / Boulangère"),
    ("cheveux", "Coiffeur / Coiffeuse"),
    ("chevaux", "Palefrenier / Palefrenière"),
    ("potager", "Maraîcher / Maraîchère"),
    ("ordinateur", "Informaticien / Informaticienne"),
    ("crèche", "Auxiliaire de puériculture"),
    ("restaurant", "Serveur / Serveuse"),
    ("musique", "Musicien / Musicienne"),
    # Words already in the labels keep their own suggestions.
    ("boulanger", "Boulanger / Boulangère"),
    ("chargé", "Chargé / Chargée"),
    ("aide-soignant", "Aide-soignant / Aide-soignante"),
    ("A1414", ""),
]


def test_the_list_is_long_enough():
    assert len(EVERYDAY_WORDS) >= 40


@pytest.mark.parametrize(("word", "expected"), EVERYDAY_WORDS)
def test_everyday_word_suggests_the_metier(referentials, word, expected):
    found = search.search_appellations(word, 10)
    assert found, f"aucune suggestion pour « {word} »"
    assert found[0].label.startswith(expected), [item.label for item in found[:3]]


def test_compost_never_offers_a_composer(referentials):
    labels = [item.label for item in search.search_appellations("compost", 10)]
    assert not [label for label in labels if "Compositeur" in label], labels


def test_maraichage_also_keeps_the_labels_holding_the_word(referentials):
    labels = [item.label for item in search.search_appellations("maraîchage", 30)]
    assert labels[0] == "Maraîcher / Maraîchère"
    assert any("maraîchage" in label for label in labels)
    assert len(labels) == len(set(labels))


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("maraichage", "maraicher"),
        ("boulangerie", "boulanger"),
        ("coiffure", "coiffeur"),
        ("peinture", "peintre"),
        ("comptabilite", "comptable"),
        ("secretariat", "secretaire"),
        ("mecanique", "mecanicien"),
        ("electricite", "electricien"),
        ("agriculture", "agriculteur"),
        ("maconnerie", "macon"),
        ("fleurs", "fleuriste"),
    ],
)
def test_activity_stems(word, stem):
    assert stem in activity_stems(word)


def test_short_words_are_not_stemmed():
    assert activity_stems("ie") == []
    assert activity_stems("de") == []
    # « age » is not an ending with a stem: no « er », « eur »…
    assert not {"er", "eur", "ier"} & set(activity_stems("age"))


def test_every_synonym_leads_somewhere(referentials):
    """The curated table, shipped as data, says where it comes from and each of its
    targets finds métiers."""
    with search.METIER_SYNONYMS_FILE.open(encoding="utf-8", newline="") as lines:
        rows = list(csv.DictReader(lines, delimiter=";"))
    assert len(rows) >= 30
    for row in rows:
        assert normalize(row["mot"]) and normalize(row["recherche"]), row
        assert search.search_appellations(row["recherche"], 1, fallback=False), row
    sources = (search.METIER_SYNONYMS_FILE.parent / "SOURCES.md").read_text("utf-8")
    assert "metier_synonyms.csv" in sources
