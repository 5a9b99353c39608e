"""What the lifecycle's busiest paths read and write (issue 10 item 8, bench/conventions.py):
a signature, a validation and the PDF's download read the convention's row once and narrowly,
the e-mails of a decision read the parties once whatever their number, and their rows are
written in one statement. Counts of queries and columns, never times (times are measured by
``make bench``)."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_http_date

from immersio.agencies.models import AgencyMembership
from immersio.conventions import lifecycle, selectors
from immersio.conventions.links import token_for
from immersio.conventions.models import ConventionDocument
from immersio.conventions.transitions import Action, Role, Status
from immersio.core.actors import AUTOMATIC
from immersio.notifications.models import OutboundEmail
from tests.accounts.factories import UserFactory
from tests.conventions.lifecycle_helpers import last_code_for, sent_convention, sign, sign_all

pytestmark = pytest.mark.django_db

# A column only the whole row of a convention brings (the signing paths never need it).
WIDE_COLUMN = '"conventions_convention"."beneficiary_first_name"'
VERSION_CONTENT = '"conventions_conventionversion"."content"'


def sql_of(function) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        function()
    return [query["sql"] for query in context.captured_queries]


def selects(sql: list[str], table: str) -> list[str]:
    return [q for q in sql if q.startswith("SELECT") and f'FROM "{table}"' in q]


def validate(sent) -> list[str]:
    convention = sent.refresh()
    return sql_of(
        lambda: lifecycle.decide(
            convention=convention,
            action=Action.VALIDATE,
            actor=sent.validator,
            version=convention.version,
            status=convention.status,
        )
    )


def in_review(extra_members: int = 0):
    sent = sent_convention()
    for _ in range(extra_members):
        AgencyMembership.objects.create(
            agency=sent.convention.agency, user=UserFactory(), role="conseiller"
        )
    sign_all(sent)
    assert sent.refresh().status == Status.IN_REVIEW
    return sent


# --- a decision -----------------------------------------------------------------------------


def test_a_decision_s_emails_read_the_parties_once_whatever_their_number():
    small, large = in_review(), in_review(extra_members=4)

    small_sql, large_sql = validate(small), validate(large)

    sent_to = [
        OutboundEmail.objects.filter(kind="convention_validated", subject__contains=s.reference)
        for s in (small.convention, large.convention)
    ]
    assert sent_to[1].count() == sent_to[0].count() + 4
    reads = [[q for q in sql if q.startswith("SELECT")] for sql in (small_sql, large_sql)]
    assert len(reads[0]) == len(reads[1]), "\n".join(reads[1])
    # The signatories and the agency's team: once each, not once per recipient.
    assert len(selects(large_sql, "conventions_signatory")) == 1
    assert len(selects(large_sql, "agencies_agencymembership")) <= 2  # roles, then the team


def test_a_decision_writes_its_emails_in_one_statement_and_its_status_columns_only():
    sent = in_review()

    sql = validate(sent)

    inserts = [q for q in sql if q.startswith('INSERT INTO "notifications_outboundemail"')]
    assert len(inserts) == 1
    assert OutboundEmail.objects.filter(kind="convention_validated").count() > 1
    updates = [q for q in sql if q.startswith('UPDATE "conventions_convention"')]
    assert len(updates) == 1
    assert '"status"' in updates[0] and '"validated_at"' in updates[0]
    assert '"beneficiary_first_name"' not in updates[0]
    assert not any(VERSION_CONTENT in q for q in sql)
    convention = sent.refresh()
    assert convention.status == Status.VALIDATED
    assert convention.validator_name == "Victor Valide"
    assert convention.events.get(action=Action.VALIDATE.value).content_sha256 == (
        selectors.current_version(convention).sha256
    )


def test_a_decision_reads_the_person_s_roles_once_and_the_row_without_the_renewed_one():
    sent = in_review()

    sql = validate(sent)

    # The convention it renews is another whole row: read only for a renewal.
    assert not any('JOIN "conventions_convention"' in q for q in sql)

    roles = [
        q
        for q in selects(sql, "agencies_agencymembership")
        if f'"user_id" = {sent.validator.pk}' in q
    ]
    assert len(roles) == 1


# --- a signature ----------------------------------------------------------------------------


def sign_with_code(signatory) -> list[str]:
    signatory.refresh_from_db()
    version = signatory.convention.version
    lifecycle.send_code(signatory=signatory, version=version, channel="email", actor=AUTOMATIC)
    code = last_code_for(signatory)
    return sql_of(
        lambda: lifecycle.sign(
            signatory=signatory,
            version=version,
            code=code,
            confirmed=True,
            ip="198.51.100.7",
            user_agent="Mozilla/5.0 (test)",
            actor=AUTOMATIC,
        )
    )


def test_a_signature_reads_a_few_columns_of_the_convention_and_no_content():
    sent = sent_convention()

    sql = sign_with_code(sent.signatory(Role.BENEFICIARY))

    assert sent.refresh().status == Status.PARTIALLY_SIGNED
    rows = selects(sql, "conventions_convention")
    # Once, under the lock: the code is checked there too, after what needs no code.
    assert len(rows) == 1
    assert not any(WIDE_COLUMN in q for q in rows)
    assert not any(VERSION_CONTENT in q for q in sql)
    # The signatures and the signatories once each, under the lock (not again to settle).
    assert len(selects(sql, "conventions_signature")) == 1
    assert len(selects(sql, "conventions_signatory")) == 1


def test_the_signature_that_completes_updates_the_row_once_and_writes_both_events_at_once():
    sent = sent_convention()
    *others, last = selectors.required_signatories(sent.convention)
    for signatory in others:
        sign(signatory)

    sql = sign_with_code(last)

    assert sent.refresh().status == Status.IN_REVIEW
    updates = [q for q in sql if q.startswith('UPDATE "conventions_convention"')]
    assert len(updates) == 1
    events = [q for q in sql if q.startswith('INSERT INTO "conventions_conventionevent"')]
    assert len(events) == 1
    actions = list(sent.convention.events.order_by("-pk").values_list("action", flat=True)[:2])
    assert actions == [Action.COMPLETE_SIGNATURES.value, Action.SIGN.value]


def test_a_second_signature_keeps_the_date_the_status_changed():
    sent = sent_convention(  # three signatories: the beneficiary's parent signs too
        beneficiary_birth_date=timezone.localdate() - timedelta(days=16 * 365 + 30),
        legal_rep_first_name="Jo",
        legal_rep_last_name="Durand",
        legal_rep_email="parent@exemple.fr",
        legal_rep_relationship="mère",
        weekly_pattern={str(d): [["08:00", "12:00"], ["13:00", "16:00"]] for d in range(5)},
    )
    first, second, *_others, _last = selectors.unsigned(sent.convention)
    sign(first)
    changed = sent.refresh().status_changed_at

    sign(second)

    convention = sent.refresh()
    assert convention.status == Status.PARTIALLY_SIGNED
    assert convention.status_changed_at == changed
    assert convention.updated_at > changed


def test_the_signature_that_completes_reads_the_whole_row_once_for_its_emails():
    sent = sent_convention()
    *others, last = selectors.required_signatories(sent.convention)
    for signatory in others:
        sign(signatory)

    sql = sign_with_code(last)

    convention = sent.refresh()
    assert convention.status == Status.IN_REVIEW
    assert len([q for q in selects(sql, "conventions_convention") if WIDE_COLUMN in q]) == 1
    emails = OutboundEmail.objects.filter(kind="convention_all_signed")
    assert emails.exists()
    assert all(convention.reference in email.subject for email in emails)
    assert all(convention.beneficiary_last_name in email.text_body for email in emails)


def test_the_signature_post_reads_a_few_columns_and_the_whole_row_only_to_show_an_error(client):
    sent = sent_convention()
    signatory = sent.signatory(Role.BENEFICIARY)
    url = reverse("conventions:sign") + f"?jeton={token_for(str(signatory.public_id), 1)}"
    assert client.post(url, {"action": "code-email"}).status_code == 302
    code = last_code_for(signatory)
    wrong = "000000" if code != "000000" else "111111"

    with CaptureQueriesContext(connection) as refused:
        page = client.post(url, {"action": "signer", "code": wrong, "confirm": "on"})
    with CaptureQueriesContext(connection) as accepted:
        done = client.post(url, {"action": "signer", "code": code, "confirm": "on"})

    assert page.status_code == 400 and sent.convention.reference in page.text
    assert done.status_code == 302
    assert sent.refresh().status == Status.PARTIALLY_SIGNED
    read = [q["sql"] for q in accepted.captured_queries]
    assert not any(WIDE_COLUMN in q for q in read)
    shown = [q["sql"] for q in refused.captured_queries]
    assert any(WIDE_COLUMN in q for q in shown)


# --- the PDF --------------------------------------------------------------------------------


def test_the_pdf_download_streams_the_stored_file_with_http_headers_and_reads_no_content(
    client,
):
    sent = in_review()
    validate(sent)
    convention = sent.refresh()
    version = selectors.current_version(convention)
    document = ConventionDocument(version=version, sha256="0" * 64, size=12)
    document.file.save("stored.pdf", ContentFile(b"%PDF-1.7 ok\n"), save=False)
    document.save()
    signatory = sent.signatory(Role.BENEFICIARY)
    url = reverse("conventions:sign_pdf") + (
        f"?jeton={token_for(str(signatory.public_id), convention.version)}"
    )

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        body = b"".join(response.streaming_content)  # read to its end: closed (no close())

    assert response.status_code == 200
    assert body == b"%PDF-1.7 ok\n"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == "12"
    assert response["Last-Modified"].endswith(" GMT")
    assert parse_http_date(response["Last-Modified"]) == int(document.rendered_at.timestamp())
    sql = [q["sql"] for q in context.captured_queries]
    assert len(sql) == 2  # the link's signatory and convention, the document's row
    assert not any(q.startswith("SAVEPOINT") for q in sql)  # no transaction for a read
    assert not any(VERSION_CONTENT in q for q in sql)
    assert not any(WIDE_COLUMN in q for q in sql)
    assert ConventionDocument.objects.count() == 1


def test_the_validation_post_reads_the_whole_row_once_under_the_lock(client):
    sent = in_review()
    convention = sent.refresh()
    client.force_login(sent.validator)
    url = reverse("conventions:review_act", kwargs={"public_id": convention.public_id})
    data = {
        "action": "valider",
        "valider-version": convention.version,
        "valider-status": convention.status,
        "valider-reason": "",
    }

    with CaptureQueriesContext(connection) as context:
        response = client.post(url, data)

    assert response.status_code == 302
    assert sent.refresh().status == Status.VALIDATED
    wide = [q["sql"] for q in context.captured_queries if WIDE_COLUMN in q["sql"]]
    assert len(wide) == 1, wide  # the lifecycle's lock; the view reads a few columns
