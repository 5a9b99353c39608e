"""The public request board: publish, filter, propose, unpublish, report, hide."""

import math
from datetime import timedelta
from html import unescape
from urllib.parse import quote

import pytest
import time_machine
from django.utils import timezone

from immersio.contacts.models import BoardPost, BoardProposal, BoardReport
from tests.accounts.factories import UserFactory
from tests.fixtures.contacts import make_host
from tests.structures.factories import MARAICHER

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("referentials")]


def publish(client, candidate, **changes):
    client.force_login(candidate)
    data = {
        "metier_texte": "Maraîcher / Maraîchère",
        "metier": str(MARAICHER),
        "commune_texte": "Lyon",
        "commune": "69123",
        "period": "En avril.",
        "duration": "1s",
        "motivations": "Ancien cuisinier, je veux découvrir le maraîchage.",
    } | changes
    return client.post("/demandes/tableau/publier/", data)


def test_publish_then_structures_nearby_find_it_and_propose(client, mailbox):
    candidate = UserFactory(first_name="Camille", last_name="durand")
    response = publish(client, candidate)
    post = BoardPost.objects.get()
    assert response["Location"] == f"/demandes/tableau/{post.public_id}/"
    assert post.display_name == "Camille D."
    assert post.expires_at - post.published_at == timedelta(days=60)

    host = make_host()  # in Lyon, offering the same métier
    client.force_login(host.admin_user)
    board = unescape(client.get("/demandes/tableau/").content.decode())
    assert "Camille D. – Maraîcher / Maraîchère" in board
    assert "durand" not in board.lower()
    near = client.get(f"/demandes/tableau/?autour={host.public_id}&rayon=10").content.decode()
    assert "1 demande" in near
    other_rome = client.get("/demandes/tableau/?metier_texte=boulanger").content.decode()
    assert "0 demande" in other_rome

    client.post(
        f"/demandes/tableau/{post.public_id}/proposer/",
        {"proposition-structure": str(host.public_id), "proposition-body": "Venez en avril !"},
    )
    assert BoardProposal.objects.get().structure == host
    [email] = mailbox.deliver(1)
    assert email.to == [candidate.email]
    assert "Venez en avril !" in email.text
    again = client.post(
        f"/demandes/tableau/{post.public_id}/proposer/",
        {"proposition-structure": str(host.public_id), "proposition-body": "Encore"},
    )
    assert again.status_code == 400
    assert "déjà fait une proposition" in unescape(again.content.decode())

    client.force_login(candidate)
    mine = client.get("/demandes/mes-demandes/").content.decode()
    assert "Venez en avril !" in mine
    client.post(f"/demandes/tableau/{post.public_id}/retirer/")
    post.refresh_from_db()
    assert post.unpublished_at is not None
    client.logout()
    assert client.get(f"/demandes/tableau/{post.public_id}/").status_code == 404


