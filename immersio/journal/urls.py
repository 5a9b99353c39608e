from django.urls import path

from . import views

app_name = "journal"

urlpatterns = [
    path(
        "entretien-metier/<uuid:conversation_id>/",
        views.add_conversation,
        name="add_conversation",
    ),
    path("<uuid:public_id>/", views.journal, name="journal"),
    path("<uuid:public_id>/ecrire/", views.write, name="write"),
    path("<uuid:public_id>/page/<uuid:entry_id>/important/", views.important, name="important"),
    path("<uuid:public_id>/page/<uuid:entry_id>/partage/", views.share, name="share"),
    path("<uuid:public_id>/page/<uuid:entry_id>/personnes/", views.add_person, name="add_person"),
    path(
        "<uuid:public_id>/personne/<uuid:person_id>/retirer/",
        views.remove_person,
        name="remove_person",
    ),
    path("<uuid:public_id>/bilan/", views.reflection, name="reflection"),
    path("<uuid:public_id>/bilan/temoignage/", views.testimony, name="testimony"),
    path("<uuid:public_id>/bilan/partage/", views.share_reflection, name="share_reflection"),
    path("<uuid:public_id>/bilan/etapes/", views.add_step, name="add_step"),
    path("<uuid:public_id>/bilan/etape/<uuid:step_id>/", views.step, name="step"),
]
