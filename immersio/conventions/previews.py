"""Examples of the e-mails about conventions (see ``immersio.notifications.previews``)."""

from datetime import date, timedelta

from django.utils import timezone

from immersio.accounts.previews import verified_person
from immersio.agencies.models import AgencyMembership
from immersio.agencies.previews import agency
from immersio.core.actors import COMMAND
from immersio.notifications.previews import example
from immersio.referentials.previews import lyon, maraicher
from immersio.structures.previews import structure

from . import content, lifecycle, notifications, services
from .links import signature_link
from .models import Convention, Signatory
from .transitions import Action, Status

WEEKDAYS = {str(day): [["08:30", "12:00"], ["13:00", "16:30"]] for day in range(5)}


def example_convention(status: str = Status.TO_SIGN, **fields) -> Convention:
    """A sent convention (a job seeker discovering market gardening near Lyon), with its
    signatories and first version, in ``status``."""
    host = structure()
    prescriber = agency(name="France Travail Lyon Gerland")
    counsellor = verified_person(
        "claire.dupont@exemple.fr", first_name="Claire", last_name="Dupont"
    )
    AgencyMembership.objects.create(
        agency=prescriber, user=counsellor, role=AgencyMembership.Role.VALIDATOR
    )
    start = timezone.localdate() + timedelta(days=14)
    start += timedelta(days=(7 - start.weekday()) % 7)
    values = {
        "status": status,
        "submitted_at": timezone.now(),
        "beneficiary_first_name": "Camille",
        "beneficiary_last_name": "Martin",
        "beneficiary_birth_date": date(1994, 5, 12),
        "beneficiary_email": "camille.martin@exemple.fr",
        "beneficiary_phone": "06 12 34 56 78",
        "beneficiary_situation": "demandeur",
        "emergency_contact_name": "Dominique Martin",
        "structure": host,
        "host_siret": host.siret,
        "host_name": host.name,
        "host_rep_name": "Nadia Benali",
        "host_rep_function": "Gérante",
        "host_rep_email": "nadia.benali@exemple.fr",
        "tutor_name": "Samuel Petit",
        "tutor_function": "Chef de culture",
        "tutor_email": "samuel.petit@exemple.fr",
        "replaces_no_job": True,
        "agency": prescriber,
        "counsellor_name": "Claire Dupont",
        "object": "discover",
        "objectives": (
            "Découvrir les gestes du maraîchage\nÉvaluer mon goût pour le travail en extérieur"
        ),
        "appellation": maraicher(),
        "tasks": "Semis, repiquage, récolte et préparation des paniers.",
        "place_address": "12 rue des Jardins",
        "place_commune": lyon(),
        "date_start": start,
        "date_end": start + timedelta(days=4),
        "weekly_pattern": WEEKDAYS,
        "presence_days": 5,
        "total_minutes": 5 * 7 * 60,
    }
    convention = Convention.objects.create(**(values | fields))
    # What ``lifecycle.submit`` does once the rules pass, without them (dates of the
    # example are relative to today and may cross a public holiday).
    lifecycle._sync_signatories(convention)
    lifecycle._new_version(convention, actor=COMMAND, reason="")
    convention.save()
    return convention


def _signatory(convention: Convention) -> Signatory:
    return convention.signatories.order_by("pk").first()


def _changes(convention: Convention) -> list[content.Change]:
    before = content.canonical(convention)
    convention.date_start += timedelta(days=7)
    convention.date_end += timedelta(days=7)
    convention.save(update_fields=["date_start", "date_end"])  # as the change is, when told
    return content.changes(before, content.canonical(convention))


@example(notifications.ConventionInvitationNotification)
def convention_invitation():
    inviter = verified_person("ines.martin@exemple.fr", first_name="Inès", last_name="Martin")
    convention = services.start_draft(actor=inviter)
    invitation = convention.invitations.create(email="tuteur@exemple.fr", invited_by=inviter)
    return notifications.ConventionInvitationNotification(
        invitation=invitation, accept_url=services.invitation_url(invitation)
    )


