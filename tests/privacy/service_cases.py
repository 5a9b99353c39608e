"""The privacy app's services refuse whoever may not run them (``test_service_actors``)."""

from datetime import timedelta

from django.utils import timezone

from immersio.core.actors import AUTOMATIC, TASK, VISITOR
from immersio.core.models import RateLimitCounter
from immersio.privacy.models import DataExport
from tests.accounts.factories import UserFactory
from tests.core.service_case import Case


def _retention_by_a_person():
    # Something due, so that a wrongly allowed run would change the database.
    RateLimitCounter.objects.create(
        scope="essai", key="x", window_start=timezone.now() - timedelta(days=400), count=1
    )
    return {"wet_run": True}, UserFactory()


def _export_for_someone_else():
    return {"user": UserFactory()}, UserFactory()


def _export_by_a_task():
    return {"user": UserFactory()}, TASK


def _someone_elses_export_used():
    export = DataExport.objects.create(
        user=UserFactory(), token_hash="0" * 64, expires_at=timezone.now() + timedelta(hours=1)
    )
    return {"export": export}, UserFactory()


def _deletion_by_someone_else():
    return {"user": UserFactory()}, UserFactory()


def _deletion_by_a_visitor():
    return {"user": UserFactory()}, VISITOR


def _warning_by_a_person():
    return {"user": UserFactory(), "delete_on": timezone.localdate(), "inactivity": "2 ans"}, (
        UserFactory(is_staff=True)
    )


def _warning_forgotten_by_someone_else():
    return {"user": UserFactory()}, UserFactory()


def _inactive_deleted_by_a_person():
    return {"user": UserFactory()}, UserFactory(is_staff=True)


def _inactive_deleted_automatically():
    return {"user": UserFactory()}, AUTOMATIC


CASES = [
    Case("immersio.privacy.purge.apply_retention", build=_retention_by_a_person),
    Case("immersio.privacy.services.request_export", build=_export_for_someone_else),
    Case("immersio.privacy.services.request_export", build=_export_by_a_task),
    Case("immersio.privacy.services.use_export", build=_someone_elses_export_used),
    Case("immersio.privacy.services.delete_account", build=_deletion_by_someone_else),
    Case("immersio.privacy.services.delete_account", build=_deletion_by_a_visitor),
    Case("immersio.privacy.services.warn_inactive", build=_warning_by_a_person),
    Case("immersio.privacy.services.forget_warning", build=_warning_forgotten_by_someone_else),
    Case("immersio.privacy.services.delete_inactive", build=_inactive_deleted_by_a_person),
    Case("immersio.privacy.services.delete_inactive", build=_inactive_deleted_automatically),
]

READ_ONLY = {
    "immersio.privacy.services.may_delete": "a permission predicate, reads two users",
}
