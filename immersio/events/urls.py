from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.search, name="search"),
    path("archives/", views.archives, name="archives"),
    path("calendrier/", views.calendar_view, name="calendar"),
    path("calendrier.ics", views.feed, name="feed"),
    path("proposer/", views.submit, name="submit"),
    path("mes-evenements/", views.mine, name="mine"),
    path("a-relire/", views.review_queue, name="review_queue"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/evenement.ics", views.ics, name="ics"),
    path("<uuid:public_id>/modifier/", views.edit, name="edit"),
    path("<uuid:public_id>/annuler/", views.cancel, name="cancel"),
    path("<uuid:public_id>/relire/", views.review, name="review"),
]
