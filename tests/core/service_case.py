from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[], tuple[dict, object]]
    raises: type[Exception] = PermissionDenied
