"""The guided request through the Django test client, with the real SMTP server."""

from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.utils import timezone

from immersio.contacts.models import ContactRequest, Message, Status
from immersio.core.vocabulary import (
    SENSITIVE_SITUATIONS,
    SITUATION_WITHHELD,
    Situation,
    situation_in_first_person,
)
from immersio.structures.models import ReceivedRequest
from tests.accounts.conftest import path_of, token_of, without_csrf
from tests.accounts.factories import UserFactory
from tests.fixtures.contacts import VALID_FORM, ContactRequestFactory, make_host
from tests.structures.factories import MARAICHER, HostStructureFactory, ReceivedRequestFactory

pytestmark = pytest.mark.django_db


def new_url(structure):
    return f"/demandes/nouvelle/{structure.public_id}/"


def fill(client, structure, **changes):
    data = VALID_FORM | {"appellation": str(MARAICHER)} | changes
    return client.post(new_url(structure), data | {"action": "envoyer"})


def test_whole_request_by_message(client, host, mailbox):
    response = client.get(new_url(host) + f"?metier={MARAICHER}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "3\u202f000 caractères au maximum" in html
    assert f'<option value="{MARAICHER}" selected>' in html

    # Preview: the message as the structure will get it, escaped.
    data = VALID_FORM | {"appellation": str(MARAICHER)}
    preview = client.post(new_url(host), data | {"action": "apercu"})
    text = preview.content.decode()
    assert "Relisez votre demande" in text
    assert "&lt;b&gt;bio&lt;/b&gt;" in text
    assert not ContactRequest.objects.exists()

    # Back to editing keeps everything.
    edit = client.post(new_url(host), data | {"action": "modifier"}).content.decode()
    assert 'value="France Travail Lyon 7e"' in edit

    response = fill(client, host)
    assert response.status_code == 302
    assert response["Location"] == "/demandes/verifiez-vos-e-mails/"
    assert "camille@exemple.fr" in client.get(response["Location"]).content.decode()
    draft = ContactRequest.objects.get()
    assert draft.status == Status.DRAFT
    assert not ReceivedRequest.objects.exists()

    [verification] = mailbox.deliver(1)
    assert verification.to == ["camille@exemple.fr"]
    link = path_of(verification.first_url())

    # GET only shows a confirmation page: nothing is sent.
    page = client.get(link)
    assert page.status_code == 200
    assert "Envoyer ma demande" in page.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT

    token = token_of(link)
    sent = client.post("/demandes/verifier/", {"jeton": token})
    contact_request = ContactRequest.objects.get()
    assert sent["Location"] == f"/demandes/{contact_request.public_id}/"
    assert contact_request.status == Status.NEW
    assert contact_request.candidate.email == "camille@exemple.fr"
    assert ReceivedRequest.objects.filter(structure=host, kind="contact").count() == 1

    # Replaying the confirmation (double click, link opened again) creates nothing.
    again = client.post("/demandes/verifier/", {"jeton": token})
    assert again.status_code == 410
    assert "déjà servi" in again.content.decode()
    assert ContactRequest.objects.count() == 1
    assert ReceivedRequest.objects.count() == 1

    # The candidate is logged in and sees the thread; the team got an e-mail.
    assert "Ma demande :" in client.get(sent["Location"]).content.decode()
    [notice] = mailbox.deliver(2)[1:]
    assert notice.to == [host.admin_user.email]
    assert "Nouvelle demande d'immersion" in notice.subject
    assert "/compte/connexion/lien/" in notice.first_url()
    assert "mes-demandes" not in notice.first_url()


def test_errors_are_tied_to_fields_and_nothing_is_lost(client, host):
    data = VALID_FORM | {
        "appellation": str(MARAICHER),
        "email": "pas-une-adresse",
        "motivations": "x" * 3001,
        "support_name": "",
        "action": "apercu",
    }
    html = client.post(new_url(host), data).content.decode()
    assert "Erreur :" in html
    assert "Le formulaire contient 3 erreurs" in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert "3\u202f000 caractères au maximum (le texte en compte 3001)" in html
    assert "Indiquez quelle structure vous accompagne." in html
    assert 'value="Camille"' in html
    assert "Participer aux récoltes." in html


def test_appellation_must_be_offered(client, host):
    html = client.post(
        new_url(host), VALID_FORM | {"appellation": "10001", "action": "apercu"}
    ).content.decode()
    assert "Choisissez un des métiers proposés par la structure." in html


def test_honeypot_creates_nothing(client, host):
    response = fill(client, host, website="http://spam.example")
    assert response.status_code == 302
    assert not ContactRequest.objects.exists()


def test_same_person_cannot_write_twice_in_seven_days(client, host, mailbox):
    ContactRequestFactory(  # declined: only the 7-day rule applies
        structure=host,
        email="camille@exemple.fr",
        status=Status.DECLINED,
        sent_at=timezone.now() - timedelta(days=2),
    )
    # The form answers as for any address: nothing tells a visitor it already wrote.
    response = fill(client, host)
    assert response.status_code == 302
    assert response["Location"] == "/demandes/verifiez-vos-e-mails/"
    # The owner of the address learns it by e-mail, with the date it may write again…
    [verification] = mailbox.deliver(1)
    text = unescape(verification.text)
    assert "Vous avez déjà écrit à cette structure pour ce métier" in text
    link = path_of(verification.first_url())
    # … and on the verified page, which offers no button to send.
    page = unescape(client.get(link).content.decode())
    assert "Vous avez déjà écrit à cette structure pour ce métier" in page
    assert "Envoyer ma demande</button>" not in page
    refused = unescape(
        client.post("/demandes/verifier/", {"jeton": token_of(link)}).content.decode()
    )
    assert "Vous avez déjà écrit à cette structure pour ce métier" in refused
    assert ContactRequest.objects.sent().count() == 1
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        assert fill(client, host).status_code == 302
        [_, again] = mailbox.deliver(2)
        assert "déjà écrit" not in again.text
        client.post("/demandes/verifier/", {"jeton": token_of(path_of(again.first_url()))})
    assert ContactRequest.objects.sent().count() == 2


def test_the_form_answers_the_same_whatever_the_address(client, host):
    """Whether an address already wrote to this structure (and when) is never shown."""
    ContactRequestFactory(
        structure=host,
        email="deja@exemple.fr",
        status=Status.AWAITING,
        sent_at=timezone.now() - timedelta(days=2),
    )
    known = fill(client, host, email="deja@exemple.fr")
    known_page = client.get(known["Location"]).content.decode()
    unknown = fill(client, host, email="jamais@exemple.fr")
    unknown_page = client.get(unknown["Location"]).content.decode()
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert without_csrf(known_page).replace("deja@", "X@") == without_csrf(unknown_page).replace(
        "jamais@", "X@"
    )
    assert "déjà" not in unescape(known_page)


def test_rate_limit_per_email(client, host, settings, mailbox):
    """Past the limit, no more e-mail goes to the address, and the form answers as
    usual: saying « too many requests » would tell that this address wrote."""
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"contact_request_per_email": (2, 3600)}
    other = make_host()
    assert fill(client, host).status_code == 302
    assert fill(client, other).status_code == 302
    response = fill(client, make_host())
    assert response["Location"] == "/demandes/verifiez-vos-e-mails/"
    assert "beaucoup de demandes" not in client.get(response["Location"]).content.decode()
    assert len(mailbox.deliver(2)) == 2
    assert ContactRequest.objects.count() == 3  # the text is kept all the same


