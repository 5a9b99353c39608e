"""Until ``tests.fixtures.structures`` is listed in ``tests/conftest.py``
(``pytest_plugins``), its fixtures are imported here."""

from tests.accounts.conftest import mailbox, path_of, token_of, without_csrf  # noqa: F401
