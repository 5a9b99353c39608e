"""E-mails about conventions. Templates: ``conventions/email/<kind>.txt`` and ``.html``.

Who receives what (issue 10): each signatory their personal link (on submission, after a
change, as a reminder); the agency's team when a convention arrives, is fully signed, or
someone asks for a change; everyone — signatories (each with their own link), tutor and
the agency's team — on validation (with the PDF), refusal, cancellation, obsolescence,
reopening, correction and transfer."""

from datetime import date
from functools import cached_property

from django.urls import reverse

from immersio.agencies.models import AgencyMembership
from immersio.notifications.base import Notification, Recipient, absolute_url

from .links import LIFETIME, signature_link
from .models import INVITATION_LIFETIME
from .transitions import Role


class ConventionInvitationNotification(Notification):
    kind = "convention_invitation"
    template_dir = "conventions/email"
    subject = "Complétez une demande de convention d'immersion sur {{ platform_name }}"
    reason = (
        "Vous recevez cet e-mail parce qu'une personne qui prépare une convention "
        "d'immersion vous a invité à la compléter."
    )
    sensitive = True

    def __init__(self, *, invitation, accept_url: str):
        self.invitation = invitation
        self.accept_url = accept_url

    def get_recipients(self):
        return [Recipient(email=self.invitation.email)]

    def get_context(self, recipient):
        inviter = self.invitation.invited_by
        return {
            "inviter_name": (inviter.get_full_name() or inviter.email) if inviter else "",
            "reference": self.invitation.convention.reference,
            "accept_url": self.accept_url,
            "max_age_days": INVITATION_LIFETIME.days,
        }


# --- who ----------------------------------------------------------------------------------


def agency_team(convention) -> list[Recipient]:
    """The agency's conseillers, valideurs and administrators, the conseiller référent,
    and for a structure d'accompagnement the valideurs of its prescripteur de
    rattachement."""
    agency = convention.agency
    if agency is None:
        return []
    memberships = AgencyMembership.objects.filter(agency=agency, is_active=True)
    if agency.referring_agency_id:
        memberships = memberships | AgencyMembership.objects.filter(
            agency_id=agency.referring_agency_id,
            is_active=True,
            role=AgencyMembership.Role.VALIDATOR,
        )
    found = [
        Recipient(email=m.user.email, name=m.user.get_full_name())
        for m in memberships.select_related("user").order_by("pk")
    ]
    if convention.counsellor_email:
        found.append(Recipient(email=convention.counsellor_email, name=convention.counsellor_name))
    return found


def review_url(convention) -> str:
    return absolute_url(reverse("conventions:review", kwargs={"public_id": convention.public_id}))


_SCHEDULE_KEYS = {"dates.weekly_pattern", "dates.exceptions"}
_HIDDEN_KEYS = {"dates.total_minutes", "dates.presence_days"}


def _changes(changes) -> list[dict]:
    """Data for ``conventions/email/includes/changes.*``: the label, and each value as the
    template prints it (a date, a yes/no, a text); the schedule is only said to change."""
    return [
        {
            "label": c.label,
            "schedule": c.key in _SCHEDULE_KEYS,
            "before": _value(c.before),
            "after": _value(c.after),
        }
        for c in changes or ()
        if c.key not in _HIDDEN_KEYS
    ]


def _value(value):
    if isinstance(value, dict):
        return value.get("label") or value.get("name") or ""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


