from django.urls import path

from . import views

app_name = "orientation"

urlpatterns = [
    path("", views.questions, name="questions"),
    path("resultat/", views.result, name="result"),
]
