"""French for templates, loaded in every template (``builtins`` in the settings).

``pluralize`` replaces Django's, which follows the English rule: in French, 0 and 1 take
the singular (« 0 demande », « 1 demande », « 2 demandes »). ``date`` replaces Django's
too: the first of the month is « 1er » before the month's name (« 1er décembre 2026 »).
"""

from django import template
from django.core.exceptions import ValidationError

from immersio.core.dates import format_day
from immersio.core.validators import normalize_french_phone

register = template.Library()


def is_plural(count) -> bool:
    """The French rule: plural from 2 on (« 1,5 heure », « 0 demande »)."""
    return abs(count) >= 2


@register.filter(is_safe=False)
def pluralize(value, arg="s"):
    """``{{ n }} demande{{ n|pluralize }}``; ``{{ n }} journ{{ n|pluralize:"al,aux" }}``.
    ``value`` is a number or a sequence (its length counts)."""
    if "," not in arg:
        arg = "," + arg
    bits = arg.split(",")
    if len(bits) > 2:
        return ""
    singular, plural = bits
    try:
        count = float(value)
    except ValueError:
        return ""
    except TypeError:
        try:
            count = len(value)
        except TypeError:
            return ""
    return plural if is_plural(count) else singular


@register.filter(is_safe=False)
def phone(value):
    """A phone number as the French write it (« 06 12 34 56 78 »); as it was typed when
    it is not a French number (rows older than the phone check)."""
    try:
        return normalize_french_phone(value)
    except ValidationError:
        return value


@register.simple_tag
def joined(*parts, sep=" · "):
    """The non-empty ``parts`` joined by ``sep`` (« Nadia Benali, Encadrante technique »;
    « nadia@… · 06 12 34 56 78 »), escaped by the template as any value."""
    return sep.join(str(part) for part in parts if part not in (None, ""))


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's ``date`` filter, with « 1er » for the first of the month (``format_day``)."""
    if value in (None, ""):
        return ""
    try:
        return format_day(value, arg)
    except AttributeError:
        return ""
