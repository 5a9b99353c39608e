"""Builders for the tests of resource people."""

from datetime import timedelta

from django.utils import timezone

from immersio.referentials.previews import lyon, maraicher
from immersio.resource_people import rules
from immersio.resource_people.models import (
    Conversation,
    ConversationStatus,
    Mode,
    ProfileStatus,
    ProposedSlot,
    ResourceProfile,
)
from immersio.structures.models import Cause
from tests.accounts.factories import UserFactory


def cause(slug: str = "alimentation", label: str = "Alimentation durable", bit: int = 40) -> Cause:
    found, _ = Cause.objects.get_or_create(slug=slug, defaults={"label": label, "bit": bit})
    return found


def make_profile(*, person=None, causes=(), **fields) -> ResourceProfile:
    commune = fields.pop("commune", None) or lyon()
    values = {
        "person": person or UserFactory(first_name="Hélène", last_name="Roux"),
        "before_title": "Comptable",
        "after_title": "Maraîchère bio",
        "after_appellation": maraicher(),
        "path": "Quinze ans de comptabilité, puis une formation agricole.",
        "helped": "Une immersion dans une ferme.",
        "commune": commune,
        "department": commune.department,
        "region": commune.region,
        "modes": [Mode.VIDEO, Mode.PHONE],
        "monthly_quota": 2,
        "status": ProfileStatus.PUBLISHED,
        "submitted_at": timezone.now(),
        "published_at": timezone.now(),
    }
    profile = ResourceProfile.objects.create(**(values | fields))
    profile.causes.set(causes)
    return profile


def make_conversation(*, profile=None, candidate=None, **fields) -> Conversation:
    now = timezone.now()
    values = {
        "profile": profile or make_profile(),
        "candidate": candidate or UserFactory(first_name="Samir", last_name="Haddad"),
        "mode": Mode.VIDEO,
        "about_me": "Commercial depuis dix ans.",
        "why_you": "Votre parcours me parle.",
        "to_understand": "Le quotidien du métier.",
        "month": rules.month_start(timezone.localdate(now)),
        "asked_at": now,
    }
    return Conversation.objects.create(**(values | fields))


def with_slots(conversation: Conversation, *days: int) -> Conversation:
    start = timezone.now().replace(microsecond=0) + timedelta(hours=1)
    for day in days or (2, 4):
        ProposedSlot.objects.create(
            conversation=conversation, starts_at=start + timedelta(days=day)
        )
    conversation.status = ConversationStatus.ACCEPTED
    conversation.contact_detail = "https://visio.exemple.fr/helene"
    conversation.save()
    return conversation
