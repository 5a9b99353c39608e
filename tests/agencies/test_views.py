import pytest
from django.urls import reverse

from immersio.agencies import services, team
from immersio.agencies.models import Agency, AgencyInvitation, AgencyMembership
from immersio.demo.agencies import agency_siret
from immersio.notifications.models import OutboundEmail
from tests.accounts.factories import UserFactory
from tests.structures.factories import lyon

from .factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "siret": agency_siret(88),
        "kind": "siae",
        "siae_kind": "ACI",
        "name": "Chantier des Pentes",
        "address": "4 montée de la Grande-Côte",
        "lieu": "Lyon",
        "commune": "69123",
        "covered_departments": "69, 01",
        "contact_email": "contact@pentes.fr",
        "first_name": "Paul",
        "last_name": "Morel",
        "email": "paul@pentes.fr",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_register_form_records_a_pending_agency_and_sends_the_link(client):
    lyon()
    response = client.post(reverse("agencies:register"), _form())
    assert response.status_code == 302
    assert response["Location"] == reverse("agencies:register_sent")
    agency = Agency.objects.get()
    assert agency.status == Agency.Status.PENDING
    assert agency.covered_departments == ["69", "01"]
    assert agency.siae_kind == "ACI"
    email = OutboundEmail.objects.get()
    link = email.text_body.split("http://")[1].split()[0]
    path = "/" + link.split("/", 1)[1]
    response = client.get(path)
    assert "Confirmer l'inscription de Chantier des Pentes" in response.content.decode()
    token = path.split("jeton=")[1]
    response = client.post(reverse("agencies:confirm"), {"jeton": token})
    assert "Demande confirmée" in response.content.decode()
    assert agency.registration.__class__.objects.get().confirmed_at is not None
    response = client.post(reverse("agencies:confirm"), {"jeton": token})
    assert response.status_code == 400


def test_register_form_explains_etti_and_delegation(client):
    lyon()
    response = client.post(reverse("agencies:register"), _form(siae_kind="ETTI"))
    assert response.status_code == 200
    assert "(ETTI) ne peuvent pas prescrire" in response.content.decode()
    response = client.post(
        reverse("agencies:register"), _form(kind="structure-conventionnee", siae_kind="")
    )
    assert "qui vous a délégué la prescription" in response.content.decode()
    assert not Agency.objects.exists()


def test_space_permissions(client):
    member = UserFactory()
    mine = AgencyFactory(counsellor=member)
    other = AgencyFactory()
    client.force_login(member)
    response = client.get(reverse("agencies:space"))
    assert response["Location"] == reverse(
        "agencies:space_agency", kwargs={"public_id": mine.public_id}
    )
    assert client.get(response["Location"]).status_code == 200
    url = reverse("agencies:space_agency", kwargs={"public_id": other.public_id})
    assert client.get(url).status_code == 404
    # A counsellor cannot invite.
    client.post(
        reverse("agencies:space_agency", kwargs={"public_id": mine.public_id}),
        {"email": "x@exemple.fr", "role": "valideur"},
    )
    assert not AgencyInvitation.objects.exists()


def test_anonymous_is_sent_to_login(client):
    agency = AgencyFactory()
    response = client.get(reverse("agencies:space_agency", kwargs={"public_id": agency.public_id}))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_admin_invites_and_removes_members(client):
    admin = UserFactory()
    counsellor = UserFactory()
    agency = AgencyFactory(admin=admin, counsellor=counsellor)
    client.force_login(admin)
    url = reverse("agencies:space_agency", kwargs={"public_id": agency.public_id})
    response = client.post(url, {"email": "valideuse@exemple.fr", "role": "valideur"})
    assert response.status_code == 302
    invitation = AgencyInvitation.objects.get()
    assert invitation.role == "valideur"
    assert OutboundEmail.objects.get().recipient == "valideuse@exemple.fr"
    page = client.get(url).content.decode()
    assert "valideuse@exemple.fr" in page
    client.post(
        reverse("agencies:revoke_invitation", kwargs={"public_id": agency.public_id}),
        {"invitation": str(invitation.public_id)},
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    remove = reverse("agencies:remove_member", kwargs={"public_id": agency.public_id})
    # A member is addressed by the public UUID of their account, never by its key.
    assert client.post(remove, {"personne": str(counsellor.pk)}).status_code == 404
    assert AgencyMembership.objects.get(user=counsellor).is_active
    client.post(remove, {"personne": str(counsellor.public_id)})
    assert not AgencyMembership.objects.get(user=counsellor).is_active
    response = client.post(
        reverse("agencies:remove_member", kwargs={"public_id": agency.public_id}),
        {"personne": str(admin.public_id)},
        follow=True,
    )
    assert "au moins un administrateur" in response.content.decode()


def test_invitation_link_logs_the_person_in(client):
    admin = UserFactory()
    agency = AgencyFactory(admin=admin)
    invitation = services.invite_member(
        agency=agency, email="nouveau@exemple.fr", role="conseiller", actor=admin
    )
    token = team.invitation_url(invitation).split("jeton=")[1]
    response = client.get(reverse("agencies:invitation"), {"jeton": token})
    assert "Rejoindre l'équipe de" in response.content.decode()
    response = client.post(reverse("agencies:invitation"), {"jeton": token})
    assert response["Location"] == reverse(
        "agencies:space_agency", kwargs={"public_id": agency.public_id}
    )
    assert client.get(response["Location"]).status_code == 200


def test_expired_delegation_is_shown_in_the_space(client):
    from datetime import date

    member = UserFactory()
    agency = AgencyFactory(
        conventionnee=True, delegation_end_date=date(2020, 1, 31), validator=member
    )
    client.force_login(member)
    page = client.get(reverse("agencies:space_agency", kwargs={"public_id": agency.public_id}))
    assert "a pris fin le 31 janvier 2020" in page.content.decode()
