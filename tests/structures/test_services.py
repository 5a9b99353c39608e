from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from immersio.core.actors import AUTOMATIC, VISITOR
from immersio.notifications.models import OutboundEmail
from immersio.structures import selectors, services, team
from immersio.structures.models import (
    Cause,
    HostStructure,
    Invitation,
    Network,
    ReceivedRequest,
    StructureMembership,
)
from tests.accounts.factories import UserFactory
from tests.structures.factories import (
    HostStructureFactory,
    MembershipFactory,
    SiteFactory,
    lyon,
    maraicher,
)

pytestmark = pytest.mark.django_db

SIRET = "73282932000074"


def applicant(**overrides):
    data = {
        "email": "Ada@Exemple.fr",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "phone": "06 12 34 56 78",
        "job_title": "Coordinatrice",
    }
    return services.Applicant(**(data | overrides))


def register(siret=SIRET, siret_confirmed=True, **fields):
    values = {
        "name": "Les Jardins de Test",
        "kind": HostStructure.Kind.ASSOCIATION,
        "headcount": "10-49",
        "max_requests_per_month": 8,
    } | fields
    return services.start_registration(
        siret=siret,
        fields=values,
        sites=[
            services.SiteData(
                address="1 rue des Serres", commune=lyon(), appellations=[maraicher()]
            )
        ],
        applicant=applicant(),
        siret_confirmed=siret_confirmed,
        actor=VISITOR,
    )


def token_from(registration):
    return team.registration_url(registration).split("jeton=")[1]


# Registration ---------------------------------------------------------------------------


def test_start_registration_keeps_the_structure_pending_and_writes_the_email(reindex_spy):
    registration = register()
    structure = registration.structure
    assert structure.status == HostStructure.Status.PENDING
    assert structure.source == "formulaire"
    assert registration.email == "ada@exemple.fr"
    assert structure.sites.get().offers.get().appellation_id == 16384
    [email] = OutboundEmail.objects.all()
    assert email.recipient == "ada@exemple.fr"
    assert email.kind == "structure_registration_confirm"
    # The address has not proved itself: what was typed (names) stays out of the e-mail.
    assert email.subject == "Confirmez le référencement de votre structure sur Immersio"
    assert "Les Jardins de Test" not in email.text_body
    assert "/structures/referencer/confirmer/?jeton=" in email.text_body
    assert email.is_sensitive
    assert reindex_spy.calls == []  # nothing shown in the search yet


def test_confirm_publishes_and_makes_the_person_admin_with_a_new_account(reindex_spy):
    registration = register()
    result = services.confirm_registration(token=token_from(registration), actor=AUTOMATIC)
    structure = HostStructure.objects.get(pk=registration.structure.pk)
    assert structure.status == HostStructure.Status.PUBLISHED
    assert structure.published_at is not None
    assert result.created_account
    user = result.user
    assert (user.email, user.first_name, user.phone) == ("ada@exemple.fr", "Ada", "06 12 34 56 78")
    membership = StructureMembership.objects.get(structure=structure, user=user)
    assert (membership.role, membership.job_title) == ("admin", "Coordinatrice")
    assert reindex_spy.calls == [[structure.pk]]


def test_confirm_uses_an_existing_account_without_overwriting_it():
    user = UserFactory(email="ada@exemple.fr", first_name="Augusta", phone="")
    result = services.confirm_registration(token=token_from(register()), actor=AUTOMATIC)
    user.refresh_from_db()
    assert result.user == user and not result.created_account
    assert user.first_name == "Augusta" and user.phone == "06 12 34 56 78"


def test_a_confirmation_link_works_once():
    token = token_from(register())
    services.confirm_registration(token=token, actor=AUTOMATIC)
    with pytest.raises(services.LinkAlreadyUsed):
        services.confirm_registration(token=token, actor=AUTOMATIC)
    with pytest.raises(services.LinkAlreadyUsed):
        team.read_registration_token(token)


def test_a_confirmation_link_expires_after_seven_days():
    token = token_from(register())
    later = timezone.now() + timedelta(days=7, minutes=1)
    with time_machine.travel(later), pytest.raises(services.LinkInvalid):
        services.confirm_registration(token=token, actor=AUTOMATIC)
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        services.confirm_registration(token=token, actor=AUTOMATIC)


@pytest.mark.parametrize("token", ["", "abc", "e30:1tXp:aaaa"])
def test_a_tampered_link_is_invalid(token):
    with pytest.raises(services.LinkInvalid):
        services.confirm_registration(token=token, actor=AUTOMATIC)


def test_an_invalid_siret_is_refused_with_its_reason():
    with pytest.raises(services.SiretInvalid, match="clé de contrôle"):
        register(siret="73282932000075")
    with pytest.raises(services.SiretInvalid, match="14 chiffres ; vous en avez saisi 9"):
        register(siret="732829320")


def test_an_active_siret_cannot_be_registered_twice_but_can_after_closing():
    existing = HostStructureFactory(siret=SIRET)
    with pytest.raises(services.SiretAlreadyRegistered) as caught:
        register()
    assert caught.value.structure == existing
    services.close_structure(structure=existing, actor=AUTOMATIC)
    registration = register()
    assert registration.structure.status == HostStructure.Status.PENDING
    assert HostStructure.objects.filter(siret=SIRET).count() == 2


