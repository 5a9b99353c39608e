"""Examples of the e-mails about host structures (see ``immersio.notifications.previews``),
and the demo structure of the other apps' examples."""

from django.utils import timezone

from immersio.accounts.previews import person, verified_person
from immersio.core.validators import example_siret
from immersio.notifications.previews import PUBLIC_TEXT, example
from immersio.referentials.previews import lyon, maraicher
from immersio.teams.previews import invitation_example

from . import notifications
from .models import HostStructure, Offer, Registration, Site, StructureMembership
from .team import TEAM

FIRST_NUMBER = 800_000  # demo SIRETs apart from the demo data's and the tests' ones


def free_siret() -> str:
    number = FIRST_NUMBER
    while HostStructure.objects.filter(siret=example_siret(number)).exists():
        number += 1
    return example_siret(number)


def structure(*, name: str = "Les Jardins de Gerland", **fields) -> HostStructure:
    """A published structure with a site in Lyon offering « Maraîcher / Maraîchère »."""
    defaults = {
        "kind": HostStructure.Kind.COMPANY,
        "headcount": HostStructure.Headcount.XS,
        "max_requests_per_month": 4,
        "status": HostStructure.Status.PUBLISHED,
        "published_at": timezone.now(),
        "source": "apercu",
    }
    created = HostStructure.objects.create(siret=free_siret(), name=name, **(defaults | fields))
    commune = lyon()
    site = Site.objects.create(
        structure=created,
        address="12 rue des Jardins",
        commune=commune,
        postal_code="69007",
        latitude=commune.latitude,
        longitude=commune.longitude,
    )
    Offer.objects.create(site=site, appellation=maraicher())
    return created


def structure_with_team(**fields) -> tuple[HostStructure, object]:
    admin = verified_person("ines.martin@exemple.fr", first_name="Inès", last_name="Martin")
    created = structure(**fields)
    StructureMembership.objects.create(structure=created, user=admin, role="admin")
    return created, admin


@example(notifications.RegistrationConfirmNotification)
def structure_registration_confirm():
    pending = structure(name=PUBLIC_TEXT, status=HostStructure.Status.PENDING, published_at=None)
    registration = Registration.objects.create(
        structure=pending,
        email="gerante@exemple.fr",
        first_name=PUBLIC_TEXT,
        last_name=PUBLIC_TEXT,
        consented_at=timezone.now(),
    )
    return TEAM.registration_email(registration)


@example(notifications.InvitationNotification)
def structure_invitation():
    host, admin = structure_with_team()
    return invitation_example(
        TEAM, host, inviter=admin, email="collegue@exemple.fr", role="contact"
    )


@example(notifications.JoinRequestNotification)
def structure_join_request():
    host, admin = structure_with_team()
    # An administrator who never proved their address (imported from a network's list).
    unproven = person("contact.importe@exemple.fr", first_name="Noé", last_name="Garcia")
    host.memberships.create(user=unproven, role="admin")
    return notifications.JoinRequestNotification(
        structure=host,
        admins=[admin, unproven],
        email="demandeur@exemple.fr",
        name=PUBLIC_TEXT,
        message=f"Bonjour, je travaille ici. {PUBLIC_TEXT}",
    )


@example(notifications.SiretConfirmedNotification)
def structure_siret_confirmed():
    host, _ = structure_with_team()
    return notifications.SiretConfirmedNotification(structure=host)
