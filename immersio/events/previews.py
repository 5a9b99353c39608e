"""Examples of the e-mails about events (see ``immersio.notifications.previews``)."""

from datetime import timedelta

from django.utils import timezone

from immersio.accounts.previews import verified_person
from immersio.notifications.previews import example
from immersio.referentials.previews import lyon
from immersio.structures.previews import structure_with_team

from . import notifications
from .models import Event, Kind, Status


def event(**fields) -> Event:
    """An event of a demo structure in Lyon, proposed by its administrator."""
    host, admin = structure_with_team()
    commune = lyon()
    start = timezone.now().replace(microsecond=0) + timedelta(days=20)
    defaults = {
        "title": "Portes ouvertes du jardin partagé",
        "kind": Kind.OPEN_DAY,
        "description": "Visite des parcelles et rencontre avec l'équipe.",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "address": "12 rue des Jardins",
        "commune": commune,
        "latitude": commune.latitude,
        "longitude": commune.longitude,
        "organiser_name": host.display_name,
        "host_structure": host,
        "submitted_by": admin,
    }
    return Event.objects.create(**(defaults | fields))


@example(notifications.EventPublishedNotification)
def event_published():
    return notifications.EventPublishedNotification(
        event=event(status=Status.PUBLISHED, published_at=timezone.now())
    )


@example(notifications.EventRefusedNotification)
def event_refused():
    return notifications.EventRefusedNotification(
        event=event(
            status=Status.REFUSED,
            refusal_reason="L'inscription est réservée aux adhérents : ce n'est pas un "
            "événement public.",
        )
    )


@example(notifications.EventToReadNotification)
def event_to_read():
    reader = verified_person("relecture@exemple.fr", first_name="Lou", last_name="Bernard")
    return notifications.EventToReadNotification(event=event(), team=[reader])
