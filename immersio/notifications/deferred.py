"""A notification written down now, rendered by the worker (issue 10: keep e-mail rendering
off the request path).

A notification class that sets ``deferred = True`` is not rendered by ``notify`` when
``settings.NOTIFICATIONS_DEFERRED`` is on: ``notify`` writes one ``PendingNotification`` row
(the class and the arguments it was built with) in the caller's transaction, and queues
the ``render_notification`` task in that same transaction — the row and the task commit
with the change that caused them, or not at all. The worker then builds the notification
again from the row, renders it and writes the outbox rows (``services.render_pending``).

Arguments are kept as JSON: a saved model instance becomes its label and primary key (read
again, as it is then, when rendering), a personal link its recipe; dates, enums and
dataclasses keep their type, plain values stay. Anything else — an unsaved instance, a
« safe » string, an object of another kind — cannot wait: ``encode`` raises
``NotSerializable`` and ``notify`` renders at once, as before.

A deferred notification must therefore read what it shows from its arguments, not from the
moment: the text of a decision is an argument (``reason``), the convention is read when the
worker renders (seconds later). ``tests/notifications/test_deferred.py`` renders every
example of every deferred class both ways and compares.
"""

import dataclasses
import enum
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.utils.module_loading import import_string

from immersio.core.links import PersonalLink

from .base import Notification


class NotSerializable(ValueError):
    """A notification's argument that cannot be written down: render it now."""


_PLAIN = (str, int, float, bool, type(None))


def _path(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def encode(value: object) -> object:
    """``value`` as JSON, or ``NotSerializable``."""
    if isinstance(value, enum.Enum):
        return {"$enum": _path(type(value)), "value": value.value}
    if isinstance(value, PersonalLink):  # built again, as it is when the e-mail is sent
        return {"$link": value.builder, "params": value.params}
    if type(value) in _PLAIN:  # not a subclass: a « safe » string would lose its safety
        return value
    if isinstance(value, models.Model):
        if value.pk is None:
            raise NotSerializable(f"{type(value).__name__} non enregistré")
        return {"$model": value._meta.label, "pk": value.pk}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, list | tuple):
        return {"$list": [encode(item) for item in value], "tuple": isinstance(value, tuple)}
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {"$dict": {key: encode(item) for key, item in value.items()}}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            "$dataclass": _path(type(value)),
            "fields": {
                field.name: encode(getattr(value, field.name))
                for field in dataclasses.fields(value)
                if field.init
            },
        }
    raise NotSerializable(type(value).__name__)


class Missing(LookupError):
    """A row the notification was about no longer exists."""


def decode(value: object) -> object:
    if not isinstance(value, dict):
        return value
    if "$model" in value:
        model = apps.get_model(value["$model"])
        try:
            return model._base_manager.get(pk=value["pk"])
        except model.DoesNotExist as error:
            raise Missing(f"{value['$model']} {value['pk']}") from error
    if "$link" in value:
        return PersonalLink(value["$link"], **value["params"])
    if "$enum" in value:
        return import_string(value["$enum"])(value["value"])
    if "$datetime" in value:
        return datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return date.fromisoformat(value["$date"])
    if "$decimal" in value:
        return Decimal(value["$decimal"])
    if "$list" in value:
        items = [decode(item) for item in value["$list"]]
        return tuple(items) if value.get("tuple") else items
    if "$dataclass" in value:
        fields = {name: decode(item) for name, item in value["fields"].items()}
        return import_string(value["$dataclass"])(**fields)
    if "$dict" in value:
        return {key: decode(item) for key, item in value["$dict"].items()}
    raise ValueError(f"valeur inconnue : {sorted(value)}")


def payload(notification: Notification) -> dict:
    """What it takes to build ``notification`` again: its class and its arguments."""
    args, kwargs = notification.built_with
    return {
        "class": _path(type(notification)),
        "args": [encode(value) for value in args],
        "kwargs": {name: encode(value) for name, value in kwargs.items()},
    }


def rebuild(data: dict) -> Notification:
    """The notification ``payload`` wrote down (``Missing`` if one of its rows is gone)."""
    cls = import_string(data["class"])
    if not (isinstance(cls, type) and issubclass(cls, Notification)):
        raise ValueError(f"{data['class']} n'est pas une notification")
    args = [decode(value) for value in data["args"]]
    kwargs = {name: decode(value) for name, value in data["kwargs"].items()}
    return cls(*args, **kwargs)
