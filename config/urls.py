from django.contrib import admin
from django.urls import include, path

from immersio.api.urls import api

urlpatterns = [
    path("", include("immersio.core.urls")),
    path("compte/", include("immersio.accounts.urls")),
    path("referentiels/", include("immersio.referentials.urls")),
    path("api/v1/", api.urls),
    path("gestion/", admin.site.urls),
]

handler404 = "immersio.core.views.page_not_found"
handler500 = "immersio.core.views.server_error"
