"""Notifications are classes; e-mails are rows.

A notification declares its ``kind`` (a stable string key, also the name of its
templates), its subject, why the person receives it, whether it is transactional, and
its recipients. ``immersio.notifications.services.notify(notification)`` renders it
for each recipient and writes one ``OutboundEmail`` row per recipient in the current
transaction.

Templates: ``<template_dir>/<kind>.txt`` and ``<template_dir>/<kind>.html`` (an app sets
``template_dir``, ``notifications/email`` by default), extending
``notifications/email/base.txt`` and ``notifications/email/base.html``. Every sentence of an
e-mail is written in those templates; the class only gives them data (``get_context``).
``tests/notifications/test_no_prose.py`` holds this rule.
"""

import functools
import re
from dataclasses import dataclass, replace
from typing import ClassVar

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import engines
from django.template.loader import render_to_string
from django.urls import reverse

from immersio.core.links import absolute_url


@dataclass(frozen=True, slots=True)
class Recipient:
    email: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    recipient: str
    subject: str
    text_body: str
    html_body: str
    reply_to: str = ""
    # How to build again each personal link of the bodies (see ``links.PersonalLink``).
    links: tuple = ()


_BLANK_LINES = re.compile(r"\n{3,}")


def tidy_text(text: str) -> str:
    """Template tags leave blank lines and indentation behind; plain text wants neither."""
    text = "\n".join(line.strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", text).strip() + "\n"


@functools.lru_cache(maxsize=512)
def _subject_template(source: str):
    """A subject compiled once per process (subjects are class attributes: few, fixed)."""
    return engines["django"].from_string("{% autoescape off %}" + source + "{% endautoescape %}")


@receiver(setting_changed)
def _templates_changed(*, setting: str, **kwargs) -> None:
    if setting == "TEMPLATES":  # the engine is built again: so are its templates
        _subject_template.cache_clear()


class Notification:
    """Base class. Subclasses set the class attributes and implement ``get_recipients``.

    ``subject`` is a Django template string, rendered with the same context as the
    bodies (without HTML escaping). ``reason`` says why the person gets this e-mail; it
    is printed in the footer. A non-transactional notification (``transactional =
    False``) also prints how to stop receiving it (``get_unsubscribe_url``).
    ``sensitive`` notifications carry a personal secret (a login link): their rows are
    masked in the admin and their bodies erased once sent.
    """

    kind: ClassVar[str] = ""
    template_dir: ClassVar[str] = "notifications/email"
    #: The name of the templates in ``template_dir``: the ``kind`` unless several kinds
    #: share them.
    template: ClassVar[str] = ""
    subject: ClassVar[str] = ""
    reason: ClassVar[str] = ""
    transactional: ClassVar[bool] = True
    sensitive: ClassVar[bool] = False
    reply_to: ClassVar[str] = ""
    #: Rendered by the worker rather than in the request (``notifications.deferred``):
    #: for notifications sent on a busy path whose text reads only its arguments. Never
    #: for a ``sensitive`` one (its arguments may hold a secret).
    deferred: ClassVar[bool] = False

    def __new__(cls, *args, **kwargs):
        instance = super().__new__(cls)
        # Kept so that a deferred notification can be built again by the worker.
        instance._built_with = (args, kwargs)
        return instance

    @property
    def built_with(self) -> tuple[tuple, dict]:
        """The arguments this notification was built with."""
        return self._built_with

    def get_recipients(self) -> list[Recipient]:
        raise NotImplementedError

    def distinct_recipients(self) -> list[Recipient]:
        """Who gets an e-mail: ``get_recipients`` without those with no address, each
        address stripped of spaces and taken once, whatever its case (one person holding
        two roles gets one e-mail). What the outbox writes and the preview page shows."""
        found, seen = [], set()
        for recipient in self.get_recipients():
            address = recipient.email.strip()
            if address and address.lower() not in seen:
                seen.add(address.lower())
                found.append(replace(recipient, email=address))
        return found

    def get_context(self, recipient: Recipient) -> dict:
        """Extra template variables for one recipient."""
        return {}

    def get_unsubscribe_url(self, recipient: Recipient) -> str:
        """Where a person stops receiving a non-transactional notification."""
        return absolute_url(reverse("accounts:profile"))

    def get_reply_to(self, recipient: Recipient) -> str:
        return self.reply_to

    @property
    def text_template_name(self) -> str:
        return f"{self.template_dir}/{self.template or self.kind}.txt"

    @property
    def html_template_name(self) -> str:
        return f"{self.template_dir}/{self.template or self.kind}.html"

    def base_context(self, recipient: Recipient) -> dict:
        return {
            "platform_name": settings.PLATFORM_NAME,
            "help_email": settings.HELP_EMAIL,
            "site_url": settings.SITE_URL,
            "recipient": recipient,
            "reason": self.reason,
            "transactional": self.transactional,
            "reply_to": self.get_reply_to(recipient),
            "unsubscribe_url": "" if self.transactional else self.get_unsubscribe_url(recipient),
        }

    def render(self, recipient: Recipient) -> RenderedEmail:
        if not self.kind or not self.subject or not self.reason:
            raise ValueError(f"{type(self).__name__} doit définir kind, subject et reason.")
        from .links import PersonalLink

        context = self.base_context(recipient) | self.get_context(recipient)
        links = tuple(
            value.recipe() for value in context.values() if isinstance(value, PersonalLink)
        )
        subject = " ".join(_subject_template(self.subject).render(context).split())
        context["subject"] = subject
        return RenderedEmail(
            recipient=recipient.email,
            subject=subject,
            text_body=tidy_text(render_to_string(self.text_template_name, context)),
            html_body=render_to_string(self.html_template_name, context).strip() + "\n",
            reply_to=self.get_reply_to(recipient),
            links=links,
        )


def is_verified_address(email: str) -> bool:
    """Whether ``email`` belongs to an active account that proved it reads this mailbox
    (every login goes through a link sent there, so a first login is that proof).

    Free text typed in a public form by someone who has not proved their own address is
    sent only to such addresses, and never in a subject.
    """
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(email__iexact=email.strip(), is_active=True, last_login__isnull=False)
        .exists()
    )
