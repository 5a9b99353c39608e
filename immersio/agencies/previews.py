"""Examples of the e-mails about agencies (see ``immersio.notifications.previews``)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from immersio.accounts.previews import verified_person
from immersio.accounts.services import login_url
from immersio.core.validators import example_siret
from immersio.notifications.base import Recipient, absolute_url
from immersio.notifications.previews import PUBLIC_TEXT, example
from immersio.referentials.previews import lyon
from immersio.teams.previews import invitation_example

from . import notifications
from .models import Agency, AgencyRegistration
from .team import TEAM

FIRST_NUMBER = 90_000  # demo SIRETs apart from the demo data's and the tests' ones

#: Example agencies take SIRETs apart from the example structures.
AGENCY_NUMBERS = 900_000


def agency(*, name: str, **fields) -> Agency:
    number = FIRST_NUMBER
    while Agency.objects.filter(siret=example_siret(AGENCY_NUMBERS + number)).exists():
        number += 1
    commune = lyon()
    values = {
        "kind": Agency.Kind.FRANCE_TRAVAIL,
        "siret": example_siret(AGENCY_NUMBERS + number),
        "address": "1 rue de la Gare",
        "postal_code": "69007",
        "commune": commune,
        "latitude": commune.latitude,
        "longitude": commune.longitude,
        "covered_departments": ["69"],
        "contact_email": "contact.agence@exemple.fr",
        "status": Agency.Status.ACTIVE,
    }
    return Agency.objects.create(name=name, **(values | fields))


def registration(*, name: str) -> AgencyRegistration:
    return AgencyRegistration.objects.create(
        agency=agency(name=name, status=Agency.Status.PENDING),
        email="directrice@exemple.fr",
        first_name="Lou",
        last_name="Bernard",
        consented_at=timezone.now(),
    )


@example(notifications.RegistrationConfirmNotification)
def agency_registration_confirm():
    pending = registration(name=PUBLIC_TEXT)
    pending.first_name = pending.last_name = PUBLIC_TEXT
    pending.save()
    return TEAM.registration_email(pending)


@example(notifications.ActivatedNotification)
def agency_activated():
    active = agency(name="Mission locale de Lyon", kind=Agency.Kind.MISSION_LOCALE)
    user = verified_person("directrice@exemple.fr", first_name="Lou", last_name="Bernard")
    space = reverse("agencies:space_agency", kwargs={"public_id": active.public_id})
    return notifications.ActivatedNotification(
        agency=active, user=user, login_link=login_url(user, next_url=space)
    )


@example(notifications.RejectedNotification)
def agency_rejected():
    refused = registration(name="Association Tremplin")
    return notifications.RejectedNotification(
        agency=refused.agency,
        registration=refused,
        reason_text="Le SIRET ne correspond pas à la structure.",
    )


@example(notifications.InvitationNotification)
def agency_invitation():
    inviting = agency(name="Cap emploi du Rhône", kind=Agency.Kind.CAP_EMPLOI)
    inviter = verified_person("lou.bernard@exemple.fr", first_name="Lou", last_name="Bernard")
    return invitation_example(
        TEAM, inviting, inviter=inviter, email="conseiller@exemple.fr", role="conseiller"
    )


@example(notifications.DelegationReminderNotification)
def agency_delegation_reminder():
    delegating = agency(name="France Travail Lyon 7e")
    delegated = agency(
        name="Tremplin Emploi",
        kind=Agency.Kind.CONVENTIONNEE,
        delegating_agency=delegating,
        delegation_end_date=timezone.localdate() + timedelta(days=30),
    )
    admin = verified_person("admin.tremplin@exemple.fr", first_name="Karim", last_name="Diallo")
    return notifications.DelegationReminderNotification(
        agency=delegated,
        recipients=[Recipient(email=admin.email, name=admin.get_full_name())],
        reminder="1_month",
    )


@example(notifications.ReviewRequestedNotification)
def agency_review_requested():
    """Both variants: without and with a delegation to check."""
    built = []
    delegating = agency(name="France Travail Lyon 7e")
    staff = [verified_person("equipe@exemple.fr", first_name="Léa", is_staff=True)]
    for fields in [{}, {"kind": Agency.Kind.CONVENTIONNEE, "delegating_agency": delegating}]:
        confirmed = registration(name="Association Tremplin")
        confirmed.confirmed_at = timezone.now()
        confirmed.save()
        if fields:
            fields["delegation_end_date"] = timezone.localdate() + timedelta(days=365)
            Agency.objects.filter(pk=confirmed.agency.pk).update(**fields)
            confirmed.agency.refresh_from_db()
        review = absolute_url(reverse("admin:agencies_agency_change", args=[confirmed.agency.pk]))
        built.append(
            notifications.ReviewRequestedNotification(
                agency=confirmed.agency, registration=confirmed, staff=staff, review_url=review
            )
        )
    return built