def test_rate_limit_per_ip_is_told(client, host, settings):
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"contact_request_per_ip": (1, 3600)}
    assert fill(client, host).status_code == 302
    html = fill(client, make_host(), email="autre@exemple.fr").content.decode()
    assert "beaucoup de demandes en peu de temps" in html


@pytest.mark.parametrize(
    ("traits", "expected"),
    [
        ({"paused": True}, "fait une pause"),
        ({"suspended": True}, "n'apparaît plus sur Immersio"),
        ({"closed": True}, "a fermé son espace"),
        ({"full": True}, "toutes les demandes qu'elle peut traiter"),
    ],
)
def test_unavailable_structure_says_why(client, traits, expected):
    structure = make_host(**traits)
    response = client.get(new_url(structure))
    html = unescape(response.content.decode())
    assert "ne reçoit pas de demande pour le moment" in html
    assert expected in html
    # Posted anyway (it became unavailable while the form was open): the text is kept
    # as a draft, never sent to this structure.
    received = ReceivedRequest.objects.count()
    response = fill(client, structure)
    assert response.status_code == 302
    assert expected in unescape(client.get(response["Location"]).content.decode())
    assert ContactRequest.objects.get().status == Status.DRAFT
    assert ReceivedRequest.objects.count() == received


def test_over_capacity_between_draft_and_confirmation(client, host, mailbox):
    fill(client, host)
    link = path_of(mailbox.deliver(1)[0].first_url())
    ReceivedRequestFactory.create_batch(4, structure=host)
    html = unescape(client.post("/demandes/verifier/", {"jeton": token_of(link)}).content.decode())
    assert "toutes les demandes qu'elle peut traiter" in html
    assert ContactRequest.objects.get().status == Status.DRAFT
    assert ReceivedRequest.objects.count() == 4


