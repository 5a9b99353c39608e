"""Item 9 of issue 8: the dates a structure proposes when it accepts are real dates,
checked (existing, end after start, not in the past, one month at most), shown on both
sides and carried into the convention draft prepared from the request."""

from datetime import date, timedelta
from html import unescape

import pytest
from django.utils import timezone

from immersio.contacts import rules
from immersio.contacts.models import Status
from immersio.conventions.models import Convention
from tests.fixtures.contacts import ContactRequestFactory

pytestmark = pytest.mark.django_db


def accept(client, contact_request, start, end, **extra):
    data = {"accepter-proposed_start": start, "accepter-proposed_end": end} | extra
    return client.post(f"/demandes/{contact_request.public_id}/accepter/", data)


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("31/02/2099", "30/03/2099", "proposed_start", "cette date n'existe pas"),
        ("2099-03-01", "2099-02-30", "proposed_end", "cette date n'existe pas"),
        ("du 31/02", "au 30/02", "proposed_start", "Saisissez-la ainsi : 15/03/2026"),
        ("", "2099-03-01", "proposed_start", "Indiquez la date de début."),
        ("2099-03-01", "", "proposed_end", "Indiquez la date de fin."),
        (20, 19, "proposed_end", "doit être le même jour"),
        (20, 51, "proposed_end", "au plus un mois de date à date"),
        ("2020-03-01", "2020-03-05", "proposed_start", "est passée"),
        ("9999-11-15", "9999-12-01", "proposed_start", "dans l'année qui vient"),
    ],
)
def test_wrong_dates_are_refused_next_to_their_field(client, host, start, end, field, message):
    contact_request = ContactRequestFactory(structure=host)
    client.force_login(host.admin_user)
    today = timezone.localdate()
    start, end = (
        (today + timedelta(days=value)).isoformat() if isinstance(value, int) else value
        for value in (start, end)
    )
    response = accept(client, contact_request, start, end, **{"accepter-body": "À bientôt"})
    assert response.status_code == 400
    html = unescape(response.content.decode())
    error = html[html.index(f'id="id_accepter-{field}_error"') :]
    assert message in error[: error.index("</div>")]
    assert f'aria-describedby="id_accepter-{field}_helptext id_accepter-{field}_error"' in html
    assert "À bientôt" in html  # nothing typed is lost
    contact_request.refresh_from_db()
    assert contact_request.status == Status.NEW
    assert contact_request.proposed_start is None


def test_real_dates_are_shown_to_both_sides_and_prefill_the_convention(client, host, mailbox):
    contact_request = ContactRequestFactory(structure=host)
    client.force_login(host.admin_user)
    today = timezone.localdate()
    end = today + timedelta(days=3)
    response = accept(
        client,
        contact_request,
        today.strftime("%d/%m/%Y"),  # typed without the date picker
        end.isoformat(),
        **{"accepter-proposed_dates": "de 9 h à 16 h"},
    )
    assert response.status_code == 302
    contact_request.refresh_from_db()
    assert (contact_request.proposed_start, contact_request.proposed_end) == (today, end)
    expected = f"{rules.describe_period(today, end)} (de 9 h à 16 h)"
    assert unescape(mailbox.deliver(1)[0].text).count(expected) == 1
    thread = f"/demandes/{contact_request.public_id}/"
    assert expected in unescape(client.get(thread).content.decode())
    inbox = f"/demandes/structure/{host.public_id}/?filtre=repondues"
    assert expected in unescape(client.get(inbox).content.decode())
    client.force_login(contact_request.candidate)
    assert expected in unescape(client.get(thread).content.decode())
    assert expected in unescape(client.get("/demandes/mes-demandes/").content.decode())

    # « Préparer la convention » from the accepted request carries the dates.
    client.post("/conventions/nouvelle/", {"demande": str(contact_request.public_id)})
    convention = Convention.objects.get(contact_request=contact_request)
    assert (convention.date_start, convention.date_end) == (today, end)


def test_the_rule_itself():
    today = date(2026, 3, 2)
    assert rules.proposed_period(start=today, end=today, today=today) == []
    assert (
        rules.proposed_period(start=date(2026, 2, 3), end=date(2026, 3, 2), today=date(2026, 2, 1))
        == []
    )
    [too_long] = rules.proposed_period(
        start=date(2026, 2, 3), end=date(2026, 3, 3), today=date(2026, 2, 1)
    )
    assert too_long.code == "period_too_long"
    assert "2 mars 2026" in too_long.message
    codes = [
        v.code
        for v in rules.proposed_period(start=date(2026, 3, 1), end=date(2026, 2, 1), today=today)
    ]
    assert codes == ["start_in_past", "end_before_start"]
    assert (
        rules.describe_period(date(2026, 3, 3), date(2026, 3, 7)) == "du 3 mars 2026 au 7 mars 2026"
    )
    assert rules.describe_period(date(2026, 3, 3), date(2026, 3, 3)) == "le 3 mars 2026"
