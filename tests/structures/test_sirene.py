"""The SIRENE look-up: parsing, the HTTP client (against a local server), failures."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from immersio.structures import sirene

DATA = json.loads((Path(__file__).parent / "data" / "recherche_entreprises.json").read_text())


def test_parse_an_establishment_that_is_not_the_head_office():
    found = sirene.parse_search_response(DATA, "73282932000074")
    assert found == sirene.SireneEstablishment(
        siret="73282932000074",
        name="LES JARDINS DE LA SAUVEGARDE",
        brand_name="Jardin du Marais",
        address="40 Rue du Marais",
        postal_code="69100",
        insee_code="69266",
        commune_name="VILLEURBANNE",
        naf_code="0113Z",
        headcount="1-9",
        is_active=True,
        legal_form="9220",
        is_ess=True,
        is_association=True,
        is_public=False,
        is_siae=False,
    )
    assert (found.kind, found.ess_status) == ("association", "association")


def test_parse_the_head_office_from_its_parts():
    found = sirene.parse_search_response(DATA, "73282932000017")
    assert found.address == "12 Chemin des Serres"
    assert (found.insee_code, found.headcount) == ("69204", "10-49")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 RUE DE LA PAIX", "12 Rue de la Paix"),
        ("CHEMIN D'ARGENT", "Chemin d'Argent"),
        ("ALLEE SAINT-EXUPERY", "Allee Saint-Exupery"),
    ],
)
def test_french_title(text, expected):
    assert sirene.french_title(text) == expected


@pytest.mark.parametrize(
    "data", [None, [], {}, {"results": None}, {"results": [{"siege": {"siret": "1"}}]}, "x"]
)
def test_an_unexpected_or_empty_answer_gives_nothing(data):
    assert sirene.parse_search_response(data, "73282932000074") is None


def test_a_closed_establishment_is_flagged():
    data = json.loads(json.dumps(DATA))
    data["results"][0]["matching_etablissements"][0]["etat_administratif"] = "F"
    assert not sirene.parse_search_response(data, "73282932000074").is_active


@pytest.mark.parametrize(
    ("legal_form", "ess", "kind", "status"),
    [
        ("5458", True, "entreprise", "scop"),
        ("5560", True, "entreprise", "scic"),
        ("7210", None, "public", ""),
        ("5710", True, "entreprise", "societe_ess"),
        ("5710", False, "entreprise", ""),
        ("", None, "", ""),
    ],
)
def test_hints_from_the_legal_form(legal_form, ess, kind, status):
    found = sirene.SireneEstablishment(siret="1", name="x", legal_form=legal_form, is_ess=ess)
    assert (found.kind, found.ess_status) == (kind, status)


class _Handler(BaseHTTPRequestHandler):
    status = 200
    body = b""
    queries: list = []

    def do_GET(self):
        _Handler.queries.append(parse_qs(urlsplit(self.path).query))
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def api_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Handler.status, _Handler.body, _Handler.queries = 200, json.dumps(DATA).encode(), []
    yield f"http://127.0.0.1:{server.server_address[1]}/search"
    server.shutdown()
    server.server_close()


def test_the_http_client_asks_by_siret_and_parses(api_server, settings):
    settings.SIRENE_LOOKUP_ENABLED = True
    settings.SIRENE_API_URL = api_server
    settings.SIRENE_CLIENT = ""
    found = sirene.lookup_siret("73282932000074")
    assert found.name == "LES JARDINS DE LA SAUVEGARDE"
    assert _Handler.queries[0]["q"] == ["73282932000074"]


@pytest.mark.parametrize(("status", "body"), [(500, b"{}"), (200, b"<html>"), (429, b"")])
def test_any_error_gives_nothing(api_server, settings, status, body):
    _Handler.status, _Handler.body = status, body
    settings.SIRENE_LOOKUP_ENABLED = True
    settings.SIRENE_API_URL = api_server
    settings.SIRENE_CLIENT = ""
    assert sirene.lookup_siret("73282932000074") is None


def test_an_unreachable_service_gives_nothing(settings):
    settings.SIRENE_LOOKUP_ENABLED = True
    settings.SIRENE_API_URL = "http://127.0.0.1:9/search"  # discard port: refused
    settings.SIRENE_CLIENT = ""
    assert sirene.lookup_siret("73282932000074") is None


def test_disabled_by_default(settings, monkeypatch):
    settings.SIRENE_LOOKUP_ENABLED = False
    settings.SIRENE_CLIENT = ""

    def fail(*args, **kwargs):
        raise AssertionError("no network call when the look-up is disabled")

    monkeypatch.setattr(sirene.urllib.request, "urlopen", fail)
    assert isinstance(sirene.get_sirene_client(), sirene.NoSireneClient)
    assert sirene.lookup_siret("73282932000074") is None


def test_a_timeout_gives_nothing(settings, monkeypatch):
    settings.SIRENE_LOOKUP_ENABLED = True
    settings.SIRENE_CLIENT = ""

    def slow(request, timeout):
        assert timeout == sirene.TIMEOUT_SECONDS
        raise TimeoutError

    monkeypatch.setattr(sirene.urllib.request, "urlopen", slow)
    assert sirene.lookup_siret("73282932000074") is None