def test_phone_mode_shows_the_number_after_verification(client, mailbox):
    structure = make_host(
        contact_mode="telephone",
        contact_phone="04 72 00 00 00",
        contact_instructions="Appelez le matin.",
    )
    fill(client, structure)
    link = path_of(mailbox.deliver(1)[0].first_url())
    assert "04 72 00 00 00" not in client.get(link).content.decode()
    response = client.post("/demandes/verifier/", {"jeton": token_of(link)}, follow=True)
    html = response.content.decode()
    assert "04 72 00 00 00" in html
    assert "Appelez le matin." in html
    contact_request = ContactRequest.objects.get()
    assert contact_request.status == Status.DIRECT
    assert ReceivedRequest.objects.filter(structure=structure).count() == 1
    assert len(mailbox.deliver(1)) == 1  # no message to the structure


def test_expired_link_offers_a_new_one_without_losing_the_request(client, host, mailbox):
    fill(client, host)
    link = path_of(mailbox.deliver(1)[0].first_url())
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        page = client.get(link)
        assert page.status_code == 410
        html = page.content.decode()
        assert "expiré" in html
        draft = ContactRequest.objects.get()
        response = client.post(f"/demandes/nouveau-lien/{draft.public_id}/")
        assert response.status_code == 302
        new_link = path_of(mailbox.deliver(2)[1].first_url())
        client.post("/demandes/verifier/", {"jeton": token_of(new_link)})
    assert ContactRequest.objects.get().status == Status.NEW


def test_tampered_link(client):
    assert client.get("/demandes/verifier/?jeton=abc").status_code == 410


# Threads -------------------------------------------------------------------------------


def test_another_structure_member_gets_404(client, host):
    contact_request = ContactRequestFactory(structure=host)
    stranger = UserFactory()
    HostStructureFactory(admin=stranger)
    client.force_login(stranger)
    assert client.get(f"/demandes/{contact_request.public_id}/").status_code == 404
    assert client.get(f"/demandes/structure/{host.public_id}/").status_code == 404
    response = client.post(
        f"/demandes/{contact_request.public_id}/accepter/", {"accepter-proposed_dates": "demain"}
    )
    assert response.status_code == 404


def test_anonymous_is_sent_to_login(client, host):
    contact_request = ContactRequestFactory(structure=host)
    response = client.get(f"/demandes/{contact_request.public_id}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/?next=")


def test_structure_inbox_filters_and_accept(client, host, mailbox):
    contact_request = ContactRequestFactory(structure=host)
    ContactRequestFactory(structure=host, status=Status.DECLINED, decline_reason="autre")
    client.force_login(host.admin_user)
    html = client.get(f"/demandes/structure/{host.public_id}/").content.decode()
    assert "Nouvelles (1)" in html
    assert "Closes (1)" in html
    assert contact_request.candidate_name in html

    # Opening the thread marks it seen.
    client.get(f"/demandes/{contact_request.public_id}/")
    contact_request.refresh_from_db()
    assert contact_request.status == Status.AWAITING

    bad = client.post(
        f"/demandes/{contact_request.public_id}/accepter/", {"accepter-proposed_dates": ""}
    )
    assert bad.status_code == 400
    assert "Indiquez la date de début." in bad.content.decode()

    start = timezone.localdate() + timedelta(days=10)
    client.post(
        f"/demandes/{contact_request.public_id}/accepter/",
        {
            "accepter-proposed_start": start.isoformat(),
            "accepter-proposed_end": (start + timedelta(days=4)).isoformat(),
            "accepter-proposed_dates": "de 9 h à 17 h",
            "accepter-body": "Venez à 9 h.",
        },
    )
    contact_request.refresh_from_db()
    assert contact_request.status == Status.ACCEPTED
    assert contact_request.first_answer_at is not None
    assert list(contact_request.events.values_list("to_status", flat=True)) == [
        "en_attente",
        "acceptee",
    ]
    [email] = mailbox.deliver(1)
    assert email.to == [contact_request.email]
    assert f"Dates proposées : {contact_request.proposed_period}." in email.text
    assert "de 9 h à 17 h" in email.text
    assert "Venez à 9 h." in email.text


