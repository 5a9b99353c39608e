import pytest

pytestmark = pytest.mark.django_db


def test_back_office_is_named_for_the_team_not_for_django(admin_client):
    page = admin_client.get("/gestion/").content.decode()
    assert "<title>Tableau de bord de l’équipe | Gestion d’Immersio</title>" in page.replace(
        "&#x27;", "’"
    ).replace("'", "’")
    assert "Administration de Django" not in page
    assert "Site d’administration de Django" not in page
