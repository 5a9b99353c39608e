"""Resource-people services refusing an unauthorised actor (run by
tests/core/test_service_actors). A refusal to a person is ``NotAllowed`` (shown on the
page); the daily timers refuse with ``PermissionDenied``."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from immersio.core.actors import TASK, VISITOR
from immersio.referentials.previews import lyon, maraicher
from immersio.resource_people import services
from immersio.resource_people.models import ProfileStatus
from tests.accounts.factories import UserFactory
from tests.core.service_case import Case
from tests.resource_people.helpers import make_conversation, make_profile, with_slots

NotAllowed = services.NotAllowed
S = "immersio.resource_people.services."


def _data() -> services.ProfileData:
    return services.ProfileData(
        before_title="Comptable",
        before_appellation=None,
        after_title="Maraîchère",
        after_appellation=maraicher(),
        path="Un parcours.",
        helped="Une immersion.",
        presentation="",
        commune=lyon(),
        modes=["visio"],
        monthly_quota=2,
    )


def _request() -> services.Request:
    return services.Request(mode="visio", about_me="Moi.", why_you="Vous.", to_understand="Tout.")


CASES = [
    # A profile belongs to a logged-in person: never to a visitor or the platform.
    Case(S + "save_profile", lambda: ({"data": _data(), "causes": []}, TASK), NotAllowed),
    # Only the Immersio team reviews.
    Case(
        S + "review_profile",
        lambda: (
            {"profile": make_profile(status=ProfileStatus.SUBMITTED), "publish": True},
            UserFactory(),
        ),
        NotAllowed,
    ),
    # Only its author pauses or deletes a profile.
    Case(
        S + "pause_profile",
        lambda: ({"profile": make_profile(), "paused": True}, UserFactory()),
        NotAllowed,
    ),
    Case(S + "delete_profile", lambda: ({"profile": make_profile()}, UserFactory()), NotAllowed),
    # Asking needs a logged-in (verified) account.
    Case(
        S + "ask_conversation",
        lambda: ({"profile": make_profile(), "request": _request(), "ip": "203.0.113.9"}, VISITOR),
        NotAllowed,
    ),
    # Only the resource person answers; only the candidate picks a slot.
    Case(
        S + "accept_conversation",
        lambda: (
            {
                "conversation": make_conversation(),
                "slots": [timezone.now() + timedelta(days=2)],
                "contact_detail": "https://visio.exemple.fr",
            },
            UserFactory(),
        ),
        NotAllowed,
    ),
    Case(
        S + "decline_conversation",
        lambda: ({"conversation": make_conversation(), "reason": "autre"}, UserFactory()),
        NotAllowed,
    ),
    Case(
        S + "pick_slot",
        lambda: (
            (c := with_slots(make_conversation()))
            and {
                "conversation": c,
                "slot_id": c.slots.first().pk,
            },
            c.profile.person,
        ),
        NotAllowed,
    ),
    Case(
        S + "cancel_conversation",
        lambda: ({"conversation": make_conversation()}, UserFactory()),
        NotAllowed,
    ),
    # The daily timers: a task, a command or staff.
    Case(S + "send_reminders", lambda: ({}, UserFactory()), PermissionDenied),
    # Only the person (or staff, or the retention job) erases their data.
    Case(
        S + "erase_person",
        lambda: ({"user": make_profile().person}, UserFactory()),
        PermissionDenied,
    ),
]

READ_ONLY: dict[str, str] = {}
