"""E-mails of « Mes données »: the export link, the deletion receipt, the warning sent
before an inactive account is deleted."""

from django.urls import reverse

from immersio.notifications.base import Notification, Recipient, absolute_url


class ExportLinkNotification(Notification):
    kind = "privacy_export_link"
    template_dir = "privacy/email"
    subject = "Vos données {{ platform_name }} sont prêtes à télécharger"
    reason = (
        "Vous recevez cet e-mail parce que le téléchargement de vos données a été demandé "
        "depuis votre compte."
    )
    sensitive = True  # the link is the key to the export

    def __init__(self, *, user, download_url: str, valid_hours: int, fresh_minutes: int):
        self.user = user
        self.download_url = download_url
        self.valid_hours = valid_hours
        self.fresh_minutes = fresh_minutes

    def get_recipients(self) -> list[Recipient]:
        return [Recipient(email=self.user.email, name=self.user.get_full_name())]

    def get_context(self, recipient: Recipient) -> dict:
        return {
            "download_url": self.download_url,
            "valid_hours": self.valid_hours,
            "fresh_minutes": self.fresh_minutes,
            "my_data_url": absolute_url(reverse("privacy:my_data")),
        }


class DeletionReceiptNotification(Notification):
    """Sent to the address of an account just deleted: what went, what stays and why."""

    kind = "privacy_deletion_receipt"
    template_dir = "privacy/email"
    subject = "Votre compte {{ platform_name }} est supprimé"
    reason = (
        "Vous recevez cet e-mail parce que votre compte a été supprimé : c'est le dernier "
        "message que nous vous envoyons."
    )

    def __init__(self, *, email: str, name: str, receipt):
        self.email = email
        self.name = name
        self.receipt = receipt

    def get_recipients(self) -> list[Recipient]:
        return [Recipient(email=self.email, name=self.name)]

    def get_context(self, recipient: Recipient) -> dict:
        return {"receipt": self.receipt}


class InactivityWarningNotification(Notification):
    kind = "privacy_inactivity_warning"
    template_dir = "privacy/email"
    subject = "Votre compte {{ platform_name }} sera bientôt supprimé"
    reason = (
        "Vous recevez cet e-mail parce que vous ne vous êtes pas connecté à votre compte "
        "depuis longtemps."
    )
    sensitive = True  # carries a login link

    def __init__(self, *, user, login_url: str, inactivity: str, delete_on, login_minutes: int):
        self.user = user
        self.login_url = login_url
        self.inactivity = inactivity
        self.delete_on = delete_on
        self.login_minutes = login_minutes

    def get_recipients(self) -> list[Recipient]:
        return [Recipient(email=self.user.email, name=self.user.get_full_name())]

    def get_context(self, recipient: Recipient) -> dict:
        return {
            "login_url": self.login_url,
            "inactivity": self.inactivity,
            "delete_on": self.delete_on,
            "login_minutes": self.login_minutes,
            "login_page_url": absolute_url(reverse("accounts:login")),
        }