def test_question_then_candidate_reply_then_decline(client, host, mailbox):
    contact_request = ContactRequestFactory(structure=host)
    client.force_login(host.admin_user)
    client.post(
        f"/demandes/{contact_request.public_id}/message/", {"message-body": "Avez-vous un vélo ?"}
    )
    contact_request.refresh_from_db()
    assert contact_request.status == Status.QUESTION
    [question] = mailbox.deliver(1)
    assert "Avez-vous un vélo ?" in question.text

    client.force_login(contact_request.candidate)
    mine = unescape(client.get("/demandes/mes-demandes/").content.decode())
    assert host.display_name in mine
    client.post(f"/demandes/{contact_request.public_id}/message/", {"message-body": "Oui."})
    contact_request.refresh_from_db()
    assert contact_request.status == Status.AWAITING
    assert mailbox.deliver(2)[1].to == [host.admin_user.email]
    # The candidate cannot accept their own request.
    client.post(
        f"/demandes/{contact_request.public_id}/accepter/", {"accepter-proposed_dates": "x"}
    )
    contact_request.refresh_from_db()
    assert contact_request.status == Status.AWAITING

    client.force_login(host.admin_user)
    client.post(
        f"/demandes/{contact_request.public_id}/decliner/",
        {"decliner-reason": "indisponible", "decliner-body": "Revenez au printemps."},
    )
    contact_request.refresh_from_db()
    assert contact_request.status == Status.DECLINED
    declined = mailbox.deliver(3)[2]
    assert "ne peut pas vous accueillir" in declined.text
    assert "pas disponible en ce moment" in declined.text
    assert list(contact_request.messages.values_list("side", flat=True)) == [
        Message.Side.STRUCTURE,
        Message.Side.CANDIDATE,
        Message.Side.STRUCTURE,
    ]
    # Closed: no more messages.
    client.post(f"/demandes/{contact_request.public_id}/message/", {"message-body": "Encore ?"})
    assert contact_request.messages.count() == 3


def test_candidate_withdraws_or_found_elsewhere(client):
    first = ContactRequestFactory()
    client.force_login(first.candidate)
    client.post(f"/demandes/{first.public_id}/clore/", {"statut": "trouve_ailleurs"})
    first.refresh_from_db()
    assert first.status == Status.FOUND_ELSEWHERE
    second = ContactRequestFactory(candidate=first.candidate)
    client.post(f"/demandes/{second.public_id}/clore/", {"statut": "retiree"})
    second.refresh_from_db()
    assert second.status == Status.WITHDRAWN


def test_open_request_blocks_a_new_one_after_seven_days(client, host, mailbox):
    ContactRequestFactory(
        structure=host,
        email="camille@exemple.fr",
        status=Status.AWAITING,
        sent_at=timezone.now() - timedelta(days=10),
    )
    assert fill(client, host).status_code == 302
    [verification] = mailbox.deliver(1)
    assert "Vous avez déjà une demande en cours auprès de cette structure" in unescape(
        verification.text
    )
    token = token_of(path_of(verification.first_url()))
    html = unescape(client.post("/demandes/verifier/", {"jeton": token}).content.decode())
    assert "Vous avez déjà une demande en cours auprès de cette structure" in html
    assert ContactRequest.objects.sent().count() == 1


def test_admin_pages(client):
    contact_request = ContactRequestFactory()
    client.force_login(UserFactory(superuser=True))
    for url in (
        "/gestion/contacts/contactrequest/",
        f"/gestion/contacts/contactrequest/{contact_request.pk}/change/",
        "/gestion/contacts/boardpost/",
        "/gestion/contacts/answerstats/",
        "/gestion/contacts/autohide/",
        "/gestion/contacts/boardproposal/",
    ):
        assert client.get(url).status_code == 200, url


