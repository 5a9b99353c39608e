"""The reference data in the admin: searchable, read-only."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("referentials")]


@pytest.mark.parametrize(
    ("model", "search"),
    [
        ("romemetier", "D1102"),
        ("appellation", "boulanger"),
        ("appellation", "11573"),
        ("commune", "lyon"),
        ("commune", "69001"),
        ("nafcode", "0111Z"),
        ("romenafhiring", "A1101"),
        ("referentialsversion", ""),
    ],
)
def test_changelists_search(admin_client, model, search):
    url = reverse(f"admin:referentials_{model}_changelist")
    response = admin_client.get(url, {"q": search})
    assert response.status_code == 200


def test_appellation_is_read_only(admin_client):
    url = reverse("admin:referentials_appellation_change", args=[11573])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Boulanger / Boulangère" in response.text
    assert admin_client.get(reverse("admin:referentials_appellation_add")).status_code == 403
    assert 'name="_save"' not in response.text


def test_metier_shows_its_appellations(admin_client):
    response = admin_client.get(reverse("admin:referentials_romemetier_change", args=["D1102"]))
    assert "Boulanger / Boulangère" in response.text
