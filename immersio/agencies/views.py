"""Agency pages: the public directory, registration, invitations and the team space.
Thin views: forms check input, ``services`` change state, ``selectors`` read."""

from dataclasses import replace
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from immersio.accounts.email_proof import log_in_by_email_proof
from immersio.core import ratelimit
from immersio.core.pagination import paginate

from . import services
from .forms import DirectoryForm, InvitationForm, RegistrationForm
from .models import Agency, AgencyInvitation, AgencyMembership
from .selectors import nearest_agencies

DIRECTORY_PAGE = 50  # agencies a page, nearest first; the map shows the same ones
DEFAULT_ATTRIBUTION = "© les contributeurs d'OpenStreetMap"


def _map_settings() -> dict:
    return {
        "tiles": getattr(settings, "MAP_TILE_URL", ""),
        "attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", DEFAULT_ATTRIBUTION),
    }


def _marker(agency: Agency, distance=None) -> dict:
    return {
        "name": agency.name,
        "lat": agency.latitude,
        "lon": agency.longitude,
        "commune": agency.commune.name,
        "distance": round(distance, 1) if distance is not None else None,
        "url": reverse("agencies:detail", kwargs={"public_id": agency.public_id}),
    }


def _first_error(form, name: str) -> str:
    if not form.is_bound:
        return ""
    errors = form.errors.get(name)
    return errors[0] if errors else ""


# Public directory -----------------------------------------------------------------------


@require_http_methods(["GET"])
def directory(request):
    form = DirectoryForm(request.GET or None)
    hits, center, submitted = [], None, bool(request.GET)
    if form.is_valid():
        data = form.cleaned_data
        kinds = [data["type"]] if data.get("type") else None
        commune = data.get("commune_obj")
        if commune is not None:
            radius = data["rayon"]
            hits = paginate(
                request,
                nearest_agencies(
                    commune.latitude,
                    commune.longitude,
                    kinds=kinds,
                    limit=None,
                    radius_km=radius,
                ),
                label="Pages de prescripteurs",
                per_page=DIRECTORY_PAGE,
            )
            center = {
                "lat": commune.latitude,
                "lon": commune.longitude,
                "radius_km": radius,
                "name": commune.name,
            }
        elif submitted:
            queryset = Agency.objects.active().select_related("commune")
            if kinds:
                queryset = queryset.filter(kind__in=kinds)
            page = paginate(
                request, queryset, label="Pages de prescripteurs", per_page=DIRECTORY_PAGE
            )
            hits = replace(page, rows=[_Hit(agency) for agency in page])
    markers = [_marker(hit.agency, hit.distance_km) for hit in hits]
    return render(
        request,
        "agencies/directory.html",
        {
            "form": form,
            "lieu_error": _first_error(form, "lieu"),
            "hits": hits,
            "center": center,
            "submitted": submitted,
            "markers": markers,
            "map": _map_settings(),
        },
    )


class _Hit:
    def __init__(self, agency):
        self.agency = agency
        self.distance_km = None


@require_http_methods(["GET"])
def detail(request, public_id):
    agency = get_object_or_404(
        Agency.objects.active().select_related("commune", "delegating_agency", "referring_agency"),
        public_id=public_id,
    )
    return render(
        request,
        "agencies/detail.html",
        {"agency": agency, "markers": [_marker(agency)], "map": _map_settings()},
    )


# Registration ---------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_robot():
            return redirect("agencies:register_sent")
        if not ratelimit.hit("agency_registration_per_ip", ratelimit.client_ip(request)):
            form.add_error(
                None, "Trop de demandes depuis votre connexion : réessayez dans une heure."
            )
        else:
            data = form.cleaned_data
            try:
                services.start_registration(
                    siret=data["siret"],
                    commune=data["commune_obj"],
                    fields=form.agency_fields(),
                    applicant=services.Applicant(
                        email=data["email"],
                        first_name=data["first_name"],
                        last_name=data["last_name"],
                        job_title=data["job_title"],
                    ),
                )
            except services.AgencyInvalid as exc:
                for field, errors in exc.errors.items():
                    target = field if field in form.fields else None
                    for error in errors:
                        form.add_error(target, error)
            else:
                request.session["agency_registration_email"] = data["email"]
                return redirect("agencies:register_sent")
    return render(
        request,
        "agencies/register.html",
        {
            "form": form,
            "lieu_error": _first_error(form, "lieu"),
            "errors": form.error_summary() if form.is_bound else [],
        },
    )


@require_http_methods(["GET"])
def register_sent(request):
    return render(
        request,
        "agencies/register_sent.html",
        {"email": request.session.get("agency_registration_email", "")},
    )