def test_verifying_a_request_never_opens_a_staff_session(client, host, mailbox):
    """A verification link lives 48 hours: it sends the request, but a staff account
    still has to log in with the short-lived login link."""
    UserFactory(email="camille@exemple.fr", staff=True)
    fill(client, host)
    link = path_of(mailbox.deliver(1)[0].first_url())
    sent = client.post("/demandes/verifier/", {"jeton": token_of(link)})
    contact_request = ContactRequest.objects.get()
    assert contact_request.status == Status.NEW
    assert sent["Location"] == f"/compte/connexion/?next=/demandes/{contact_request.public_id}/"
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("situation", sorted(SENSITIVE_SITUATIONS))
def test_the_host_never_reads_a_sensitive_situation_the_candidate_does(client, host, situation):
    contact_request = ContactRequestFactory(structure=host, situation=situation)
    said = situation_in_first_person(situation)
    url = f"/demandes/{contact_request.public_id}/"

    client.force_login(host.admin_user)
    html = unescape(client.get(url).content.decode())
    assert said not in html and Situation(situation).label not in html
    assert SITUATION_WITHHELD in html

    client.force_login(contact_request.candidate)
    html = unescape(client.get(url).content.decode())
    assert said in html and SITUATION_WITHHELD not in html


def test_the_host_reads_a_situation_that_is_not_sensitive(client, host):
    contact_request = ContactRequestFactory(structure=host, situation=Situation.YOUNG_ML)
    client.force_login(host.admin_user)
    html = unescape(client.get(f"/demandes/{contact_request.public_id}/").content.decode())
    assert situation_in_first_person(Situation.YOUNG_ML) in html


# A logged-in person writing from their own address -----------------------------------------


def test_a_logged_in_person_writing_from_her_address_sends_without_a_verification_email(
    client, host, mailbox
):
    camille = UserFactory(email="Camille@Exemple.fr")
    client.force_login(camille)
    page = client.get(new_url(host)).text
    assert "la demande part alors sans autre vérification" in unescape(page)
    data = VALID_FORM | {"appellation": str(MARAICHER)}
    preview = unescape(client.post(new_url(host), data | {"action": "apercu"}).text)
    assert "votre adresse est déjà vérifiée" in preview
    assert "Vérifier mon adresse" not in preview

    response = fill(client, host)

    contact_request = ContactRequest.objects.get()
    assert response["Location"] == f"/demandes/{contact_request.public_id}/"
    assert contact_request.status == Status.NEW
    assert contact_request.candidate == camille
    assert contact_request.verified_at is not None
    assert ReceivedRequest.objects.filter(structure=host, kind="contact").count() == 1
    sent = mailbox.deliver(1)
    assert all("Vérifiez votre adresse" not in email.subject for email in sent)
    assert "camille@exemple.fr" not in [address for email in sent for address in email.to]


def test_a_logged_in_person_writing_from_another_address_still_proves_it(client, host, mailbox):
    client.force_login(UserFactory(email="autre@exemple.fr"))
    response = fill(client, host)
    assert response["Location"] == "/demandes/verifiez-vos-e-mails/"
    assert ContactRequest.objects.get().status == Status.DRAFT
    [verification] = mailbox.deliver(1)
    assert verification.to == ["camille@exemple.fr"]


def test_from_her_account_a_full_structure_offers_similar_ones_and_keeps_the_text(
    client, host, mailbox
):
    client.force_login(UserFactory(email="camille@exemple.fr"))
    ReceivedRequestFactory.create_batch(4, structure=host)
    response = fill(client, host)
    assert response.status_code == 302 and response["Location"].startswith("/demandes/verifier/")
    page = unescape(client.get(response["Location"]).text)
    assert "toutes les demandes qu'elle peut traiter" in page
    assert ContactRequest.objects.get().status == Status.DRAFT
    assert ReceivedRequest.objects.count() == 4


def test_from_her_account_the_seven_day_rule_still_holds_and_says_why_by_the_field(
    client, host, mailbox
):
    camille = UserFactory(email="camille@exemple.fr")
    ContactRequestFactory(
        structure=host,
        appellation_id=MARAICHER,
        candidate=camille,
        email=camille.email,
        status=Status.NEW,
    )
    client.force_login(camille)
    again = fill(client, host)
    assert again.status_code == 200
    assert "Vous avez déjà écrit à cette structure pour ce métier" in unescape(again.text)
    assert ContactRequest.objects.exclude(status=Status.DRAFT).count() == 1
    assert ReceivedRequest.objects.filter(structure=host).count() == 0
