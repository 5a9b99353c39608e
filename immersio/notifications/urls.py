from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.email_list, name="email_list"),
    path("apercu/<str:token>/", views.email_html, name="email_html"),
]
