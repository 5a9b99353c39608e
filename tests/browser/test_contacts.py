"""Immersion requests in Chromium: a candidate writes to a structure (the verification
e-mail read from the real SMTP server), the structure accepts from its inbox and the
candidate sees the answer; a decline with suggestions; a paused structure. axe-core runs
on every page; screenshots are saved for a human look when IMMERSIO_SCREENSHOTS is set."""

from datetime import timedelta

import pytest
from django.utils import timezone

from immersio.contacts.models import ContactRequest, Status
from immersio.contacts.rules import describe_period
from immersio.core.actors import TASK
from immersio.directory.indexing import reindex_structures
from immersio.notifications.services import process_due_emails
from tests.fixtures.browser import log_in, save_screenshot
from tests.fixtures.contacts import ContactRequestFactory, make_host
from tests.structures.factories import MARAICHER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    save_screenshot(page, f"contacts-{name}")


def test_candidate_writes_structure_accepts(
    page, axe, smtp_server, site_url, live_server, referentials
):
    host = make_host(name="Les Jardins de Cocagne")
    page.goto(f"/demandes/nouvelle/{host.public_id}/?metier={MARAICHER}")
    axe(page, "formulaire de demande")
    shot(page, "1-formulaire")

    # Submitting half-filled: errors tied to fields, nothing lost.
    page.fill("#id_first_name", "Camille")
    page.get_by_role("button", name="Relire ma demande").click()
    page.get_by_role("heading", name="Le formulaire contient").wait_for()
    axe(page, "formulaire avec erreurs")
    shot(page, "2-erreurs")
    assert page.input_value("#id_first_name") == "Camille"

    page.fill("#id_last_name", "Durand")
    page.fill("#id_email", "camille@exemple.fr")
    page.select_option("#id_situation", "demandeur_ft")
    page.check("#id_has_support_1")
    page.check("#id_objective_0")
    page.fill("#id_motivations", "Je veux me reconvertir dans le maraîchage biologique.")
    page.fill("#id_hopes", "Participer aux récoltes et à la préparation des paniers.")
    page.fill("#id_period", "À partir du 10 mars, en semaine.")
    page.select_option("#id_duration", "1s")
    page.get_by_role("button", name="Relire ma demande").click()
    page.get_by_role("heading", name="Relisez votre demande").wait_for()
    axe(page, "aperçu")
    shot(page, "3-apercu")

    page.get_by_role("button", name="Vérifier mon adresse").click()
    page.get_by_role("heading", name="Vérifiez vos e-mails").wait_for()
    axe(page, "vérifiez vos e-mails")
    shot(page, "4-verifiez")

    process_due_emails(actor=TASK)
    [message] = smtp_server.wait_for(1)
    assert message.to == ["camille@exemple.fr"]
    page.goto(message.first_url())
    axe(page, "confirmation")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_text("Votre demande est envoyée à la structure Les Jardins de Cocagne.").wait_for()
    axe(page, "fil côté candidat")
    shot(page, "5-fil-candidat")
    contact_request = ContactRequest.objects.get()
    assert contact_request.status == Status.NEW

    # The structure answers from its inbox.
    log_in(page, host.admin_user, live_server)
    page.goto(f"/demandes/structure/{host.public_id}/")
    axe(page, "boîte de réception de la structure")
    shot(page, "6-boite-structure")
    page.get_by_role("link", name="Camille Durand – Maraîcher / Maraîchère").click()
    page.get_by_role("heading", name="Demande de Camille Durand").wait_for()
    axe(page, "fil côté structure")
    shot(page, "7-fil-structure")
    start = timezone.localdate() + timedelta(days=7)
    end = start + timedelta(days=4)
    page.fill("#id_accepter-proposed_start", end.isoformat())
    page.fill("#id_accepter-proposed_end", start.isoformat())
    page.fill("#id_accepter-proposed_dates", "de 9 h à 16 h")
    page.get_by_role("button", name="Accepter et proposer ces dates").click()
    page.get_by_role("heading", name="Le formulaire contient").wait_for()
    assert page.get_by_text("doit être le même jour que la date de début").count() >= 1
    axe(page, "dates refusées")
    shot(page, "7b-dates-refusees")
    page.fill("#id_accepter-proposed_start", start.isoformat())
    page.fill("#id_accepter-proposed_end", end.isoformat())
    page.get_by_role("button", name="Accepter et proposer ces dates").click()
    page.get_by_text("Vous avez accepté la demande").wait_for()

    # The candidate sees it in their space.
    log_in(page, contact_request.candidate, live_server)
    page.goto("/demandes/mes-demandes/")
    axe(page, "mes demandes")
    shot(page, "8-mes-demandes")
    page.get_by_role("link", name="Les Jardins de Cocagne – Maraîcher / Maraîchère").click()
    page.get_by_text("Les Jardins de Cocagne a accepté la demande.").wait_for()
    assert page.get_by_text(f"{describe_period(start, end)} (de 9 h à 16 h)").count() >= 1
    axe(page, "fil accepté")
    shot(page, "9-acceptee")


