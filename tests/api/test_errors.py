"""The API's one error handler: whoever refuses a parameter (django-ninja's schema or the
form of the endpoint), the answer is a 422 ``{"detail": [{type, loc, msg}]}`` in French."""

import pytest

from immersio.core.validators import CONTROL_CHARACTER_MESSAGE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("referentials")]


def test_a_type_refused_by_ninja_is_said_in_french_in_the_one_shape(client):
    response = client.get("/api/v1/referentials/appellations", {"q": "boul", "limit": "dix"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "detail": [
            {"type": "int_parsing", "loc": ["query", "limit"], "msg": "Nombre entier attendu."}
        ]
    }


def test_the_projects_own_messages_are_kept(client):
    response = client.get("/api/v1/referentials/communes", {"q": "a" * 101})
    assert response.json()["detail"] == [
        {
            "type": "query_too_long",
            "loc": ["query", "q"],
            "msg": "La recherche ne doit pas dépasser 100 caractères.",
        }
    ]
    response = client.get("/api/v1/structures/search", {"latitude": "45\x00"})
    assert response.json()["detail"] == [
        {
            "type": "control_character",
            "loc": ["query", "latitude"],
            "msg": CONTROL_CHARACTER_MESSAGE,
        }
    ]
