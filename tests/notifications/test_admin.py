import pytest
from django.urls import reverse

from immersio.notifications.models import REDACTED_BODY, OutboundEmail
from immersio.notifications.services import notify
from tests.accounts.factories import UserFactory
from tests.notifications.examples import NewsNotification

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:notifications_outboundemail_changelist")


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(superuser=True))
    return client


def resend(client, *emails):
    return client.post(
        CHANGELIST,
        {"action": "resend", "_selected_action": [email.pk for email in emails]},
        follow=True,
    )


def test_the_outbox_is_listed_with_filters(staff_client, login_notification):
    notify(login_notification)
    response = staff_client.get(CHANGELIST, {"status__exact": "pending"})
    assert response.status_code == 200
    assert "a•••@exemple.fr" in response.text  # masked in the list (issue 11)
    assert "ada@exemple.fr" not in response.text
    assert "Votre lien de connexion à Immersio" in response.text


def test_a_login_link_is_masked_in_the_admin(staff_client, login_notification):
    [email] = notify(login_notification)
    response = staff_client.get(
        reverse("admin:notifications_outboundemail_change", args=[email.pk])
    )
    assert response.status_code == 200
    assert "Contenu masqué" in response.text
    assert "jeton=abc123" not in response.text


def test_resend_restarts_a_given_up_email_and_queues_it(
    staff_client, queued_tasks, django_capture_on_commit_callbacks
):
    [email, _] = notify(NewsNotification())
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.FAILED, attempts=12, last_error="SMTPServerDisconnected"
    )
    queued_tasks.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = resend(staff_client, email)

    assert "1 e-mail(s) remis dans la file d&#x27;envoi." in response.text
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.PENDING, 0)
    assert [result.args for result in queued_tasks] == [[email.pk]]


def test_resend_copies_a_sent_email_and_skips_erased_login_links(
    staff_client, login_notification, django_capture_on_commit_callbacks
):
    [news, _] = notify(NewsNotification())
    [login] = notify(login_notification)
    OutboundEmail.objects.filter(pk=news.pk).update(status=OutboundEmail.Status.SENT)
    OutboundEmail.objects.filter(pk=login.pk).update(
        status=OutboundEmail.Status.SENT, text_body=REDACTED_BODY, html_body=""
    )
    count = OutboundEmail.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = resend(staff_client, news, login)

    assert "1 e-mail(s) déjà envoyé(s) recopié(s) pour un nouvel envoi." in response.text
    assert "1 e-mail(s) ignoré(s)" in response.text
    assert OutboundEmail.objects.count() == count + 1
    copy = OutboundEmail.objects.latest("pk")
    assert (copy.recipient, copy.status, copy.subject) == (
        news.recipient,
        OutboundEmail.Status.PENDING,
        news.subject,
    )


def test_the_outbox_can_be_searched_by_address_or_public_id(staff_client, login_notification):
    [email] = notify(login_notification)
    for term in ["ada@exemple", str(email.public_id)]:
        response = staff_client.get(CHANGELIST, {"q": term})
        assert response.status_code == 200
        assert "a•••@exemple.fr" in response.text  # found, shown masked
