"""Control characters in any text input are refused in French, never a 500 (issue 8,
item 22). The tests walk every page of the site and every operation of the API."""

import copy
import json
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from immersio.conventions.api import EXAMPLE
from immersio.core.validators import CONTROL_CHARACTER_MESSAGE, has_control_characters

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


def test_every_form_refuses_a_control_character_and_says_so_in_french(client):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory(staff=True, superuser=True))
    for path in SITE_PATHS:
        response = client.post(path, {"motif": "spam\x00", "email": "a@exemple.fr"})
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
