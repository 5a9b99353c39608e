"""Examples of the e-mails about resource people (see ``immersio.notifications.previews``)."""

from datetime import timedelta

from django.utils import timezone

from immersio.accounts.previews import verified_person
from immersio.notifications.previews import example
from immersio.referentials.previews import lyon, maraicher

from . import notifications
from .models import (
    Conversation,
    ConversationStatus,
    DeclineReason,
    Mode,
    ProfileStatus,
    ProposedSlot,
    ResourceProfile,
)


def profile(**fields) -> ResourceProfile:
    """Hélène R., comptable → maraîchère bio near Lyon."""
    commune = lyon()
    values = {
        "person": verified_person("helene.roux@exemple.fr", first_name="Hélène", last_name="Roux"),
        "before_title": "Comptable dans une PME",
        "after_title": "Maraîchère bio",
        "after_appellation": maraicher(),
        "path": "Quinze ans de comptabilité, puis un an de formation agricole.",
        "helped": "Une immersion de deux semaines dans une ferme.",
        "commune": commune,
        "department": commune.department,
        "region": commune.region,
        "modes": [Mode.VIDEO, Mode.PHONE],
        "status": ProfileStatus.PUBLISHED,
        "submitted_at": timezone.now(),
        "published_at": timezone.now(),
    }
    return ResourceProfile.objects.create(**(values | fields))


def conversation(**fields) -> Conversation:
    now = timezone.now()
    candidate = verified_person("samir.haddad@exemple.fr", first_name="Samir", last_name="Haddad")
    values = {
        "profile": profile(),
        "candidate": candidate,
        "mode": Mode.VIDEO,
        "about_me": "Commercial depuis dix ans, je pense au maraîchage.",
        "why_you": "Vous avez fait ce chemin.",
        "to_understand": "Le quotidien, les revenus.",
        "month": timezone.localdate().replace(day=1),
        "asked_at": now,
    }
    return Conversation.objects.create(**(values | fields))


def _with_slots(found: Conversation) -> Conversation:
    start = timezone.now().replace(hour=17, minute=0, second=0, microsecond=0)
    for days in (3, 5):
        ProposedSlot.objects.create(conversation=found, starts_at=start + timedelta(days=days))
    return found


@example(notifications.ProfilePublishedNotification)
def resource_profile_published():
    return notifications.ProfilePublishedNotification(profile=profile())


@example(notifications.ProfileRefusedNotification)
def resource_profile_refused():
    refused = profile(
        status=ProfileStatus.REFUSED,
        refusal_reason="Précisez en quelques lignes ce qui vous a aidé à changer de métier.",
    )
    return notifications.ProfileRefusedNotification(profile=refused)


@example(notifications.NewConversationNotification)
def resource_conversation_new():
    return notifications.NewConversationNotification(conversation=conversation())


@example(notifications.ConversationReminderNotification)
def resource_conversation_reminder():
    return notifications.ConversationReminderNotification(conversation=conversation(), days=3)


@example(notifications.SlotsProposedNotification)
def resource_conversation_slots():
    found = _with_slots(conversation(status=ConversationStatus.ACCEPTED))
    return notifications.SlotsProposedNotification(conversation=found)


@example(notifications.DeclinedNotification)
def resource_conversation_declined():
    found = conversation(
        status=ConversationStatus.DECLINED,
        decline_reason=DeclineReason.BUSY,
        decline_word="Essayez la ferme de la Croix-Rousse, ils accueillent souvent.",
    )
    return notifications.DeclinedNotification(conversation=found, quote=found.decline_word)


@example(notifications.ConfirmedNotification)
def resource_conversation_confirmed():
    found = _with_slots(conversation(status=ConversationStatus.CONFIRMED))
    found.slot_at = found.slots.first().starts_at
    found.save()
    return notifications.ConfirmedNotification(conversation=found)


@example(notifications.CancelledNotification)
def resource_conversation_cancelled():
    built = []
    for by_candidate in (True, False):
        found = conversation(
            status=ConversationStatus.CANCELLED, cancelled_by_candidate=by_candidate
        )
        built.append(notifications.CancelledNotification(conversation=found))
    return built


@example(notifications.ExpiredNotification)
def resource_conversation_expired():
    return notifications.ExpiredNotification(
        conversation=conversation(status=ConversationStatus.EXPIRED)
    )
