"""The team e-mails exist once: every kind's invitation and registration confirmation use
the same two templates, with the words of their kind."""

import pytest

from immersio.agencies import notifications as agency_notifications
from immersio.notifications import previews
from immersio.structures import notifications as structure_notifications

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("classes", "template"),
    [
        (
            (
                agency_notifications.InvitationNotification,
                structure_notifications.InvitationNotification,
            ),
            "invitation",
        ),
        (
            (
                agency_notifications.RegistrationConfirmNotification,
                structure_notifications.RegistrationConfirmNotification,
            ),
            "registration_confirm",
        ),
    ],
)
def test_every_kind_renders_the_same_templates(classes, template):
    for cls in classes:
        (notification,) = previews.build(cls)
        assert notification.text_template_name == f"teams/email/{template}.txt"
        assert notification.html_template_name == f"teams/email/{template}.html"


def test_each_kind_keeps_its_words():
    agency, structure = (
        previews.render(cls)[0]
        for cls in (
            agency_notifications.InvitationNotification,
            structure_notifications.InvitationNotification,
        )
    )
    assert agency.subject == "Rejoignez l'équipe de Cap emploi du Rhône sur Immersio"
    assert "en tant que conseiller." in agency.text
    assert "Rejoindre l'équipe :" in agency.text
    assert "la plateforme des immersions professionnelles, en tant que" in structure.text
    assert "Pour accepter, ouvrez ce lien puis confirmez :" in structure.text
    assert "Vous verrez les demandes reçues par la structure" in structure.text
