from django.urls import path

from .views import drafts, review, signature, staff

app_name = "conventions"

urlpatterns = [
    path("", drafts.mine, name="mine"),
    path("nouvelle/", drafts.new, name="new"),
    path("invitation/", drafts.invitation, name="invitation"),
    path("brouillon/<str:token>/inviter/", drafts.invite, name="invite"),
    path("brouillon/<str:token>/envoyee/", drafts.sent, name="sent"),
    path("brouillon/<str:token>/<slug:step>/", drafts.step, name="step"),
    # The signatory's personal link (the token is in the query string: ``jeton``).
    path("signer/", signature.sign, name="sign"),
    path("signer/pdf/", signature.document, name="sign_pdf"),
    # Espace prescripteur.
    path("prescripteur/", review.review_list, name="review_list"),
    path("prescripteur/<uuid:public_id>/", review.review_detail, name="review"),
    path("prescripteur/<uuid:public_id>/action/", review.review_act, name="review_act"),
    path("prescripteur/<uuid:public_id>/pdf/", review.review_pdf, name="review_pdf"),
    path(
        "prescripteur/<uuid:public_id>/donnees-sensibles/",
        review.review_sensitive,
        name="review_sensitive",
    ),
    # The Immersio team.
    path("relances/", staff.reminder_effect, name="reminder_effect"),
]
