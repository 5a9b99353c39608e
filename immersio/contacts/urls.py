from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("nouvelle/<uuid:public_id>/", views.new_request, name="new"),
    path("verifiez-vos-e-mails/", views.check_email, name="check_email"),
    path("verifier/", views.verify, name="verify"),
    path("verifier/ailleurs/", views.send_elsewhere, name="send_elsewhere"),
    path("nouveau-lien/<uuid:public_id>/", views.resend, name="resend"),
    path("mes-demandes/", views.my_requests, name="mine"),
    path("structure/<uuid:public_id>/", views.structure_inbox, name="structure_inbox"),
    path("reouvrir/", views.reopen, name="reopen"),
    path("statistiques/", views.staff_stats, name="staff_stats"),
    path("preparer/", views.prepare, name="prepare"),
    path("tableau/", views.board, name="board"),
    path("tableau/publier/", views.board_publish, name="board_publish"),
    path("tableau/<uuid:public_id>/", views.board_post, name="board_post"),
    path("tableau/<uuid:public_id>/proposer/", views.board_propose, name="board_propose"),
    path(
        "tableau/<uuid:public_id>/proposition/<uuid:structure_id>/",
        views.board_proposal,
        name="board_proposal",
    ),
    path("tableau/<uuid:public_id>/signaler/", views.board_report, name="board_report"),
    path("tableau/<uuid:public_id>/retirer/", views.board_unpublish, name="board_unpublish"),
    path("tableau/<uuid:public_id>/masquer/", views.board_hide, name="board_hide"),
    path("<uuid:public_id>/", views.thread, name="thread"),
    path("<uuid:public_id>/message/", views.post_message, name="message"),
    path("<uuid:public_id>/accepter/", views.accept, name="accept"),
    path("<uuid:public_id>/decliner/", views.decline, name="decline"),
    path("<uuid:public_id>/clore/", views.close, name="close"),
]
