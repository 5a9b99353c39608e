import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    ["home", "candidate", "host", "prescriber", "legal", "privacy", "accessibility", "sitemap"],
)
def test_public_pages_render_in_french(client, name):
    response = client.get(reverse(f"core:{name}"))
    assert response.status_code == 200
    assert response["Content-Language"] == "fr" or '<html lang="fr">' in response.text


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
