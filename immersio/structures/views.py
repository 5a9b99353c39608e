"""Pages of the host structures: « Référencer ma structure » (a wizard that works without
JavaScript, its draft kept in the session), the confirmation and invitation links, and
« Mon espace structure ». Thin: forms check, services change, templates show."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from immersio.accounts.email_proof import log_in_by_email_proof
from immersio.core import ratelimit
from immersio.core.actors import actor_of
from immersio.core.forms import error_items
from immersio.core.links import link_invalid_page, link_param
from immersio.core.wizard import WizardDraft, raw_from
from immersio.teams import views as team_views
from immersio.teams.views import link_actor

from . import access, rules, selectors, services, sirene
from .forms import (
    ApplicantForm,
    IdentityForm,
    ImmersionForm,
    InviteForm,
    JoinRequestForm,
    PauseForm,
    PracticalitiesForm,
    SiretForm,
    SitesForm,
    StructureEditForm,
    as_data,
)
from .models import HostStructure
from .team import TEAM, read_registration_token

logger = logging.getLogger(__name__)

DRAFT_KEY = "structures_registration"
SENT_KEY = "structures_registration_sent"
GONE = 410

# The wizard: (slug, title). The URL of a step is structures:register_step <slug>.
STEPS = [
    ("siret", "Votre SIRET"),
    ("identite", "Votre structure"),
    ("lieux", "Lieux et métiers"),
    ("accueil", "Accueil et contact"),
    ("vous", "Vos coordonnées"),
]
STEP_SLUGS = [slug for slug, _ in STEPS]


def public_page_url(structure: HostStructure) -> str:
    """The public page of the structure in the directory, once that page exists."""
    if structure.status != HostStructure.Status.PUBLISHED:
        return ""
    try:
        return reverse("directory:structure", kwargs={"public_id": structure.public_id})
    except NoReverseMatch:
        return ""


# The draft ----------------------------------------------------------------------------


class Draft(WizardDraft):
    """A registration in progress (``core.wizard``): the raw data of each submitted step
    (``steps``), the values suggested by SIRENE (``initial``), the validated steps."""

    def empty(self) -> dict:
        return {"steps": {}, "initial": {}, "valid": []}

    @property
    def siret(self) -> str:
        return self.data.get("siret", "")

    def initial(self, step: str) -> dict:
        return self.data["initial"].get(step) or {}

    def first_incomplete(self) -> str | None:
        for slug in STEP_SLUGS[:-1]:
            if not self.is_valid(slug):
                return slug
        return None

    def start(self, siret: str, found: sirene.SireneEstablishment | None):
        """A new SIRET: forget the previous structure's steps, keep the person's."""
        person = self.data["steps"].get("vous")
        self.data = {"siret": siret, "steps": {}, "initial": {}, "valid": [], "found": False}
        if person:
            self.data["steps"]["vous"] = person
        if found is not None:
            self.data["found"] = True
            self.data["initial"]["identite"] = {
                "name": found.name,
                "brand_name": found.brand_name,
                "naf": found.naf_code,
                "headcount": found.headcount or HostStructure.Headcount.XS,
                "kind": found.kind,
                "ess_status": found.ess_status,
                "is_ess": bool(found.is_ess or found.ess_status),
            }
            site = {"lieux": ["1"], "lieu-0-address": [found.address]}
            if found.insee_code:
                from immersio.referentials.models import Commune

                commune = Commune.objects.filter(insee_code=found.insee_code).first()
                if commune is not None:
                    site["lieu-0-commune"] = [commune.insee_code]
                    site["lieu-0-commune_texte"] = [f"{commune.name} ({commune.department})"]
            self.data["initial"]["lieux"] = site


def _step_forms(step: str, draft: Draft, *, raw=None, bound: bool = False, request=None):
    """The forms of a step: bound to ``raw`` when given, else with the draft's values."""
    if raw is None:
        raw = draft.raw(step)
        bound = raw is not None
    data = raw if bound else None
    initial = draft.initial(step)
    if step == "identite":
        return {"form": IdentityForm(as_data(data) if bound else None, initial=initial)}
    if step == "lieux":
        if bound:
            return {
                "sites": SitesForm(raw, bound=True),
                "form": ImmersionForm(as_data(raw)),
            }
        sites_raw = raw if raw is not None else initial
        return {"sites": SitesForm(sites_raw, bound=False), "form": ImmersionForm(initial=initial)}
    if step == "accueil":
        if not bound:
            identity = _cleaned(draft, "identite")
            headcount = identity.get("headcount") if identity else ""
            initial = {"max_requests_per_month": rules.default_capacity(headcount)}
        return {"form": PracticalitiesForm(as_data(data) if bound else None, initial=initial)}
    if step == "vous":
        if not bound and request is not None and request.user.is_authenticated:
            user = request.user
            initial = {
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "phone": user.phone,
            }
        return {"form": ApplicantForm(as_data(data) if bound else None, initial=initial)}
    raise Http404


