"""Agency pages: the public directory, registration, invitations and the team space.
Thin views: forms check input, ``services`` change state, ``selectors`` read."""

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from immersio.core import ratelimit
from immersio.core.actors import actor_of
from immersio.core.links import link_invalid_page, link_param
from immersio.core.maps import map_settings
from immersio.core.pagination import paginate
from immersio.teams import views as team_views
from immersio.teams.views import link_actor

from . import access, hooks, selectors, services, team
from .forms import DirectoryForm, InvitationForm, RegistrationForm
from .maps import agency_marker
from .models import Agency
from .selectors import nearest_agencies
from .team import TEAM

DIRECTORY_PAGE = 50  # agencies a page, nearest first; the map shows the same ones


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
    markers = [agency_marker(hit.agency, hit.distance_km) for hit in hits]
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
            "map": map_settings(),
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
        {"agency": agency, "markers": [agency_marker(agency)], "map": map_settings()},
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
                    actor=actor_of(request),
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
    if used:
        return link_invalid_page(
            request,
            used=True,
            explanation=(
                "Il ne sert qu'une fois. Connectez-vous pour retrouver votre espace prescripteur."
            ),
            action_url=f"{reverse('accounts:login')}?next={reverse('agencies:space')}",
            action_label="Me connecter",
            with_help=False,
            status=400,
        )
    return link_invalid_page(
        request,
        used=False,
        explanation=(
            "Il a expiré, il est incomplet ou il a été remplacé par un plus récent. Demandez un "
            "nouveau lien ou recommencez l'inscription."
        ),
        action_url=reverse("agencies:register"),
        action_label="Inscrire un prescripteur",
        with_help=False,
        status=400,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request):
    token = link_param(request)
    try:
        if request.method == "GET":
            registration = team.read_registration_token(token)
            return render(
                request, "agencies/confirm.html", {"registration": registration, "token": token}
            )
        registration = services.confirm_registration(token=token, actor=link_actor(request))
    except services.LinkAlreadyUsed:
        return _link_invalid(request, used=True)
    except services.TeamError:
        return _link_invalid(request, used=False)
    return render(request, "agencies/confirmed.html", {"registration": registration})


invitation = team_views.invitation_view(
    TEAM, space_url_name="agencies:space_agency", link_invalid=_link_invalid
)


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


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def space_agency(request, public_id):
    agency = _agency_for(request, public_id)
    can_manage = access.can_manage_team(request.user, agency)
    form = InvitationForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            return redirect("agencies:space_agency", public_id=agency.public_id)
        done = team_views.invite(request, TEAM, agency, form)
        if done is not None:
            return done
    allowed, reason = selectors.can_create_conventions(agency)
    return render(
        request,
        "agencies/space/agency.html",
        {
            "agency": agency,
            **team_views.team_context(request, TEAM, agency),
            "form": form,
            "errors": [],
            "conventions_allowed": allowed,
            "conventions_reason": reason,
            "space_links": [
                link for function in hooks.space_links for link in function(request.user, agency)
            ],
        },
    )


remove_member, revoke_invitation = team_views.member_views(
    TEAM, _agency_for, after_leaving="agencies:directory"
)
