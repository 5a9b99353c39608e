from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.login_placeholder, name="login"),
    path("deconnexion/", views.login_placeholder, name="logout"),
    path("profil/", views.login_placeholder, name="profile"),
]
