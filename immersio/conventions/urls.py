from django.urls import path

from . import views

app_name = "conventions"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("nouvelle/", views.new, name="new"),
    path("invitation/", views.invitation, name="invitation"),
    path("brouillon/<str:token>/inviter/", views.invite, name="invite"),
    path("brouillon/<str:token>/envoyee/", views.sent, name="sent"),
    path("brouillon/<str:token>/<slug:step>/", views.step, name="step"),
]
