from django.contrib import admin
from django.db import transaction
from django.urls import include, path

from immersio.api.urls import api
from immersio.core.views import admin_login

api_patterns, api_app_name, api_namespace = api.urls
for pattern in api_patterns:
    # Reading reference data or searching the directory needs no transaction: on SQLite an
    # IMMEDIATE transaction per request would take the write lock (docs/performance.md).
    if str(pattern.pattern).startswith("referentials/") or pattern.name == "directory_search":
        transaction.non_atomic_requests(pattern.callback)

urlpatterns = [
    path("", include("immersio.core.urls")),
    path("", include("immersio.privacy.urls")),
    path("compte/", include("immersio.accounts.urls")),
    path("referentiels/", include("immersio.referentials.urls")),
    path("structures/", include("immersio.structures.urls")),
    path("demandes/", include("immersio.contacts.urls")),
    path("prescripteurs/", include("immersio.agencies.urls")),
    path("conventions/", include("immersio.conventions.urls")),
    path("carnet/", include("immersio.journal.urls")),
    path("est-ce-pour-moi/", include("immersio.orientation.urls")),
    path("temoignages/", include("immersio.testimonies.urls")),
    path("personnes-ressources/", include("immersio.resource_people.urls")),
    path("evenements/", include("immersio.events.urls")),
    path("bilans/", include("immersio.assessments.urls")),
    path("equipe/e-mails/", include("immersio.notifications.urls")),
    path("", include("immersio.directory.urls")),
    path("api/v1/", (api_patterns, api_app_name, api_namespace)),
    # Staff log in by link like everyone else: the admin's password form is not used.
    path(
        "gestion/login/",
        admin_login,
    ),
    path("gestion/", admin.site.urls),
]

handler400 = "immersio.core.views.bad_request"
handler403 = "immersio.core.views.permission_denied"
handler404 = "immersio.core.views.page_not_found"
handler500 = "immersio.core.views.server_error"
