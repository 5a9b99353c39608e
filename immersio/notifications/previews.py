"""One realistic example of every notification, for the staff preview page
(``/equipe/e-mails/``) and the tests that render them all.

Each app that defines notifications has a ``previews`` module. It registers, with
``@example(SomeNotification)``, a function that builds instances of the class (one, or a
list when the class has several variants) from demo rows and real links. A notification
class without an example fails ``tests/notifications/test_every_notification.py``.

The examples create rows: call them inside ``rolled_back()``, which always undoes them.

Text that a person typed in a **public form** without having proved their address yet
contains ``PUBLIC_TEXT``: such text must reach only recipients who proved theirs, and never
a subject.
"""

import importlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from .base import Notification

PUBLIC_TEXT = "Gagnez-1000-euros-sur-arnaque.example"

EXAMPLES: dict[type[Notification], Callable[[], Notification | list[Notification]]] = {}


def example(cls: type[Notification]):
    """Register the decorated function as the example of ``cls``."""

    def register(function):
        EXAMPLES[cls] = function
        return function

    return register


def _import_app_modules(name: str) -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("immersio.") and module_has_submodule(config.module, name):
            importlib.import_module(f"{config.name}.{name}")


def notification_classes() -> list[type[Notification]]:
    """Every notification of the product (a ``Notification`` subclass with a ``kind``
    defined under ``immersio``), discovered in each app's ``notifications`` module."""
    _import_app_modules("notifications")
    found, todo = set(), [Notification]
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            if subclass.__module__.startswith("immersio.") and subclass.kind:
                found.add(subclass)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def examples() -> dict[type[Notification], Callable]:
    _import_app_modules("previews")
    return EXAMPLES


def build(cls: type[Notification]) -> list[Notification]:
    """The example instances of ``cls`` (creates rows: see ``rolled_back``)."""
    built = examples()[cls]()
    return built if isinstance(built, list) else [built]


@contextmanager
def rolled_back() -> Iterator[None]:
    """A transaction (a savepoint inside the request's) that is always rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


_SECRET = re.compile(r"(jeton=)[^\s\"'&<]+")


@dataclass(frozen=True, slots=True)
class Preview:
    kind: str
    number: int  # 1, 2… among the e-mails of this kind
    recipient: str
    subject: str
    text: str
    html: str


def render(cls: type[Notification]) -> list[Preview]:
    """Every e-mail of the example of ``cls``, one per variant and recipient, with the
    personal secrets of its links replaced (the demo rows vanish anyway)."""
    previews = []
    with rolled_back():
        for notification in build(cls):
            for recipient in notification.distinct_recipients():
                email = notification.render(recipient)
                previews.append(
                    Preview(
                        kind=cls.kind,
                        number=len(previews) + 1,
                        recipient=email.recipient,
                        subject=email.subject,
                        text=_SECRET.sub(r"\1apercu", email.text_body),
                        html=_SECRET.sub(r"\1apercu", email.html_body),
                    )
                )
    return previews
