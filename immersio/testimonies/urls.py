from django.urls import path

from . import views

app_name = "testimonies"

urlpatterns = [
    path("", views.index, name="index"),
    path("ecrire/", views.write, name="write"),
    path("mes-temoignages/", views.mine, name="mine"),
    path("relecture/", views.queue, name="queue"),
    path("relecture/<uuid:public_id>/", views.review, name="review"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/modifier/", views.edit, name="edit"),
    path("<uuid:public_id>/retirer/", views.withdraw, name="withdraw"),
    path("<uuid:public_id>/supprimer/", views.delete, name="delete"),
    path("<uuid:public_id>/signaler/", views.report, name="report"),
]
