from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("telecharger/", views.request_export, name="request_export"),
    path("telechargement/", views.download, name="download"),
    path("supprimer-mon-compte/", views.delete_account, name="delete_account"),
    path("compte-supprime/", views.deleted, name="deleted"),
]
