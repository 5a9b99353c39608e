"""The project's URLs, plus the directory's API when ``immersio/api/urls.py`` does not
mount it yet. Built on first use (PEP 562): importing this module needs no Django set-up."""


def _build():
    from django.urls import path
    from ninja import NinjaAPI

    from config.urls import urlpatterns as project
    from immersio.api.urls import api

    if any(str(entry[0]).strip("/") == "structures" for entry in getattr(api, "_routers", [])):
        return project
    extra = NinjaAPI(title="API Immersio (benchmark)", urls_namespace="bench-directory-api")
    extra.add_router("/structures/", "immersio.directory.api.router")
    return [path("api/v1/", extra.urls), *project]


def __getattr__(name):
    if name == "urlpatterns":
        globals()["urlpatterns"] = patterns = _build()
        return patterns
    raise AttributeError(name)
