from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("donnees-personnelles/", views.PrivacyView.as_view(), name="privacy"),
]
