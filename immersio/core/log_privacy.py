"""No personal data in application logs (issue 11, item 6): ``PersonalDataFilter``, set
on every handler of ``settings.LOGGING``, rewrites each record before it is written —
message, arguments and traceback:

- an IPv4 address keeps its /24 (« 203.0.113.0 »), an IPv6 address its /48
  (« 2001:db8:85a3:: »): enough to see a flood from one network, not to name a person;
- an e-mail address keeps its first letter and its domain (« c•••@exemple.fr »);
- a secret in a link — the value of ``jeton=`` and any long random-looking string of
  letters of both cases and digits, as the draft share tokens in paths — becomes « ••• »;
- what the team searched in the back office (``/gestion/…?q=``: a name, a phone number)
  becomes « ••• »;
- the answers of « Est-ce pour moi ? » (``/est-ce-pour-moi/…?…``: a situation such as the
  RQTH or the RSA, an age and a place, together) become « ••• ».

The evidence of a signature keeps its full address in the database (the proof needs it);
only logs lose it. Code still logs identifiers (``public_id``), never names.
"""

import ipaddress
import logging
import re

from .otp import MASK, mask_email

IPV4 = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?![\w]|\.\d)")
IPV6 = re.compile(r"(?<![\w:])((?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4})(?![\w:])")
# Also URL-encoded (``%40``), as in a search of the back office in an access log.
EMAIL = re.compile(r"[\w.+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
TOKEN_PARAM = re.compile(r"(\bjeton=)[^&\s\"'#]+")
BACK_OFFICE_SEARCH = re.compile(r"(/gestion/[^\s?\"']*\?(?:[^\s\"'#]*&)?q=)[^&\s\"'#]+")
ORIENTATION_ANSWERS = re.compile(r"(/est-ce-pour-moi/[^\s?\"']*\?)[^\s\"'#]+")
# 20 characters or more of a URL-safe alphabet, with lower case, upper case and a digit:
# share tokens, signed values; not words, identifiers in snake_case, hex digests or UUIDs.
RANDOM = re.compile(r"(?<![\w-])(?=[\w-]*[a-z])(?=[\w-]*[A-Z])(?=[\w-]*\d)[\w-]{20,}(?![\w-])")
HIDDEN = MASK * 3


def _ipv4(match: re.Match) -> str:
    try:
        network = ipaddress.ip_network(f"{match.group(1)}/24", strict=False)
    except ValueError:
        return match.group(0)
    return str(network.network_address)


def _ipv6(match: re.Match) -> str:
    try:
        network = ipaddress.ip_network(f"{match.group(1)}/48", strict=False)
    except ValueError:
        return match.group(0)
    return str(network.network_address)


def scrub(text: str) -> str:
    """``text`` without full IP addresses, e-mail addresses or link secrets."""
    text = TOKEN_PARAM.sub(lambda m: m.group(1) + HIDDEN, text)
    text = BACK_OFFICE_SEARCH.sub(lambda m: m.group(1) + HIDDEN, text)
    text = ORIENTATION_ANSWERS.sub(lambda m: m.group(1) + HIDDEN, text)
    text = EMAIL.sub(lambda m: mask_email(re.sub("%40", "@", m.group(0), flags=re.I)), text)
    text = IPV4.sub(_ipv4, text)
    text = IPV6.sub(_ipv6, text)
    return RANDOM.sub(HIDDEN, text)


class PersonalDataFilter(logging.Filter):
    """Rewrites every record (never drops one): see the module's docstring."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep what can be read
            message = f"{record.msg} {record.args}"
        record.msg = scrub(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True
