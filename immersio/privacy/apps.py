from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Personal data by the book (issue 11): the register of processings, retention as
    code (``retention.py`` read by ``apply_retention``), « Mes données » (export, correction,
    deletion). The top app: it reads every other app, none imports it."""

    name = "immersio.privacy"
    label = "privacy"
    verbose_name = "Données personnelles"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import retention  # noqa: F401 (the table first: inactivity extends it)

        user_logged_in.connect(remember_login, dispatch_uid="privacy.remember_login")


def remember_login(sender, request, user, **kwargs):
    """A login: the session remembers when (a download needs a recent one), and an
    inactivity warning is void."""
    from django.utils import timezone

    from . import services
    from .views import LOGIN_AT_KEY

    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT_KEY] = timezone.now().isoformat()
    services.forget_warning(user=user, actor=user)
