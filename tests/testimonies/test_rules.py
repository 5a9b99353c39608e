"""Pure rules of testimonies."""

from immersio.testimonies import rules


def test_display_name_is_a_first_name_and_an_initial_or_anonymous():
    assert rules.display_name("Camille", "martin", anonymous=False) == "Camille M."
    assert rules.display_name("Camille", "", anonymous=False) == "Camille"
    assert rules.display_name("Camille", "Martin", anonymous=True) == "Anonyme"
    assert rules.display_name("", "Martin", anonymous=False) == "Anonyme"


def test_a_story_needs_a_title_some_words_a_bounded_length_and_consent():
    words = " ".join(["mot"] * rules.TEXT_MIN_WORDS)
    assert rules.text_violations(title="Titre", text=words, consent=True) == []
    found = rules.text_violations(title=" ", text="Super !", consent=False)
    assert [(v.field, v.code) for v in found] == [
        ("title", "required"),
        ("text", "too_short"),
        ("consent", "consent_required"),
    ]
    assert f"{rules.TEXT_MIN_WORDS} mots au moins" in found[1].message
    too_long = "a " * rules.TEXT_MAX
    [violation] = rules.text_violations(title="T", text=too_long, consent=True)
    assert violation.code == "too_long" and str(rules.TEXT_MAX) in violation.message
    [title] = rules.text_violations(title="T" * (rules.TITLE_MAX + 1), text=words, consent=True)
    assert title.field == "title" and title.code == "too_long"


def test_excerpt_cuts_at_a_word():
    assert rules.excerpt("Court.") == "Court."
    long = "mot " * 100
    cut = rules.excerpt(long, limit=30)
    assert cut.endswith("…") and len(cut) <= 31 and "mo…" not in cut


def test_draft_from_reflection_uses_what_was_written_and_nothing_empty():
    text = rules.draft_from_reflection(
        learned="Le travail en équipe.", unexpected="", people="", metier_why="J'aime la terre."
    )
    assert text == "J'aime la terre.\n\nCe que j'ai appris : Le travail en équipe."
    assert rules.draft_from_reflection(learned="", unexpected="", people="", metier_why="") == ""


def test_the_consent_text_names_where_it_is_shown_and_how_to_take_it_back():
    for words in ("Témoignages", "fiche de la structure", "retirer mon accord", "supprimer"):
        assert words in rules.CONSENT_TEXT
