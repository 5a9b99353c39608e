"""One dry run for whatever changes data: the commands, the demo loader, the structures
import."""

import pytest

from immersio.accounts.models import User
from immersio.core.dry_run import run_in_transaction
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("wet_run", "kept"), [(False, 0), (True, 1)])
def test_the_work_is_kept_only_in_a_wet_run_and_says_what_it_did(wet_run, kept):
    result = run_in_transaction(lambda: UserFactory().email, wet_run=wet_run)

    assert "@" in result
    assert User.objects.count() == kept


def test_an_error_still_rolls_back_and_reaches_the_caller():
    def fails():
        UserFactory()
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        run_in_transaction(fails, wet_run=True)
    assert User.objects.count() == 0
