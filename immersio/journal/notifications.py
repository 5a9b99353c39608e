"""The journal's e-mails: the reminders about an empty bilan. Templates:
``journal/email/<kind>.txt`` and ``.html``."""

from django.urls import reverse

from immersio.accounts.models import User
from immersio.accounts.services import login_url
from immersio.notifications.base import Notification, Recipient, absolute_url

from . import rules


def bilan_link(email: str, convention) -> str:
    """A link that logs the beneficiary in and opens their bilan; the login page leading
    there when the address has no account yet (the login link creates it)."""
    path = reverse("journal:reflection", kwargs={"public_id": convention.public_id})
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return absolute_url(f"{reverse('accounts:login')}?next={path}")
    return login_url(user, path)


class ReflectionReminderNotification(Notification):
    kind = "journal_reflection_reminder"
    template_dir = "journal/email"
    subject = "Votre immersion est terminée : et maintenant ?"
    reason = (
        "Vous recevez cet e-mail parce que votre immersion, organisée sur Immersio, vient de "
        "se terminer."
    )
    sensitive = True  # the button logs the person in

    def __init__(self, *, convention, days_after: int) -> None:
        self.convention = convention
        self.days_after = days_after

    def get_recipients(self) -> list[Recipient]:
        c = self.convention
        name = f"{c.beneficiary_first_name} {c.beneficiary_last_name}".strip()
        return [Recipient(email=c.beneficiary_email, name=name)]

    def get_context(self, recipient: Recipient) -> dict:
        c = self.convention
        return {
            "first_name": c.beneficiary_first_name,
            "host_name": c.host_name,
            "date_end": c.date_end,
            "days_after": self.days_after,
            "last_reminder": self.days_after == rules.REMINDER_DAYS[-1],
            "url": bilan_link(recipient.email, c),
        }
