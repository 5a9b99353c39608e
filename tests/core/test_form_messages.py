"""Issue 8, items 30 and 32: every long text shows its limit and is refused, not cut, when
too long; every message a form produces is French written for people."""

import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from immersio.core.fields import FormDefaultsMixin, is_long_text
from tests.contacts.test_flow import new_url
from tests.fixtures.contacts import VALID_FORM
from tests.structures.factories import MARAICHER

from .project_forms import form_id, project_form_classes

FORMS = project_form_classes()

# What Django says in French and nobody should read on Immersio.
BANNED = [
    "Assurez-vous",
    "courriel",
    "Sélectionnez un choix valide",
    "Saisissez une valeur valide",
    "Un objet ",
    "n’en fait pas partie",
    "Le caractère nul",
    "Ce champ ne peut pas",
]

LONG_TEXTS = [
    pytest.param(cls, name, id=f"{form_id(cls)}.{name}")
    for cls in FORMS
    for name, field in cls.base_fields.items()
    if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea)
]


def test_the_walk_finds_the_long_texts():
    found = {(form_id(p.values[0]), p.values[1]) for p in LONG_TEXTS}
    assert ("contacts.forms.ContactRequestForm", "motivations") in found
    assert ("conventions.forms.ImmersionForm", "tasks") in found
    assert ("structures.forms.IdentityForm", "description") in found


@pytest.mark.parametrize(("form_class", "name"), LONG_TEXTS)
def test_every_long_text_has_a_limit_shown_and_enforced(form_class, name):
    assert issubclass(form_class, FormDefaultsMixin), (
        f"{form_id(form_class)} has a text area: inherit a form mixin built on "
        "immersio.core.fields.FormDefaultsMixin."
    )
    field = form_class.base_fields[name]
    assert field.max_length, f"{form_id(form_class)}.{name}: a text area needs a max_length."
    copy = type("Probe", (FormDefaultsMixin, forms.Form), {name: field})().fields[name]
    assert is_long_text(copy)
    assert "maxlength" not in copy.widget.attrs  # the browser would cut a pasted text
    assert copy.widget.attrs["data-maxlength"] == str(field.max_length)
    limit = f"{field.max_length:,}".replace(",", "\u202f")
    assert f"{limit} caractères au maximum" in str(copy.help_text) or (
        f"{field.max_length} caractères au maximum" in str(copy.help_text)
    )
    with pytest.raises(ValidationError) as error:
        copy.clean("é" * (field.max_length + 7))
    message = " ".join(error.value.messages)
    limit_in_message = str(field.max_length) in message or limit in message
    assert limit_in_message and str(field.max_length + 7) in message
    # A line break typed in a browser arrives as « \r\n »: it counts as one character.
    text = "a\r\n" * (field.max_length // 2)
    assert len(copy.clean(text)) <= field.max_length


@pytest.mark.django_db
def test_the_request_form_shows_the_counter_hooks_and_refuses_too_long(client, host):
    html = client.get(new_url(host)).content.decode()
    textareas = re.findall(r"<textarea[^>]*>", html)
    assert textareas
    for tag in textareas:
        assert "maxlength=" not in tag.replace("data-maxlength=", "")
        assert "data-maxlength=" in tag
    assert "js/counter.js" in html
    data = VALID_FORM | {"appellation": str(MARAICHER), "motivations": "mot " * 800}
    html = client.post(new_url(host), data | {"action": "apercu"}).content.decode()
    assert "3\u202f000 caractères au maximum (le texte en compte 3199)" in html
    assert "mot mot mot" in html  # nothing lost


# Messages -------------------------------------------------------------------------------

PROBES = ["", "abc", "x" * 40_000, "-5", "99999999999999", "0001-01-01", "\x00", "a@"]


def _messages_of(field: forms.Field) -> list[str]:
    found = [str(message) for message in field.error_messages.values()]
    for value in PROBES:
        try:
            field.clean(value)
        except ValidationError as error:
            found.extend(error.messages)
        except (TypeError, AttributeError, KeyError, ValueError):
            pass  # fields whose choices come with the form instance
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", FORMS, ids=form_id)
def test_every_message_of_every_form_is_written_for_people(form_class):
    with translation.override("fr"):
        messages = [m for field in form_class.base_fields.values() for m in _messages_of(field)]
    assert messages or not form_class.base_fields
    for message in messages:
        for phrase in BANNED:
            assert phrase not in message, f"{form_id(form_class)}: « {message} »"


def _po_entries(path: Path) -> list[tuple[str, str]]:
    """(msgid, first msgstr) of a .po file, enough for the project's override."""
    entries, current, key = [], {}, None
    for line in [*path.read_text().splitlines(), ""]:
        if not line.strip():
            if current.get("msgid"):
                entries.append((current["msgid"], current.get("msgstr", current.get("msgstr[0]"))))
            current, key = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += line[1:-1].replace('\\"', '"')
        else:
            key, _, rest = line.partition(" ")
            current[key] = rest[1:-1].replace('\\"', '"')
    return entries


def test_the_compiled_messages_match_the_po_file():
    [locale_dir] = settings.LOCALE_PATHS
    entries = _po_entries(Path(locale_dir) / "fr" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 30
    with translation.override("fr"):
        for msgid, msgstr in entries:
            assert translation.gettext(msgid) == msgstr, msgid
    for _msgid, msgstr in entries:
        assert not any(phrase in msgstr for phrase in BANNED), msgstr


# Plurals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 demande"),
        (1, "1 demande"),
        (2, "2 demandes"),
        (1.5, "1,5 demande"),
        ([], "0 demande"),
    ],
)
def test_pluralize_follows_the_french_rule_in_every_template(count, expected):
    template = Template("{{ shown }} demande{{ n|pluralize }}")
    shown = len(count) if isinstance(count, list) else count
    assert template.render(Context({"n": count, "shown": shown})) == expected
    assert Template('{{ n }} journ{{ n|pluralize:"al,aux" }}').render(Context({"n": 2})) == (
        "2 journaux"
    )


@pytest.mark.django_db
def test_an_empty_board_says_0_demande(client):
    html = client.get("/demandes/tableau/").content.decode()
    assert re.search(r"\b0 demande\b", html)
    assert "0 demandes" not in html
