"""Passwordless login: ask for a link, open it, confirm; sign-up; profile; logout.

Links received by e-mail open a confirmation page (GET) whose button logs in (POST):
e-mail scanners that fetch links before the person does cannot use them up.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from sesame import settings as sesame_settings

from immersio.core.actors import AUTOMATIC, actor_of
from immersio.core.links import link_invalid_page, link_param, safe_next
from immersio.core.ratelimit import client_ip

from . import services
from .forms import EmailLoginForm, ProfileForm

logger = logging.getLogger(__name__)

GONE = 410
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _link_invalid(request, reason: str):
    login = reverse("accounts:login")
    if reason == "signup_used":
        return link_invalid_page(
            request,
            used=True,
            explanation=(
                "Un compte existe déjà pour cette adresse e-mail. Pour y accéder, demandez un "
                "lien de connexion : vous le recevrez à la même adresse."
            ),
            action_url=login,
            action_label="Recevoir un lien de connexion",
            narrow=True,
            status=GONE,
        )
    if reason == "signup":
        minutes = services.SIGNUP_MAX_AGE // 60
        explanation = (
            f"Les liens de création de compte sont valables {minutes} minutes. Celui-ci a "
            "expiré ou il est incomplet."
        )
    else:
        minutes = settings.SESAME_MAX_AGE // 60
        explanation = (
            f"Les liens de connexion sont valables {minutes} minutes et ne fonctionnent "
            "qu'une fois. Celui-ci a expiré, a déjà servi ou il est incomplet."
        )
    return link_invalid_page(
        request,
        used=False,
        explanation=explanation,
        action_url=login,
        action_label="Recevoir un nouveau lien",
        narrow=True,
        status=GONE,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    next_url = safe_next(request, link_param(request, "next"))
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(next_url or services.landing_url(request.user))
    form = EmailLoginForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.request_login_link(
            email=form.cleaned_data["email"],
            ip=client_ip(request),
            next_url=next_url,
            actor=actor_of(request),
        )
        # The same answer whether the address has an account or not.
        return redirect("accounts:login_sent")
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": next_url, "max_age_minutes": services.sesame_max_age_minutes()},
    )


@require_http_methods(["GET"])
def login_sent_view(request):
    return render(
        request,
        "accounts/login_sent.html",
        {"max_age_minutes": services.sesame_max_age_minutes()},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def magic_link_view(request):
    """GET: check the link and ask for confirmation. POST: log in (uses the link up)."""
    token = link_param(request, sesame_settings.TOKEN_NAME)
    next_url = safe_next(request, link_param(request, "next"))
    user = authenticate(request, sesame=token) if token else None
    if user is None:
        logger.info("Lien de connexion refusé : expiré, déjà utilisé ou invalide.")
        return _link_invalid(request, "login")
    if request.method == "GET":
        # The site-wide "same-origin" referrer policy keeps the token in this URL on the
        # site. ("no-referrer" would make browsers send "Origin: null" with the form, which
        # the CSRF protection rightly refuses.)
        return render(
            request,
            "accounts/magic_link_confirm.html",
            {
                "token_name": sesame_settings.TOKEN_NAME,
                "token": token,
                "next": next_url,
                "account_email": user.email,
            },
        )
    login(request, user)  # sets last_login, which invalidates the one-time token
    messages.success(request, "Vous êtes connecté.")
    return redirect(next_url or services.landing_url(user))


@never_cache
@require_http_methods(["GET", "POST"])
def signup_view(request):
    """GET: check the sign-up link and ask for confirmation. POST: create the account."""
    token = link_param(request, "jeton")
    try:
        if request.method == "GET":
            signup = services.read_signup_token(token)
        else:
            result = services.create_account_from_signup(token=token, actor=AUTOMATIC)
    except services.SignupLinkAlreadyUsed:
        return _link_invalid(request, "signup_used")
    except services.SignupLinkError:
        return _link_invalid(request, "signup")
    if request.method == "GET":
        return render(
            request, "accounts/signup_confirm.html", {"token": token, "email": signup.email}
        )
    login(request, result.user, backend=MODEL_BACKEND)
    messages.success(
        request,
        "Votre compte est créé et vous êtes connecté. Vous pouvez compléter vos informations.",
    )
    return redirect(safe_next(request, result.next_url) or settings.LOGIN_REDIRECT_URL)


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "Vous êtes déconnecté.")
    return redirect(settings.LOGOUT_REDIRECT_URL)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile_view(request):
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(user=request.user, actor=request.user, **form.cleaned_data)
        messages.success(request, "Vos informations ont été enregistrées.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
