import uuid
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import time_machine
from django.utils import timezone

from immersio.core.links import link_param, read_signed_id, signed_url


def _token(url: str) -> str:
    return parse_qs(urlsplit(url).query)["jeton"][0]


def test_a_signed_link_names_its_public_id_until_it_expires():
    public_id = uuid.uuid4()
    url = signed_url("structures:confirm", public_id, salt="test.salt", key="r")
    assert url.startswith("http") and "?jeton=" in url
    token = _token(url)
    assert read_signed_id(token, salt="test.salt", key="r", max_age=timedelta(days=7)) == public_id
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=5)):
        assert read_signed_id(token, salt="test.salt", key="r", max_age=timedelta(days=7)) is None


def test_forged_truncated_or_misused_tokens_name_nothing():
    token = _token(signed_url("structures:confirm", uuid.uuid4(), salt="test.salt", key="r"))
    day = timedelta(days=1)
    assert read_signed_id(token, salt="other.salt", key="r", max_age=day) is None
    assert read_signed_id(token[:-3], salt="test.salt", key="r", max_age=day) is None
    assert read_signed_id(token, salt="test.salt", key="i", max_age=day) is None
    assert read_signed_id("", salt="test.salt", key="r", max_age=day) is None


def test_a_link_parameter_comes_from_the_address_then_from_the_form_of_its_page(rf):
    assert link_param(rf.get("/lien/", {"jeton": "abc"})) == "abc"
    assert link_param(rf.get("/lien/", {"next": "/espace/"}), "next") == "/espace/"
    assert link_param(rf.post("/lien/?jeton=address", {"jeton": "form"})) == "form"
    assert link_param(rf.get("/lien/")) == ""
