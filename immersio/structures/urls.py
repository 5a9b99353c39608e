from django.urls import path

from . import views

app_name = "structures"

urlpatterns = [
    path("referencer/", views.register_start, name="register"),
    path("referencer/envoye/", views.register_sent, name="register_sent"),
    path("referencer/confirmer/", views.confirm_registration, name="confirm"),
    path(
        "referencer/rejoindre/<uuid:public_id>/",
        views.join_request,
        name="join_request",
    ),
    path("referencer/<slug:step>/", views.register_step, name="register_step"),
    path("invitation/", views.accept_invitation, name="invitation"),
    path("espace/", views.space, name="space"),
    path("espace/<uuid:public_id>/", views.dashboard, name="dashboard"),
    path("espace/<uuid:public_id>/modifier/", views.edit, name="edit"),
    path("espace/<uuid:public_id>/lieux/", views.edit_sites, name="sites"),
    path("espace/<uuid:public_id>/pause/", views.pause, name="pause"),
    path("espace/<uuid:public_id>/reprendre/", views.resume, name="resume"),
    path("espace/<uuid:public_id>/equipe/", views.team, name="team"),
    path("espace/<uuid:public_id>/equipe/retirer/", views.remove_member, name="remove_member"),
    path(
        "espace/<uuid:public_id>/equipe/annuler-invitation/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
]
