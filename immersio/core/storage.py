"""Where files that are not public live (signed conventions, scans of paper signatures).

They are never served as static or media files: a view checks who asks, then streams the
file. ``STORAGES["private"]`` names the folder (``IMMERSIO_PRIVATE_ROOT``, ``var/private`` by
default, a temporary folder in tests)."""

from datetime import datetime

from django.core.files.storage import Storage, storages
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.http import http_date


def private_storage() -> Storage:
    """For ``FileField(storage=private_storage)``: a callable, so migrations do not freeze
    the folder."""
    return storages["private"]


def private_file_response(
    file: FieldFile, *, filename: str, modified: datetime, content_type: str = "application/pdf"
) -> FileResponse:
    """A stored private file, streamed inline to whoever the view let in: never cached,
    never sniffed into another type, dated by when it was made."""
    response = FileResponse(
        file.open("rb"), content_type=content_type, as_attachment=False, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Last-Modified"] = http_date(modified.timestamp())
    return response