def _link_invalid(request, used: bool):
    return render(request, "agencies/link_invalid.html", {"used": used}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request):
    source = request.POST if request.method == "POST" else request.GET
    token = source.get("jeton", "")
    try:
        if request.method == "GET":
            registration = services.read_registration_token(token)
            return render(
                request, "agencies/confirm.html", {"registration": registration, "token": token}
            )
        registration = services.confirm_registration(token=token)
    except services.LinkAlreadyUsed:
        return _link_invalid(request, used=True)
    except services.AgencyError:
        return _link_invalid(request, used=False)
    return render(request, "agencies/confirmed.html", {"registration": registration})


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request):
    source = request.POST if request.method == "POST" else request.GET
    token = source.get("jeton", "")
    try:
        if request.method == "GET":
            invitation = services.read_invitation_token(token)
            return render(
                request, "agencies/invitation.html", {"invitation": invitation, "token": token}
            )
        membership = services.accept_invitation(token=token)
    except services.LinkAlreadyUsed:
        return _link_invalid(request, used=True)
    except services.AgencyError:
        return _link_invalid(request, used=False)
    agency = membership.agency
    target = reverse("agencies:space_agency", kwargs={"public_id": agency.public_id})
    if log_in_by_email_proof(request, membership.user):
        messages.success(request, f"Vous faites maintenant partie de l'équipe de {agency}.")
        return redirect(target)
    messages.success(request, f"Vous faites partie de l'équipe de {agency} : connectez-vous.")
    return redirect(f"{reverse('accounts:login')}?next={target}")


# Team space -----------------------------------------------------------------------------


def _agency_for(request, public_id) -> Agency:
    return get_object_or_404(
        Agency.objects.visible_to(request.user).select_related("commune"), public_id=public_id
    )


@login_required
@require_http_methods(["GET"])
def space(request):
    agencies = (
        Agency.objects.filter(memberships__user=request.user, memberships__is_active=True)
        .distinct()
        .order_by("name")
    )
    if len(agencies) == 1:
        return redirect("agencies:space_agency", public_id=agencies[0].public_id)
    return render(request, "agencies/space/list.html", {"agencies": agencies})


@login_required
@require_http_methods(["GET", "POST"])
def space_agency(request, public_id):
    agency = _agency_for(request, public_id)
    can_manage = services.can_manage_team(request.user, agency)
    form = InvitationForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            return redirect("agencies:space_agency", public_id=agency.public_id)
        if form.is_valid():
            try:
                services.invite_member(
                    agency=agency,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    by=request.user,
                )
            except services.AgencyError as exc:
                form.add_error("email", exc.message)
            else:
                messages.success(request, f"Invitation envoyée à {form.cleaned_data['email']}.")
                return redirect("agencies:space_agency", public_id=agency.public_id)
    members = (
        AgencyMembership.objects.filter(agency=agency, is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__email")
    )
    invitations = AgencyInvitation.objects.filter(agency=agency, accepted_at=None, revoked_at=None)
    allowed, reason = services.can_create_conventions(agency)
    return render(
        request,
        "agencies/space/agency.html",
        {
            "agency": agency,
            "members": members,
            "invitations": invitations if can_manage else [],
            "can_manage": can_manage,
            "form": form,
            "conventions_allowed": allowed,
            "conventions_reason": reason,
        },
    )


@login_required
@require_POST
def remove_member(request, public_id):
    agency = _agency_for(request, public_id)
    User = get_user_model()
    person = request.POST.get("personne", "")
    user = get_object_or_404(User, pk=int(person) if person.isdigit() else 0)
    try:
        services.remove_member(agency=agency, user=user, by=request.user)
    except services.AgencyError as exc:
        messages.error(request, exc.message)
    else:
        if user == request.user:
            messages.success(request, f"Vous avez quitté l'équipe de {agency}.")
            return redirect("agencies:directory")
        messages.success(request, f"{user.get_full_name() or user.email} a été retiré(e).")
    return redirect("agencies:space_agency", public_id=agency.public_id)


@login_required
@require_POST
def revoke_invitation(request, public_id):
    agency = _agency_for(request, public_id)
    try:
        invitation_id = UUID(request.POST.get("invitation", ""))
    except ValueError as exc:
        raise Http404 from exc
    invitation = get_object_or_404(AgencyInvitation, agency=agency, public_id=invitation_id)
    services.revoke_invitation(invitation=invitation, by=request.user)
    messages.success(request, f"Invitation de {invitation.email} annulée.")
    return redirect("agencies:space_agency", public_id=agency.public_id)
