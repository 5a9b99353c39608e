import pytest


@pytest.fixture(autouse=True)
def _directory_urls(settings):
    """The directory's API under /api/v1/structures/, mounted by the tests' URLconf when
    the project's API does not mount it yet."""
    settings.ROOT_URLCONF = "tests.directory.urls"
