"""E-mails of the login journey: a login link, or an invitation to create an account."""

from django.conf import settings
from django.urls import reverse

from immersio.notifications.base import Notification, Recipient, absolute_url


class LoginLinkNotification(Notification):
    kind = "login_link"
    subject = "Votre lien de connexion à {{ platform_name }}"
    reason = (
        "Vous recevez cet e-mail parce qu'un lien de connexion à Immersio a été demandé "
        "pour cette adresse."
    )
    sensitive = True

    def __init__(self, *, user, login_url: str):
        self.user = user
        self.login_url = login_url

    def get_recipients(self):
        return [Recipient(email=self.user.email, name=self.user.get_full_name())]

    def get_context(self, recipient):
        return {
            "login_url": self.login_url,
            "login_page_url": absolute_url(reverse("accounts:login")),
            "max_age_minutes": settings.SESAME_MAX_AGE // 60,
        }


class SignupLinkNotification(Notification):
    kind = "signup_link"
    subject = "Créez votre compte {{ platform_name }}"
    reason = (
        "Vous recevez cet e-mail parce qu'une connexion à Immersio a été demandée avec "
        "cette adresse, à laquelle aucun compte n'est encore associé."
    )
    sensitive = True

    def __init__(self, *, email: str, signup_url: str, max_age_minutes: int):
        self.email = email
        self.signup_url = signup_url
        self.max_age_minutes = max_age_minutes

    def get_recipients(self):
        return [Recipient(email=self.email)]

    def get_context(self, recipient):
        return {
            "signup_url": self.signup_url,
            "login_page_url": absolute_url(reverse("accounts:login")),
            "max_age_minutes": self.max_age_minutes,
        }
