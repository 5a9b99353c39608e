"""Deleting one's account: everything goes at once but what the law keeps, which is told
with its legal basis; an immersion under way or the last administrator's seat stop it."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from immersio.accounts.models import OneTimeCode, User
from immersio.contacts.models import BoardPost, ContactRequest, Message
from immersio.conventions.models import Convention, Signatory
from immersio.conventions.transitions import Status
from immersio.core.actors import TASK
from immersio.notifications.models import OutboundEmail
from immersio.privacy import erasure, services
from immersio.privacy.models import DataExport
from immersio.structures.models import StructureMembership
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.conventions.builders import valid_convention
from tests.privacy.helpers import board_post, person, validated_convention
from tests.structures.factories import HostStructureFactory

pytestmark = pytest.mark.django_db

DELETE = "/mes-donnees/supprimer-mon-compte/"


def _receipt(email: str) -> OutboundEmail:
    return OutboundEmail.objects.get(recipient=email, kind="privacy_deletion_receipt")


def test_deleting_removes_everything_but_the_convention_and_sends_a_receipt(client):
    camille = person()
    post = board_post(camille.user)
    structure = HostStructureFactory()
    StructureMembership.objects.create(structure=structure, user=camille.user, role="contact")
    draft = valid_convention(created_by=camille.user, beneficiary_email="x@exemple.fr")
    signatory = Signatory.objects.create(
        convention=camille.convention, role="beneficiaire", email=camille.user.email
    )
    OneTimeCode.objects.create(
        purpose="signature",
        subject=f"{signatory.public_id}:1",
        code_hash="h",
        channel="email",
        sent_to="c•••@exemple.fr",
        expires_at=timezone.now(),
    )
    DataExport.objects.create(
        user=camille.user, token_hash="0" * 64, expires_at=timezone.now() + timedelta(hours=1)
    )
    OutboundEmail.objects.create(
        recipient=camille.user.email, subject="Ancien", text_body="x", kind="k", status="sent"
    )
    other = person("sacha@exemple.fr")

    client.force_login(camille.user)
    response = client.post(DELETE, {"confirm": "on"})

    assert response.status_code == 302 and response["Location"] == reverse("privacy:deleted")
    assert not User.objects.filter(email__iexact="camille.durand@exemple.fr").exists()
    request = ContactRequest.objects.get(pk=camille.request.pk)
    assert request.anonymised_at is not None
    assert (request.first_name, request.email, request.motivations, request.candidate) == (
        "",
        "",
        "",
        None,
    )
    assert request.appellation_id and request.structure_id  # the statistics' skeleton
    assert not Message.objects.filter(request=request).exists()
    assert not BoardPost.objects.filter(pk=post.pk).exists()
    assert not StructureMembership.objects.filter(structure=structure).exists()
    assert not Convention.objects.filter(pk=draft.pk).exists()
    assert not OneTimeCode.objects.exists()
    assert not DataExport.objects.exists()
    assert not OutboundEmail.objects.filter(subject="Ancien").exists()
    # Kept: the validated convention, detached; someone else's data untouched.
    assert Convention.objects.filter(pk=camille.convention.pk).exists()
    assert ContactRequest.objects.get(pk=other.request.pk).anonymised_at is None
    receipt = _receipt("camille.durand@exemple.fr")
    assert camille.convention.reference in receipt.text_body
    assert "article 6-1 e du RGPD" in receipt.text_body
    assert "1 demande d'immersion et 1 message" in receipt.text_body
    assert "Camille" not in receipt.subject
    # Logged out.
    assert client.get("/mes-donnees/").status_code == 302


def test_deleting_needs_the_confirmation(client):
    camille = person()
    client.force_login(camille.user)
    response = client.post(DELETE, {})
    assert response.status_code == 200
    assert "Cochez la case" in response.content.decode()
    assert User.objects.filter(pk=camille.user.pk).exists()


def test_deleting_twice_is_harmless(client):
    camille = person()
    user = camille.user
    assert services.delete_account(user=user, actor=user) is not None
    assert services.delete_account(user=user, actor=user) is None
    assert OutboundEmail.objects.filter(kind="privacy_deletion_receipt").count() == 1
    client.force_login(UserFactory())
    client.logout()
    assert client.post(DELETE, {"confirm": "on"}).status_code == 302


def test_an_immersion_under_way_waits_for_its_end(client):
    today = timezone.localdate()
    camille = person()
    ongoing = validated_convention(
        camille.user.email, start=today - timedelta(days=2), end=today + timedelta(days=2)
    )
    [reason] = erasure.blocking_reasons(camille.user)
    assert ongoing.reference in reason
    assert f"{ongoing.date_end:%d/%m/%Y}" in reason
    client.force_login(camille.user)
    response = client.post(DELETE, {"confirm": "on"})
    assert response.status_code == 409
    assert ongoing.reference in response.content.decode()
    assert User.objects.filter(pk=camille.user.pk).exists()
    with time_machine.travel(ongoing.date_end + timedelta(days=1)):
        assert erasure.blocking_reasons(camille.user) == []


def test_a_convention_to_come_blocks_too():
    today = timezone.localdate()
    camille = person()
    validated_convention(camille.user.email, start=today + timedelta(days=10))
    assert len(erasure.blocking_reasons(camille.user)) == 1


def test_the_last_administrator_is_told_what_to_do_first(client):
    user = UserFactory()
    structure = HostStructureFactory(admin=user, name="Les Jardins de Gerland")
    agency = AgencyFactory(admin=user, name="France Travail Lyon 7")
    reasons = erasure.blocking_reasons(user)
    assert len(reasons) == 2
    assert "Les Jardins de Gerland" in reasons[0] and "France Travail Lyon 7" in reasons[1]
    client.force_login(user)
    page = client.get("/mes-donnees/").content.decode()
    assert reverse("structures:team", args=[structure.public_id]) in page
    assert reverse("agencies:space_agency", args=[agency.public_id]) in page
    with pytest.raises(services.DeletionBlocked):
        services.delete_account(user=user, actor=user)
    StructureMembership.objects.create(structure=structure, user=UserFactory(), role="admin")
    assert len(erasure.blocking_reasons(user)) == 1


def test_the_page_lists_what_is_kept_and_why(client):
    camille = person()
    client.force_login(camille.user)
    page = client.get("/mes-donnees/").content.decode()
    assert "Nous gardons" in page and camille.convention.reference in page
    assert str(erasure.VALIDATED_CONVENTION_KEPT) in page


def test_an_unsent_draft_and_a_refused_convention():
    user = UserFactory()
    draft = valid_convention(created_by=user)
    refused = valid_convention(
        beneficiary_email=user.email, status=Status.REFUSED, submitted_at=timezone.now()
    )
    receipt = services.delete_account(user=user, actor=TASK)
    assert receipt.drafts == 1 and [k.reference for k in receipt.kept] == [refused.reference]
    assert not Convention.objects.filter(pk=draft.pk).exists()


# --- the back office --------------------------------------------------------------------------


def test_staff_deleting_in_the_admin_goes_through_the_same_erasure(client):
    camille = person()
    client.force_login(UserFactory(superuser=True))
    url = reverse("admin:accounts_user_delete", args=[camille.user.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=camille.user.pk).exists()
    assert ContactRequest.objects.get(pk=camille.request.pk).anonymised_at is not None
    assert _receipt("camille.durand@exemple.fr")


def test_the_admin_bulk_action_too_and_it_shows_why_not(client):
    free = person()
    blocked = UserFactory()
    HostStructureFactory(admin=blocked, name="Seule Structure")
    client.force_login(UserFactory(superuser=True))
    url = reverse("admin:accounts_user_changelist")
    page = client.post(
        url, {"action": "delete_selected", "_selected_action": [free.user.pk, blocked.pk]}
    )
    assert "Seule Structure" in page.content.decode()
    response = client.post(
        url, {"action": "delete_selected", "_selected_action": [free.user.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=free.user.pk).exists()
    assert User.objects.filter(pk=blocked.pk).exists()
