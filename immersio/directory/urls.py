from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("trouver-une-immersion/", views.search_page, name="search"),
    path("structure/<uuid:public_id>/", views.structure_page, name="structure"),
]
