"""« Préparer ma demande »: the texts for a structure that is not on Immersio (pure
functions of contacts.writing), the page and the board's pre-filled form."""

import itertools
import re
from datetime import date
from html import unescape

import pytest

from immersio.contacts import writing
from immersio.contacts.forms import BoardPostForm, ContactRequestForm, PrepareRequestForm
from immersio.contacts.models import BoardPost
from immersio.structures.models import Cause
from tests.accounts.factories import UserFactory
from tests.structures.factories import MARAICHER

TODAY = date(2026, 3, 2)


def answers(**changes) -> writing.Answers:
    base = {
        "objective": "découvrir un métier ou un secteur d'activité",
        "motivations": "J'ai travaillé dix ans en logistique et je veux me reconvertir.",
        "hopes": "Participer aux récoltes et préparer les paniers",
        "period": "À partir du 10 mars, en semaine.",
        "duration": "1 semaine",
        "place": "Lyon",
        "metier": "Maraîcher / Maraîchère",
    }
    return writing.Answers(**(base | changes))


# The answers that change the texts: a métier, a cause or both; « why now », the kind of
# structure and the name given or not.
COMBINATIONS = [
    {"metier": metier, "cause": cause, "why_now": why_now, "structure_kind": kind, "name": name}
    for (metier, cause), why_now, kind, name in itertools.product(
        [
            ("Maraîcher / Maraîchère", ""),
            ("", "Alimentation"),
            ("Maraîcher / Maraîchère", "Alimentation"),
        ],
        ["", "Mon contrat se termine en juin"],
        ["", "Association"],
        ["", "Camille Durand"],
    )
]


@pytest.mark.parametrize("changes", COMBINATIONS)
def test_every_text_is_whole_sentences_without_empty_part(changes):
    given = answers(**changes)
    for draft in writing.drafts(given, today=TODAY):
        text = draft.text
        assert "None" not in text and "  " not in text
        assert not re.search(r"[:,] *[.,:]|\( *\)|« *»|\n[–-] *[a-zéè ]+ : *\n", text), text
        assert not re.search(r"\n\n\n", text)
        for line in text.splitlines():
            assert line == line.strip()
            assert not re.fullmatch(r"[–\-.:,!? ]+", line), line
        assert "PMSMP" in text
        assert "Lyon" in text
        assert "j'ai travaillé dix ans en logistique" in text.lower()
        assert given.period.rstrip(".").lower() in text.lower()
        if changes["why_now"]:
            assert "Mon contrat se termine en juin." in text
        if changes["structure_kind"]:
            assert "association" in text
        if changes["metier"]:
            assert "Maraîcher / Maraîchère" in text
        if changes["cause"]:
            assert "Alimentation" in text or "alimentation" in text
        if draft.kind != writing.POST:
            signature = changes["name"] or writing.NAME_PLACEHOLDER
            assert text.rstrip().splitlines()[-2] == signature


def test_email_has_a_subject_naming_the_metier_or_the_cause():
    assert writing.email(answers()).subject == (
        "Demande d'immersion professionnelle (PMSMP) – Maraîcher / Maraîchère"
    )
    only_cause = writing.email(answers(metier="", cause="Alimentation"))
    assert only_cause.subject.endswith("– Alimentation")
    assert writing.letter(answers(), today=TODAY).subject == ""
    assert writing.post(answers()).subject == ""


def test_letter_leaves_room_for_addresses_and_dates_it():
    text = writing.letter(answers(), today=TODAY).text
    for placeholder in ("[Votre adresse]", "[Adresse de la structure]", "[Signature]"):
        assert placeholder in text
    assert "le 2 mars 2026" in text
    assert "Objet : demande d'immersion professionnelle (PMSMP)" in text
    assert text.index("Madame, Monsieur,") < text.index("salutations distinguées")


def test_post_says_first_what_and_where_within_the_visible_part():
    text = writing.post(answers()).text
    first = text.split("\n\n")[0]
    assert "Maraîcher / Maraîchère" in first and "Lyon" in first
    assert len(first) <= writing.POST_VISIBLE_CHARACTERS
    assert "[" not in text  # nothing to fill in a public post


def test_lengths_are_counted_against_the_advised_bounds():
    short = writing.drafts(answers(), today=TODAY)
    assert [draft.advised_max for draft in short] == [
        writing.EMAIL_ADVISED_WORDS,
        writing.LETTER_ADVISED_WORDS,
        writing.POST_ADVISED_CHARACTERS,
    ]
    email, letter, post = short
    assert email.length == len(email.text.split()) and email.unit == "mots"
    assert letter.length == len(letter.text.split())
    assert post.length == len(post.text) and post.unit == "caractères"
    assert not any(draft.over for draft in short)
    long_text = "Une phrase de motivation assez longue pour dépasser les bornes. " * 40
    assert all(draft.over for draft in writing.drafts(answers(motivations=long_text), today=TODAY))
    assert str(writing.EMAIL_ADVISED_WORDS) in email.advice[0]
    assert str(writing.POST_ADVISED_CHARACTERS) in post.advice[0]


