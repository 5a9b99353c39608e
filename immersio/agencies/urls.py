from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("inscription/", views.register, name="register"),
    path("inscription/envoyee/", views.register_sent, name="register_sent"),
    path("inscription/confirmer/", views.confirm, name="confirm"),
    path("invitation/", views.invitation, name="invitation"),
    path("espace/", views.space, name="space"),
    path("espace/<uuid:public_id>/", views.space_agency, name="space_agency"),
    path("espace/<uuid:public_id>/retirer/", views.remove_member, name="remove_member"),
    path(
        "espace/<uuid:public_id>/annuler-invitation/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("<uuid:public_id>/", views.detail, name="detail"),
]
