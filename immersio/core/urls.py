from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "je-cherche-une-immersion/",
        views.PageView.as_view(template_name="core/candidate.html"),
        name="candidate",
    ),
    path(
        "j-accueille-en-immersion/",
        views.PageView.as_view(template_name="core/host.html"),
        name="host",
    ),
    path(
        "j-accompagne-des-personnes/",
        views.PageView.as_view(template_name="core/prescriber.html"),
        name="prescriber",
    ),
    path(
        "mentions-legales/",
        views.PageView.as_view(template_name="core/legal.html"),
        name="legal",
    ),
    path(
        "donnees-personnelles/",
        views.PrivacyView.as_view(),
        name="privacy",
    ),
    path(
        "accessibilite/",
        views.PageView.as_view(template_name="core/accessibility.html"),
        name="accessibility",
    ),
    path(
        "plan-du-site/",
        views.PageView.as_view(template_name="core/sitemap.html"),
        name="sitemap",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
]
