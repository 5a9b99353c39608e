"""The project's URLs, plus the directory's API if ``immersio/api/urls.py`` does not
mount it yet (the tests then run against the same router at the same address)."""

from django.urls import path
from ninja import NinjaAPI

from config.urls import urlpatterns as project_urlpatterns
from immersio.api.urls import api


def _mounted() -> bool:
    return any(str(entry[0]).strip("/") == "structures" for entry in getattr(api, "_routers", []))


if _mounted():
    urlpatterns = project_urlpatterns
else:
    _api = NinjaAPI(title="API Immersio (tests)", urls_namespace="directory-tests-api")
    _api.add_router("/structures/", "immersio.directory.api.router")
    urlpatterns = [path("api/v1/", _api.urls), *project_urlpatterns]