def test_publish_needs_a_subject_and_a_commune(client):
    response = publish(
        client, UserFactory(), metier_texte="", metier="", commune_texte="", commune=""
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Indiquez un métier, ou choisissez une cause." in html
    assert "Indiquez la commune." in html
    assert not BoardPost.objects.exists()


def test_posts_expire_after_60_days(client):
    publish(client, UserFactory())
    with time_machine.travel(timezone.now() + timedelta(days=61)):
        assert "0 demande" in client.get("/demandes/tableau/").content.decode()


def test_report_and_staff_hide(client):
    publish(client, UserFactory())
    post = BoardPost.objects.get()
    client.logout()
    client.post(f"/demandes/tableau/{post.public_id}/signaler/", {"signalement-reason": "propos"})
    assert BoardReport.objects.get().reason == "propos"
    member = UserFactory()
    client.force_login(member)
    assert client.post(f"/demandes/tableau/{post.public_id}/masquer/").status_code == 404
    client.force_login(UserFactory(staff=True))
    client.post(f"/demandes/tableau/{post.public_id}/masquer/", {"motif": "Téléphone visible"})
    post.refresh_from_db()
    assert post.hidden_at is not None
    client.logout()
    assert "0 demande" in client.get("/demandes/tableau/").content.decode()


CONTACT_DETAILS = [
    "+33 6 12 34 56 78",
    "+33 (0)6 12 34 56 78",
    "+33612345678",
    "0033 6 12 34 56 78",
    "06.12.34.56.78",
    "06 12 34 56 78",
    "06-12-34-56-78",
    "06/12/34/56/78",
    "0612345678",
    "+44 20 7946 0958",
    "prenom.nom@exemple.fr",
    "prenom.nom @ exemple . fr",
    "prenom at exemple point fr",
    "prenom arobase exemple point fr",
    "prenom [at] exemple [dot] fr",
    "prenom(at)exemple(point)fr",
    "PRENOM.NOM@EXEMPLE.FR",
]


@pytest.mark.parametrize("detail", CONTACT_DETAILS)
def test_the_board_never_shows_a_phone_number_or_an_e_mail_address(client, detail):
    response = publish(
        client,
        UserFactory(),
        motivations=f"Ancien cuisinier. Écrivez-moi : {detail} merci !",
        period=f"En avril, appelez le {detail}",
    )
    assert response.status_code == 302
    assert "sont masqués" in unescape(client.get(response["Location"]).content.decode())
    post = BoardPost.objects.get()
    assert detail in post.motivations  # kept for its author and the team
    client.logout()
    for url in ("/demandes/tableau/", f"/demandes/tableau/{post.public_id}/"):
        html = unescape(client.get(url).content.decode())
        assert detail not in html
        assert "[coordonnées masquées]" in html
    page = unescape(client.get(f"/demandes/tableau/{post.public_id}/").content.decode())
    assert "Ancien cuisinier. Écrivez-moi : [coordonnées masquées] merci !" in page


@pytest.mark.parametrize(
    "text",
    [
        "Disponible du 01/03/2026 au 05/03/2026, 35 heures par semaine.",
        "Dix ans en cuisine, de 2014 à 2024, au 12 rue des Lilas.",
        "Je suis at home le matin, rendez-vous à 9.30.",
    ],
)
def test_ordinary_text_is_not_masked(text):
    from immersio.contacts.rules import mask_contact_details

    assert mask_contact_details(text) == text


def test_the_candidate_answers_a_proposal_in_the_app(client, mailbox):
    candidate = UserFactory(first_name="Camille", last_name="Durand")
    publish(client, candidate)
    post = BoardPost.objects.get()
    host = make_host()
    client.force_login(host.admin_user)
    client.post(
        f"/demandes/tableau/{post.public_id}/proposer/",
        {"proposition-structure": str(host.public_id), "proposition-body": "Venez en avril !"},
    )
    [proposal_email] = mailbox.deliver(1)
    thread = f"/demandes/tableau/{post.public_id}/proposition/{host.public_id}/"
    assert quote(thread, safe="") in proposal_email.text  # a login link to the thread
    assert thread in unescape(client.get(f"/demandes/tableau/{post.public_id}/").content.decode())

    # The candidate answers from « Mes demandes »; the structure's team gets an e-mail.
    client.force_login(candidate)
    assert thread in client.get("/demandes/mes-demandes/").content.decode()
    empty = client.post(thread, {"message-body": "  "})
    assert empty.status_code == 400
    assert "Écrivez votre message." in unescape(empty.content.decode())
    response = client.post(thread, {"message-body": "Avec plaisir, le 7 avril ?"})
    assert response.status_code == 302
    [_, to_team] = mailbox.deliver(2)
    assert to_team.to == [host.admin_user.email]
    assert "Avec plaisir, le 7 avril ?" in to_team.text
    assert quote(thread, safe="") in to_team.text
    assert candidate.email not in to_team.text

    # The team sees the thread and answers; the candidate gets an e-mail.
    client.force_login(host.admin_user)
    page = unescape(client.get(thread).content.decode())
    assert "Venez en avril !" in page
    assert "Avec plaisir, le 7 avril ?" in page
    client.post(thread, {"message-body": "Parfait, à 9 h."})
    [*_, to_candidate] = mailbox.deliver(3)
    assert to_candidate.to == [candidate.email]
    assert "Parfait, à 9 h." in to_candidate.text
    client.force_login(candidate)
    assert "Parfait, à 9 h." in client.get(thread).content.decode()

    # Nobody else reads it.
    client.force_login(UserFactory())
    assert client.get(thread).status_code == 404
    client.logout()
    assert client.get(thread).status_code == 302


def test_the_board_measures_distances_with_the_one_distance_function(client):
    from immersio.contacts import selectors
    from immersio.core import geo

    publish(client, UserFactory())
    post = BoardPost.objects.get()
    # 20 km north of the post, on the sphere of core.geo.
    origin = (post.latitude + math.degrees(20 / geo.EARTH_RADIUS_KM), post.longitude)
    [(found, distance)] = selectors.board_posts(origin=origin, radius_km=30)
    assert found == post
    assert distance == geo.distance_km(origin, (post.latitude, post.longitude))
    assert distance == pytest.approx(20, abs=1e-6)
    assert selectors.board_posts(origin=origin, radius_km=19.99) == []
