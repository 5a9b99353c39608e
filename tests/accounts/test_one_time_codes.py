"""One-time codes (``accounts.services.issue_code`` / ``check_code``): hashed, single use,
10 minutes for a signature, 5 wrong attempts, a new code kills the previous one."""

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import IntegrityError, OperationalError, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from immersio.accounts.models import OneTimeCode
from immersio.accounts.selectors import code_in_play
from immersio.accounts.services import CodeCheck, check_code, issue_code
from immersio.core import otp
from immersio.core.actors import AUTOMATIC
from tests.accounts.factories import UserFactory

TEN_MINUTES = timedelta(minutes=10)
SIGNATURE = {"purpose": "signature", "subject": "signatory:42"}


def _issue(channel="email", sent_to="camille@exemple.fr", lifetime=TEN_MINUTES, **key):
    return issue_code(
        **(key or SIGNATURE),
        channel=channel,
        sent_to=sent_to,
        lifetime=lifetime,
        actor=AUTOMATIC,
    )


def _check(code, **key):
    return check_code(**(key or SIGNATURE), code=code, actor=AUTOMATIC)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**otp.CODE_LENGTH:06d}"


@pytest.mark.django_db
class TestIssueAndCheck:
    def test_only_the_hash_and_a_masked_address_are_stored(self):
        row, code = _issue()
        assert len(code) == 6 and code.isdigit()
        stored = OneTimeCode.objects.get()
        assert stored == row
        assert code not in stored.code_hash
        assert stored.code_hash == otp.hash_code(code, **SIGNATURE)
        assert (stored.channel, stored.sent_to) == ("email", "c•••@exemple.fr")
        assert stored.expires_at == stored.created_at + TEN_MINUTES
        assert (stored.attempts, stored.used_at, stored.revoked_at) == (0, None, None)

    def test_an_sms_code_shows_the_masked_number(self):
        row, _ = _issue(channel="sms", sent_to="+33612345612")
        assert row.sent_to == "06 •• •• •• 12"

    def test_the_right_code_works_once(self):
        row, code = _issue()
        result = _check(code)
        assert result.ok and result.status == CodeCheck.OK
        assert result.one_time_code == row
        row.refresh_from_db()
        assert row.used_at is not None

        again = _check(code)
        assert not again.ok and again.status == CodeCheck.NONE_ISSUED

    def test_a_wrong_code_counts_and_the_fifth_kills_it(self):
        _, code = _issue()
        lefts = [_check(_wrong(code)) for _ in range(4)]
        assert [(r.status, r.attempts_left) for r in lefts] == [
            (CodeCheck.WRONG, 4),
            (CodeCheck.WRONG, 3),
            (CodeCheck.WRONG, 2),
            (CodeCheck.WRONG, 1),
        ]
        fifth = _check(_wrong(code))
        assert (fifth.status, fifth.attempts_left) == (CodeCheck.TOO_MANY_ATTEMPTS, 0)
        # Dead: even the right code is refused now, and the count stays at the maximum.
        assert _check(code).status == CodeCheck.TOO_MANY_ATTEMPTS
        assert OneTimeCode.objects.get().attempts == otp.MAX_WRONG_ATTEMPTS
        assert OneTimeCode.objects.get().used_at is None

    def test_the_right_code_after_a_few_wrong_ones_still_works(self):
        _, code = _issue()
        _check(_wrong(code))
        _check("pas un code")
        assert _check(code).ok

    def test_a_code_expires_after_its_lifetime(self, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        _, code = _issue()
        time_machine.shift(TEN_MINUTES - timedelta(seconds=1))
        _, fresh = _issue(**{"purpose": "signature", "subject": "other"})
        assert _check(fresh, purpose="signature", subject="other").ok  # still valid at 9:59
        time_machine.shift(timedelta(seconds=1))
        expired = _check(code)
        assert expired.status == CodeCheck.EXPIRED
        assert OneTimeCode.objects.get(subject="signatory:42").attempts == 0

    def test_a_new_code_kills_the_previous_one(self):
        first, first_code = _issue()
        second, second_code = _issue(channel="sms", sent_to="06 12 34 56 78")
        first.refresh_from_db()
        assert first.revoked_at is not None and second.revoked_at is None
        if first_code != second_code:
            assert _check(first_code).status == CodeCheck.WRONG
        assert _check(second_code).ok

    def test_codes_of_another_purpose_or_subject_do_not_interfere(self):
        _, code = _issue()
        _issue(purpose="login", subject="signatory:42")
        assert _check(code, purpose="signature", subject="signatory:43").status == (
            CodeCheck.NONE_ISSUED
        )
        assert _check(code, purpose="login", subject="signatory:42").status in {
            CodeCheck.WRONG,
            CodeCheck.OK,  # one chance in a million that both codes are equal
        }
        assert _check(code).ok

    def test_a_code_used_between_reading_and_writing_is_not_accepted_twice(self, monkeypatch):
        # Without row locks, another check may use the code after this one read it: the
        # update that marks it used only applies to a code still in play.
        row, code = _issue()
        real = otp.code_matches

        def used_meanwhile(*args, **kwargs):
            OneTimeCode.objects.filter(pk=row.pk).update(used_at=timezone.now())
            return real(*args, **kwargs)

        monkeypatch.setattr(otp, "code_matches", used_meanwhile)
        assert _check(code).status == CodeCheck.NONE_ISSUED

    def test_a_wrong_attempt_never_counts_beyond_the_limit(self, monkeypatch):
        row, code = _issue()
        real = otp.code_matches

        def killed_meanwhile(*args, **kwargs):
            OneTimeCode.objects.filter(pk=row.pk).update(attempts=otp.MAX_WRONG_ATTEMPTS)
            return real(*args, **kwargs)

        monkeypatch.setattr(otp, "code_matches", killed_meanwhile)
        assert _check(_wrong(code)).status == CodeCheck.TOO_MANY_ATTEMPTS
        row.refresh_from_db()
        assert row.attempts == otp.MAX_WRONG_ATTEMPTS

    def test_nothing_issued(self):
        assert _check("123456").status == CodeCheck.NONE_ISSUED

    def test_the_database_keeps_one_code_in_play(self):
        row, _ = _issue()
        with pytest.raises(IntegrityError), transaction.atomic():
            OneTimeCode.objects.create(
                purpose=row.purpose,
                subject=row.subject,
                code_hash="0" * 64,
                channel="email",
                sent_to="•••",
                expires_at=row.expires_at,
            )

    def test_a_logged_in_person_may_use_codes(self):
        person = UserFactory()
        _, code = issue_code(
            **SIGNATURE, channel="email", sent_to=person.email, lifetime=TEN_MINUTES, actor=person
        )
        assert check_code(**SIGNATURE, code=code, actor=person).ok

    @pytest.mark.parametrize(
        ("channel", "lifetime"), [("fax", TEN_MINUTES), ("email", timedelta(0))]
    )
    def test_bad_arguments_are_refused(self, channel, lifetime):
        with pytest.raises(ValueError):
            _issue(channel=channel, lifetime=lifetime)
        assert not OneTimeCode.objects.exists()


# --- concurrency -------------------------------------------------------------------------------
# Each thread has its own database connection, as two server processes would. On PostgreSQL
# (DATABASE_URL) the row lock serialises the checks. The SQLite test database lives in memory
# with a shared cache, whose table locks refuse a concurrent writer at once instead of waiting
# (the busy timeout of a file database): a refused attempt is rolled back and started over,
# as the timeout would make it wait. A pause between reading the code and using it lets both
# checks read it as unused before either writes.


def _retrying_when_locked(call):
    for _ in range(200):
        try:
            return call()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(random.uniform(0.005, 0.02))
    raise AssertionError("the database stayed locked")


def _close_thread_connections():
    for conn in connections.all(initialized_only=True):
        if conn.vendor == "sqlite" and conn.is_in_memory_db():
            # Django keeps in-memory connections open for the whole run; this one is the
            # thread's own, the database lives on through the test's connection.
            conn._close()
            conn.connection = None
        else:
            conn.close()


def _in_parallel(count, call):
    barrier = threading.Barrier(count)

    def run(_):
        try:
            barrier.wait(timeout=10)
            return _retrying_when_locked(call)
        finally:
            _close_thread_connections()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("database", [connection.vendor])  # shows where it ran
def test_two_checks_of_the_right_code_at_the_same_moment_one_wins(database, monkeypatch):
    row, code = _issue()
    real = otp.code_matches

    def slow_match(*args, **kwargs):
        time.sleep(0.05)
        return real(*args, **kwargs)

    monkeypatch.setattr(otp, "code_matches", slow_match)

    results = _in_parallel(2, lambda: _check(code))

    assert sorted(result.status for result in results) == [CodeCheck.NONE_ISSUED, CodeCheck.OK]
    row.refresh_from_db()
    assert row.used_at is not None


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_codes_never_pass_the_limit():
    _, code = _issue()
    results = _in_parallel(8, lambda: _check(_wrong(code)))
    statuses = sorted(result.status for result in results)
    assert statuses.count(CodeCheck.WRONG) == otp.MAX_WRONG_ATTEMPTS - 1
    assert statuses.count(CodeCheck.TOO_MANY_ATTEMPTS) == 8 - (otp.MAX_WRONG_ATTEMPTS - 1)
    assert OneTimeCode.objects.get().attempts == otp.MAX_WRONG_ATTEMPTS


@pytest.mark.django_db
def test_the_code_in_play_is_the_last_one_neither_used_nor_replaced():
    assert code_in_play(**SIGNATURE) is None
    _issue()
    second, code = _issue(channel="sms", sent_to="06 12 34 56 78")
    assert code_in_play(**SIGNATURE) == second
    assert code_in_play(purpose="signature", subject="other") is None
    _check(code)
    assert code_in_play(**SIGNATURE) is None


@pytest.mark.django_db
def test_the_back_office_lists_codes_without_their_hash(client):
    row, _ = _issue()
    client.force_login(UserFactory(superuser=True))
    listing = client.get(reverse("admin:accounts_onetimecode_changelist"))
    assert listing.status_code == 200
    assert "c•••@exemple.fr" in listing.text
    detail = client.get(reverse("admin:accounts_onetimecode_change", args=[row.pk]))
    assert detail.status_code == 200
    assert row.code_hash not in detail.text and row.code_hash not in listing.text
