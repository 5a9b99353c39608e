"""The shared format of ``tests/<app>/service_cases.py`` (run by ``test_service_actors``)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class Case:
    """One service refusing one actor.

    ``name``: the dotted path of the service (``immersio.<app>.services.<function>``).
    ``build()`` runs inside a test with the database; it creates what it needs and returns
    (the keyword arguments except ``actor``, an actor that must be refused).
    ``raises``: what the refusal raises (``PermissionDenied`` unless the app has its own).
    """

    name: str
    build: Callable[[], tuple[dict, object]]
    raises: type[Exception] = PermissionDenied