def test_a_new_registration_replaces_an_unconfirmed_one():
    first = register()
    second = register(name="Nouveau nom")
    assert not HostStructure.objects.filter(pk=first.structure.pk).exists()
    with pytest.raises(services.LinkInvalid):
        team.read_registration_token(token_from(first))
    assert team.read_registration_token(token_from(second)) == second


# Editing ----------------------------------------------------------------------------------


def test_update_structure_changes_fields_and_causes_and_reindexes(reindex_spy):
    admin = UserFactory()
    structure = HostStructureFactory(admin=admin)
    cause = Cause.objects.get(slug="alimentation")
    updated = services.update_structure(
        structure=structure,
        actor=admin,
        name="Nouveau nom",
        ess_status="scop",
        causes=[cause],
        networks=Network.objects.filter(slug="cress"),
    )
    assert updated.name == "Nouveau nom" and updated.is_ess
    assert list(updated.causes.all()) == [cause]
    assert list(updated.networks.values_list("slug", flat=True)) == ["cress"]
    assert reindex_spy.calls == [[structure.pk]]


def test_update_structure_is_for_admins_and_checks_the_model():
    structure = HostStructureFactory()
    contact = MembershipFactory(structure=structure, role="contact").user
    with pytest.raises(PermissionDenied):
        services.update_structure(structure=structure, actor=contact, name="X")
    with pytest.raises(PermissionDenied):
        services.update_structure(structure=structure, actor=UserFactory(), name="X")
    with pytest.raises(ValidationError):
        services.update_structure(structure=structure, actor=AUTOMATIC, max_requests_per_month=500)
    with pytest.raises(ValueError, match="siret"):
        services.update_structure(structure=structure, actor=AUTOMATIC, siret="73282932000074")


def test_set_sites_and_offers_keeps_updates_and_deletes_sites(reindex_spy):
    structure = HostStructureFactory()
    kept = SiteFactory(structure=structure)
    dropped = SiteFactory(structure=structure)
    other = maraicher()
    services.set_sites_and_offers(
        structure=structure,
        sites=[
            services.SiteData(
                public_id=kept.public_id, address="2 rue Neuve", commune=lyon(), appellations=[]
            ),
            services.SiteData(address="3 rue Neuve", commune=lyon(), appellations=[other]),
        ],
        actor=AUTOMATIC,
    )
    sites = list(structure.sites.order_by("id"))
    assert [site.address for site in sites] == ["2 rue Neuve", "3 rue Neuve"]
    assert sites[0].pk == kept.pk and not sites[0].offers.exists()
    assert sites[1].offers.get().appellation == other
    assert sites[1].latitude == lyon().latitude
    assert not structure.sites.filter(pk=dropped.pk).exists()
    assert reindex_spy.calls == [[structure.pk]]
    with pytest.raises(services.StructureError):
        services.set_sites_and_offers(structure=structure, sites=[], actor=AUTOMATIC)


def test_pause_and_resume(reindex_spy):
    contact = UserFactory()
    structure = HostStructureFactory(contact=contact)
    until = timezone.localdate() + timedelta(days=14)
    paused = services.pause(structure=structure, until=until, actor=contact)
    assert paused.paused_until == until and paused.is_paused
    resumed = services.resume(structure=structure, actor=contact)
    assert resumed.paused_until is None and not resumed.is_paused
    assert reindex_spy.calls == [[structure.pk], [structure.pk]]


def test_a_pause_must_end_in_the_coming_year():
    structure = HostStructureFactory()
    today = timezone.localdate()
    with pytest.raises(services.InvalidPause, match="date à venir"):
        services.pause(structure=structure, until=today - timedelta(days=1), actor=AUTOMATIC)
    with pytest.raises(services.InvalidPause, match="au plus un an"):
        services.pause(structure=structure, until=today + timedelta(days=400), actor=AUTOMATIC)
    with pytest.raises(PermissionDenied):
        services.pause(structure=structure, until=today, actor=UserFactory())


def test_record_request_received_writes_the_ledger(reindex_spy):
    structure = HostStructureFactory()
    moment = timezone.now() - timedelta(hours=2)
    row = services.record_request_received(structure=structure, at=moment, actor=AUTOMATIC)
    assert ReceivedRequest.objects.get() == row
    assert (row.kind, row.received_at) == ("contact", moment)
    assert reindex_spy.calls == [[structure.pk]]


def test_suspend_reopen_and_close(reindex_spy):
    staff = UserFactory(staff=True)
    structure = HostStructureFactory()
    with pytest.raises(PermissionDenied):
        services.suspend_structure(structure=structure, actor=UserFactory())
    suspended = services.suspend_structure(structure=structure, actor=staff, reason="Doublon")
    assert (suspended.status, suspended.status_reason) == ("suspendue", "Doublon")
    assert services.reopen_structure(structure=structure, actor=staff).status == "publiee"
    assert services.close_structure(structure=structure, actor=AUTOMATIC).status == "fermee"
    assert len(reindex_spy.calls) == 3


