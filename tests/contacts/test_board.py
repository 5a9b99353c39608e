"""The public request board: publish, filter, propose, unpublish, report, hide."""

from datetime import timedelta
from html import unescape

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
