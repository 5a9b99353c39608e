"""E-mails about resource people and their entretiens-métier. Templates:
``resource_people/email/<kind>.txt`` and ``.html``, extending
``resource_people/email/message.*`` (paragraphs, an optional quote, one button). No name
and no contact detail in a subject; contact details never in an e-mail at all (they are
on the conversation's page, behind a login)."""

from django.urls import reverse

from immersio.contacts.notifications import link_for
from immersio.notifications.base import Notification, Recipient

from . import rules

REASON_PROFILE = (
    "Vous recevez cet e-mail parce que vous avez proposé un profil de personne ressource "
    "sur Immersio."
)
REASON_CANDIDATE = (
    "Vous recevez cet e-mail parce que vous avez demandé un entretien-métier sur Immersio."
)
REASON_PERSON = (
    "Vous recevez cet e-mail parce que vous êtes personne ressource sur Immersio et "
    "qu'une personne vous a demandé un entretien-métier."
)

REASON_CONVERSATION = (
    "Vous recevez cet e-mail parce que vous participez à un entretien-métier sur Immersio."
)


def _recipient(user) -> Recipient:
    return Recipient(email=user.email, name=user.get_full_name())


class ResourcePeopleEmail(Notification):
    """Every e-mail of this app; its button logs the person in, so it is sensitive."""

    template_dir = "resource_people/email"
    sensitive = True


class ProfileNotification(ResourcePeopleEmail):
    reason = REASON_PROFILE

    def __init__(self, *, profile):
        self.profile = profile

    def get_recipients(self):
        return [_recipient(self.profile.person)]

    def get_context(self, recipient):
        profile = self.profile
        return {
            "first_name": profile.person.first_name,
            "after_title": profile.after_title,
            "refusal_reason": profile.refusal_reason,
            "url": link_for(recipient.email, reverse("resource_people:my_profile")),
        }


class ProfilePublishedNotification(ProfileNotification):
    kind = "resource_profile_published"
    subject = "Votre profil de personne ressource est publié"


class ProfileRefusedNotification(ProfileNotification):
    kind = "resource_profile_refused"
    subject = "Votre profil de personne ressource n'a pas été publié"


class ConversationNotification(ResourcePeopleEmail):
    """About one conversation; ``to_person`` says which side receives it."""

    to_person = False

    def __init__(self, *, conversation, **extra):
        self.conversation = conversation
        self.extra = extra

    reason = REASON_CANDIDATE

    def get_recipients(self):
        conversation = self.conversation
        user = conversation.profile.person if self.to_person else conversation.candidate
        return [_recipient(user)]

    def get_context(self, recipient):
        conversation = self.conversation
        path = reverse("resource_people:conversation", kwargs={"public_id": conversation.public_id})
        return {
            "first_name": (
                conversation.profile.person.first_name
                if self.to_person
                else conversation.candidate.first_name
            ),
            "person_name": conversation.profile.display_name,
            "candidate_name": rules.display_name(
                conversation.candidate.first_name, conversation.candidate.last_name
            ),
            "after_title": conversation.profile.after_title,
            "mode": conversation.get_mode_display().lower(),
            "slot": conversation.slot_at,
            "slots": [slot.starts_at for slot in conversation.slots.all()],
            "decline_reason": conversation.get_decline_reason_display(),
            "quote": self.extra.get("quote", ""),
            "days": self.extra.get("days", 0),
            "expiry_days": rules.EXPIRY_DAYS,
            "to_person": self.to_person,
            "url": link_for(recipient.email, path),
        }


class NewConversationNotification(ConversationNotification):
    kind = "resource_conversation_new"
    reason = REASON_PERSON
    subject = "Une personne vous demande un entretien-métier"
    to_person = True


class ConversationReminderNotification(ConversationNotification):
    kind = "resource_conversation_reminder"
    reason = REASON_PERSON
    subject = "Une demande d'entretien-métier attend votre réponse"
    to_person = True


class SlotsProposedNotification(ConversationNotification):
    kind = "resource_conversation_slots"
    subject = "Entretien-métier accepté : choisissez un créneau"


class DeclinedNotification(ConversationNotification):
    kind = "resource_conversation_declined"
    subject = "Réponse à votre demande d'entretien-métier"


class ConfirmedNotification(ConversationNotification):
    """To both sides: the slot is chosen."""

    kind = "resource_conversation_confirmed"
    subject = "Entretien-métier confirmé"

    reason = REASON_CONVERSATION

    def get_recipients(self):
        conversation = self.conversation
        return [_recipient(conversation.candidate), _recipient(conversation.profile.person)]

    def get_context(self, recipient):
        context = super().get_context(recipient)
        person = self.conversation.profile.person
        context["to_person"] = recipient.email.lower() == person.email.lower()
        context["first_name"] = (
            person.first_name if context["to_person"] else self.conversation.candidate.first_name
        )
        return context


class CancelledNotification(ConversationNotification):
    """To the side that did not cancel."""

    kind = "resource_conversation_cancelled"
    subject = "Entretien-métier annulé"
    reason = REASON_CONVERSATION

    def __init__(self, *, conversation, **extra):
        super().__init__(conversation=conversation, **extra)
        self.to_person = bool(conversation.cancelled_by_candidate)


class ExpiredNotification(ConversationNotification):
    kind = "resource_conversation_expired"
    subject = "Votre demande d'entretien-métier est restée sans réponse"
