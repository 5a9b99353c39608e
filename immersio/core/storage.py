"""Where files that are not public live (signed conventions, scans of paper signatures).

They are never served as static or media files: a view checks who asks, then streams the
file. ``STORAGES["private"]`` names the folder (``IMMERSIO_PRIVATE_ROOT``, ``var/private`` by
default, a temporary folder in tests)."""

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """For ``FileField(storage=private_storage)``: a callable, so migrations do not freeze
    the folder."""
    return storages["private"]
