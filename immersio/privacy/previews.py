"""Examples of the e-mails of « Mes données » (see ``immersio.notifications.previews``)."""

from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from immersio.accounts.previews import verified_person
from immersio.accounts.services import login_url
from immersio.notifications.base import absolute_url
from immersio.notifications.previews import example

from . import inactivity, notifications, services


@example(notifications.ExportLinkNotification)
def export_link():
    user = verified_person("camille.durand@exemple.fr", first_name="Camille", last_name="Durand")
    return notifications.ExportLinkNotification(
        user=user,
        download_url=f"{absolute_url(reverse('privacy:download'))}?jeton=exemple-de-jeton",
        valid_hours=int(services.EXPORT_LIFETIME.total_seconds() // 3600),
        fresh_minutes=int(services.FRESH_LOGIN.total_seconds() // 60),
    )


@example(notifications.DeletionReceiptNotification)
def deletion_receipt():
    """With a kept convention, and without any."""
    kept = services.DeletionReceipt(
        email="camille.durand@exemple.fr",
        requests=2,
        messages=5,
        board_posts=1,
        proposal_messages=3,
        memberships=0,
        codes=2,
        drafts=1,
        exports=1,
        emails=14,
        kept=[
            services.KeptConvention(
                reference="IMM-2026-000123",
                status="Validée",
                validated=True,
                until=date(2031, 3, 14),
            )
        ],
    )
    nothing = services.DeletionReceipt(email="dominique.martin@exemple.fr", requests=1)
    return [
        notifications.DeletionReceiptNotification(
            email=kept.email, name="Camille Durand", receipt=kept
        ),
        notifications.DeletionReceiptNotification(email=nothing.email, name="", receipt=nothing),
    ]


@example(notifications.InactivityWarningNotification)
def inactivity_warning():
    user = verified_person("ada@exemple.fr", first_name="Ada", last_name="Lovelace")
    return notifications.InactivityWarningNotification(
        user=user,
        login_url=login_url(user, reverse("privacy:my_data")),
        inactivity=str(inactivity.INACTIVITY),
        delete_on=timezone.localdate() + inactivity.NOTICE,
        login_minutes=settings.SESAME_MAX_AGE // 60,
    )
