"""E-mails about agencies. Templates: ``agencies/email/<kind>.txt`` and ``.html``; they
extend ``agencies/email/message.*`` (a title, paragraphs, an optional button and a
footnote, each a block)."""

from immersio.notifications.base import Notification, Recipient
from immersio.teams.notifications import (
    TeamInvitationNotification,
    TeamRegistrationConfirmNotification,
)


class AgencyNotification(Notification):
    template_dir = "agencies/email"

    def message(self, recipient) -> dict:
        raise NotImplementedError

    def get_context(self, recipient):
        return {"action_url": ""} | self.message(recipient)


def _name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


class RegistrationConfirmNotification(TeamRegistrationConfirmNotification):
    kind = "agency_registration_confirm"
    team = "agency"
    subject = "Confirmez l'inscription de votre structure sur {{ platform_name }}"
    reason = (
        "Vous recevez cet e-mail parce que cette adresse a été donnée pour inscrire un "
        "prescripteur sur Immersio."
    )


class ActivatedNotification(AgencyNotification):
    kind = "agency_activated"
    subject = "{{ agency_name }} est active sur Immersio"
    reason = "Vous recevez cet e-mail parce que vous avez inscrit ce prescripteur sur Immersio."
    sensitive = True  # personal login link

    def __init__(self, *, agency, user, login_link: str):
        self.agency = agency
        self.user = user
        self.login_link = login_link

    def get_recipients(self):
        return [Recipient(email=self.user.email, name=self.user.get_full_name())]

    def message(self, recipient):
        return {"agency_name": self.agency.name, "action_url": self.login_link}


class RejectedNotification(AgencyNotification):
    kind = "agency_rejected"
    subject = "Votre demande d'inscription de {{ agency_name }}"
    reason = "Vous recevez cet e-mail parce que vous avez inscrit ce prescripteur sur Immersio."

    def __init__(self, *, agency, registration, reason_text: str):
        self.agency = agency
        self.registration = registration
        self.reason_text = reason_text

    def get_recipients(self):
        registration = self.registration
        return [
            Recipient(
                email=registration.email,
                name=_name(registration.first_name, registration.last_name),
            )
        ]

    def message(self, recipient):
        return {"agency_name": self.agency.name, "reason_text": self.reason_text}


class InvitationNotification(TeamInvitationNotification):
    kind = "agency_invitation"
    team = "agency"
    reason = (
        "Vous recevez cet e-mail parce qu'un administrateur de ce prescripteur vous a invité "
        "à rejoindre son équipe sur Immersio."
    )


class DelegationReminderNotification(AgencyNotification):
    kind = "agency_delegation_reminder"
    subject = 'Délégation de {{ agency_name }} : fin le {{ end_date|date:"j F Y" }}'
    reason = (
        "Vous recevez cet e-mail parce que vous administrez cette structure conventionnée ou "
        "l'agence qui lui a délégué la prescription."
    )

    def __init__(self, *, agency, recipients, reminder: str):
        self.agency = agency
        self.recipients = list(recipients)
        self.reminder = reminder  # "1_day", "1_month" or "3_months": the template says it

    def get_recipients(self):
        return self.recipients

    def message(self, recipient):
        agency = self.agency
        return {
            "agency_name": agency.name,
            "end_date": agency.delegation_end_date,
            "delegating_name": agency.delegating_agency.name,
            "reminder": self.reminder,
        }


class ReviewRequestedNotification(AgencyNotification):
    kind = "agency_review_requested"
    subject = "Prescripteur à vérifier : {{ agency_name }}"
    reason = "Vous recevez cet e-mail parce que vous faites partie de l'équipe Immersio."

    def __init__(self, *, agency, registration, staff, review_url: str):
        self.agency = agency
        self.registration = registration
        self.staff = list(staff)
        self.review_url = review_url

    def get_recipients(self):
        return [Recipient(email=user.email, name=user.get_full_name()) for user in self.staff]

    def message(self, recipient):
        agency, registration = self.agency, self.registration
        delegating = agency.delegating_agency if agency.delegating_agency_id else None
        return {
            "agency": agency,
            "agency_name": agency.name,
            "registrant_name": _name(registration.first_name, registration.last_name),
            "registrant_email": registration.email,
            "delegating_name": delegating.name if delegating else "",
            "delegation_end_date": agency.delegation_end_date,
            "action_url": self.review_url,
        }
