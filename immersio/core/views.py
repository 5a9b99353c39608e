"""Public pages: home, the three entries, footer pages, health check, error pages."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import connection, transaction
from django.http import HttpResponsePermanentRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView


class HomeView(TemplateView):
    template_name = "core/home.html"


class PageView(TemplateView):
    """A static page of the site; each URL names its template."""


@transaction.non_atomic_requests
@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure makes the service unhealthy
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def favicon(request):
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def admin_login(request):
    """Where the admin (``/gestion/``) sends whoever it does not let in. Staff log in by
    link like everyone else; a person already logged in without staff rights gets a 403
    rather than a loop between the admin and the login page."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(
            request.GET.get("next") or reverse("admin:index"), reverse("accounts:login")
        )
    if user.is_active and user.is_staff:
        return redirect("admin:index")
    return render(
        request,
        "403.html",
        {
            "message": "L’espace de gestion est réservé à l’équipe qui exploite Immersio. "
            "Votre compte n’en fait pas partie."
        },
        status=403,
    )


def _error_reporting() -> bool:
    return bool(settings.SENTRY_DSN)


def bad_request(request, exception=None, message=""):
    return render(request, "400.html", {"message": message}, status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", {"message": ""}, status=403)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # A plain template, without base.html and its context processors that touch the
    # database: the error may come from it.
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponseServerError(
        template.render({"error_reporting": _error_reporting(), "help_email": settings.HELP_EMAIL})
    )
