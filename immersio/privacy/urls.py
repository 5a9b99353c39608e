from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    # The register, public.
    path("donnees-personnelles/", views.PrivacyView.as_view(), name="privacy"),
    # « Mes données », the person's own.
    path("mes-donnees/", views.my_data, name="my_data"),
    path("mes-donnees/telecharger/", views.request_export, name="request_export"),
    path("mes-donnees/telechargement/", views.download, name="download"),
    path("mes-donnees/supprimer-mon-compte/", views.delete_account, name="delete_account"),
    path("mes-donnees/compte-supprime/", views.deleted, name="deleted"),
]
