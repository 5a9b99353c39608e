"""Testimonies made for the tests: through the services, as their authors would."""

from immersio.core.actors import Actor
from immersio.testimonies import models, services
from tests.accounts.factories import UserFactory

STORY = (
    "Je cherchais plus de concret après dix ans dans un bureau. Pendant une semaine, j'ai "
    "participé aux récoltes, préparé les paniers et rencontré les adhérents : j'ai compris "
    "ce que ce métier demande, et que j'avais envie de continuer."
)


def story(**changes) -> services.Story:
    return services.Story(**({"title": "Une semaine au maraîchage", "text": STORY} | changes))


def submitted(author=None, **changes) -> models.Testimony:
    author = author or UserFactory(first_name="Camille", last_name="Martin")
    return services.submit_testimony(story=story(**changes), consent=True, actor=author)


def published(author=None, *, staff: Actor | None = None, **changes) -> models.Testimony:
    testimony = submitted(author, **changes)
    return services.review_testimony(
        testimony=testimony, publish=True, actor=staff or UserFactory(is_staff=True)
    )
