"""The public register (« Données personnelles »), and « Mes données »: see what Immersio
holds, download it, correct it, delete the account.

Every page acts on ``request.user`` only: there is no person in the addresses. An export
link belongs to one account: anyone else gets a 404.
"""

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import TemplateView

from immersio.core.links import link_invalid_page, link_param

from . import erasure, export, register, selectors, services
from .forms import DeleteAccountForm

#: Where the session keeps the time of the last login (``apps.remember_login``), and the
#: export token while the person logs in again.
LOGIN_AT_KEY = "privacy_login_at"
PENDING_TOKEN_KEY = "privacy_export_token"  # noqa: S105 (a session key, not a secret)


def fresh_login(request) -> bool:
    """Whether the person logged in less than ``FRESH_LOGIN`` ago in this session."""
    raw = request.session.get(LOGIN_AT_KEY)
    try:
        logged_in_at = datetime.fromisoformat(raw) if raw else None
    except ValueError:
        logged_in_at = None
    return logged_in_at is not None and timezone.now() - logged_in_at <= services.FRESH_LOGIN


def _context(request, form: DeleteAccountForm | None = None) -> dict:
    user = request.user
    data = selectors.person_data(user)
    kept = list(erasure.kept_conventions(user).select_related("agency"))
    return {
        "counts": {key: data.count(key) for key in selectors.CATEGORIES},
        "accesses": list(selectors.sensitive_accesses(user)),
        "open_requests": list(selectors.open_requests(user)),
        "kept": kept,
        "blockers": erasure.blockers(user),
        "form": form or DeleteAccountForm(),
        "validated_kept": str(erasure.VALIDATED_CONVENTION_KEPT),
        "unvalidated_kept": str(erasure.UNVALIDATED_CONVENTION_KEPT),
        "legal_basis": erasure.LEGAL_BASIS,
        "export_hours": int(services.EXPORT_LIFETIME.total_seconds() // 3600),
    }


@never_cache
@login_required
@require_GET
def my_data(request):
    return render(request, "privacy/my_data.html", _context(request))


@login_required
@require_POST
def request_export(request):
    services.request_export(user=request.user, actor=request.user)
    hours = int(services.EXPORT_LIFETIME.total_seconds() // 3600)
    messages.success(
        request,
        f"Nous vous avons envoyé un lien à {request.user.email} : il permet de télécharger "
        f"vos données une fois, pendant {hours} heures.",
    )
    return redirect("privacy:my_data")


def _dead_link(request, *, used: bool):
    hours = int(services.EXPORT_LIFETIME.total_seconds() // 3600)
    return link_invalid_page(
        request,
        used=used,
        explanation=(
            f"Un lien de téléchargement de vos données sert une seule fois, pendant {hours} "
            "heures. Celui-ci a déjà servi ou a expiré : demandez-en un nouveau depuis "
            "« Mes données »."
        ),
        action_url=reverse("privacy:my_data"),
        action_label="Demander un nouveau lien",
        narrow=True,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def download(request):
    """GET: check the link and show the button; POST: use it up and send the ZIP. A login
    older than ``FRESH_LOGIN`` is asked again first (the token waits in the session)."""
    token = link_param(request) or request.session.get(PENDING_TOKEN_KEY, "")
    if not request.user.is_authenticated:
        if token:
            request.session[PENDING_TOKEN_KEY] = token
        return redirect(f"{reverse('accounts:login')}?next={reverse('privacy:download')}")
    found = selectors.export_for_token(token)
    if found is None or found.user_id != request.user.pk:
        raise Http404
    if found.used_at is not None or found.expires_at <= timezone.now():
        request.session.pop(PENDING_TOKEN_KEY, None)
        return _dead_link(request, used=found.used_at is not None)
    if not fresh_login(request):
        request.session[PENDING_TOKEN_KEY] = token
        return render(
            request,
            "privacy/login_again.html",
            {
                "next": reverse("privacy:download"),
                "fresh_minutes": int(services.FRESH_LOGIN.total_seconds() // 60),
                "login_minutes": settings.SESAME_MAX_AGE // 60,
            },
        )
    if request.method == "GET":
        return render(request, "privacy/download.html", {"token": token})
    if not services.use_export(export=found, actor=request.user):
        return _dead_link(request, used=True)
    request.session.pop(PENDING_TOKEN_KEY, None)
    archive = export.build_zip(request.user)
    return FileResponse(
        archive,
        as_attachment=True,
        filename=export.file_name(request.user),
        content_type="application/zip",
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    if request.method == "GET":
        return redirect(f"{reverse('privacy:my_data')}#supprimer")
    form = DeleteAccountForm(request.POST)
    if not form.is_valid():
        return render(request, "privacy/my_data.html", _context(request, form))
    try:
        services.delete_account(user=request.user, actor=request.user)
    except services.DeletionBlocked:
        # The page lists the reasons (``blockers``) next to the form.
        return render(request, "privacy/my_data.html", _context(request, form), status=409)
    logout(request)
    return redirect("privacy:deleted")


@require_GET
def deleted(request):
    return render(request, "privacy/deleted.html")


class PrivacyView(TemplateView):
    """« Données personnelles »: drawn from the register (``register.processings``), whose
    durations come from the code that enforces them, so that the page cannot promise more
    than the code does."""

    template_name = "privacy/privacy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["processings"] = [
            {"processing": processing, "retention": processing.retention()}
            for processing in register.processings()
        ]
        return context
