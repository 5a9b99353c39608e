"""The testimonies' e-mails: the team's decision, sent to the author. Templates:
``testimonies/email/<kind>.txt`` and ``.html``; no personal data in a subject."""

from django.urls import reverse

from immersio.notifications.base import Notification, Recipient, absolute_url


class TestimonyDecisionNotification(Notification):
    kind = "testimony_decision"
    template_dir = "testimonies/email"
    subject = (
        "{% if published %}Votre témoignage est publié"
        "{% else %}Votre témoignage n'est pas publié pour le moment{% endif %}"
    )
    reason = "Vous recevez cet e-mail parce que vous avez proposé un témoignage sur Immersio."

    def __init__(self, *, testimony) -> None:
        self.testimony = testimony

    def get_recipients(self) -> list[Recipient]:
        author = self.testimony.author
        name = f"{author.first_name} {author.last_name}".strip()
        return [Recipient(email=author.email, name=name)]

    def get_context(self, recipient: Recipient) -> dict:
        t = self.testimony
        return {
            "first_name": t.author.first_name,
            "title": t.title,
            "published": t.is_published,
            "note": t.review_note,
            "url": absolute_url(reverse("testimonies:detail", kwargs={"public_id": t.public_id})),
            "mine_url": absolute_url(reverse("testimonies:mine")),
        }
