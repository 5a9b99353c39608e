"""Search of appellations and communes: the generic index, then the real data."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from immersio.referentials import search
from immersio.referentials.search import Document, WordPrefixIndex
from immersio.referentials.text import normalize, normalize_commune_name

# Pure: normalisation and the generic index ----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Conducteur / Conductrice d'engins", "conducteur conductrice d engins"),
        ("  ÉLECTRICIEN-Câbleur  ", "electricien cableur"),
        ("Cœur-de-Bœuf", "coeur de boeuf"),
        ("aide’soignant", "aide soignant"),
        ("%_'\"; DROP TABLE --", "drop table"),
        ("🍞 boulanger 🥖", "boulanger"),
        ("", ""),
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


def test_commune_names_spell_saint_in_full():
    assert normalize_commune_name("St-Étienne") == "saint etienne"
    assert normalize_commune_name("Ste-Foy-lès-Lyon") == "sainte foy les lyon"


def make_index(labels, **options):
    """Documents ranked in the order given (best first)."""
    documents = [Document(normalize(label).split(), label, codes) for label, codes in labels]
    return WordPrefixIndex(documents, **options)


SMALL = make_index(
    [
        ("Aide-boulanger / Aide-boulangère", ("d1102",)),
        ("Boulanger / Boulangère", ("d1102",)),
        ("Chef de boule", ("g1206",)),
        ("Vendeur / Vendeuse en boulangerie", ("d1106",)),
        ("Boule de neige", ()),
        ("Conducteur / Conductrice d'engins de chantier", ("f1302",)),
        ("Conductrice de bus", ("n4103",)),
        ("Peintre en bâtiment", ("f1606",)),
    ],
    stopwords={"de", "d", "en"},
)


def test_prefix_before_position_before_static_rank():
    assert SMALL.search("boul") == [
        "Boulanger / Boulangère",  # first word
        "Boule de neige",  # first word, ranked lower
        "Aide-boulanger / Aide-boulangère",  # second word, ranked higher
        "Chef de boule",
        "Vendeur / Vendeuse en boulangerie",
    ]


def test_exact_word_before_prefix():
    assert SMALL.search("boule")[:2] == ["Boule de neige", "Chef de boule"]


def test_every_word_must_match():
    assert SMALL.search("conduc engin") == ["Conducteur / Conductrice d'engins de chantier"]
    assert SMALL.search("conductrice bus") == ["Conductrice de bus"]
    assert SMALL.search("boul neige chantier") == []


def test_stopwords_are_optional_unless_alone():
    assert SMALL.search("conducteur d engins") == SMALL.search("conducteur engins")
    assert SMALL.search("de") == []  # not indexed, and no word starts with "de"


def test_the_whole_text_comes_first():
    index = make_index([("Paris-l'Hôpital", ()), ("Paris", ())])
    assert index.search("paris") == ["Paris", "Paris-l'Hôpital"]


def test_one_typo_on_long_words_after_exact_matches():
    # A typo on a prefix: « boulanjer » is one letter away from « boulanger… » words.
    assert SMALL.search("boulanjer") == [
        "Boulanger / Boulangère",
        "Aide-boulanger / Aide-boulangère",
        "Vendeur / Vendeuse en boulangerie",
    ]
    assert SMALL.search("bolanger")[0] == "Boulanger / Boulangère"  # deletion
    assert SMALL.search("bouxlanger")[0] == "Boulanger / Boulangère"  # insertion
    assert SMALL.search("bolunager") == []  # two errors
    assert SMALL.search("peitnre")[0] == "Peintre en bâtiment"  # transposition
    assert SMALL.search("bous") == []  # four letters: no typo allowed
    # An exact prefix fills the page before any typo is tried.
    assert SMALL.search("boulange", limit=2) == [
        "Boulanger / Boulangère",
        "Aide-boulanger / Aide-boulangère",
    ]


def test_infix_last():
    assert SMALL.search("langer") == [
        "Boulanger / Boulangère",
        "Aide-boulanger / Aide-boulangère",
        "Vendeur / Vendeuse en boulangerie",
    ]


def test_codes_match_words_with_digits_only():
    assert SMALL.search("D1102") == ["Aide-boulanger / Aide-boulangère", "Boulanger / Boulangère"]
    assert SMALL.search("d11") == [
        "Aide-boulanger / Aide-boulangère",
        "Boulanger / Boulangère",
        "Vendeur / Vendeuse en boulangerie",
    ]
    assert "Chef de boule" not in SMALL.search("d")


def test_limit_is_bounded():
    assert len(SMALL.search("b", limit=2)) == 2
    assert len(SMALL.search("b", limit=0)) == 1
    index = make_index([(f"Métier {n}", ()) for n in range(80)])
    assert len(index.search("metier", limit=1000)) == search.MAX_LIMIT


@pytest.mark.parametrize("query", ["", "   ", "%", "_", "''", "😀", "a" * 101, "--"])
def test_bad_input_gives_nothing(query):
    assert SMALL.search(query) == []


@given(st.text(max_size=120), st.integers(min_value=-5, max_value=80))
def test_any_text_is_safe_on_the_small_index(query, limit):
    results = SMALL.search(query, limit)
    assert len(results) <= max(1, min(limit, search.MAX_LIMIT))


# The real data ----------------------------------------------------------------------


def labels(results):
    return [result.label for result in results]


@pytest.mark.usefixtures("referentials")
class TestAppellations:
    def test_boul_gives_boulanger_first(self):
        results = search.search_appellations("boul")
        assert results[0].label == "Boulanger / Boulangère"
        assert results[0].code == 11573
        assert results[0].rome_code == "D1102"
        assert results[0].rome_label == "Boulangerie - viennoiserie"
        assert len(results) == 10

    def test_accents_and_case_do_not_matter(self):
        assert labels(search.search_appellations("BOULANGÈRE")) == labels(
            search.search_appellations("boulangere")
        )

    def test_every_word_is_a_prefix(self):
        results = search.search_appellations("conduc engin")
        assert results
        for result in results:
            assert result.label.startswith("Conducteur / Conductrice d'engin")

    def test_a_typo_is_tolerated(self):
        assert search.search_appellations("boulanjer")[0].label == "Boulanger / Boulangère"
        assert search.search_appellations("plombiet")[0].label.startswith("Plombier")

    def test_exact_matches_before_typos(self):
        results = labels(search.search_appellations("boulanger", limit=20))
        assert results[0] == "Boulanger / Boulangère"
        assert all("oulang" in label for label in results[:8])

    @pytest.mark.parametrize("code", ["D1102", "d1102", " D1102 "])
    def test_rome_code(self, code):
        results = search.search_appellations(code, limit=50)
        assert {result.rome_code for result in results} == {"D1102"}
        assert len(results) == 8  # every appellation of D1102
        assert results[0].label == "Boulanger / Boulangère"

    def test_most_hired_metier_first_on_ties(self):
        # « Chef » starts hundreds of labels: the first ones belong to big recruiters.
        results = search.search_appellations("chef", limit=5)
        assert all(result.label.startswith("Chef") for result in results)

    def test_limit(self):
        assert len(search.search_appellations("a", limit=3)) == 3
        assert len(search.search_appellations("a", limit=50)) == 50
        assert len(search.search_appellations("a", limit=500)) == 50

    @pytest.mark.parametrize(
        "query", ["", "   ", "a" * 101, "%", "_", "'", '"', "😀", "\x00", "%%%%", "--;"]
    )
    def test_bad_input_gives_nothing(self, query):
        assert search.search_appellations(query) == []

    @pytest.mark.parametrize("query", ["' OR 1=1 --", "boul%", "boul_", "boul'; DROP TABLE x"])
    def test_sql_looking_input_is_just_text(self, query):
        results = search.search_appellations(query)
        assert len(results) <= search.DEFAULT_LIMIT
        if query.startswith("boul") and "drop" not in query.lower():
            assert results[0].label == "Boulanger / Boulangère"

    @settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(query=st.text(max_size=110), limit=st.integers(min_value=1, max_value=50))
    def test_any_text_is_safe(self, query, limit):
        results = search.search_appellations(query, limit)
        assert len(results) <= limit
        if len(query) > search.MAX_QUERY_LENGTH or not query.strip():
            assert results == []


@pytest.mark.usefixtures("referentials")
class TestCommunes:
    @pytest.mark.parametrize(
        ("query", "insee_code"),
        [
            ("lyon", "69123"),
            ("Lyon", "69123"),
            ("paris", "75056"),
            ("marseille", "13055"),
            ("st etienne", "42218"),
            ("saint-étienne", "42218"),
            ("SAINT ETIENNE", "42218"),
            ("St-Étienne", "42218"),
            ("69001", "69123"),
            ("le havre", "76351"),
        ],
    )
    def test_first_result(self, query, insee_code):
        assert search.search_communes(query)[0].insee_code == insee_code

    def test_lyon_with_its_coordinates_and_postal_codes(self):
        lyon = search.search_communes("lyon")[0]
        assert (lyon.name, lyon.department, lyon.kind) == ("Lyon", "69", "commune-actuelle")
        assert lyon.latitude == pytest.approx(45.75881)
        assert lyon.longitude == pytest.approx(4.83533)
        assert "69001" in lyon.postal_codes

    def test_postal_code_prefix(self):
        results = search.search_communes("69", limit=50)
        assert len(results) == 50
        assert all(any(code.startswith("69") for code in r.postal_codes) for r in results)
        assert results[0].name == "Lyon"
        assert results[1].name == "Villeurbanne"  # then by population

    def test_full_postal_code_gives_commune_then_arrondissement(self):
        results = search.search_communes("69001")
        assert [r.insee_code for r in results] == ["69123", "69381"]

    def test_exact_name_before_prefix_then_population(self):
        names = [r.name for r in search.search_communes("saint-denis", limit=5)]
        assert names[:2] == ["Saint-Denis", "Saint-Denis"]  # La Réunion, then Seine-Saint-Denis

    def test_a_typo_is_tolerated(self):
        assert search.search_communes("marseile")[0].insee_code == "13055"

    @settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(query=st.text(max_size=110))
    def test_any_text_is_safe(self, query):
        assert len(search.search_communes(query)) <= search.DEFAULT_LIMIT
