import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    ["home", "candidate", "host", "prescriber", "legal", "accessibility", "sitemap"],
)
def test_public_pages_render_in_french(client, name):
    response = client.get(reverse(f"core:{name}"))
    assert response.status_code == 200
    assert response["Content-Language"] == "fr" or '<html lang="fr">' in response.text


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_broken_database(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise RuntimeError("base injoignable")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


def test_strict_content_security_policy(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.text  # no inline script at all


def test_not_found_page_is_french(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.text


def test_server_error_page_is_french(rf):
    from immersio.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Une erreur s'est produite" in response.content.decode()


def test_csp_allows_only_the_map_tile_host_for_images(client, settings):
    csp = client.get("/")["Content-Security-Policy"]
    assert f"img-src 'self' data: {settings.MAP_TILE_ORIGIN}" in csp
    assert settings.MAP_TILE_ORIGIN == "https://tile.openstreetmap.org"