def test_decline_with_suggestions(page, axe, smtp_server, site_url, live_server, referentials):
    host = make_host(name="Ferme du Bois")
    neighbour = make_host(name="Potager des Canuts")
    reindex_structures([host.pk, neighbour.pk])
    contact_request = ContactRequestFactory(structure=host)
    log_in(page, host.admin_user, live_server)
    page.goto(f"/demandes/{contact_request.public_id}/")
    page.get_by_role("button", name="Décliner la demande").click()
    page.get_by_role("heading", name="Le formulaire contient").wait_for()
    axe(page, "refus sans raison")
    page.check("#id_decliner-reason_0")
    page.fill("#id_decliner-body", "Revenez au printemps !")
    page.get_by_role("button", name="Décliner la demande").click()
    page.get_by_text("La demande est déclinée").wait_for()
    assert page.get_by_text("Revenez au printemps !").count() == 1

    log_in(page, contact_request.candidate, live_server)
    page.goto(f"/demandes/{contact_request.public_id}/")
    page.get_by_role("heading", name="Structures proches pour le même métier").wait_for()
    assert page.get_by_role("link", name="Potager des Canuts").count() == 1
    axe(page, "refus côté candidat")
    shot(page, "10-declinee")


def test_paused_structure_refuses_contact(page, axe, site_url, referentials):
    host = make_host(name="Jardin en pause", paused=True)
    neighbour = make_host(name="Jardin ouvert")
    reindex_structures([host.pk, neighbour.pk])
    page.goto(f"/demandes/nouvelle/{host.public_id}/")
    page.get_by_text("Cette structure fait une pause").wait_for()
    assert page.get_by_role("link", name="Jardin ouvert").count() == 1
    axe(page, "structure en pause")
    shot(page, "11-pause")


def test_staff_weekly_chart(page, axe, site_url, live_server, referentials):
    from tests.accounts.factories import UserFactory

    host = make_host()
    for _ in range(3):
        ContactRequestFactory(structure=host, answered=True)
    ContactRequestFactory(structure=host)
    log_in(page, UserFactory(staff=True), live_server)
    page.goto("/demandes/statistiques/")
    page.get_by_role("img", name="Demandes envoyées, répondues, acceptées et expirées").wait_for()
    axe(page, "statistiques")
    shot(page, "12-statistiques")


def test_public_board(page, axe, smtp_server, site_url, live_server, referentials):
    from tests.accounts.factories import UserFactory

    candidate = UserFactory(first_name="Inès", last_name="Martin")
    host = make_host(name="Jardin des Pentes")
    log_in(page, candidate, live_server)
    page.goto("/demandes/tableau/publier/")
    axe(page, "publier une demande")
    page.fill("#id_metier_texte", "Maraîcher / Maraîchère")
    page.fill("#id_commune_texte", "Lyon")
    page.fill("#id_period", "En avril, en semaine.")
    page.select_option("#id_duration", "1s")
    page.fill("#id_motivations", "Ancienne vendeuse, je veux découvrir le maraîchage.")
    page.get_by_role("button", name="Publier ma demande").click()
    page.get_by_text("Votre demande est publiée pour 60 jours.").wait_for()
    axe(page, "demande publiée (autrice)")
    shot(page, "13-tableau-publiee")

    log_in(page, host.admin_user, live_server)
    page.goto("/demandes/tableau/")
    page.select_option("#id_autour", str(host.public_id))
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("heading", name="1 demande").wait_for()
    axe(page, "tableau des demandes")
    shot(page, "14-tableau")
    page.get_by_role("link", name="Inès M. – Maraîcher / Maraîchère").click()
    page.fill("#id_proposition-body", "Venez cueillir les tomates avec nous en avril.")
    axe(page, "fiche d'une demande publiée")
    page.get_by_role("button", name="Envoyer ma proposition").click()
    page.get_by_text("Votre proposition est envoyée.").wait_for()

    log_in(page, candidate, live_server)
    page.goto("/demandes/mes-demandes/")
    page.get_by_text("Venez cueillir les tomates avec nous en avril.").wait_for()
    axe(page, "mes demandes avec proposition")
    shot(page, "15-proposition-recue")


