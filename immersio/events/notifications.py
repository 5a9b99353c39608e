"""E-mails about events: to the Immersio team, when one waits for its reading; to the
person who proposed one, when the team published or refused it. Templates:
``events/email/<kind>.txt`` and ``.html``."""

from django.urls import reverse

from immersio.notifications.base import Notification, Recipient, absolute_url


class EventNotification(Notification):
    template_dir = "events/email"
    reason = "Vous recevez cet e-mail parce que vous avez proposé cet événement sur Immersio."

    def __init__(self, *, event):
        self.event = event

    def get_recipients(self):
        person = self.event.submitted_by
        if person is None or not person.email:
            return []
        return [Recipient(email=person.email, name=person.get_full_name())]

    def get_context(self, recipient):
        return {
            "event_title": self.event.title,
            "event_url": absolute_url(
                reverse("events:detail", kwargs={"public_id": self.event.public_id})
            ),
            "mine_url": absolute_url(reverse("events:mine")),
            "new_url": absolute_url(reverse("events:submit")),
        }


class EventPublishedNotification(EventNotification):
    kind = "event_published"
    subject = "Votre événement est publié sur {{ platform_name }}"


class EventRefusedNotification(EventNotification):
    kind = "event_refused"
    subject = "Votre événement n'a pas été publié sur {{ platform_name }}"

    def get_context(self, recipient):
        return super().get_context(recipient) | {"refusal_reason": self.event.refusal_reason}


class EventToReadNotification(Notification):
    """To the Immersio team: an event was proposed, or changed, and waits for its reading."""

    kind = "event_to_read"
    template_dir = "events/email"
    subject = "Un événement attend votre relecture sur {{ platform_name }}"
    reason = "Vous recevez cet e-mail parce que vous faites partie de l'équipe Immersio."

    def __init__(self, *, event, team):
        self.event = event
        self.team = list(team)

    def get_recipients(self):
        return [Recipient(email=user.email, name=user.get_full_name()) for user in self.team]

    def get_context(self, recipient):
        return {
            "event_title": self.event.title,
            "organiser": self.event.organiser_name,
            "queue_url": absolute_url(reverse("events:review_queue")),
        }
