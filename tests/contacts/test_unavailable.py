"""Item 6 of issue 8: a structure that becomes unavailable (capacity reached, pause)
between writing and sending — also between the verification e-mail and the click —
does not cost the candidate their text: it is kept, and the verified page offers to
send it to similar structures, one click per structure, under the same rules."""

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from immersio.contacts.models import ContactRequest, Status
from immersio.directory.indexing import reindex_structures
from tests.accounts.conftest import path_of, token_of
from tests.fixtures.contacts import VALID_FORM, ContactRequestFactory, make_host
from tests.structures.factories import MARAICHER, ReceivedRequestFactory

pytestmark = pytest.mark.django_db


def write(client, structure, action="envoyer", **changes):
    data = VALID_FORM | {"appellation": str(MARAICHER), "action": action} | changes
    return client.post(f"/demandes/nouvelle/{structure.public_id}/", data)


@pytest.fixture
def hosts(db):
    host = make_host(name="Ferme du Bois")
    near = make_host(name="Potager des Canuts", max_requests_per_month=20)
    other = make_host(name="Jardin de la Croix-Rousse", max_requests_per_month=20)
    reindex_structures([host.pk, near.pk, other.pk])
    return host, near, other


def elsewhere(client, token, structure):
    return client.post(
        "/demandes/verifier/ailleurs/", {"jeton": token, "structure": str(structure.public_id)}
    )


def test_full_after_the_e_mail_the_text_goes_to_the_similar_structures_chosen(
    client, hosts, mailbox
):
    host, near, other = hosts
    write(client, host)
    [verification] = mailbox.deliver(1)
    token = token_of(path_of(verification.first_url()))
    ReceivedRequestFactory.create_batch(4, structure=host)  # full before the click

    page = client.post("/demandes/verifier/", {"jeton": token})
    html = unescape(page.content.decode())
    assert page.status_code == 409
    assert "toutes les demandes qu'elle peut traiter" in html
    assert VALID_FORM["hopes"] in html  # the text is still there
    assert "Envoyer à Potager des Canuts" in html
    assert "Envoyer à Jardin de la Croix-Rousse" in html
    assert "Envoyer à Ferme du Bois" not in html

    # One click per structure: the text leaves as written, to the structure chosen only.
    response = elsewhere(client, token, near)
    sent = ContactRequest.objects.get(structure=near)
    assert response["Location"] == f"/demandes/{sent.public_id}/"
    assert sent.status == Status.NEW
    assert (sent.motivations, sent.hopes, sent.period) == (
        VALID_FORM["motivations"],
        VALID_FORM["hopes"],
        VALID_FORM["period"],
    )
    assert sent.candidate.email == VALID_FORM["email"]
    [*_, to_team] = mailbox.deliver(2)
    assert to_team.to == [near.admin_user.email]
    assert ContactRequest.objects.get(structure=host).status == Status.DRAFT
    assert not ContactRequest.objects.filter(structure=other).exists()

    # The same rules apply to each structure: not twice to the same one…
    again = unescape(elsewhere(client, token, near).content.decode())
    assert "Vous avez déjà écrit à cette structure pour ce métier" in again
    assert ContactRequest.objects.filter(structure=near).count() == 1
    # … nor to one that is full in its turn.
    ReceivedRequestFactory.create_batch(20, structure=other)
    full = unescape(elsewhere(client, token, other).content.decode())
    assert "toutes les demandes qu'elle peut traiter" in full
    assert not ContactRequest.objects.filter(structure=other).exists()
    # Only a published structure offering the métier can be chosen.
    assert elsewhere(client, token, make_host(suspended=True)).status_code == 409
    assert ContactRequest.objects.sent().count() == 1


def test_paused_while_writing_nothing_typed_is_lost(client, hosts, mailbox):
    host, near, _other = hosts
    host.paused_until = timezone.localdate() + timedelta(days=5)
    host.save()
    preview = unescape(write(client, host, action="apercu").content.decode())
    assert "Entre-temps, cette structure ne peut plus recevoir de demande." in preview
    assert VALID_FORM["hopes"] in preview
    response = write(client, host)
    notice = unescape(client.get(response["Location"]).content.decode())
    assert "Votre texte est gardé" in notice
    [verification] = mailbox.deliver(1)
    assert "fait une pause" in unescape(verification.text)
    link = path_of(verification.first_url())
    page = unescape(client.get(link).content.decode())
    assert "fait une pause" in page
    assert "Envoyer à Potager des Canuts" in page
    assert "Envoyer ma demande</button>" not in page
    elsewhere(client, token_of(link), near)
    assert ContactRequest.objects.get(structure=near).status == Status.NEW


def test_sending_elsewhere_needs_a_valid_link(client, hosts):
    _host, near, _other = hosts
    ContactRequestFactory(draft=True)
    assert elsewhere(client, "abc", near).status_code == 410
