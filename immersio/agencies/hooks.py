"""Extension points of agencies, filled by higher apps in their ``AppConfig.ready()``."""

from collections.abc import Callable

from immersio.accounts.models import User
from immersio.core.hooks import Hook

from .models import Agency

#: Further links of an agency's space (the follow-up of immersions and assessments):
#: ``function(user, agency) -> [(label, url, description)]``, in registration order.
space_links: Hook[Callable[[User, Agency], list[tuple[str, str, str]]]] = Hook(
    "liens de l'espace prescripteur"
)