def narrow(page, name):
    """The same page on a 390 px wide phone, for a human look."""
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, f"{name}-390")
    page.set_viewport_size(size)


def test_full_structure_the_kept_text_goes_to_a_similar_one(
    page, axe, smtp_server, site_url, live_server, referentials
):
    from immersio.contacts.services import verify_url
    from tests.structures.factories import ReceivedRequestFactory

    host = make_host(name="Ferme du Bois")
    near = make_host(name="Potager des Canuts", max_requests_per_month=20)
    reindex_structures([host.pk, near.pk])
    draft = ContactRequestFactory(
        draft=True, structure=host, email="camille@exemple.fr", hopes="Voir les semis."
    )
    ReceivedRequestFactory.create_batch(4, structure=host)  # full after the e-mail
    page.goto(verify_url(draft))
    page.get_by_role("heading", name="Envoyer votre demande à une structure proche").wait_for()
    assert page.get_by_text("Voir les semis.").count() == 1
    assert page.get_by_role("button", name="Envoyer ma demande").count() == 0
    axe(page, "structure complète, structures proches")
    shot(page, "11-ailleurs")
    narrow(page, "11-ailleurs")
    page.get_by_role("button", name="Envoyer à Potager des Canuts").click()
    page.get_by_text("Votre demande est envoyée à la structure Potager des Canuts.").wait_for()
    axe(page, "demande envoyée ailleurs")
    shot(page, "12-envoyee-ailleurs")
    sent = ContactRequest.objects.get(structure=near)
    assert (sent.status, sent.hopes) == (Status.NEW, "Voir les semis.")


def test_candidate_answers_a_board_proposal_in_the_app(
    page, axe, smtp_server, site_url, live_server, referentials
):
    from immersio.contacts import services
    from immersio.referentials.models import Commune
    from tests.accounts.factories import UserFactory
    from tests.structures.factories import maraicher

    candidate = UserFactory(first_name="Camille", last_name="Durand")
    post = services.publish_post(
        actor=candidate,
        first_name="Camille",
        last_name="Durand",
        appellation=maraicher(),
        cause=None,
        commune=Commune.objects.get(insee_code="69123"),
        period="En avril, au 06 12 34 56 78.",
        duration="1s",
        motivations="Ancien cuisinier : camille.durand@exemple.fr",
    )
    host = make_host(name="Les Jardins de Cocagne")
    services.propose(post=post, structure=host, actor=host.admin_user, body="Venez en avril !")

    page.goto(f"/demandes/tableau/{post.public_id}/")
    assert page.get_by_text("camille.durand@exemple.fr").count() == 0
    assert page.get_by_text("06 12 34 56 78").count() == 0
    shot(page, "13-tableau-masque")

    log_in(page, candidate, live_server)
    page.goto("/demandes/mes-demandes/")
    page.get_by_role("link", name="Répondre à Les Jardins de Cocagne").click()
    page.get_by_role("heading", name="Proposition d'immersion : Les Jardins de Cocagne").wait_for()
    page.get_by_role("button", name="Envoyer").click()
    page.get_by_role("heading", name="Le formulaire contient").wait_for()
    axe(page, "réponse vide")
    page.fill("#id_message-body", "Avec plaisir ! Le 7 avril vous irait ?")
    page.get_by_role("button", name="Envoyer").click()
    page.get_by_text("Votre message est envoyé.").wait_for()
    axe(page, "fil d'une proposition, côté candidat")
    shot(page, "14-proposition-candidat")
    narrow(page, "14-proposition-candidat")

    log_in(page, host.admin_user, live_server)
    page.goto(f"/demandes/tableau/{post.public_id}/")
    page.get_by_role("link", name="Voir vos échanges").click()
    page.get_by_text("Avec plaisir ! Le 7 avril vous irait ?").wait_for()
    axe(page, "fil d'une proposition, côté structure")
    shot(page, "15-proposition-structure")