class ConventionNotification(Notification):
    """Base: the facts every convention e-mail shows, and a link for each recipient —
    their personal signature link for a signatory, the review page for the agency."""

    template_dir = "conventions/email"
    # Rendered by the worker (issue 10: signing and validating stay quick); the texts read
    # the convention as it is then and the reason given here.
    deferred = True

    def __init__(self, *, convention, reason: str = "", **extra):
        self.convention = convention
        self.reason_text = reason
        self.extra = extra

    def get_recipients(self):
        found = [Recipient(email=s.email, name=s.name) for s in self._signatories if s.email]
        found += self._team
        if self.convention.tutor_email:
            found.append(
                Recipient(email=self.convention.tutor_email, name=self.convention.tutor_name)
            )
        return found

    # Read once per notification, not once per recipient: a notification is built, rendered
    # for each recipient and dropped within one transaction.
    @cached_property
    def _signatories(self) -> list:
        """The active signatories, oldest first."""
        return list(self.convention.signatories.filter(active=True).order_by("pk"))

    @cached_property
    def _signatory_by_email(self) -> dict:
        """Lower-case address → the first active signatory holding it."""
        found = {}
        for signatory in self._signatories:
            if signatory.email:
                found.setdefault(signatory.email.lower(), signatory)
        return found

    @cached_property
    def _team(self) -> list[Recipient]:
        return agency_team(self.convention)

    @cached_property
    def _team_emails(self) -> frozenset[str]:
        return frozenset(r.email.lower() for r in self._team)

    def link_for(self, recipient: Recipient):
        convention = self.convention
        signatory = self._signatory_by_email.get(recipient.email.lower())
        if signatory is not None:
            return signature_link(signatory, convention.version)
        if recipient.email.lower() in self._team_emails:
            return review_url(convention)
        return ""

    def get_context(self, recipient):
        convention = self.convention
        return {
            "convention": convention,
            "reference": convention.reference,
            "beneficiary_name": (
                f"{convention.beneficiary_first_name} {convention.beneficiary_last_name}".strip()
            ),
            "host_name": convention.host_name,
            "agency_name": convention.agency.name if convention.agency else "",
            "date_start": convention.date_start,
            "date_end": convention.date_end,
            "appellation": convention.appellation.label if convention.appellation else "",
            "status_reason": self.reason_text,
            "amends_reference": convention.amends.reference if convention.amends_id else "",
            "link": self.link_for(recipient),
            "link_days": LIFETIME.days,
        }


class SignatureRequestNotification(ConventionNotification):
    kind = "convention_signature_request"
    subject = (
        "{% if amends_reference %}Avenant {{ reference }} à la convention {{ amends_reference }}"
        " : à signer{% elif first %}Convention {{ reference }} à signer{% else %}Convention "
        "{{ reference }} modifiée : à signer de nouveau{% endif %}"
    )
    reason = (
        "Vous recevez cet e-mail parce que vous êtes signataire de cette convention "
        "d'immersion professionnelle."
    )

    def __init__(self, *, signatory, convention, link, changes=(), reason="", first=True):
        super().__init__(convention=convention, reason=reason)
        self.signatory = signatory
        self.personal_link = link
        self.changes = changes
        self.first = first

    def get_recipients(self):
        return [Recipient(email=self.signatory.email, name=self.signatory.name)]

    def get_context(self, recipient):
        return super().get_context(recipient) | {
            "link": self.personal_link,
            "role": self.signatory.get_role_display(),
            "name": self.signatory.name,
            "first": self.first,
            "changes": _changes(self.changes),
        }


class SignatureReminderNotification(ConventionNotification):
    kind = "convention_signature_reminder"
    subject = "Rappel : la convention {{ reference }} attend votre signature"
    reason = (
        "Vous recevez cet e-mail parce que vous êtes signataire d'une convention d'immersion "
        "qui commence bientôt et que vous ne l'avez pas encore signée."
    )

    def __init__(self, *, signatory, convention, link, working_days: int):
        super().__init__(convention=convention)
        self.signatory = signatory
        self.personal_link = link
        self.working_days = working_days

    def get_recipients(self):
        return [Recipient(email=self.signatory.email, name=self.signatory.name)]

    def get_context(self, recipient):
        return super().get_context(recipient) | {
            "link": self.personal_link,
            "name": self.signatory.name,
            "working_days": self.working_days,
        }


class SignatureCodeNotification(ConventionNotification):
    kind = "convention_signature_code"
    subject = "Votre code de signature : {{ code }}"
    reason = (
        "Vous recevez cet e-mail parce que vous avez demandé à signer une convention "
        "d'immersion depuis votre lien personnel."
    )
    sensitive = True

    def __init__(self, *, signatory, convention, code: str, minutes: int):
        super().__init__(convention=convention)
        self.signatory = signatory
        self.code = code
        self.minutes = minutes

    def get_recipients(self):
        return [Recipient(email=self.signatory.email, name=self.signatory.name)]

    def get_context(self, recipient):
        return super().get_context(recipient) | {
            "code": self.code,
            "minutes": self.minutes,
            "link": "",
        }


