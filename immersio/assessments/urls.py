from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    # Personal links (the token is in the query string: ``jeton``).
    path("tuteur/", views.tutor, name="tutor"),
    path("signer/", views.cosign_link, name="cosign_link"),
    # Espace prescripteur, and the beneficiary's account.
    path("prescripteur/<uuid:public_id>/", views.fill, name="fill"),
    path("prescripteur/<uuid:public_id>/renouvellement/", views.renew, name="renew"),
    path(
        "prescripteur/<uuid:public_id>/renouvellement/reponse/",
        views.decline_renewal,
        name="decline_renewal",
    ),
    path("mon-bilan/<uuid:public_id>/", views.mine, name="mine"),
    # The PDF of a signed assessment: its newest version (by convention), or the version
    # an e-mail named (by document).
    path("<uuid:public_id>/pdf/", views.pdf, name="pdf"),
    path("pdf/<uuid:public_id>/", views.document, name="document"),
    # The agency's follow-up (its members only).
    path("suivi/<uuid:agency>/", views.followup, name="followup"),
    path("suivi/<uuid:agency>/export.csv", views.followup_export, name="followup_export"),
]
