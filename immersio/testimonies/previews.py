"""Examples of the testimonies' e-mails (see ``immersio.notifications.previews``)."""

import uuid

from immersio.accounts.models import User
from immersio.notifications.previews import example

from . import notifications
from .models import Status, Testimony


def example_testimony(status: str, note: str = "") -> Testimony:
    author = User(email="camille.martin@exemple.fr", first_name="Camille", last_name="Martin")
    return Testimony(
        public_id=uuid.UUID(int=13),
        author=author,
        title="Une semaine au maraîchage, et l'envie de continuer",
        text="J'ai découvert le travail de la terre et des paniers.",
        display_name="Camille M.",
        status=status,
        review_note=note,
    )


@example(notifications.TestimonyDecisionNotification)
def decision():
    return [
        notifications.TestimonyDecisionNotification(testimony=example_testimony(Status.PUBLISHED)),
        notifications.TestimonyDecisionNotification(
            testimony=example_testimony(
                Status.REJECTED,
                note="Votre texte cite le nom complet de votre tutrice : retirez-le, et nous "
                "le publierons volontiers.",
            )
        ),
    ]
