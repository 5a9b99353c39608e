from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from immersio.api.urls import api

urlpatterns = [
    path("", include("immersio.core.urls")),
    path("compte/", include("immersio.accounts.urls")),
    path("referentiels/", include("immersio.referentials.urls")),
    path("structures/", include("immersio.structures.urls")),
    path("", include("immersio.directory.urls")),
    path("api/v1/", api.urls),
    # Staff log in by link like everyone else: the admin's password form is not used.
    path(
        "gestion/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
    ),
    path("gestion/", admin.site.urls),
]

handler404 = "immersio.core.views.page_not_found"
handler500 = "immersio.core.views.server_error"
