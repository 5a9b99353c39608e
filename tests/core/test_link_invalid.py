"""One page for every link received by e-mail that no longer works: the app gives the words."""

from django.test import RequestFactory

from immersio.core.links import link_invalid_page


def test_the_page_says_the_apps_words_and_offers_its_button():
    request = RequestFactory().get("/")
    response = link_invalid_page(
        request,
        used=False,
        explanation="Celui-ci a expiré.",
        action_url="/inscription/",
        action_label="Recommencer",
    )
    text = response.content.decode()
    assert response.status_code == 410
    assert "Ce lien n'est plus valable" in text
    assert "<p>Celui-ci a expiré.</p>" in text
    assert 'href="/inscription/">Recommencer</a>' in text
    assert "Besoin d'aide" in text


def test_a_used_link_says_so_and_the_help_line_can_be_left_out():
    response = link_invalid_page(
        RequestFactory().get("/"), used=True, explanation="Il ne sert qu'une fois.", with_help=False
    )
    text = response.content.decode()
    assert "Ce lien a déjà été utilisé" in text
    assert "Besoin d'aide" not in text
    assert "btn-primary" not in text
