from django.urls import URLPattern, path

from . import views

app_name = "core"


def _page(route: str, name: str) -> URLPattern:
    """A page of text, ``core/<name>.html``, at ``route``, named ``name``."""
    return path(route, views.PageView.as_view(template_name=f"core/{name}.html"), name=name)


urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    _page("je-cherche-une-immersion/", "candidate"),
    _page("j-accueille-en-immersion/", "host"),
    _page("j-accompagne-des-personnes/", "prescriber"),
    _page("mentions-legales/", "legal"),
    _page("accessibilite/", "accessibility"),
    _page("plan-du-site/", "sitemap"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
]
