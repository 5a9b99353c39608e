"""Control characters in any text input are refused in French, never a 500 (issue 8,
item 22). The tests walk every page of the site and every operation of the API."""

import copy
import json
import uuid

import pytest
from django import forms
from django.urls import URLPattern, URLResolver, get_resolver

from immersio.conventions.api import EXAMPLE
from immersio.core.fields import FormDefaultsMixin, PhoneField
from immersio.core.validators import CONTROL_CHARACTER_MESSAGE, has_control_characters
from tests.core.project_forms import form_id, project_form_classes

pytestmark = pytest.mark.django_db

SAMPLES = {"uuid": str(uuid.uuid4()), "int": "1", "slug": "x", "str": "x", "path": "x"}


def _site_paths(resolver=None, prefix=""):
    """A concrete path for every URL pattern of the site but the API."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        route = str(pattern)
        if getattr(pattern, "converters", None) is not None:
            for name, converter in pattern.converters.items():
                kind = type(converter).__name__.removesuffix("Converter").lower()
                route = route.replace(f"<{kind}:{name}>", SAMPLES.get(kind, "x"))
                route = route.replace(f"<{name}>", "x")
        if route.startswith("^") or "(?P" in route:  # the admin's regex patterns
            continue
        if isinstance(entry, URLResolver):
            if route.startswith("api/"):
                continue
            yield from _site_paths(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + route


SITE_PATHS = [*sorted(set(_site_paths())), "/gestion/", "/gestion/structures/hoststructure/"]


CHARACTERS = ["\x00", "\x01", "\x1b", "\x7f"]


@pytest.mark.parametrize("where", ["value", "key"])
def test_every_page_refuses_a_control_character_in_its_query_string(client, where):
    for number, path in enumerate(SITE_PATHS):
        character = CHARACTERS[number % len(CHARACTERS)]
        query = {"q": f"a{character}b"} if where == "value" else {f"q{character}": "a"}
        response = client.get(path, query)
        assert response.status_code == 400, path
        assert "caractère invisible non autorisé" in response.text, path


def test_every_page_refuses_a_control_character_in_its_address(client):
    for path in ["/structures/a%00b/", "/demandes/tableau/%00/", "/referentiels/%00"]:
        response = client.get(path)
        assert response.status_code == 400, path
        assert "caractère invisible non autorisé" in response.text


# Forms read from the query string (refused as a whole with the address, above), and the
# back office's forms (refused as a whole, below).
QUERY_STRING_FORMS = {"referentials.views.SearchForm", "agencies.forms.DirectoryForm"}


def _checked_field_by_field(cls) -> bool:
    return not (
        cls.__module__.endswith(".admin")
        or cls.__name__.startswith("Admin")
        or cls.__name__.endswith("Mixin")
        or form_id(cls) in QUERY_STRING_FORMS
    )


TEXT_FIELDS = [
    pytest.param(cls, name, id=f"{form_id(cls)}.{name}")
    for cls in project_form_classes()
    if _checked_field_by_field(cls)
    for name, field in cls.base_fields.items()
    if isinstance(field, forms.CharField)
]


def test_the_walk_finds_the_text_fields():
    found = {(form_id(p.values[0]), p.values[1]) for p in TEXT_FIELDS}
    assert ("contacts.forms.ContactRequestForm", "motivations") in found
    assert ("conventions.forms.BeneficiaryForm", "beneficiary_first_name") in found
    assert len(found) > 100


@pytest.mark.parametrize(("form_class", "name"), TEXT_FIELDS)
def test_every_text_field_of_every_form_refuses_control_characters_next_to_it(form_class, name):
    assert issubclass(form_class, FormDefaultsMixin), (
        f"{form_id(form_class)} has a text field: inherit a form mixin built on "
        "immersio.core.fields.FormDefaultsMixin."
    )
    field = type("Probe", (FormDefaultsMixin, forms.Form), {name: form_class.base_fields[name]})
    original = form_class.base_fields[name]
    has_a_format = isinstance(
        original, forms.EmailField | forms.URLField | forms.UUIDField | PhoneField
    )
    for character in CHARACTERS:
        probe = field(data={name: f"Bonjour{character}monde"})
        assert not probe.is_valid()
        if has_a_format:  # refused by its own format check first: still next to the field
            assert probe.errors[name], (name, character)
        else:
            assert CONTROL_CHARACTER_MESSAGE in probe.errors[name], (name, character)


def test_a_control_character_in_a_form_keeps_what_was_typed_next_to_the_field(client):
    from tests.structures.factories import HostStructureFactory

    structure = HostStructureFactory(with_site=True)
    response = client.post(
        f"/demandes/nouvelle/{structure.public_id}/",
        {"first_name": "Cam\x01ille", "motivations": "Je veux découvrir ce métier de près."},
    )
    assert response.status_code == 200
    assert CONTROL_CHARACTER_MESSAGE.split(" (")[0] in response.text
    assert "découvrir ce métier de près" in response.text


def test_no_page_answers_500_to_a_control_character_in_a_posted_form(client):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory(staff=True, superuser=True))
    for number, path in enumerate(SITE_PATHS):
        character = CHARACTERS[number % len(CHARACTERS)]
        data = {"motif": f"spam{character}", "email": "a@exemple.fr", "nom": f"a{character}"}
        response = client.post(path, data)
        assert response.status_code < 500, path


def test_the_back_office_and_raw_posted_values_are_refused_as_a_whole(client):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory(staff=True, superuser=True))
    for path, data in [
        ("/gestion/structures/hoststructure/", {"q": "x", "name": "a\x00b"}),
        (f"/demandes/tableau/{uuid.uuid4()}/masquer/", {"motif": "spam\x00"}),
    ]:
        response = client.post(path, data)
        assert response.status_code == 400, path
        assert "Le formulaire envoyé contient un caractère invisible" in response.text, path
        assert '<html lang="fr">' in response.text


def test_ordinary_text_with_tabs_and_line_breaks_goes_through(client):
    response = client.get("/referentiels/", {"q": "boulanger\tpâtissier\r\n"})
    assert response.status_code != 400
    assert not has_control_characters("Ligne 1\r\nLigne 2\tfin — « ok » ’")


# --- the API ----------------------------------------------------------------------------------


def _operations(client):
    document = client.get("/api/v1/openapi.json").json()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


@pytest.mark.usefixtures("referentials")
def test_every_api_query_parameter_refuses_control_characters_with_a_french_422(client):
    checked = 0
    for path, method, operation in _operations(client):
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            response = getattr(client, method)(path, {parameter["name"]: "lyon\x00"})
            assert response.status_code == 422, (path, parameter["name"], response.content)
            if parameter["schema"].get("type") != "string":
                continue  # a number or a flag: refused as not one
            errors = response.json()["detail"]
            assert {error["type"] for error in errors} == {"control_character"}
            assert {error["msg"] for error in errors} == {CONTROL_CHARACTER_MESSAGE}
            assert errors[0]["loc"][:2] == ["query", parameter["name"]]
            checked += 1
    assert checked >= 6  # the referentials' q, the directory's text filters


def _string_leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _string_leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _string_leaves(value, (*path, index))
    elif isinstance(node, str):
        yield path


def _set(payload, path, value):
    for part in path[:-1]:
        payload = payload[part]
    payload[path[-1]] = value


FREE_TEXT = {("objectives",), ("beneficiary", "email"), ("host_representative", "email")}


def test_every_text_of_the_convention_check_refuses_control_characters(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "convention_check_per_ip": (10_000, 60)}
    leaves = list(_string_leaves(EXAMPLE))
    assert len(leaves) > 10
    for leaf in leaves:
        payload = copy.deepcopy(EXAMPLE)
        original = payload
        for part in leaf:
            original = original[part]
        _set(payload, leaf, original + "\x00")
        response = client.post(
            "/api/v1/conventions/check", json.dumps(payload), content_type="application/json"
        )
        assert response.status_code == 422, leaf
        violations = response.json()["violations"]
        assert violations and all(v["message"] for v in violations)
        if leaf in FREE_TEXT:
            assert [v["code"] for v in violations] == ["control_character"], leaf
            assert violations[0]["message"] == CONTROL_CHARACTER_MESSAGE
