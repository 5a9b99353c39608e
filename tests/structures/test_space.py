"""« Mon espace structure »: who sees what, pause, editing, team."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from immersio.notifications.models import OutboundEmail
from immersio.structures import services
from immersio.structures.models import HostStructure, Invitation, StructureMembership
from tests.accounts.factories import UserFactory
from tests.structures.factories import (
    HostStructureFactory,
    MembershipFactory,
    ReceivedRequestFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db


def url(structure, page=""):
    return f"/structures/espace/{structure.public_id}/{page}"


@pytest.fixture
def admin():
    return UserFactory(first_name="Nadia", last_name="Benali")


@pytest.fixture
def structure(admin):
    return HostStructureFactory(admin=admin, with_site=True, name="Jardins de Test")


@pytest.mark.parametrize("page", ["", "modifier/", "lieux/", "equipe/"])
def test_anonymous_people_are_sent_to_the_login_page(client, structure, page):
    response = client.get(url(structure, page))
    assert response.status_code == 302
    assert response.url.startswith("/compte/connexion/?next=/structures/espace/")


@pytest.mark.parametrize(
    ("page", "method"),
    [
        ("", "get"),
        ("modifier/", "get"),
        ("lieux/", "get"),
        ("equipe/", "get"),
        ("pause/", "post"),
        ("reprendre/", "post"),
        ("equipe/retirer/", "post"),
        ("modifier/", "post"),
    ],
)
def test_a_member_of_another_structure_gets_a_404(client, structure, page, method):
    other_admin = UserFactory()
    HostStructureFactory(admin=other_admin)
    client.force_login(other_admin)
    assert getattr(client, method)(url(structure, page)).status_code == 404


def test_a_removed_member_loses_access(client, structure):
    membership = MembershipFactory(structure=structure, role="contact", is_active=False)
    client.force_login(membership.user)
    assert client.get(url(structure)).status_code == 404


def test_the_list_of_my_structures(client, admin, structure):
    client.force_login(admin)
    assert client.get("/structures/espace/").url == url(structure)
    second = HostStructureFactory(admin=admin, name="Seconde structure")
    HostStructureFactory(admin=admin, pending=True, name="En attente")
    page = client.get("/structures/espace/").content.decode()
    assert "Jardins de Test" in page and second.name in page and "En attente" not in page
    client.force_login(UserFactory())
    assert "aucune équipe" in client.get("/structures/espace/").content.decode()


def test_the_dashboard_shows_capacity(client, admin, structure):
    client.force_login(admin)
    page = client.get(url(structure)).content.decode()
    assert "0 demande</strong> sur 4 au maximum" in page
    assert "Votre structure peut recevoir de nouvelles demandes." in page
    assert "Maraîcher / Maraîchère" in page
    ReceivedRequestFactory(structure=structure)
    page = client.get(url(structure)).content.decode()
    assert "1 demande</strong> sur 4" in page
    assert "n'apparaît plus dans les résultats de recherche jusqu'au" in page.replace("&#x27;", "'")
    assert "le quart de votre nombre mensuel" in page


def test_the_dashboard_explains_a_full_month(client, admin):
    structure = HostStructureFactory(admin=admin)
    start = timezone.localtime().replace(day=1, hour=0, minute=0, second=1)
    for days in range(4):
        ReceivedRequestFactory(
            structure=structure, received_at=max(start, timezone.now() - timedelta(days=days * 8))
        )
    client.force_login(admin)
    page = client.get(url(structure)).content.decode()
    assert "Vous avez reçu les 4 demandes prévues pour ce mois" in page
    assert "augmentez le nombre de demandes par mois" in page


def test_a_contact_sees_and_pauses_but_does_not_edit(client, structure):
    contact = MembershipFactory(structure=structure, role="contact").user
    client.force_login(contact)
    page = client.get(url(structure)).content.decode()
    assert "Vous êtes contact" in page
    assert "Modifier les informations" not in page
    assert client.get(url(structure, "modifier/")).status_code == 403
    assert client.get(url(structure, "lieux/")).status_code == 403
    assert (
        client.post(
            url(structure, "equipe/"), {"email": "x@exemple.fr", "role": "admin"}
        ).status_code
        == 403
    )
    until = timezone.localdate() + timedelta(days=10)
    response = client.post(url(structure, "pause/"), {"until": until.isoformat()})
    assert response.url == url(structure)
    structure.refresh_from_db()
    assert structure.paused_until == until
    page = client.get(url(structure)).content.decode()
    assert "est en pause jusqu&#x27;au" in page or "est en pause jusqu'au" in page
    assert "Reprendre dès maintenant" in page
    client.post(url(structure, "reprendre/"))
    structure.refresh_from_db()
    assert structure.paused_until is None


def test_pause_errors(client, admin, structure):
    client.force_login(admin)
    page = client.post(url(structure, "pause/"), {"until": "2001-01-01"}).content.decode()
    assert "Choisissez une date à venir." in page and 'aria-invalid="true"' in page
    page = client.post(url(structure, "pause/"), {"until": ""}).content.decode()
    assert "Choisissez la date de fin de la pause." in page
    suspended = HostStructureFactory(admin=admin, suspended=True)
    assert client.post(url(suspended, "pause/"), {"until": "2099-01-01"}).status_code == 403


def test_edit_the_structure(client, admin, structure, reindex_spy):
    client.force_login(admin)
    page = client.get(url(structure, "modifier/")).content.decode()
    assert 'value="Jardins de Test"' in page
    data = {
        "name": "Jardins renommés",
        "kind": "association",
        "ess_status": "association",
        "headcount": "10-49",
        "naf": "",
        "description": "<b>Bonjour</b>",
        "causes": ["alimentation", "eau"],
        "networks": ["fne"],
        "welcomes_job_seekers": "on",
        "contact_mode": "telephone",
        "contact_phone": "+33 4 78 00 00 00",
        "max_requests_per_month": "10",
    }
    response = client.post(url(structure, "modifier/"), data)
    assert response.url == url(structure)
    structure.refresh_from_db()
    assert (structure.name, structure.contact_phone, structure.max_requests_per_month) == (
        "Jardins renommés",
        "04 78 00 00 00",
        10,
    )
    assert sorted(structure.causes.values_list("slug", flat=True)) == ["alimentation", "eau"]
    assert not structure.welcomes_employees
    assert reindex_spy.ids == {structure.pk}
    page = client.get(url(structure, "modifier/")).content.decode()
    assert "&lt;b&gt;Bonjour&lt;/b&gt;" in page
    assert re.search(r'value="eau"[^>]*checked', page)
    assert not re.search(r'value="culture"[^>]*checked', page)


def test_edit_errors_keep_the_typed_values(client, admin, structure):
    client.force_login(admin)
    page = client.post(
        url(structure, "modifier/"),
        {
            "name": "",
            "kind": "association",
            "headcount": "1-9",
            "contact_mode": "telephone",
            "max_requests_per_month": "4",
            "description": "Gardé",
        },
    ).content.decode()
    assert "Indiquez la raison sociale." in page
    assert "Indiquez le numéro que les candidats appelleront." in page
    assert "Gardé" in page
    assert '<h1 class="mb-0">Jardins de Test</h1>' in page  # the saved name in the title
    structure.refresh_from_db()
    assert structure.name == "Jardins de Test"


@pytest.mark.usefixtures("referentials")
def test_edit_sites_and_metiers(client, admin, structure):
    client.force_login(admin)
    page = client.get(url(structure, "lieux/")).content.decode()
    site = structure.sites.get()
    assert f'value="{site.public_id}"' in page and 'value="Maraîcher / Maraîchère"' in page
    data = {
        "lieux": "1",
        "lieu-0-metiers": "3",
        "lieu-0-id": str(site.public_id),
        "lieu-0-address": "3 rue Neuve",
        "lieu-0-commune_texte": "Villeurbanne",
        "lieu-0-metier_0_texte": "Valoriste",
    }
    assert client.post(url(structure, "lieux/"), data).url == url(structure)
    site.refresh_from_db()
    assert (site.address, site.commune_id) == ("3 rue Neuve", "69266")
    assert list(site.offers.values_list("appellation__label", flat=True)) == ["Valoriste"]


def test_invite_a_colleague_from_the_team_page(client, admin, structure, mailbox):
    client.force_login(admin)
    response = client.post(
        url(structure, "equipe/"), {"email": "bob@exemple.fr", "role": "contact"}
    )
    assert response.url == url(structure, "equipe/")
    page = client.get(response.url).content.decode()
    assert "Invitation envoyée à bob@exemple.fr" in page
    assert "Invitations en attente" in page
    [message] = mailbox.deliver(1)
    assert message.to == ["bob@exemple.fr"]
    link = message.first_url()
    assert "/structures/invitation/?jeton=" in link
    client.logout()
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path).content.decode()
    assert "Rejoindre l'équipe de Jardins de Test" in page
    response = client.post("/structures/invitation/", {"jeton": link.split("jeton=")[1]})
    assert response.url == url(structure)
    bob = StructureMembership.objects.get(structure=structure, user__email="bob@exemple.fr")
    assert bob.role == "contact" and int(client.session["_auth_user_id"]) == bob.user_id
    again = client.post("/structures/invitation/", {"jeton": link.split("jeton=")[1]})
    assert again.status_code == 410


def test_invite_errors(client, admin, structure):
    client.force_login(admin)
    page = client.post(
        url(structure, "equipe/"), {"email": admin.email, "role": "admin"}
    ).content.decode()
    assert "fait déjà partie de l&#x27;équipe" in page
    page = client.post(
        url(structure, "equipe/"), {"email": "pas-une-adresse", "role": "x"}
    ).content.decode()
    assert "Saisissez une adresse e-mail valide" in page
    assert not OutboundEmail.objects.exists()


def test_remove_a_member_and_revoke_an_invitation(client, admin, structure):
    contact = MembershipFactory(structure=structure, role="contact").user
    invitation = services.invite_member(
        structure=structure, email="eve@exemple.fr", role="admin", actor=admin
    )
    client.force_login(admin)
    response = client.post(url(structure, "equipe/retirer/"), {"personne": str(contact.public_id)})
    assert response.url == url(structure, "equipe/")
    assert not StructureMembership.objects.get(user=contact).is_active
    page = client.post(
        url(structure, "equipe/retirer/"), {"personne": str(admin.public_id)}, follow=True
    ).content.decode()
    assert "au moins un administrateur" in page
    client.post(
        url(structure, "equipe/annuler-invitation/"), {"invitation": str(invitation.public_id)}
    )
    assert not Invitation.objects.get().is_open
    assert (
        client.post(url(structure, "equipe/retirer/"), {"personne": "pas-un-uuid"}).status_code
        == 404
    )


def test_a_contact_can_leave(client, structure):
    contact = MembershipFactory(structure=structure, role="contact").user
    client.force_login(contact)
    response = client.post(url(structure, "equipe/retirer/"), {"personne": str(contact.public_id)})
    assert response.url == "/structures/espace/"


def test_staff_see_every_structure(client, structure):
    client.force_login(UserFactory(staff=True))
    page = client.get(url(structure)).content.decode()
    assert "Accès de l'équipe Immersio" in page
    assert client.get(url(structure, "modifier/")).status_code == 200


def test_a_public_page_link_once_the_directory_has_it(client, admin, structure):
    from django.urls import NoReverseMatch, reverse

    client.force_login(admin)
    page = client.get(url(structure)).content.decode()
    try:
        public = reverse("directory:structure", kwargs={"public_id": structure.public_id})
    except NoReverseMatch:
        assert "Voir la page publique" not in page
    else:
        assert public in page
    SiteFactory(structure=structure)
    HostStructure.objects.filter(pk=structure.pk).update(status="suspendue")
    assert "Voir la page publique" not in client.get(url(structure)).content.decode()