def _cleaned(draft: Draft, step: str) -> dict | None:
    raw = draft.raw(step)
    if raw is None:
        return None
    forms = _step_forms(step, draft, raw=raw, bound=True)
    if all(form.is_valid() for form in forms.values()):
        return forms["form"].cleaned_data
    return None


def _valid(forms: dict) -> bool:
    results = [form.is_valid() for form in forms.values()]  # every form, for its errors
    return all(results)


def _wizard_context(step: str, draft: Draft, forms: dict, **extra) -> dict:
    index = STEP_SLUGS.index(step)
    return {
        "steps": [
            {
                "slug": slug,
                "title": title,
                "number": number,
                "current": slug == step,
                "done": draft.is_valid(slug) and slug != step,
            }
            for number, (slug, title) in enumerate(STEPS, start=1)
        ],
        "step": step,
        "step_number": index + 1,
        "step_count": len(STEPS),
        "step_title": STEPS[index][1],
        "previous_step": STEP_SLUGS[index - 1] if index else "",
        "draft_siret": draft.siret,
        "found_in_sirene": draft.data.get("found", False),
        "errors": error_items(*forms.values()),
        "draft_key": draft.key,
        **forms,
        **extra,
    }


# The wizard -----------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def register_start(request):
    return register_step(request, "siret")


@never_cache
@require_http_methods(["GET", "POST"])
def register_step(request, step: str):
    if step not in STEP_SLUGS:
        raise Http404
    # The entry page without a draft's key starts a new draft: a second tab never takes
    # over the first one's.
    entry = step == "siret" and request.method == "GET"
    draft = Draft.open(request, DRAFT_KEY, new=entry)
    if step == "siret":
        return _siret_step(request, draft)
    missing = draft.first_incomplete()
    if missing is not None and STEP_SLUGS.index(missing) < STEP_SLUGS.index(step):
        if missing == "siret":
            return redirect(draft.url("structures:register"))
        return redirect(draft.url("structures:register_step", step=missing))
    template = f"structures/register/{step}.html"
    index = STEP_SLUGS.index(step)
    if request.method == "GET":
        forms = _step_forms(step, draft, request=request)
        return render(request, template, _wizard_context(step, draft, forms))

    action = request.POST.get("action", "suivant")
    raw = raw_from(request.POST)
    if step == "lieux":
        sites = SitesForm(raw, bound=False)
        if sites.apply(action):
            draft.store(step, sites.raw, valid=False)
            forms = {
                "sites": SitesForm(sites.raw, bound=False),
                "form": ImmersionForm(as_data(raw)),
            }
            return render(request, template, _wizard_context(step, draft, forms, focus=action))
    forms = _step_forms(step, draft, raw=raw, bound=True)
    valid = _valid(forms)
    draft.store(step, raw, valid=valid)
    if action == "retour":
        return redirect(draft.url("structures:register_step", step=STEP_SLUGS[index - 1]))
    if not valid:
        return render(request, template, _wizard_context(step, draft, forms), status=200)
    if step != "vous":
        return redirect(draft.url("structures:register_step", step=STEP_SLUGS[index + 1]))
    return _submit(request, draft, forms["form"])


