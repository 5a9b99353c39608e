"""Reminders, expiry, answer rates and hiding of silent structures (time frozen)."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from immersio.contacts import services
from immersio.contacts.models import AnswerStats, AutoHide, ContactRequest, Status
from immersio.core.actors import TASK
from immersio.directory.indexing import reindex_structures
from immersio.notifications.models import OutboundEmail
from immersio.structures.models import HostStructure
from tests.accounts.conftest import path_of, token_of
from tests.fixtures.contacts import ContactRequestFactory, make_host

pytestmark = pytest.mark.django_db


def kinds():
    return list(OutboundEmail.objects.order_by("pk").values_list("kind", flat=True))


def test_reminders_at_day_3_and_day_7_once_each(host):
    start = timezone.now()
    contact_request = ContactRequestFactory(structure=host, sent_at=start)
    with time_machine.travel(start + timedelta(days=2, hours=23), tick=False):
        assert services.send_reminders(actor=TASK).reminders_3 == 0
    with time_machine.travel(start + timedelta(days=3, minutes=1), tick=False):
        assert services.send_reminders(actor=TASK).reminders_3 == 1
        assert services.send_reminders(actor=TASK).reminders_3 == 0  # once
    with time_machine.travel(start + timedelta(days=7, minutes=1), tick=False):
        report = services.send_reminders(actor=TASK)
        assert (report.reminders_3, report.reminders_7) == (0, 1)
        assert services.send_reminders(actor=TASK).reminders_7 == 0
    contact_request.refresh_from_db()
    assert contact_request.reminded_3_at and contact_request.reminded_7_at
    assert kinds() == ["contact_reminder", "contact_reminder"]
    assert OutboundEmail.objects.filter(recipient=host.admin_user.email).count() == 2


def test_answered_requests_get_no_reminder(host):
    start = timezone.now() - timedelta(days=8)
    ContactRequestFactory(structure=host, sent_at=start, answered=True)
    ContactRequestFactory(structure=host, sent_at=start, status=Status.WITHDRAWN)
    report = services.send_reminders(actor=TASK)
    assert (report.reminders_3, report.reminders_7, report.expired) == (0, 0, 0)


def test_expiry_at_day_30_with_alternatives(host, mailbox):
    neighbour = make_host()
    reindex_structures([host.pk, neighbour.pk])
    start = timezone.now()
    contact_request = ContactRequestFactory(structure=host, sent_at=start)
    with time_machine.travel(start + timedelta(days=29, hours=23), tick=False):
        assert services.send_reminders(actor=TASK).expired == 0
    OutboundEmail.objects.all().delete()
    with time_machine.travel(start + timedelta(days=30, minutes=1)):
        assert services.send_reminders(actor=TASK).expired == 1
        [email] = mailbox.deliver(1)
    contact_request.refresh_from_db()
    assert contact_request.status == Status.EXPIRED
    assert contact_request.events.get().to_status == Status.EXPIRED
    assert email.to == [contact_request.email]
    assert "n'a pas répondu" in email.text
    assert neighbour.display_name in email.text


def test_command_is_a_dry_run_without_wet_run(host):
    ContactRequestFactory(structure=host, sent_at=timezone.now() - timedelta(days=4))
    out = StringIO()
    call_command("send_contact_reminders", stdout=out)
    assert "Simulation" in out.getvalue()
    assert "1 relance(s) à J+3" in out.getvalue()
    assert not OutboundEmail.objects.exists()
    call_command("send_contact_reminders", "--wet-run", stdout=StringIO())
    assert kinds() == ["contact_reminder"]


def test_answer_rate_and_median_are_set_based(host, reindex_spy, django_assert_max_num_queries):
    now = timezone.now()
    other = make_host()
    for hours in (2, 4, 10):
        ContactRequestFactory(
            structure=host,
            sent_at=now - timedelta(days=20),
            status=Status.ACCEPTED,
            first_answer_at=now - timedelta(days=20) + timedelta(hours=hours),
        )
    ContactRequestFactory(structure=host, sent_at=now - timedelta(days=10))
    ContactRequestFactory(structure=host, sent_at=now - timedelta(days=400))  # too old
    ContactRequestFactory(structure=host, sent_at=now, status=Status.WITHDRAWN)
    for hours in (1, 3):
        ContactRequestFactory(
            structure=other,
            sent_at=now - timedelta(days=5),
            status=Status.DECLINED,
            first_answer_at=now - timedelta(days=5) + timedelta(hours=hours),
        )
    reindex_spy.reset()
    with django_assert_max_num_queries(20):
        assert services.compute_answer_rates(actor=TASK, now=now) == 2
    stats = AnswerStats.objects.get(structure=host)
    assert (stats.requests, stats.answered) == (4, 3)
    assert stats.answer_rate == 0.75
    assert stats.median_answer_hours == pytest.approx(4)
    assert AnswerStats.objects.get(structure=other).median_answer_hours == pytest.approx(2)
    host.refresh_from_db()
    assert host.answer_rate == 0.75
    assert reindex_spy.ids == {host.pk, other.pk}
    # Nothing changed: nothing reindexed.
    reindex_spy.reset()
    services.compute_answer_rates(actor=TASK, now=now)
    assert reindex_spy.ids == set()


def test_silent_structure_is_hidden_and_reopens_with_one_click(host, client, mailbox):
    now = timezone.now()
    ContactRequestFactory.create_batch(19, structure=host, sent_at=now - timedelta(days=40))
    assert services.hide_silent_structures(actor=TASK) == 0
    ContactRequestFactory(structure=host, sent_at=now - timedelta(days=35))
    answering = make_host()
    ContactRequestFactory.create_batch(25, structure=answering, sent_at=now - timedelta(days=40))
    ContactRequestFactory(structure=answering, sent_at=now - timedelta(days=40), answered=True)

    assert services.hide_silent_structures(actor=TASK) == 1
    host.refresh_from_db()
    assert host.status == HostStructure.Status.SUSPENDED
    [email] = mailbox.deliver(1)
    assert email.to == [host.admin_user.email]
    assert "20 demandes" in email.text
    link = path_of(email.first_url())

    page = client.get(link)
    assert "Faire réapparaître" in page.content.decode()
    host.refresh_from_db()
    assert host.status == HostStructure.Status.SUSPENDED  # GET changes nothing
    client.post("/demandes/reouvrir/", {"jeton": token_of(link)})
    host.refresh_from_db()
    assert host.status == HostStructure.Status.PUBLISHED
    assert AutoHide.objects.get().reopened_at is not None
    # Used twice: says so.
    again = client.post("/demandes/reouvrir/", {"jeton": token_of(link)})
    assert again.status_code == 410
    assert "déjà servi" in again.content.decode()
    # The old silence does not hide it again.
    assert services.hide_silent_structures(actor=TASK) == 0


def test_reopen_link_never_undoes_a_staff_suspension(host, client):
    ContactRequestFactory.create_batch(20, structure=host, sent_at=timezone.now())
    services.hide_silent_structures(actor=TASK)
    link = services.reopen_url(AutoHide.objects.get())
    host.refresh_from_db()
    host.status_reason = "Signalement"
    host.save()
    response = client.post("/demandes/reouvrir/", {"jeton": token_of(link)})
    assert response.status_code == 410
    host.refresh_from_db()
    assert host.status == HostStructure.Status.SUSPENDED


def test_open_request_unique_constraint(host):
    ContactRequestFactory(structure=host, email="a@exemple.fr")
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactRequestFactory(structure=host, email="a@exemple.fr", candidate=None)
    assert ContactRequest.objects.count() == 1


def test_answer_stats_include_on_the_structure_page(host):
    from django.template.loader import render_to_string

    from immersio.contacts.selectors import answer_stats_for, structure_page_context

    assert answer_stats_for(host) is None
    assert render_to_string("contacts/includes/answer_stats.html", {"stats": None}).strip() == ""
    now = timezone.now()
    for hours in (20, 60):
        ContactRequestFactory(
            structure=host,
            sent_at=now - timedelta(days=3),
            status=Status.ACCEPTED,
            first_answer_at=now - timedelta(days=3) + timedelta(hours=hours),
        )
    services.compute_answer_rates(actor=TASK, now=now)
    # The structure's page gives the include its context (the window, from the rules).
    context = structure_page_context(host)
    html = render_to_string(
        "contacts/includes/answer_stats.html", context | {"stats": context["answer_stats"]}
    )
    assert "Répond à 100 % des demandes, en général en 2 jours (sur 12 mois)." in html


def test_staff_weekly_figures_and_chart(client, host):
    now = timezone.now()
    ContactRequestFactory(structure=host, sent_at=now)
    ContactRequestFactory(structure=host, sent_at=now, answered=True)
    ContactRequestFactory(structure=host, sent_at=now - timedelta(weeks=2), status=Status.EXPIRED)
    ContactRequestFactory(structure=host, draft=True)
    from immersio.contacts.selectors import weekly_figures

    figures = weekly_figures(now=now)
    assert len(figures) == 12
    last = figures[-1]
    assert (last["sent"], last["answered"], last["accepted"], last["expired"]) == (2, 1, 1, 0)
    assert (figures[-3]["sent"], figures[-3]["expired"]) == (1, 1)
    assert sum(f["sent"] for f in figures) == 3

    client.force_login(host.admin_user)
    assert client.get("/demandes/statistiques/").status_code == 404
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory(staff=True))
    html = client.get("/demandes/statistiques/").content.decode()
    assert "<svg" in html
    assert html.count("<rect") == 12 * 4 + 4  # 4 series a week, and the legend
    assert "Expirées" in html


def test_daily_tasks_act_for_real(host):
    from immersio.contacts import tasks

    ContactRequestFactory(structure=host, sent_at=timezone.now() - timedelta(days=4))
    tasks.send_contact_reminders.call()
    assert kinds() == ["contact_reminder"]
    assert tasks.compute_answer_rates.call() == 1
    host.refresh_from_db()
    assert host.answer_rate == 0
