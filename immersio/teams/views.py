"""The team pages of every organisation kind, once: the invitation landing, the member
list with its invitation form, removing a member or leaving, revoking an invitation.

Each app keeps its URLs and calls these functions with its ``TeamKind``; members are
always addressed by the public UUID of their account (``personne``), never by a
primary key."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from immersio.accounts.email_proof import log_in_by_email_proof
from immersio.core import ratelimit
from immersio.core.actors import AUTOMATIC, Actor, actor_of
from immersio.core.links import link_param

from . import selectors, services
from .errors import LinkAlreadyUsed, TeamError
from .kinds import TeamKind

#: ``link_invalid(request, used=…)``: the app's page for a dead or used link.
LinkInvalidPage = Callable[..., HttpResponse]


def link_actor(request: HttpRequest) -> Actor:
    """Who uses a link received by e-mail: the logged-in person, else its holder."""
    return request.user if request.user.is_authenticated else AUTOMATIC


def uuid_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError, AttributeError) as exc:
        raise Http404 from exc


def team_url(kind: TeamKind, organisation: Any) -> str:
    return reverse(kind.team_url_name, kwargs={"public_id": organisation.public_id})


def invitation(
    request: HttpRequest,
    kind: TeamKind,
    *,
    space_url_name: str,
    link_invalid: LinkInvalidPage,
) -> HttpResponse:
    """GET shows the invitation (the link is not used by mail scanners); POST joins, then
    goes to ``space_url_name`` (reversed with the organisation's ``public_id``)."""
    token = link_param(request)
    try:
        if request.method == "GET":
            invitation = selectors.read_invitation_token(kind, token)
            organisation = kind.organisation_of(invitation)
            context = {
                "invitation": invitation,
                "organisation_name": organisation.display_name,
                "role_help": kind.role_help.get(invitation.role, ""),
                "action": reverse(kind.invitation_url_name),
                "token": token,
            }
            return render(request, "teams/invitation.html", context)
        membership = services.accept_invitation(kind, token=token, actor=link_actor(request))
    except LinkAlreadyUsed:
        return link_invalid(request, used=True)
    except TeamError:
        return link_invalid(request, used=False)
    organisation = kind.organisation_of(membership)
    target = reverse(space_url_name, kwargs={"public_id": organisation.public_id})
    if log_in_by_email_proof(request, membership.user):
        messages.success(request, f"Vous faites maintenant partie de l'équipe de {organisation}.")
        return redirect(target)
    messages.success(request, f"Vous faites partie de l'équipe de {organisation} : connectez-vous.")
    return redirect(f"{reverse('accounts:login')}?next={target}")


def invitation_view(
    kind: TeamKind, *, space_url_name: str, link_invalid: LinkInvalidPage
) -> Callable[[HttpRequest], HttpResponse]:
    """The page of an invitation link of ``kind``, for the app's URL (see ``invitation``)."""

    @never_cache
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest) -> HttpResponse:
        return invitation(request, kind, space_url_name=space_url_name, link_invalid=link_invalid)

    return view


def join_request(
    request: HttpRequest,
    kind: TeamKind,
    organisation: Any,
    *,
    form: Form,
    rate_limit: str,
) -> HttpResponse:
    """Ask to join an organisation's team. The answer is the same whatever happens:
    nothing about the team is revealed (robots and rate-limited senders included)."""
    context = {
        "organisation_name": organisation.display_name,
        "join_intro": kind.join_intro,
        "join_help_hint": kind.join_help_hint,
    }
    if request.method == "POST" and form.is_valid():
        if not form.is_robot() and ratelimit.hit(rate_limit, ratelimit.client_ip(request)):
            services.request_to_join(
                kind,
                organisation=organisation,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                message=form.cleaned_data["message"],
                actor=actor_of(request),
            )
        return render(request, "teams/join_sent.html", context)
    action = request.path
    context |= {"form": form, "action": action}
    return render(request, "teams/join_request.html", context)