class AgencyNewConventionNotification(ConventionNotification):
    kind = "convention_submitted_agency"
    # No one's name in a subject (issue 11): the reference and the métier say which one.
    subject = (
        "Nouvelle convention {{ reference }}{% if appellation %} : {{ appellation }}{% endif %}"
    )
    reason = (
        "Vous recevez cet e-mail parce que vous faites partie de l'équipe du prescripteur "
        "choisi pour cette convention d'immersion."
    )

    def get_recipients(self):
        return list(self._team)


class AllSignedNotification(AgencyNewConventionNotification):
    kind = "convention_all_signed"
    subject = "Convention {{ reference }} signée par tous : à examiner"


class ConventionChangedNotification(AgencyNewConventionNotification):
    kind = "convention_changed"
    subject = "Convention {{ reference }} modifiée"

    def get_recipients(self):
        return self._team + (
            [Recipient(email=self.convention.tutor_email, name=self.convention.tutor_name)]
            if self.convention.tutor_email
            else []
        )

    def get_context(self, recipient):
        return super().get_context(recipient) | {"changes": _changes(self.extra.get("changes"))}


class ConventionRequestNotification(ConventionNotification):
    kind = "convention_request"
    subject = (
        "{% if declined %}Convention {{ reference }} : un signataire refuse de signer"
        "{% else %}Convention {{ reference }} : demande de modification{% endif %}"
    )
    reason = "Vous recevez cet e-mail parce que vous êtes partie à cette convention d'immersion."

    def __init__(self, *, convention, action, who: str, reason: str):
        super().__init__(convention=convention, reason=reason)
        self.action = action
        self.who = who

    def get_context(self, recipient):
        return super().get_context(recipient) | {
            "declined": self.action == "decliner",
            "who": self.who,
        }


class ConventionValidatedNotification(ConventionNotification):
    kind = "convention_validated"
    subject = "Convention {{ reference }} validée : l'immersion peut avoir lieu"
    reason = "Vous recevez cet e-mail parce que vous êtes partie à cette convention d'immersion."

    def get_context(self, recipient):
        context = super().get_context(recipient)
        link = context["link"]
        context["pdf_link"] = link
        context["validator_name"] = self.convention.validator_name
        # Whoever has no link (the tutor, who signs nothing) learns who holds the document.
        context["host_signatory_name"] = next(
            (s.name for s in self._signatories if s.role == Role.HOST_REPRESENTATIVE), ""
        )
        return context


class ConventionRefusedNotification(ConventionValidatedNotification):
    kind = "convention_refused"
    subject = "Convention {{ reference }} refusée"


class ConventionCancelledNotification(ConventionValidatedNotification):
    kind = "convention_cancelled"
    subject = "Convention {{ reference }} annulée"


class ConventionObsoleteNotification(ConventionValidatedNotification):
    kind = "convention_obsolete"
    subject = "Convention {{ reference }} obsolète"


class ConventionReopenedNotification(ConventionValidatedNotification):
    kind = "convention_reopened"
    subject = "Convention {{ reference }} rouverte pour être modifiée"


class ConventionPreValidatedNotification(ConventionNotification):
    kind = "convention_pre_validated"
    subject = "Convention {{ reference }} pré-validée : à valider"
    reason = (
        "Vous recevez cet e-mail parce que vous faites partie de l'équipe du prescripteur "
        "de cette convention d'immersion."
    )

    def get_recipients(self):
        return list(self._team)


class ConventionCorrectedNotification(ConventionValidatedNotification):
    kind = "convention_corrected"
    subject = "Convention {{ reference }} : coordonnées corrigées"

    def get_context(self, recipient):
        return super().get_context(recipient) | {"changes": _changes(self.extra.get("changes"))}


class ConventionTransferredNotification(ConventionNotification):
    kind = "convention_transferred"
    subject = "Convention {{ reference }} transférée à votre structure"
    reason = (
        "Vous recevez cet e-mail parce que vous faites partie de l'équipe du prescripteur "
        "auquel cette convention d'immersion vient d'être transférée."
    )

    def get_recipients(self):
        return list(self._team)

    def get_context(self, recipient):
        previous = self.extra.get("previous_agency")
        return super().get_context(recipient) | {
            "previous_agency": previous.name if previous else "",
        }
