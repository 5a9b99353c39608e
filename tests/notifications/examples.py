"""Notifications used by the tests only."""

from immersio.notifications.base import Notification, Recipient


class NewsNotification(Notification):
    """A non-transactional notification, with the login link's templates."""

    kind = "login_link"
    subject = "Des nouvelles de {{ platform_name }}"
    reason = "Vous recevez cet e-mail parce que vous suivez les nouveautés."
    transactional = False

    def get_recipients(self):
        return [Recipient("Ada@Exemple.fr"), Recipient("ada@exemple.fr"), Recipient("b@exemple.fr")]

    def get_context(self, recipient):
        return {"login_url": "http://x/", "login_page_url": "http://y/", "max_age_minutes": 15}
