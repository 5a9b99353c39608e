from django.urls import path

from . import views

app_name = "referentials"

urlpatterns = [
    path("metiers/", views.appellation_search, name="appellations"),
    path(
        "metiers/suggestions",
        views.appellation_suggestions,
        name="appellation_suggestions",
    ),
    path("communes/", views.commune_search, name="communes"),
    path("communes/suggestions", views.commune_suggestions, name="commune_suggestions"),
]
