from django.contrib import admin
from django.db import transaction
from django.urls import include, path
from django.views.generic import RedirectView

from immersio.api.urls import api

api_patterns, api_app_name, api_namespace = api.urls
for pattern in api_patterns:
    # Reading reference data or searching the directory needs no transaction: on SQLite an
    # IMMEDIATE transaction per request would take the write lock (docs/performance.md).
    if str(pattern.pattern).startswith("referentials/") or pattern.name == "directory_search":
        transaction.non_atomic_requests(pattern.callback)

urlpatterns = [
    path("", include("immersio.core.urls")),
    path("compte/", include("immersio.accounts.urls")),
    path("referentiels/", include("immersio.referentials.urls")),
    path("structures/", include("immersio.structures.urls")),
    path("demandes/", include("immersio.contacts.urls")),
    path("prescripteurs/", include("immersio.agencies.urls")),
    path("conventions/", include("immersio.conventions.urls")),
    path("", include("immersio.directory.urls")),
    path("api/v1/", (api_patterns, api_app_name, api_namespace)),
    # Staff log in by link like everyone else: the admin's password form is not used.
    path(
        "gestion/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
    ),
    path("gestion/", admin.site.urls),
]

handler404 = "immersio.core.views.page_not_found"
handler500 = "immersio.core.views.server_error"
