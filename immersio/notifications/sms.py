"""SMS providers: how an ``OutboundSms`` row leaves the platform.

The platform never talks to an SMS operator directly: ``settings.SMS_PROVIDER`` names
(dotted path) a class with a ``send(to, body) -> str`` method, built without arguments,
that sends one message and returns the operator's message id, or raises
:class:`SmsError` (any exception counts as a failed attempt, retried by the outbox).

- :class:`ConsoleSmsProvider` (development): writes the SMS to the log, at INFO;
- :class:`MemorySmsProvider` (tests): appends it to :data:`outbox`, like Django's
  ``mail.outbox`` (emptied before each test by ``tests/conftest.py``).

A real operator's provider reads its credentials from settings in ``__init__`` and keeps
each call under ``OUTBOX_SENDING_LEASE`` seconds (its HTTP timeout), so that a slow call
is never taken up again by another worker while it is still running.
"""

import itertools
import logging
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

from immersio.core.otp import mask_phone

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The provider could not send the message (refused, unreachable, timeout)."""


@runtime_checkable
class SmsProvider(Protocol):
    def send(self, to: str, body: str) -> str:
        """Send ``body`` to ``to`` (E.164); return the provider's message id."""
        ...


def sms_provider() -> SmsProvider:
    """An instance of the provider ``settings.SMS_PROVIDER`` names."""
    return import_string(settings.SMS_PROVIDER)()


class ConsoleSmsProvider:
    """Development: the SMS is written to the console log (INFO), nothing is sent; the
    number is masked (no personal data in logs), the text is what a developer reads."""

    _ids = itertools.count(1)

    def send(self, to: str, body: str) -> str:
        message_id = f"console-{next(self._ids)}"
        logger.info("SMS %s → %s :\n%s", message_id, mask_phone(to), body)
        return message_id


@dataclass(frozen=True, slots=True)
class SentSms:
    to: str
    body: str
    provider_id: str


#: What ``MemorySmsProvider`` "sent", oldest first (tests read and empty it).
outbox: list[SentSms] = []


class MemorySmsProvider:
    """Tests: the SMS is appended to :data:`outbox`."""

    def send(self, to: str, body: str) -> str:
        message_id = f"memory-{len(outbox) + 1}"
        outbox.append(SentSms(to=to, body=body, provider_id=message_id))
        return message_id