@example(notifications.SignatureRequestNotification)
def signature_request():
    convention = example_convention()
    signatory = _signatory(convention)
    link = signature_link(signatory, convention.version)
    return [
        notifications.SignatureRequestNotification(
            signatory=signatory, convention=convention, link=link
        ),
        notifications.SignatureRequestNotification(
            signatory=signatory,
            convention=convention,
            link=link,
            changes=_changes(convention),
            reason="La structure ferme la première semaine : l'immersion commence une "
            "semaine plus tard.",
            first=False,
        ),
    ]


@example(notifications.SignatureReminderNotification)
def signature_reminder():
    convention = example_convention()
    signatory = _signatory(convention)
    return [
        notifications.SignatureReminderNotification(
            signatory=signatory,
            convention=convention,
            link=signature_link(signatory, convention.version),
            working_days=days,
        )
        for days in lifecycle.REMINDER_WORKING_DAYS
    ]


@example(notifications.SignatureCodeNotification)
def signature_code():
    convention = example_convention()
    return notifications.SignatureCodeNotification(
        signatory=_signatory(convention), convention=convention, code="482913", minutes=10
    )


@example(notifications.AgencyNewConventionNotification)
def submitted_agency():
    return notifications.AgencyNewConventionNotification(convention=example_convention())


@example(notifications.AllSignedNotification)
def all_signed():
    return notifications.AllSignedNotification(convention=example_convention(Status.IN_REVIEW))


@example(notifications.ConventionChangedNotification)
def changed():
    convention = example_convention()
    return notifications.ConventionChangedNotification(
        convention=convention,
        changes=_changes(convention),
        reason="La structure ferme la première semaine.",
    )


@example(notifications.ConventionRequestNotification)
def request():
    convention = example_convention()
    return [
        notifications.ConventionRequestNotification(
            convention=convention,
            action=action,
            who="Nadia Benali",
            reason="Le tuteur sera en congé le mercredi : il faut changer les horaires.",
        )
        for action in (Action.REQUEST_CHANGE, Action.DECLINE)
    ]


@example(notifications.ConventionValidatedNotification)
def validated():
    convention = example_convention(Status.VALIDATED, validator_name="Claire Dupont")
    return notifications.ConventionValidatedNotification(convention=convention)


@example(notifications.ConventionRefusedNotification)
def refused():
    return notifications.ConventionRefusedNotification(
        convention=example_convention(Status.REFUSED),
        reason="Les objectifs ne correspondent pas au projet discuté en entretien.",
    )


@example(notifications.ConventionCancelledNotification)
def cancelled():
    return notifications.ConventionCancelledNotification(
        convention=example_convention(Status.CANCELLED),
        reason="La bénéficiaire a trouvé un emploi.",
    )


@example(notifications.ConventionObsoleteNotification)
def obsolete():
    return notifications.ConventionObsoleteNotification(
        convention=example_convention(Status.OBSOLETE),
        reason="Non validée un mois après la date de début prévue.",
    )


@example(notifications.ConventionReopenedNotification)
def reopened():
    return notifications.ConventionReopenedNotification(
        convention=example_convention(Status.DRAFT),
        reason="Les horaires du mercredi changent.",
    )


@example(notifications.ConventionPreValidatedNotification)
def pre_validated():
    return notifications.ConventionPreValidatedNotification(
        convention=example_convention(Status.PRE_VALIDATED)
    )


@example(notifications.ConventionCorrectedNotification)
def corrected():
    convention = example_convention()
    before = content.canonical(convention)
    convention.tutor_email = "s.petit@exemple.fr"
    convention.save(update_fields=["tutor_email"])  # as the correction is, when told
    return notifications.ConventionCorrectedNotification(
        convention=convention,
        changes=content.changes(before, content.canonical(convention)),
        reason="Adresse du tuteur mal saisie.",
    )


@example(notifications.ConventionTransferredNotification)
def transferred():
    return notifications.ConventionTransferredNotification(
        convention=example_convention(),
        previous_agency=agency(name="Mission locale de Lyon"),
        reason="Le bénéficiaire est suivi par France Travail, pas par la mission locale.",
    )
