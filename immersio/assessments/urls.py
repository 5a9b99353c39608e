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
    path("mon-bilan/<uuid:public_id>/", views.mine, name="mine"),
]
