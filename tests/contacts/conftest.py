"""Fixtures of the contacts tests (the shared ones come from tests/fixtures/)."""

from tests.accounts.conftest import mailbox  # noqa: F401
