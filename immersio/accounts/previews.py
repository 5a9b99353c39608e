"""Examples of the login e-mails, and the demo people of every app's examples (see
``immersio.notifications.previews``)."""

from datetime import timedelta

from django.utils import timezone

from immersio.notifications.previews import example

from . import notifications
from .models import User
from .services import login_url, signup_url


def person(email: str, **fields) -> User:
    """A new account for an example; a free variant of ``email`` if it is taken (the
    preview never reuses, nor shows a link of, a real account)."""
    candidate, number = email, 1
    while User.objects.filter(email__iexact=candidate).exists():
        number += 1
        candidate = f"apercu{number}.{email}"
    fields.setdefault("first_name", "Camille")
    fields.setdefault("last_name", "Lefèvre")
    return User.objects.create_user(email=candidate, **fields)


def verified_person(email: str, **fields) -> User:
    """A person who proved their address (they logged in from a mailbox link)."""
    return person(email, last_login=timezone.now() - timedelta(days=3), **fields)


@example(notifications.LoginLinkNotification)
def login_link():
    user = verified_person("ada@exemple.fr", first_name="Ada", last_name="Lovelace")
    return notifications.LoginLinkNotification(
        user=user, login_url=login_url(user, "/compte/profil/")
    )


@example(notifications.SignupLinkNotification)
def signup_link():
    email = "nouvelle.personne@exemple.fr"
    return notifications.SignupLinkNotification(
        email=email, signup_url=signup_url(email, ""), max_age_minutes=15
    )
