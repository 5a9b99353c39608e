"""One realistic example of every notification of the product, for the tests that render
them all (``test_every_notification.py``).

``EXAMPLES`` maps each ``Notification`` subclass of ``immersio`` to a function building
instances of it from real rows and real links. A new notification class without an
entry here fails those tests: add one.

Text that a person typed in a **public form** without having proved their address yet
contains ``PUBLIC_TEXT``: such text must reach only recipients who proved theirs, and
never a subject.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from immersio.accounts import notifications as accounts
from immersio.accounts.services import login_url, signup_url
from immersio.agencies import notifications as agencies
from immersio.agencies.models import Agency, AgencyInvitation, AgencyRegistration
from immersio.agencies.team import invitation_url as agency_invitation_url
from immersio.agencies.team import registration_url as agency_registration_url
from immersio.contacts import notifications as contacts
from immersio.contacts.models import AutoHide, BoardPost, BoardProposal, Duration
from immersio.contacts.services import reopen_url, verify_url
from immersio.conventions import notifications as conventions
from immersio.conventions import services as convention_services
from immersio.notifications.base import Recipient, absolute_url
from immersio.structures import notifications as structures
from immersio.structures.models import Invitation, Registration
from immersio.structures.team import invitation_url as structure_invitation_url
from immersio.structures.team import registration_url as structure_registration_url
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.fixtures.contacts import ContactRequestFactory
from tests.structures.factories import HostStructureFactory, lyon, maraicher

PUBLIC_TEXT = "Gagnez-1000-euros-sur-arnaque.example"


def verified_user(**kwargs):
    """A person who proved their address (they logged in from a mailbox link)."""
    return UserFactory(last_login=timezone.now() - timedelta(days=3), **kwargs)


def structure_with_team(**kwargs):
    admin = verified_user(first_name="Inès", last_name="Martin")
    structure = HostStructureFactory(
        with_site=True, admin=admin, name="Les Jardins de Gerland", **kwargs
    )
    return structure, admin


def contact_request(**kwargs):
    structure, _ = structure_with_team()
    candidate = verified_user(email="camille.durand@exemple.fr")
    defaults = {
        "structure": structure,
        "candidate": candidate,
        "first_name": "Camille",
        "last_name": "Durand",
        "proposed_start": timezone.localdate() + timedelta(days=14),
        "proposed_end": timezone.localdate() + timedelta(days=25),
        "proposed_dates": "de 9 h à 17 h",
        "decline_reason": "",
    }
    return ContactRequestFactory(**(defaults | kwargs))


# accounts ----------------------------------------------------------------------------


def login_link():
    user = verified_user(email="ada@exemple.fr", first_name="Ada", last_name="Lovelace")
    return accounts.LoginLinkNotification(user=user, login_url=login_url(user, "/compte/profil/"))


def signup_link():
    email = "nouvelle.personne@exemple.fr"
    return accounts.SignupLinkNotification(
        email=email, signup_url=signup_url(email, ""), max_age_minutes=15
    )


# structures --------------------------------------------------------------------------


def structure_registration_confirm():
    structure = HostStructureFactory(pending=True, name=PUBLIC_TEXT)
    registration = Registration.objects.create(
        structure=structure,
        email="gerante@exemple.fr",
        first_name=PUBLIC_TEXT,
        last_name=PUBLIC_TEXT,
        consented_at=timezone.now(),
    )
    return structures.RegistrationConfirmNotification(
        registration=registration,
        confirm_url=structure_registration_url(registration),
        max_age_days=7,
    )


def structure_invitation():
    structure, admin = structure_with_team()
    invitation = Invitation.objects.create(
        structure=structure, email="collegue@exemple.fr", invited_by=admin, role="contact"
    )
    return structures.InvitationNotification(
        invitation=invitation, accept_url=structure_invitation_url(invitation), max_age_days=14
    )


def structure_join_request():
    structure, admin = structure_with_team()
    # An administrator who never proved their address (imported from a network's list).
    unproven = UserFactory(email="contact.importe@exemple.fr", last_login=None)
    structure.memberships.create(user=unproven, role="admin")
    return structures.JoinRequestNotification(
        structure=structure,
        admins=[admin, unproven],
        email="demandeur@exemple.fr",
        name=PUBLIC_TEXT,
        message=f"Bonjour, je travaille ici. {PUBLIC_TEXT}",
    )


# contacts ----------------------------------------------------------------------------


def contact_verify_email():
    draft = contact_request(
        draft=True, email="camille@exemple.fr", first_name=PUBLIC_TEXT, last_name=PUBLIC_TEXT
    )
    return contacts.VerifyEmailNotification(contact_request=draft, verify_url=verify_url(draft))


def contact_new_request():
    return contacts.NewRequestNotification(contact_request=contact_request())


def contact_reminder():
    return contacts.ReminderNotification(contact_request=contact_request(), days=3)


def contact_message():
    request = contact_request()
    return [
        contacts.MessageNotification(
            contact_request=request, to_side=side, quote="Pouvez-vous venir lundi à 9 h ?"
        )
        for side in ("candidat", "structure")
    ]


def contact_accepted():
    return contacts.AcceptedNotification(contact_request=contact_request(answered=True))


def contact_declined():
    request = contact_request(status="declined", decline_reason="full")
    other, _ = structure_with_team()
    path = reverse("directory:structure", kwargs={"public_id": other.public_id})
    suggestions = [{"name": other.display_name, "place": "Lyon", "url": absolute_url(path)}]
    return contacts.DeclinedNotification(contact_request=request, suggestions=suggestions)


def contact_expired():
    return contacts.ExpiredNotification(contact_request=contact_request(status="expired"))


def contact_auto_hidden():
    structure, _ = structure_with_team()
    auto_hide = AutoHide.objects.create(structure=structure, hidden_at=timezone.now())
    return contacts.AutoHiddenNotification(
        structure=structure, reopen_url=reopen_url(auto_hide), unanswered=20
    )


def board_proposal():
    structure, admin = structure_with_team()
    candidate = verified_user(email="sami@exemple.fr", first_name="Sami")
    now = timezone.now()
    post = BoardPost.objects.create(
        candidate=candidate,
        first_name="Sami",
        last_initial="B",
        appellation=maraicher(),
        commune=lyon(),
        latitude=45.75,
        longitude=4.83,
        period="En avril",
        duration=Duration.choices[0][0],
        motivations="Découvrir le maraîchage.",
        published_at=now,
        expires_at=now + timedelta(days=60),
    )
    return BoardProposal.objects.create(
        post=post, structure=structure, author=admin, body="Venez nous voir mardi matin."
    )


def contact_board_proposal():
    return contacts.ProposalNotification(proposal=board_proposal())


def contact_board_proposal_message():
    """Both sides of the thread that follows a proposal."""
    proposal = board_proposal()
    from_candidate = proposal.messages.create(
        side="candidat", author=proposal.post.candidate, body="Mardi me convient, merci !"
    )
    from_structure = proposal.messages.create(
        side="structure", author=proposal.author, body="Parfait, à mardi 9 h."
    )
    return [
        contacts.ProposalMessageNotification(message=from_candidate),
        contacts.ProposalMessageNotification(message=from_structure),
    ]


def structure_siret_confirmed():
    structure, _ = structure_with_team()
    return structures.SiretConfirmedNotification(structure=structure)


# agencies ----------------------------------------------------------------------------


def agency_registration(**kwargs):
    agency = AgencyFactory(status=Agency.Status.PENDING, **kwargs)
    return AgencyRegistration.objects.create(
        agency=agency,
        email="directrice@exemple.fr",
        first_name="Lou",
        last_name="Bernard",
        consented_at=timezone.now(),
    )


def agency_registration_confirm():
    registration = agency_registration(name=PUBLIC_TEXT)
    registration.first_name = registration.last_name = PUBLIC_TEXT
    registration.save()
    return agencies.RegistrationConfirmNotification(
        registration=registration,
        confirm_url=agency_registration_url(registration),
        max_age_days=7,
    )


def agency_activated():
    agency = AgencyFactory(name="Mission locale de Lyon")
    user = verified_user(email="directrice@exemple.fr")
    space = reverse("agencies:space_agency", kwargs={"public_id": agency.public_id})
    return agencies.ActivatedNotification(
        agency=agency, user=user, login_link=login_url(user, next_url=space)
    )


def agency_rejected():
    registration = agency_registration(name="Association Tremplin")
    return agencies.RejectedNotification(
        agency=registration.agency,
        registration=registration,
        reason_text="Le SIRET ne correspond pas à la structure.",
    )


def agency_invitation():
    agency = AgencyFactory(name="Cap emploi du Rhône")
    inviter = verified_user(first_name="Lou", last_name="Bernard")
    invitation = AgencyInvitation.objects.create(
        agency=agency, email="conseiller@exemple.fr", invited_by=inviter, role="conseiller"
    )
    return agencies.InvitationNotification(
        invitation=invitation, accept_url=agency_invitation_url(invitation), max_age_days=14
    )


def agency_delegation_reminder():
    delegating = AgencyFactory(name="France Travail Lyon 7e")
    agency = AgencyFactory(
        name="Tremplin Emploi",
        kind=Agency.Kind.CONVENTIONNEE,
        delegating_agency=delegating,
        delegation_end_date=timezone.localdate() + timedelta(days=30),
    )
    admin = verified_user()
    return agencies.DelegationReminderNotification(
        agency=agency,
        recipients=[Recipient(email=admin.email, name=admin.get_full_name())],
        when="dans 1 mois",
    )


def agency_review_requested():
    registration = agency_registration(name="Association Tremplin")
    registration.confirmed_at = timezone.now()
    registration.save()
    staff = [verified_user(is_staff=True)]
    review = absolute_url(reverse("admin:agencies_agency_change", args=[registration.agency.pk]))
    return agencies.ReviewRequestedNotification(
        agency=registration.agency, registration=registration, staff=staff, review_url=review
    )


# conventions -------------------------------------------------------------------------


def convention_invitation():
    inviter = verified_user(first_name="Inès", last_name="Martin")
    convention = convention_services.start_draft(actor=inviter)
    invitation = convention.invitations.create(email="tuteur@exemple.fr", invited_by=inviter)
    url = convention_services.invitation_url(invitation)
    return conventions.ConventionInvitationNotification(invitation=invitation, accept_url=url)


EXAMPLES = {
    accounts.LoginLinkNotification: login_link,
    accounts.SignupLinkNotification: signup_link,
    structures.RegistrationConfirmNotification: structure_registration_confirm,
    structures.InvitationNotification: structure_invitation,
    structures.JoinRequestNotification: structure_join_request,
    contacts.VerifyEmailNotification: contact_verify_email,
    contacts.NewRequestNotification: contact_new_request,
    contacts.ReminderNotification: contact_reminder,
    contacts.MessageNotification: contact_message,
    contacts.AcceptedNotification: contact_accepted,
    contacts.DeclinedNotification: contact_declined,
    contacts.ExpiredNotification: contact_expired,
    contacts.AutoHiddenNotification: contact_auto_hidden,
    contacts.ProposalNotification: contact_board_proposal,
    contacts.ProposalMessageNotification: contact_board_proposal_message,
    structures.SiretConfirmedNotification: structure_siret_confirmed,
    agencies.RegistrationConfirmNotification: agency_registration_confirm,
    agencies.ActivatedNotification: agency_activated,
    agencies.RejectedNotification: agency_rejected,
    agencies.InvitationNotification: agency_invitation,
    agencies.DelegationReminderNotification: agency_delegation_reminder,
    agencies.ReviewRequestedNotification: agency_review_requested,
    conventions.ConventionInvitationNotification: convention_invitation,
}


def build(cls) -> list:
    built = EXAMPLES[cls]()
    return built if isinstance(built, list) else [built]
