"""E-mails about assessments. Templates: ``assessments/email/<kind>.txt`` and ``.html``.

The tutor gets the link on the last day, then reminders (``rules.REMINDER_DAYS``); the
beneficiary is told it is coming, then asked to read and co-sign; the agency hears of a
no-show at once and of the last reminder; once co-signed, agency, structure and
beneficiary are told. When the beneficiary asks for a renewal, the agency is told."""

from django.urls import reverse

from immersio.conventions.notifications import ConventionNotification, agency_team, review_url
from immersio.notifications.base import Recipient, absolute_url

from . import links
from .rules import ASSESSMENT_LINK_DAYS, REMINDER_DAYS


def _beneficiary(convention) -> list[Recipient]:
    if not convention.beneficiary_email:
        return []
    name = f"{convention.beneficiary_first_name} {convention.beneficiary_last_name}".strip()
    return [Recipient(email=convention.beneficiary_email, name=name)]


def _tutor(convention) -> list[Recipient]:
    if not convention.tutor_email:
        return []
    return [Recipient(email=convention.tutor_email, name=convention.tutor_name)]


def _structure(convention) -> list[Recipient]:
    found = _tutor(convention)
    if (
        convention.host_rep_email
        and convention.host_rep_email.lower() != (convention.tutor_email or "").lower()
    ):
        found.append(Recipient(email=convention.host_rep_email, name=convention.host_rep_name))
    return found


def fill_url(convention) -> str:
    return absolute_url(reverse("assessments:fill", kwargs={"public_id": convention.public_id}))


class AssessmentNotification(ConventionNotification):
    """Base: the convention's facts, the assessment, and one link per recipient."""

    template_dir = "assessments/email"
    # Rendered at once: not on a busy path, and a document is announced as it is stored.
    deferred = False

    def __init__(self, *, assessment, **extra):
        super().__init__(convention=assessment.convention)
        self.assessment = assessment
        self.extra = extra

    def link_for(self, recipient: Recipient):
        return ""

    def get_context(self, recipient):
        return super().get_context(recipient) | {
            "assessment": self.assessment,
            "tutor_name": self.convention.tutor_name,
            "link_days": ASSESSMENT_LINK_DAYS,
            **self.extra,
        }


class TutorRequestNotification(AssessmentNotification):
    """The tutor's link: on the last day (``reminder_days`` 0), then as a reminder."""

    kind = "assessment_tutor_request"
    subject = (
        "{% if reminder_days %}Rappel : bilan{% else %}Bilan{% endif %} de l'immersion "
        "{{ reference }} à remplir"
    )
    reason = (
        "Vous recevez cet e-mail parce que vous êtes le tuteur ou la tutrice de cette "
        "immersion professionnelle."
    )

    def __init__(self, *, assessment, reminder_days: int = 0):
        super().__init__(assessment=assessment, reminder_days=reminder_days)

    def get_recipients(self):
        return _tutor(self.convention)

    def link_for(self, recipient):
        return links.link(self.assessment, links.TUTOR, self.convention.tutor_email)


class BeneficiaryComingNotification(AssessmentNotification):
    kind = "assessment_beneficiary_coming"
    subject = "Votre immersion {{ reference }} se termine : le bilan arrive"
    reason = "Vous recevez cet e-mail parce que vous êtes bénéficiaire de cette immersion."

    def get_recipients(self):
        return _beneficiary(self.convention)


class AgencyReminderNotification(AssessmentNotification):
    """The last reminder: the agency's référent conseiller (else its team) is told that
    the tutor has not filled the assessment, and may fill it in their place."""

    kind = "assessment_agency_reminder"
    subject = "Bilan de l'immersion {{ reference }} toujours pas rempli"
    reason = "Vous recevez cet e-mail parce que vous suivez cette immersion pour le prescripteur."

    def __init__(self, *, assessment):
        super().__init__(assessment=assessment, days=REMINDER_DAYS[-1])

    def get_recipients(self):
        convention = self.convention
        if convention.counsellor_email:
            return [Recipient(email=convention.counsellor_email, name=convention.counsellor_name)]
        return agency_team(convention)

    def link_for(self, recipient):
        return fill_url(self.convention)


class NoShowNotification(AssessmentNotification):
    kind = "assessment_no_show"
    subject = "Immersion {{ reference }} : la personne ne s'est pas présentée"
    reason = "Vous recevez cet e-mail parce que vous suivez cette immersion pour le prescripteur."

    def get_recipients(self):
        return agency_team(self.convention)

    def link_for(self, recipient):
        return fill_url(self.convention)


