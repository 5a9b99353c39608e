import pytest
from django.tasks import default_task_backend

from immersio.accounts.notifications import LoginLinkNotification
from tests.accounts.factories import UserFactory


@pytest.fixture
def queued_tasks():
    """The tasks queued on the test backend (DummyBackend): nothing runs by itself."""
    default_task_backend.clear()
    yield default_task_backend.results
    default_task_backend.clear()


@pytest.fixture
def login_notification(db):
    user = UserFactory(email="ada@exemple.fr", first_name="Ada", last_name="Lovelace")
    return LoginLinkNotification(
        user=user, login_url="http://127.0.0.1:8000/compte/connexion/lien/?jeton=abc123"
    )
