from django.urls import path

from . import views

app_name = "resource_people"

urlpatterns = [
    path("", views.search, name="search"),
    path("preparer-un-entretien-metier/", views.guide, name="guide"),
    path("mon-profil/", views.my_profile, name="my_profile"),
    path("mon-profil/pause/", views.pause, name="pause"),
    path("mon-profil/supprimer/", views.delete, name="delete"),
    path("mes-entretiens/", views.mine, name="mine"),
    path("relecture/", views.review_queue, name="review_queue"),
    path("relecture/<uuid:public_id>/", views.review, name="review"),
    path("entretien/<uuid:public_id>/", views.conversation, name="conversation"),
    path("entretien/<uuid:public_id>/accepter/", views.accept, name="accept"),
    path("entretien/<uuid:public_id>/decliner/", views.decline, name="decline"),
    path("entretien/<uuid:public_id>/choisir/", views.pick, name="pick"),
    path("entretien/<uuid:public_id>/annuler/", views.cancel, name="cancel"),
    path("<uuid:public_id>/", views.profile, name="profile"),
    path("<uuid:public_id>/demander/", views.ask, name="ask"),
]
