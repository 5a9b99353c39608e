"""One dry run for whatever changes data: the commands, the demo loader, the structures
import."""

import pytest
from django.core.management import get_commands, load_command_class

from immersio.accounts.models import User
from immersio.core.dry_run import DryRunCommand, run_in_transaction
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


class _Example(DryRunCommand):
    wet_run_help = "Agit vraiment."

    def add_options(self, parser):
        parser.add_argument("--count", type=int, default=1)


def test_a_command_that_changes_data_is_a_dry_run_unless_wet_run_after_its_own_options():
    parser = _Example().create_parser("manage.py", "example")

    assert parser.parse_args(["--count", "3"]).wet_run is False
    assert parser.parse_args(["--count", "3", "--wet-run"]).wet_run is True
    assert "Agit vraiment." in parser.format_help()


# The lead's rewrite of the conventions moves this one to DryRunCommand.
NOT_YET: set[str] = set()


def _commands_of_the_project():
    for name, app in get_commands().items():
        if app.startswith("immersio.") and name not in NOT_YET:
            yield name, app


@pytest.mark.parametrize(("name", "app"), list(_commands_of_the_project()))
def test_every_command_that_takes_wet_run_gets_it_from_the_one_base(name, app):
    command = load_command_class(app, name)
    options = {action.dest for action in command.create_parser("manage.py", name)._actions}

    if "wet_run" in options:
        assert isinstance(command, DryRunCommand)
