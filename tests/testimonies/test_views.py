"""The testimonies' pages: the public list and its filters, the form (consent required,
French errors keeping what was typed), « Mes témoignages », 404 for others, the team's
review, the structure's report, « En faire un témoignage » from « Mon bilan »."""

from html import unescape

import pytest

from immersio.journal.models import Reflection
from immersio.notifications.models import OutboundEmail
from immersio.structures.models import Cause
from immersio.testimonies import models
from tests.accounts.factories import UserFactory
from tests.journal.helpers import immersion
from tests.structures.factories import HostStructureFactory
from tests.testimonies.helpers import STORY, published, submitted

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return unescape(response.content.decode())


def test_the_list_shows_published_testimonies_only_and_filters_by_cause(client):
    food, other = Cause.objects.order_by("pk")[:2]
    published(title="Au jardin", causes=(food,))
    published(title="À l'atelier", causes=(other,))
    submitted(title="Pas encore relu")
    page = text(client.get("/temoignages/"))
    assert "Au jardin" in page and "À l'atelier" in page and "Pas encore relu" not in page
    assert "2 témoignages" in page
    filtered = text(client.get(f"/temoignages/?cause={food.slug}"))
    assert "Au jardin" in filtered and "À l'atelier" not in filtered
    assert "1 témoignage" in filtered
    # An unknown value is ignored, never an error.
    assert client.get("/temoignages/?cause=inconnue&metier=x").status_code == 200


def test_a_pending_testimony_is_a_404_for_others_and_readable_by_its_author(client):
    testimony = submitted()
    url = f"/temoignages/{testimony.public_id}/"
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.get(f"/temoignages/{testimony.public_id}/modifier/").status_code == 404
    assert client.post(f"/temoignages/{testimony.public_id}/supprimer/").status_code == 404
    assert models.Testimony.objects.filter(pk=testimony.pk).exists()
    client.force_login(testimony.author)
    assert "En attente de relecture" in text(client.get(url))


def test_writing_needs_consent_and_keeps_what_was_typed(client):
    author = UserFactory(first_name="Camille", last_name="Martin")
    client.force_login(author)
    data = {"title": "Une semaine au jardin", "text": STORY, "display": "prenom"}
    response = client.post("/temoignages/ecrire/", data)
    page = text(response)
    assert response.status_code == 400
    assert "Erreur :" in page and "cochez la case d'accord" in page
    assert "Une semaine au jardin" in page and "j'ai compris ce que ce métier demande" in page
    assert not models.Testimony.objects.exists()
    short = client.post("/temoignages/ecrire/", data | {"text": "Super !", "consent": "on"})
    assert "mots au moins" in text(short)
    response = client.post("/temoignages/ecrire/", data | {"consent": "on"})
    assert response.status_code == 302 and response["Location"] == "/temoignages/mes-temoignages/"
    testimony = models.Testimony.objects.get()
    assert testimony.is_pending and testimony.display_name == "Camille M."
    mine = text(client.get("/temoignages/mes-temoignages/"))
    assert "Une semaine au jardin" in mine and "En attente de relecture" in mine


def test_the_author_withdraws_then_deletes(client):
    testimony = published()
    client.force_login(testimony.author)
    client.post(f"/temoignages/{testimony.public_id}/retirer/")
    testimony.refresh_from_db()
    assert testimony.is_withdrawn
    client.logout()
    assert client.get(f"/temoignages/{testimony.public_id}/").status_code == 404
    client.force_login(testimony.author)
    client.post(f"/temoignages/{testimony.public_id}/supprimer/")
    assert not models.Testimony.objects.exists()


def test_staff_publish_from_the_queue_and_the_author_is_told(client):
    testimony = submitted(title="À relire")
    client.force_login(UserFactory())
    assert client.get("/temoignages/relecture/").status_code == 404
    assert (
        client.post(
            f"/temoignages/relecture/{testimony.public_id}/", {"action": "publier"}
        ).status_code
        == 404
    )
    client.force_login(UserFactory(is_staff=True))
    assert "À relire" in text(client.get("/temoignages/relecture/"))
    client.post(f"/temoignages/relecture/{testimony.public_id}/", {"action": "publier"})
    testimony.refresh_from_db()
    assert testimony.is_published
    assert OutboundEmail.objects.get().recipient == testimony.author.email
    assert "À relire" not in text(client.get("/temoignages/relecture/"))


def test_the_named_structure_may_report_but_not_edit(client):
    admin = UserFactory()
    structure = HostStructureFactory(admin=admin)
    testimony = published(structure=structure)
    url = f"/temoignages/{testimony.public_id}/signaler/"
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(admin)
    assert "Signaler ce témoignage" in text(client.get(f"/temoignages/{testimony.public_id}/"))
    assert client.get(f"/temoignages/{testimony.public_id}/modifier/").status_code == 404
    error = client.post(url, {})
    assert error.status_code == 400 and "Choisissez le motif" in text(error)
    client.post(url, {"signalement-reason": "inexact", "signalement-note": "Pas chez nous."})
    assert testimony.reports.get().note == "Pas chez nous."
    again = client.post(url, {"signalement-reason": "autre"}, follow=True)
    assert "déjà signalé" in text(again) and testimony.reports.count() == 1


def test_from_my_bilan_in_one_step(client):
    found = immersion()
    Reflection.objects.create(
        owner=found.beneficiary,
        convention=found.convention,
        learned="Le travail en équipe et le soin des bêtes.",
        unexpected="La place de la météo dans chaque décision.",
    )
    client.force_login(found.beneficiary)
    bilan = text(client.get(f"/carnet/{found.convention.public_id}/bilan/"))
    url = f"/carnet/{found.convention.public_id}/bilan/temoignage/"
    assert url in bilan
    form = text(client.get(url))
    assert "Ce que j'ai appris : Le travail en équipe et le soin des bêtes." in form
    assert "Ce à quoi je ne m'attendais pas : La place de la météo" in form
    assert found.convention.structure.display_name in form
    assert 'href="/carnet/' in form  # back to the bilan
    data = {
        "title": "Mon immersion",
        "text": STORY,
        "display": "anonyme",
        "structure": str(found.convention.structure.public_id),
        "consent": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    testimony = models.Testimony.objects.get()
    assert testimony.structure == found.convention.structure
    assert testimony.display_name == "Anonyme" and testimony.author == found.beneficiary
    # Someone else's bilan: a 404.
    client.force_login(found.counsellor)
    assert client.get(url).status_code == 404
