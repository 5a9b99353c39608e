import pytest
from django.core.management import call_command

from immersio.demo import accounts
from immersio.notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_welcome_without_demo_says_how_to_load_it(capsys):
    call_command("demo_welcome")
    assert "load_demo --wet-run" in capsys.readouterr().out


def test_welcome_lists_the_accounts_the_login_page_and_a_signature_link(referentials, capsys):
    call_command("load_demo", "--wet-run", verbosity=0)
    capsys.readouterr()
    # Neither the worker nor the site runs in tests: the demo's e-mails are still pending
    # and the site does not answer, so the command waits at most the given time, then prints.
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).exists()
    call_command("demo_welcome", "--wait-server", "--wait-outbox", "0.2")
    out = capsys.readouterr().out
    assert "/compte/connexion/" in out
    for email, role in accounts.DEMO_ACCOUNTS:
        assert f"  {email} : {role}" in out
    assert "/conventions/signer/?jeton=" in out


def test_welcome_waits_for_the_e_mails_still_to_be_written(monkeypatch, capsys):
    """A deferred notification not yet rendered by the worker counts as waiting e-mail."""
    from immersio.demo.management.commands import demo_welcome
    from immersio.notifications.models import PendingNotification

    PendingNotification.objects.create(
        kind="convention_validated", payload={"class": "x.Y", "args": [], "kwargs": {}}
    )
    naps = []

    def nap(seconds):
        naps.append(seconds)
        PendingNotification.objects.all().delete()  # the worker wrote it meanwhile

    monkeypatch.setattr(demo_welcome.time, "sleep", nap)
    call_command("demo_welcome", "--wait-outbox", "60")
    assert len(naps) == 1