class CosignRequestNotification(AssessmentNotification):
    kind = "assessment_cosign_request"
    subject = "Le bilan de votre immersion {{ reference }} est prêt : lisez-le et signez-le"
    reason = "Vous recevez cet e-mail parce que vous êtes bénéficiaire de cette immersion."

    def get_recipients(self):
        return _beneficiary(self.convention)

    def link_for(self, recipient):
        return links.link(self.assessment, links.BENEFICIARY, self.convention.beneficiary_email)


class CosignedNotification(AssessmentNotification):
    """Co-signed: the agency, the structure (tutor, representative) and the beneficiary."""

    kind = "assessment_cosigned"
    subject = "Bilan de l'immersion {{ reference }} signé par le bénéficiaire"
    reason = "Vous recevez cet e-mail parce que vous êtes partie à cette immersion."

    def get_recipients(self):
        convention = self.convention
        return agency_team(convention) + _structure(convention) + _beneficiary(convention)

    def link_for(self, recipient):
        team = {r.email.lower() for r in agency_team(self.convention)}
        if recipient.email.lower() in team:
            return fill_url(self.convention)
        return ""


class CorrectedNotification(AssessmentNotification):
    """A conseiller corrected the assessment: the beneficiary and the tutor are told what
    changed and why."""

    kind = "assessment_corrected"
    subject = "Bilan de l'immersion {{ reference }} corrigé par le prescripteur"
    reason = "Vous recevez cet e-mail parce que vous êtes partie à cette immersion."

    def __init__(self, *, assessment, changed: list[str], why: str):
        super().__init__(assessment=assessment, changed=changed, why=why)

    def get_recipients(self):
        return _beneficiary(self.convention) + _tutor(self.convention)


def document_url(document) -> str:
    """The page that serves one version of the PDF (after login, to its readers only)."""
    return absolute_url(reverse("assessments:document", kwargs={"public_id": document.public_id}))


class DocumentNotification(AssessmentNotification):
    """The signed assessment's PDF, as a link (never attached): the agency's team, the
    structure (tutor, representative) and the beneficiary. Again for each new version
    (a correction after the signature)."""

    kind = "assessment_document"
    subject = (
        "{% if corrected %}Bilan corrigé{% else %}Bilan signé{% endif %} de l'immersion "
        "{{ reference }} : le PDF"
    )
    reason = "Vous recevez cet e-mail parce que vous êtes partie à cette immersion."

    def __init__(self, *, assessment, document):
        super().__init__(
            assessment=assessment, version=document.number, corrected=document.number != 1
        )
        self.document = document

    def get_recipients(self):
        convention = self.convention
        return agency_team(convention) + _structure(convention) + _beneficiary(convention)

    def link_for(self, recipient):
        return document_url(self.document)


class RenewalRequestNotification(AssessmentNotification):
    """The beneficiary asks for a renewal: the agency's référent conseiller (else its team)
    gets their message and the link of the convention's page, where it prepares it."""

    kind = "assessment_renewal_request"
    subject = "Immersion {{ reference }} : demande de renouvellement"
    reason = "Vous recevez cet e-mail parce que vous suivez cette immersion pour le prescripteur."

    def __init__(self, *, assessment, message: str):
        super().__init__(assessment=assessment, message=message)

    def get_recipients(self):
        convention = self.convention
        if convention.counsellor_email:
            return [Recipient(email=convention.counsellor_email, name=convention.counsellor_name)]
        return agency_team(convention)

    def link_for(self, recipient):
        return review_url(self.convention)


class RenewalStartedNotification(AssessmentNotification):
    """The agency starts preparing the renewal: the beneficiary learns that a new
    convention is coming, to sign like the first one (no link: nothing to do yet)."""

    kind = "assessment_renewal_started"
    subject = "Votre immersion {{ reference }} : le renouvellement est en préparation"
    reason = "Vous recevez cet e-mail parce que vous êtes bénéficiaire de cette immersion."

    def get_recipients(self):
        return _beneficiary(self.convention)

    def get_context(self, recipient):
        return super().get_context(recipient) | {
            "asked": self.extra.get("asked", False),
        }


class RenewalDeclinedNotification(AssessmentNotification):
    """The agency answers the beneficiary's request: a renewal is not possible, and why."""

    kind = "assessment_renewal_declined"
    subject = "Votre immersion {{ reference }} : réponse à votre demande de renouvellement"
    reason = "Vous recevez cet e-mail parce que vous êtes bénéficiaire de cette immersion."

    def __init__(self, *, assessment, reason: str):
        super().__init__(assessment=assessment, answer=reason)

    def get_recipients(self):
        return _beneficiary(self.convention)

    def get_context(self, recipient):
        return super().get_context(recipient) | {"answer": self.extra["answer"]}
