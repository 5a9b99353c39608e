from django.urls import path

from . import views

app_name = "conventions"

urlpatterns = [
    path("nouvelle/", views.new, name="new"),
    path("brouillon/<str:token>/envoyee/", views.sent, name="sent"),
    path("brouillon/<str:token>/<slug:step>/", views.step, name="step"),
]
