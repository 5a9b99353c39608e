"""E-mails about agencies. One pair of templates, ``agencies/email/message.txt`` and
``.html``: each notification gives a title, paragraphs, an optional button and a footnote."""

from django.utils.formats import date_format

from immersio.notifications.base import Notification, Recipient


class AgencyNotification(Notification):
    text_template_name = "agencies/email/message.txt"
    html_template_name = "agencies/email/message.html"
    title = ""

    def message(self, recipient) -> dict:
        raise NotImplementedError

    def get_context(self, recipient):
        context = {"title": self.title, "action_url": "", "action_label": "", "footnote": ""}
        context.update(self.message(recipient))
        return context


def _name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


class RegistrationConfirmNotification(AgencyNotification):
    kind = "agency_registration_confirm"
    # The address has not proved itself yet: nothing typed in the form (names) is sent.
    subject = "Confirmez l'inscription de votre structure sur {{ platform_name }}"
    title = "Confirmez votre adresse e-mail"
    reason = (
        "Vous recevez cet e-mail parce que cette adresse a été donnée pour inscrire un "
        "prescripteur sur Immersio."
    )
    sensitive = True

    def __init__(self, *, registration, confirm_url: str, max_age_days: int):
        self.registration = registration
        self.confirm_url = confirm_url
        self.max_age_days = max_age_days

    def get_recipients(self):
        return [Recipient(email=self.registration.email)]

    def message(self, recipient):
        return {
            "paragraphs": [
                "Vous avez demandé l'inscription d'un prescripteur (SIRET "
                f"{self.registration.agency.siret}) sur Immersio, la plateforme des "
                "immersions professionnelles.",
                "Confirmez d'abord votre adresse e-mail : l'équipe Immersio vérifiera "
                "ensuite votre demande et vous écrira dès que votre espace sera ouvert.",
            ],
            "action_url": self.confirm_url,
            "action_label": "Confirmer mon adresse",
            "footnote": (
                f"Ce lien est valable {self.max_age_days} jours et ne sert qu'une fois. "
                "Ce n'est pas vous ? Ignorez simplement cet e-mail."
            ),
        }


class ActivatedNotification(AgencyNotification):
    kind = "agency_activated"
    subject = "{{ agency_name }} est active sur Immersio"
    title = "Votre espace prescripteur est ouvert"
    reason = "Vous recevez cet e-mail parce que vous avez inscrit ce prescripteur sur Immersio."
    sensitive = True  # personal login link

    def __init__(self, *, agency, user, login_link: str):
        self.agency = agency
        self.user = user
        self.login_link = login_link

    def get_recipients(self):
        return [Recipient(email=self.user.email, name=self.user.get_full_name())]

    def message(self, recipient):
        return {
            "agency_name": self.agency.name,
            "paragraphs": [
                f"L'équipe Immersio a activé {self.agency.name}. Vous en êtes "
                "l'administrateur : invitez vos conseillers et vos valideurs depuis votre "
                "espace.",
                "Votre structure apparaît désormais dans l'annuaire des prescripteurs.",
            ],
            "action_url": self.login_link,
            "action_label": "Ouvrir mon espace",
            "footnote": "Ce lien de connexion est personnel et ne sert qu'une fois.",
        }


class RejectedNotification(AgencyNotification):
    kind = "agency_rejected"
    subject = "Votre demande d'inscription de {{ agency_name }}"
    title = "Votre demande n'a pas été retenue"
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
        paragraphs = [
            f"L'équipe Immersio n'a pas pu activer {self.agency.name}.",
        ]
        if self.reason_text:
            paragraphs.append(f"Motif : {self.reason_text}")
        paragraphs.append(
            "Si vous pensez qu'il s'agit d'une erreur, répondez à l'adresse d'aide indiquée "
            "ci-dessous."
        )
        return {"agency_name": self.agency.name, "paragraphs": paragraphs}


class InvitationNotification(AgencyNotification):
    kind = "agency_invitation"
    subject = "Rejoignez l'équipe de {{ agency_name }} sur {{ platform_name }}"
    title = "Rejoignez l'équipe de votre structure"
    reason = (
        "Vous recevez cet e-mail parce qu'un administrateur de ce prescripteur vous a invité "
        "à rejoindre son équipe sur Immersio."
    )
    sensitive = True

    def __init__(self, *, invitation, accept_url: str, max_age_days: int):
        self.invitation = invitation
        self.accept_url = accept_url
        self.max_age_days = max_age_days

    def get_recipients(self):
        return [Recipient(email=self.invitation.email)]

    def message(self, recipient):
        invitation = self.invitation
        inviter = invitation.invited_by.get_full_name() if invitation.invited_by else ""
        who = f"{inviter} vous invite" if inviter else "Vous êtes invité"
        return {
            "agency_name": invitation.agency.name,
            "paragraphs": [
                f"{who} à rejoindre l'équipe de {invitation.agency.name} sur Immersio, en "
                f"tant que {invitation.get_role_display().lower()}.",
            ],
            "action_url": self.accept_url,
            "action_label": "Rejoindre l'équipe",
            "footnote": (
                f"Ce lien est valable {self.max_age_days} jours et ne sert qu'une fois. Si "
                "vous n'avez pas encore de compte, il sera créé avec cette adresse."
            ),
        }


class DelegationReminderNotification(AgencyNotification):
    kind = "agency_delegation_reminder"
    subject = "Délégation de {{ agency_name }} : fin le {{ end_date }}"
    title = "La délégation de prescription arrive à échéance"
    reason = (
        "Vous recevez cet e-mail parce que vous administrez cette structure conventionnée ou "
        "l'agence qui lui a délégué la prescription."
    )

    def __init__(self, *, agency, recipients, when: str):
        self.agency = agency
        self.recipients = list(recipients)
        self.when = when

    def get_recipients(self):
        return self.recipients

    def message(self, recipient):
        agency = self.agency
        end = date_format(agency.delegation_end_date, "j F Y")
        delegating = agency.delegating_agency
        return {
            "agency_name": agency.name,
            "end_date": end,
            "paragraphs": [
                f"La délégation accordée par {delegating.name} à {agency.name} pour "
                f"prescrire des immersions professionnelles prend fin le {end} ({self.when}).",
                "Après cette date, la structure ne pourra plus créer de convention. Pour la "
                f"prolonger, la structure et {delegating.name} renouvellent leur convention "
                "de délégation, puis l'équipe Immersio enregistre la nouvelle date de fin.",
            ],
        }


class ReviewRequestedNotification(AgencyNotification):
    kind = "agency_review_requested"
    subject = "Prescripteur à vérifier : {{ agency_name }}"
    title = "Un prescripteur attend votre vérification"
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
        paragraphs = [
            f"{_name(registration.first_name, registration.last_name)} ({registration.email}) "
            f"a inscrit {agency.name} ({agency.kind_label}, SIRET {agency.siret}) et confirmé "
            "son adresse.",
            "Vérifiez la structure puis activez-la ou refusez-la depuis l'interface de gestion.",
        ]
        if agency.delegating_agency_id:
            paragraphs.append(
                f"Délégation de {agency.delegating_agency.name} jusqu'au "
                f"{date_format(agency.delegation_end_date, 'j F Y')} : vérifiez la convention "
                "de délégation."
            )
        return {
            "agency_name": agency.name,
            "paragraphs": paragraphs,
            "action_url": self.review_url,
            "action_label": "Vérifier le prescripteur",
        }