# Team -------------------------------------------------------------------------------------


def invitation_token(invitation):
    return team.invitation_url(invitation).split("jeton=")[1]


def test_invite_then_accept_creates_the_account_and_the_membership():
    admin = UserFactory(first_name="Nadia", last_name="Benali")
    structure = HostStructureFactory(admin=admin)
    invitation = services.invite_member(
        structure=structure, email="Bob@Exemple.fr", role="contact", actor=admin
    )
    [email] = OutboundEmail.objects.all()
    assert email.recipient == "bob@exemple.fr"
    assert "Nadia Benali vous invite" in email.text_body
    membership = services.accept_invitation(token=invitation_token(invitation), actor=AUTOMATIC)
    assert membership.user.email == "bob@exemple.fr"
    assert (membership.role, membership.is_active, membership.invited_by) == (
        "contact",
        True,
        admin,
    )
    with pytest.raises(services.LinkAlreadyUsed):
        services.accept_invitation(token=invitation_token(invitation), actor=AUTOMATIC)


def test_a_new_invitation_replaces_the_previous_one_and_members_are_not_invited():
    admin = UserFactory()
    structure = HostStructureFactory(admin=admin)
    first = services.invite_member(
        structure=structure, email="bob@exemple.fr", role="contact", actor=admin
    )
    services.invite_member(structure=structure, email="bob@exemple.fr", role="admin", actor=admin)
    with pytest.raises(services.LinkInvalid):
        services.accept_invitation(token=invitation_token(first), actor=AUTOMATIC)
    with pytest.raises(services.AlreadyMember):
        services.invite_member(
            structure=structure, email=admin.email.upper(), role="admin", actor=admin
        )
    contact = MembershipFactory(structure=structure, role="contact").user
    with pytest.raises(PermissionDenied):
        services.invite_member(
            structure=structure, email="eve@exemple.fr", role="admin", actor=contact
        )


def test_an_invitation_expires_after_fourteen_days():
    structure = HostStructureFactory()
    invitation = services.invite_member(
        structure=structure, email="bob@exemple.fr", role="admin", actor=AUTOMATIC
    )
    token = invitation_token(invitation)
    later = timezone.now() + timedelta(days=15)
    with time_machine.travel(later), pytest.raises(services.LinkInvalid):
        services.accept_invitation(token=token, actor=AUTOMATIC)


def test_accepting_as_a_former_member_reactivates_and_never_demotes_an_admin():
    admin = UserFactory()
    structure = HostStructureFactory(admin=admin)
    second = UserFactory(email="bob@exemple.fr")
    MembershipFactory(structure=structure, user=second, role="admin")
    invitation = services.invite_member(
        structure=structure, email="eve@exemple.fr", role="contact", actor=admin
    )
    services.remove_member(structure=structure, user=second, actor=admin)
    assert not StructureMembership.objects.get(user=second).is_active
    again = services.invite_member(
        structure=structure, email="bob@exemple.fr", role="contact", actor=admin
    )
    membership = services.accept_invitation(token=invitation_token(again), actor=AUTOMATIC)
    assert membership.is_active and membership.role == "contact"
    assert Invitation.objects.get(pk=invitation.pk).is_open


def test_the_last_admin_cannot_be_removed_but_a_contact_can_leave():
    admin = UserFactory()
    structure = HostStructureFactory(admin=admin)
    contact = MembershipFactory(structure=structure, role="contact").user
    with pytest.raises(services.LastAdminError):
        services.remove_member(structure=structure, user=admin, actor=admin)
    with pytest.raises(PermissionDenied):
        services.remove_member(structure=structure, user=admin, actor=contact)
    services.remove_member(structure=structure, user=contact, actor=contact)
    assert not HostStructure.objects.visible_to(contact).exists()


def test_request_to_join_writes_to_the_admins_only():
    admin = UserFactory(email="admin@exemple.fr")
    structure = HostStructureFactory(admin=admin)
    MembershipFactory(structure=structure, role="contact")
    sent = services.request_to_join(
        structure=structure, email="Eve@Exemple.fr", name="Eve", message="Bonjour", actor=VISITOR
    )
    [email] = OutboundEmail.objects.all()
    assert (
        sent == 1 and email.recipient == "admin@exemple.fr" and email.reply_to == "eve@exemple.fr"
    )
    assert email.subject == f"Demande pour rejoindre l'équipe de {structure.display_name}"
    lonely = HostStructureFactory()
    assert (
        services.request_to_join(
            structure=lonely, email="e@x.fr", name="", message="", actor=VISITOR
        )
        == 0
    )


def test_next_free_bit_fills_the_gaps():
    assert selectors.next_free_bit(Cause) == len(Cause.objects.all())
    Cause.objects.filter(bit=3).delete()
    assert selectors.next_free_bit(Cause) == 3
    Network.objects.all().delete()
    for bit in range(63):
        Network.objects.create(slug=f"n{bit}", name=f"Réseau {bit}", bit=bit)
    with pytest.raises(services.NoFreeBit):
        selectors.next_free_bit(Network)