def _siret_step(request, draft: Draft):
    template = "structures/register/siret.html"
    existing = None
    if request.method == "GET":
        form = SiretForm(initial={"siret": draft.siret})
        return render(request, template, _wizard_context("siret", draft, {"form": form}))
    form = SiretForm(request.POST)
    if form.is_valid() and form.is_robot():
        return redirect("structures:register_sent")
    if form.is_valid():
        siret = form.cleaned_data["siret"]
        existing = selectors.active_structure_with_siret(siret)
        if existing is not None:
            form.add_error(
                "siret",
                "Cette structure est déjà référencée sur Immersio. Demandez à son équipe de "
                "vous inviter (lien ci-dessous).",
            )
    if not form.is_valid():
        context = _wizard_context("siret", draft, {"form": form}, existing=existing)
        return render(request, template, context)
    if siret != draft.siret or not draft.is_valid("siret"):
        found = sirene.lookup_siret(siret)
        if found is not None and not found.is_active:
            form.add_error(
                "siret",
                "D'après le répertoire Sirene, cet établissement est fermé. Vérifiez le "
                "numéro : il faut celui de l'établissement où se passent les immersions.",
            )
            return render(request, template, _wizard_context("siret", draft, {"form": form}))
        draft.start(siret, found)
    draft.store("siret", raw_from(request.POST), valid=True)
    return redirect(draft.url("structures:register_step", step="identite"))


def _submit(request, draft: Draft, applicant_form: ApplicantForm):
    if applicant_form.is_robot():
        draft.clear()
        return redirect("structures:register_sent")
    if not ratelimit.hit("structure_registration_per_ip", ratelimit.client_ip(request)):
        logger.warning("Référencement refusé : trop de demandes depuis une même adresse IP.")
        applicant_form.add_error(
            None,
            "Trop de demandes de référencement depuis votre connexion : réessayez dans une "
            "heure, ou écrivez-nous.",
        )
        return render(
            request,
            "structures/register/vous.html",
            _wizard_context("vous", draft, {"form": applicant_form}),
            status=429,
        )
    collected = {}
    for slug in STEP_SLUGS[1:-1]:
        forms = _step_forms(slug, draft)
        if not draft.raw(slug) or not _valid(forms):
            messages.error(request, "Une étape est incomplète : vérifiez-la avant d'envoyer.")
            return redirect(draft.url("structures:register_step", step=slug))
        collected[slug] = forms
    fields = dict(collected["identite"]["form"].cleaned_data)
    fields["immersion_description"] = collected["lieux"]["form"].cleaned_data[
        "immersion_description"
    ]
    fields.update(collected["accueil"]["form"].cleaned_data)
    person = applicant_form.cleaned_data
    try:
        registration = services.start_registration(
            siret=draft.siret,
            fields=fields,
            sites=collected["lieux"]["sites"].site_data(),
            siret_confirmed=bool(draft.data.get("found")),
            actor=actor_of(request),
            applicant=services.Applicant(
                email=person["email"],
                first_name=person["first_name"],
                last_name=person["last_name"],
                phone=person["phone"],
                job_title=person["job_title"],
            ),
        )
    except services.SiretAlreadyRegistered:
        messages.error(request, "Entre-temps, cette structure a été référencée par quelqu'un.")
        return redirect(draft.url("structures:register_step", step="siret"))
    except services.StructureError as error:
        messages.error(request, error.message)
        return redirect(draft.url("structures:register_step", step="lieux"))
    draft.clear()
    request.session[SENT_KEY] = {
        "email": registration.email,
        "name": registration.structure.display_name,
        "siret_confirmed": bool(registration.structure.siret_checked_by),
    }
    return redirect("structures:register_sent")