def invite(
    request: HttpRequest, kind: TeamKind, organisation: Any, form: Form
) -> HttpResponse | None:
    """Handle the posted invitation form: a redirection once sent, else ``None`` (the
    form then carries its errors)."""
    if not kind.can_manage(request.user, organisation):
        raise PermissionDenied
    if not form.is_valid():
        return None
    try:
        services.invite_member(
            kind,
            organisation=organisation,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            actor=request.user,
        )
    except TeamError as error:
        form.add_error("email", error.message)
        return None
    messages.success(
        request,
        f"Invitation envoyée à {form.cleaned_data['email']}. Le lien est valable "
        f"{kind.invitation_max_age_days} jours.",
    )
    return redirect(team_url(kind, organisation))


def team_context(request: HttpRequest, kind: TeamKind, organisation: Any) -> dict:
    """What ``teams/members.html`` shows: the members, the open invitations (to managers
    only), and the URLs its forms post to."""
    can_manage = kind.can_manage(request.user, organisation)
    kwargs = {"public_id": organisation.public_id}
    return {
        "members": selectors.members(kind, organisation),
        "invitations": selectors.open_invitations(kind, organisation) if can_manage else [],
        "can_manage_team": can_manage,
        "roles_intro": kind.roles_intro,
        "invitation_max_age_days": kind.invitation_max_age_days,
        "team_urls": {
            "team": reverse(kind.team_url_name, kwargs=kwargs),
            "remove": reverse(kind.remove_url_name, kwargs=kwargs),
            "revoke": reverse(kind.revoke_url_name, kwargs=kwargs),
        },
    }


def remove_member(
    request: HttpRequest, kind: TeamKind, organisation: Any, *, after_leaving: str
) -> HttpResponse:
    """Remove the member posted as ``personne`` (their public UUID), or leave the team."""
    membership = selectors.member(kind, organisation, uuid_or_404(request.POST.get("personne")))
    if membership is None:
        raise Http404
    person = membership.user
    leaving = person.pk == request.user.pk
    if not leaving and not kind.can_manage(request.user, organisation):
        raise PermissionDenied
    try:
        services.remove_member(kind, organisation=organisation, user=person, actor=request.user)
    except TeamError as error:
        messages.error(request, error.message)
        return redirect(team_url(kind, organisation))
    if leaving and not request.user.is_staff:
        messages.success(request, f"Vous avez quitté l'équipe de {organisation}.")
        return redirect(after_leaving)
    messages.success(request, f"{person} ne fait plus partie de l'équipe.")
    return redirect(team_url(kind, organisation))


def revoke_invitation(request: HttpRequest, kind: TeamKind, organisation: Any) -> HttpResponse:
    """Cancel the open invitation posted as ``invitation`` (its public UUID)."""
    if not kind.can_manage(request.user, organisation):
        raise PermissionDenied
    invitation = get_object_or_404(
        kind.invitation_model.objects.filter(**kind.of(organisation)),
        public_id=uuid_or_404(request.POST.get("invitation")),
    )
    services.revoke_invitation(kind, invitation=invitation, actor=request.user)
    messages.success(request, f"L'invitation de {invitation.email} est annulée.")
    return redirect(team_url(kind, organisation))


def member_views(
    kind: TeamKind, organisation_for: Callable[[HttpRequest, Any], Any], *, after_leaving: str
) -> tuple[Callable[..., HttpResponse], Callable[..., HttpResponse]]:
    """The two buttons of a team page, as views of the app's URLs (``public_id`` of the
    organisation): remove a member (or leave, then go to ``after_leaving``, a URL name) and
    revoke an invitation. ``organisation_for(request, public_id)`` finds an organisation
    the person may open (404 otherwise)."""

    @login_required
    @require_POST
    def remove(request: HttpRequest, public_id: Any) -> HttpResponse:
        organisation = organisation_for(request, public_id)
        return remove_member(request, kind, organisation, after_leaving=reverse(after_leaving))

    @login_required
    @require_POST
    def revoke(request: HttpRequest, public_id: Any) -> HttpResponse:
        return revoke_invitation(request, kind, organisation_for(request, public_id))

    return remove, revoke