def test_the_form_reuses_the_fields_of_the_guided_request_and_of_the_board():
    fields = PrepareRequestForm.base_fields
    for name in ("objective", "motivations", "hopes", "period", "duration"):
        assert fields[name] is ContactRequestForm.base_fields[name]
    for name in ("metier_texte", "metier", "cause", "commune_texte", "commune"):
        assert fields[name] is BoardPostForm.base_fields[name]


FILLED = {
    "objective": "discover",
    "motivations": "J'ai travaillé dix ans en logistique et je veux me reconvertir.",
    "why_now": "Mon contrat se termine en juin.",
    "hopes": "Participer aux récoltes.",
    "period": "En avril, en semaine.",
    "duration": "1s",
    "metier_texte": "Maraîcher / Maraîchère",
    "metier": str(MARAICHER),
    "commune_texte": "Lyon",
    "commune": "69123",
    "structure_kind": "association",
    "name": "Camille Durand",
}


@pytest.mark.django_db
@pytest.mark.usefixtures("referentials")
def test_page_writes_the_three_texts_without_account_nor_address(client):
    page = client.get("/demandes/preparer/")
    assert page.status_code == 200
    assert 'action="/demandes/preparer/"' in page.content.decode()
    response = client.post("/demandes/preparer/", FILLED)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Demande d'immersion professionnelle (PMSMP) – Maraîcher / Maraîchère" in html
    assert html.count('data-copy="texte-') == 3
    assert "Madame, Monsieur," in html and "#PMSMP" in html
    assert f"pour {writing.EMAIL_ADVISED_WORDS} conseillés au plus" in html
    assert "/demandes/tableau/publier/?depuis=preparation" in html
    assert "Camille" not in response.get("Location", "")


@pytest.mark.django_db
@pytest.mark.usefixtures("referentials")
def test_bad_answers_are_told_next_to_their_field_and_kept(client):
    data = FILLED | {"motivations": "Motivé.", "duration": "", "metier_texte": "", "metier": ""}
    response = client.post("/demandes/preparer/", data)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "<title>" in html and "Erreur :" in html
    assert "Dites-en un peu plus" in html
    assert "Choisissez la durée souhaitée." in html
    assert "Indiquez un métier, ou choisissez une cause." in html
    assert "Motivé." in html and "Mon contrat se termine en juin." in html
    assert 'id="id_duration"' in html and 'aria-invalid="true"' in html


@pytest.mark.django_db
@pytest.mark.usefixtures("referentials")
def test_a_cause_alone_is_enough(client):
    cause = Cause.objects.order_by("pk").first()
    data = FILLED | {"metier_texte": "", "metier": "", "cause": str(cause.pk)}
    html = unescape(client.post("/demandes/preparer/", data).content.decode())
    assert f"au service de la cause « {cause.label} »" in html


@pytest.mark.django_db
@pytest.mark.usefixtures("referentials")
def test_modify_shows_the_answers_again(client):
    client.post("/demandes/preparer/", FILLED)
    html = unescape(client.get("/demandes/preparer/?modifier=1").content.decode())
    assert "Mon contrat se termine en juin." in html
    assert 'value="Camille Durand"' in html
    fresh = unescape(client.get("/demandes/preparer/").content.decode())
    assert "Mon contrat se termine en juin." not in fresh


@pytest.mark.django_db
@pytest.mark.usefixtures("referentials")
def test_publish_on_the_board_in_one_click_with_the_same_answers(client):
    client.post("/demandes/preparer/", FILLED)
    candidate = UserFactory(first_name="Camille", last_name="Durand")
    anonymous = client.get("/demandes/tableau/publier/?depuis=preparation")
    assert anonymous.status_code == 302 and "/compte/" in anonymous["Location"]
    client.force_login(candidate)
    html = unescape(client.get("/demandes/tableau/publier/?depuis=preparation").content.decode())
    assert 'value="Maraîcher / Maraîchère"' in html
    assert f'value="{MARAICHER}"' in html and 'value="69123"' in html
    assert "En avril, en semaine." in html
    assert "Mon contrat se termine en juin." in html
    assert '<option value="1s" selected>' in html
    # Without coming from « Préparer ma demande », the form stays empty.
    plain = unescape(client.get("/demandes/tableau/publier/").content.decode())
    assert "Mon contrat se termine en juin." not in plain
    # Publishing what was pre-filled needs no typing.
    form = PrepareRequestForm(FILLED)
    assert form.is_valid(), form.errors
    initial = form.board_initial()
    response = client.post(
        "/demandes/tableau/publier/", {k: v for k, v in initial.items() if v is not None}
    )
    post = BoardPost.objects.get()
    assert response["Location"] == f"/demandes/tableau/{post.public_id}/"
    assert "Mon contrat se termine en juin." in post.motivations
    assert post.appellation_id == MARAICHER
    assert post.duration == "1s"


@pytest.mark.django_db
@pytest.mark.usefixtures("referentials")
def test_linked_from_a_search_without_result_and_the_candidate_page(client):
    assert "/demandes/preparer/" in client.get("/je-cherche-une-immersion/").content.decode()
