"""Extension points of accounts, filled by higher apps in their ``AppConfig.ready()``."""

from collections.abc import Callable

from immersio.core.hooks import Hook

from .models import User

#: Where a person lands after logging in, asked in order: the first function that returns a
#: URL wins (structures, then agencies, by ``INSTALLED_APPS`` order); none → « Mes demandes ».
landing_pages: Hook[Callable[[User], str | None]] = Hook("espace d'arrivée après connexion")
