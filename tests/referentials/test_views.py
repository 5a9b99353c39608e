"""Search pages (without JavaScript) and the suggestions of the autocompletes."""

import re

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("referentials")]


def test_urls():
    assert reverse("referentials:appellations") == "/referentiels/metiers/"
    assert reverse("referentials:communes") == "/referentiels/communes/"
    assert reverse("referentials:appellation_suggestions") == "/referentiels/metiers/suggestions"
    assert reverse("referentials:commune_suggestions") == "/referentiels/communes/suggestions"


def test_appellation_page_without_query(client):
    response = client.get(reverse("referentials:appellations"))
    assert response.status_code == 200
    html = response.text
    assert "<h1" in html and "Rechercher un métier</h1>" in html
    assert '<label class="form-label" for="recherche-metier">' in html
    assert 'id="recherche-metier"' in html
    assert "Résultats" not in html


def test_appellation_page_lists_results(client):
    response = client.get(reverse("referentials:appellations"), {"q": "boul"})
    assert response.status_code == 200
    html = response.text
    assert 'value="boul"' in html
    assert re.search(r'<p role="status">\s*16 métiers trouvés pour « boul »', html)
    items = re.findall(r'<span class="fw-semibold">([^<]+)</span>', html)
    assert items[0] == "Boulanger / Boulangère"
    assert len(items) == 16
    assert "« boul » : 16 métiers" in html  # in the title


def test_appellation_page_with_no_result(client):
    html = client.get(reverse("referentials:appellations"), {"q": "zzzxxqq"}).text
    assert "Aucun métier ne correspond à « zzzxxqq »" in html


def test_appellation_page_refuses_a_long_query(client):
    response = client.get(reverse("referentials:appellations"), {"q": "a" * 150})
    assert response.status_code == 200
    assert "Trop long : 100 caractères au maximum, le texte en compte 150." in response.text
    assert 'aria-invalid="true"' in response.text
    assert "Résultats" not in response.text


def test_commune_page_lists_results(client):
    html = client.get(reverse("referentials:communes"), {"q": "lyon"}).text
    assert "Rechercher une commune</h1>" in html
    items = re.findall(r'<span class="fw-semibold">([^<]+)</span>', html)
    assert items[0] == "Lyon"
    assert "69001, 69002" in html
    assert '<label class="form-label" for="recherche-commune">' in html


def test_widget_markup_follows_the_combobox_pattern(client):
    html = client.get(reverse("referentials:communes")).text
    field = re.search(r'<input type="text"[^>]*id="recherche-commune"[^>]*>', html).group(0)
    for attribute in [
        'role="combobox"',
        'aria-autocomplete="list"',
        'aria-expanded="false"',
        'aria-controls="recherche-commune-listbox"',
        'aria-describedby="recherche-commune-help"',
        'hx-get="/referentiels/communes/suggestions"',
        'hx-trigger="input changed delay:200ms"',
        'hx-target="#recherche-commune-listbox"',
        'name="q"',
    ]:
        assert attribute in field
    assert '<ul class="combobox-listbox" id="recherche-commune-listbox" role="listbox"' in html
    assert re.search(r'role="status"\s+aria-live="polite"', html)
    assert 'id="recherche-commune-code"' in html
    assert re.search(r'<script src="/static/js/autocomplete\.js" defer></script>', html)
    assert "onclick" not in html and "<script>" not in html  # strict CSP


def test_appellation_suggestions(client):
    response = client.get(
        reverse("referentials:appellation_suggestions"),
        {"q": "boul", "id": "metier"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.text
    options = re.findall(r"<li[^>]*>", html)
    assert len(options) == 10
    assert all('role="option"' in option for option in options)
    assert 'id="metier-option-1"' in options[0]
    assert 'data-value="11573"' in options[0]
    assert 'data-label="Boulanger / Boulangère"' in options[0]
    assert 'aria-selected="false"' in options[0]
    assert "<html" not in html


def test_suggestions_read_the_field_named_by_the_widget(client):
    html = client.get(
        reverse("referentials:commune_suggestions"),
        {"commune_texte": "st etienne", "champ": "commune_texte", "id": "lieu"},
    ).text
    assert 'id="lieu-option-1"' in html
    assert 'data-value="42218"' in html.split("</li>")[0]


def test_suggestions_without_result_say_so(client):
    html = client.get(reverse("referentials:commune_suggestions"), {"q": "qqqzzzxx"}).text
    assert 'aria-disabled="true"' in html
    assert "Aucune commune ne correspond à « qqqzzzxx »" in html


@pytest.mark.parametrize(
    "params",
    [{}, {"q": ""}, {"q": "  "}, {"q": "a" * 101}, {"q": "boul", "champ": "absent"}],
)
def test_suggestions_for_nothing_are_empty(client, params):
    response = client.get(reverse("referentials:appellation_suggestions"), params)
    assert response.status_code == 200
    assert response.content == b""  # the empty list hides (CSS :empty)


def test_suggestion_ids_are_sanitised(client):
    html = client.get(
        reverse("referentials:appellation_suggestions"), {"q": "boul", "id": '"><script>'}
    ).text
    assert 'id="suggestion-option-1"' in html
    assert "<script>" not in html


def test_suggestions_escape_the_query(client):
    html = client.get(reverse("referentials:appellation_suggestions"), {"q": "<b>zzqq</b>"}).text
    assert "<b>" not in html
    assert "&lt;b&gt;zzqq&lt;/b&gt;" in html


def test_search_pages_accept_only_get(client):
    assert client.post(reverse("referentials:appellations")).status_code == 405