@require_http_methods(["GET"])
def register_sent(request):
    sent = request.session.get(SENT_KEY) or {}
    return render(
        request,
        "structures/register/sent.html",
        {
            "email": sent.get("email", ""),
            "structure_name": sent.get("name", ""),
            "siret_confirmed": sent.get("siret_confirmed", True),
            "max_age_days": TEAM.registration_max_age_days,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def join_request(request, public_id):
    structure = get_object_or_404(
        HostStructure.objects.exclude(
            status__in=[HostStructure.Status.CLOSED, HostStructure.Status.PENDING]
        ),
        public_id=public_id,
    )
    form = JoinRequestForm(request.POST if request.method == "POST" else None)
    return team_views.join_request(
        request,
        TEAM,
        structure,
        form=form,
        rate_limit="structure_join_request_per_ip",
    )


# Links received by e-mail --------------------------------------------------------------


def _link_invalid(request, kind: str, used: bool):
    registration = kind == "registration"
    if used:
        done = (
            "La structure est déjà confirmée."
            if registration
            else "Vous avez déjà rejoint cette équipe."
        )
        return link_invalid_page(
            request,
            used=True,
            explanation=f"{done} Connectez-vous pour retrouver votre espace structure.",
            action_url=f"{reverse('accounts:login')}?next={reverse('structures:space')}",
            action_label="Me connecter",
            status=GONE,
        )
    if registration:
        return link_invalid_page(
            request,
            used=False,
            explanation=(
                f"Les liens de confirmation sont valables {TEAM.registration_max_age_days} "
                "jours. Celui-ci a expiré, il est incomplet, ou une demande plus récente l'a "
                "remplacé. Recommencez le référencement : cela ne prend que quelques minutes."
            ),
            action_url=reverse("structures:register"),
            action_label="Référencer ma structure",
            status=GONE,
        )
    return link_invalid_page(
        request,
        used=False,
        explanation=(
            f"Les invitations sont valables {TEAM.invitation_max_age_days} jours. Celle-ci "
            "a expiré, a été annulée ou le lien est incomplet. Demandez à l'équipe de la "
            "structure de vous inviter de nouveau."
        ),
        status=GONE,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_registration(request):
    token = link_param(request)
    try:
        if request.method == "GET":
            registration = read_registration_token(token)
            return render(
                request,
                "structures/confirm.html",
                {"registration": registration, "structure": registration.structure, "token": token},
            )
        result = services.confirm_registration(token=token, actor=link_actor(request))
    except services.LinkAlreadyUsed:
        return _link_invalid(request, "registration", used=True)
    except services.TeamError:
        return _link_invalid(request, "registration", used=False)
    dashboard = reverse("structures:dashboard", kwargs={"public_id": result.structure.public_id})
    name = result.structure.display_name
    if result.structure.status == HostStructure.Status.UNVERIFIED:
        done = (
            f"Votre adresse est confirmée. {name} sera publiée dès que son SIRET aura été "
            "vérifié par l'équipe d'Immersio : vous recevrez un e-mail."
        )
    else:
        done = f"{name} est publiée sur Immersio."
    if log_in_by_email_proof(request, result.user):
        messages.success(request, f"{done} Bienvenue dans votre espace structure.")
        return redirect(dashboard)
    messages.success(request, f"{done} Connectez-vous pour la gérer.")
    return redirect(f"{reverse('accounts:login')}?next={dashboard}")


accept_invitation = team_views.invitation_view(
    TEAM,
    space_url_name="structures:dashboard",
    link_invalid=lambda request, used: _link_invalid(request, "invitation", used=used),
)


# Mon espace structure ------------------------------------------------------------------


def _structure_for(request, public_id, *, allowed=None) -> HostStructure:
    """The structure of the team space ``public_id`` (404 unless visible to the person);
    403 unless ``allowed(user, structure)``, when given (``access.can_edit``…)."""
    structure = get_object_or_404(
        HostStructure.objects.visible_to(request.user), public_id=public_id
    )
    if allowed is not None and not allowed(request.user, structure):
        raise PermissionDenied
    return structure


@login_required
@require_http_methods(["GET"])
def space(request):
    structures = (
        HostStructure.objects.filter(memberships__user=request.user, memberships__is_active=True)
        .exclude(status=HostStructure.Status.PENDING)
        .distinct()
        .order_by("name")
    )
    if len(structures) == 1 and not request.user.is_staff:
        return redirect("structures:dashboard", public_id=structures[0].public_id)
    return render(request, "structures/space/list.html", {"structures": structures})


def _space_context(request, structure: HostStructure, section: str, **extra) -> dict:
    """The context of a page of the team space; ``section`` is its tab in the header."""
    membership = access.membership_for(request.user, structure)
    return {
        "section": section,
        "structure": structure,
        "membership": membership,
        "can_edit": access.can_edit(request.user, structure),
        "can_pause": access.can_pause(request.user, structure),
        "can_manage_team": access.can_manage_team(request.user, structure),
        "public_url": public_page_url(structure),
        "errors": [],
        **extra,
    }


@never_cache
@login_required
@require_http_methods(["GET"])
def dashboard(request, public_id):
    structure = _structure_for(request, public_id)
    return _dashboard_page(request, structure, PauseForm())


def _dashboard_page(request, structure: HostStructure, pause_form: PauseForm):
    context = _space_context(
        request,
        structure,
        "dashboard",
        availability=selectors.availability_for(structure),
        sites=structure.sites.select_related("commune").prefetch_related("offers__appellation"),
        pause_form=pause_form,
        paused=structure.is_paused,
        today=timezone.localdate(),
    )
    return render(request, "structures/space/dashboard.html", context)


@login_required
@require_POST
def pause(request, public_id):
    structure = _structure_for(request, public_id, allowed=access.can_pause)
    form = PauseForm(request.POST)
    if form.is_valid():
        try:
            structure = services.pause(
                structure=structure, until=form.cleaned_data["until"], actor=request.user
            )
        except services.InvalidPause as error:
            form.add_error("until", error.message)
        else:
            messages.success(request, selectors.describe_pause(structure))
            return redirect("structures:dashboard", public_id=structure.public_id)
    return _dashboard_page(request, structure, form)


@login_required
@require_POST
def resume(request, public_id):
    structure = _structure_for(request, public_id, allowed=access.can_pause)
    services.resume(structure=structure, actor=request.user)
    messages.success(request, "La pause est terminée : votre structure apparaît de nouveau.")
    return redirect("structures:dashboard", public_id=structure.public_id)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit(request, public_id):
    structure = _structure_for(request, public_id, allowed=access.can_edit)
    form = StructureEditForm(request.POST or None, instance=structure)
    if request.method == "POST" and form.is_valid():
        fields = {
            name: value for name, value in form.cleaned_data.items() if name in form.Meta.fields
        }
        services.update_structure(structure=structure, actor=request.user, **fields)
        messages.success(request, "Les informations de la structure sont enregistrées.")
        return redirect("structures:dashboard", public_id=structure.public_id)
    # The form's instance received the typed values: show the saved name in the title.
    structure.refresh_from_db()
    context = _space_context(request, structure, "edit", form=form, errors=error_items(form))
    return render(request, "structures/space/edit.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit_sites(request, public_id):
    structure = _structure_for(request, public_id, allowed=access.can_edit)
    template = "structures/space/sites.html"
    if request.method == "GET":
        sites = SitesForm(SitesForm.raw_for_structure(structure), bound=False)
        return render(request, template, _space_context(request, structure, "sites", sites=sites))
    raw = raw_from(request.POST)
    action = request.POST.get("action", "enregistrer")
    sites = SitesForm(raw, bound=False)
    if sites.apply(action):
        sites = SitesForm(sites.raw, bound=False)
        return render(request, template, _space_context(request, structure, "sites", sites=sites))
    sites = SitesForm(raw, bound=True)
    if sites.is_valid():
        try:
            services.set_sites_and_offers(
                structure=structure, sites=sites.site_data(), actor=request.user
            )
        except services.StructureError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Les lieux et les métiers sont enregistrés.")
            return redirect("structures:dashboard", public_id=structure.public_id)
    context = _space_context(request, structure, "sites", sites=sites, errors=error_items(sites))
    return render(request, template, context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def team(request, public_id):
    structure = _structure_for(request, public_id)
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        done = team_views.invite(request, TEAM, structure, form)
        if done is not None:
            return done
    context = _space_context(
        request,
        structure,
        "team",
        **team_views.team_context(request, TEAM, structure),
        form=form,
        errors=error_items(form),
    )
    return render(request, "structures/space/team.html", context)


remove_member, revoke_invitation = team_views.member_views(
    TEAM, _structure_for, after_leaving="structures:space"
)
