"""The « Demande de convention » form: one draft, several steps, shared by invitation.

A draft holds personal data (birth date, RQTH, RSA): only its parties open it — the person
who started it, the candidate of its immersion request, the teams of its structure and
agency, and the people invited by e-mail once they proved their address (the invitation
link, or the login link). Every page needs a logged-in account, which is a verified
address. Works without JavaScript.
"""

from dataclasses import dataclass, replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from immersio.accounts.email_proof import log_in_by_email_proof
from immersio.agencies.models import Agency
from immersio.agencies.selectors import NearbyAgency, nearest_agencies
from immersio.contacts.models import ContactRequest
from immersio.core.actors import AUTOMATIC
from immersio.core.forms import error_items
from immersio.core.pagination import paginate
from immersio.core.ratelimit import client_ip
from immersio.core.wizard import WizardDraft, as_querydict, raw_from
from immersio.structures.models import HostStructure

from .. import hooks, lifecycle, rules, selectors, services
from ..forms import (
    AgencyForm,
    BeneficiaryForm,
    ImmersionForm,
    InviteForm,
    ScheduleForm,
    StructureForm,
)
from ..models import DRAFT_LIFETIME, WEEKDAY_NAMES, Convention
from ..schedule import format_minutes, weekly_totals
from ..transitions import IN_PROGRESS, Status
from .sensitive import sensitive_context


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form_class: type | None


STEPS = (
    Step("beneficiaire", "Bénéficiaire", BeneficiaryForm),
    Step("structure", "Structure d'accueil", StructureForm),
    Step("immersion", "Immersion", ImmersionForm),
    Step("horaires", "Dates et horaires", ScheduleForm),
    Step("prescripteur", "Prescripteur", AgencyForm),
    Step("recapitulatif", "Récapitulatif et envoi", None),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}

# Violation.field → (step, form field). Paths not listed go to the step of their prefix.
FIELD_MAP = {
    "beneficiary.first_name": ("beneficiaire", "beneficiary_first_name"),
    "beneficiary.last_name": ("beneficiaire", "beneficiary_last_name"),
    "beneficiary.birth_date": ("beneficiaire", "beneficiary_birth_date"),
    "beneficiary.emergency_contact": ("beneficiaire", "emergency_contact_name"),
    "signatories.beneficiary.email": ("beneficiaire", "beneficiary_email"),
    "legal_representative": ("beneficiaire", "legal_rep_email"),
    "signatories.legal_representative.email": ("beneficiaire", "legal_rep_email"),
    "signatories.current_employer.email": ("beneficiaire", "employer_rep_email"),
    "signatories.beneficiaire.phone": ("beneficiaire", "beneficiary_phone"),
    "signatories.representant_legal.phone": ("beneficiaire", "legal_rep_phone"),
    "signatories.employeur_actuel.phone": ("beneficiaire", "employer_rep_phone"),
    "signatories.representant_structure.phone": ("structure", "host_rep_phone"),
    "insertion_contract": ("beneficiaire", "contract_kind"),
    "other_immersions": ("beneficiaire", "contract_kind"),
    "host.siret": ("structure", "host_siret"),
    "host.name": ("structure", "host_name"),
    "host_representative.name": ("structure", "host_rep_name"),
    "signatories.host_representative.email": ("structure", "host_rep_email"),
    "tutor.name": ("structure", "tutor_name"),
    "tutor.email": ("structure", "tutor_email"),
    "host.replaces_no_job": ("structure", "replaces_no_job"),
    "previous_conventions": ("structure", "host_siret"),
    "renewal": ("immersion", "object"),
    "object": ("immersion", "object"),
    "objectives": ("immersion", "objectives"),
    "appellation": ("immersion", "appellation_text"),
    "tasks": ("immersion", "tasks"),
    "place.address": ("immersion", "place_address"),
    "submitted_on": ("horaires", "date_start"),
    "date_start": ("horaires", "date_start"),
    "date_end": ("horaires", "date_end"),
    "agency": ("prescripteur", "agency"),
    "counsellor.name": ("prescripteur", "counsellor_name"),
}


def field_for(path: str) -> tuple[str, str]:
    """Where a violation is shown: (step slug, form field name)."""
    if path in FIELD_MAP:
        return FIELD_MAP[path]
    if path.startswith("schedule"):
        return ("horaires", "schedule")
    if path.startswith("duplicates") or path.startswith("potential_duplicates"):
        return ("structure", "host_siret")
    return ("recapitulatif", "")


def _messages_by_field(violations, step_slug: str) -> dict[str, list[rules.Violation]]:
    found: dict[str, list[rules.Violation]] = {}
    for violation in violations:
        slug, name = field_for(violation.field)
        if slug == step_slug:
            found.setdefault(name, []).append(violation)
    return found


class NotAParty(PermissionDenied):
    def __init__(self, convention: Convention | None = None):
        super().__init__()
        self.convention = convention


def _draft(request, token: str) -> Convention:
    """The convention of ``token`` if the logged-in user is one of its parties."""
    convention = get_object_or_404(
        Convention.objects.select_related("agency", "appellation"), share_token=token
    )
    if not Convention.objects.visible_to(request.user).filter(pk=convention.pk).exists():
        raise NotAParty(convention)
    return convention


def _not_a_party(request, refusal: NotAParty | None = None):
    convention = refusal.convention if refusal else None
    if convention is not None and convention.archived_at is not None:
        # Archived: only its agency reads it now, on request (``visible_to``).
        return render(
            request, "conventions/archived.html", {"agency": convention.agency}, status=403
        )
    return render(request, "conventions/not_a_party.html", status=403)


def _agencies(convention: Convention, kind: str) -> list[NearbyAgency]:
    kinds = [kind] if kind else None
    commune = convention.place_commune
    if commune is not None and commune.latitude is not None:
        found = nearest_agencies(commune.latitude, commune.longitude, kinds=kinds, limit=20)
    else:
        queryset = Agency.objects.active().select_related("commune").order_by("name")
        if kinds:
            queryset = queryset.filter(kind__in=kinds)
        found = [NearbyAgency(agency=a, distance_km=None) for a in queryset[:20]]
    chosen = convention.agency
    if chosen is not None and all(hit.agency.pk != chosen.pk for hit in found):
        found.insert(0, NearbyAgency(agency=chosen, distance_km=None))
    return found


def _form(step: Step, convention: Convention, data=None, kind: str = "", *, viewer=None, **options):
    if step.form_class is None:
        return None
    if step.form_class is ScheduleForm:
        return ScheduleForm(data, instance=convention, **options)
    if step.form_class is AgencyForm:
        initial = {
            "agency": str(convention.agency.public_id) if convention.agency else "",
            "counsellor_name": convention.counsellor_name,
            "counsellor_email": convention.counsellor_email,
        }
        return AgencyForm(data, initial=initial, agencies=_agencies(convention, kind))
    form = step.form_class(data, instance=convention)
    if isinstance(form, BeneficiaryForm) and selectors.sensitive_access(viewer, convention) is None:
        form.hide_sensitive(selectors.SENSITIVE_FIELDS)
    return form


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    """Start page: a POST opens the draft (prefilled from ?demande= or ?structure=): the
    request's existing draft if there is one, else a new one (rate limited)."""
    source = request.POST if request.method == "POST" else request.GET
    contact_request = structure = None
    if demande := source.get("demande"):
        try:
            contact_request = ContactRequest.objects.visible_to(request.user).get(public_id=demande)
        except (ContactRequest.DoesNotExist, ValidationError):
            raise Http404 from None
    elif structure_id := source.get("structure"):
        queryset = HostStructure.objects.public() | HostStructure.objects.visible_to(request.user)
        try:
            structure = queryset.get(public_id=structure_id)
        except (HostStructure.DoesNotExist, ValidationError):
            raise Http404 from None
    existing = services.existing_draft(from_request=contact_request)
    limited = False
    if request.method == "POST":
        if existing is None and not services.can_start_draft(
            actor=request.user, ip=client_ip(request)
        ):
            limited = True
        else:
            try:
                convention = services.start_draft(
                    actor=request.user, from_request=contact_request, structure=structure
                )
            except services.ConventionError as error:
                raise PermissionDenied(error.message) from error
            return redirect("conventions:step", token=convention.share_token, step=STEPS[0].slug)
    return render(
        request,
        "conventions/new.html",
        {
            "contact_request": contact_request,
            "structure": structure,
            "existing": existing,
            "limited": limited,
        },
        status=429 if limited else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET"])
def mine(request):
    """« Mes conventions »: every convention the user is a party to, with its status; for
    an agency's team, the possible duplicates of the conventions it reviews."""
    pagination = paginate(
        request,
        Convention.objects.visible_to(request.user)
        .select_related("agency", "structure", "appellation")
        .order_by("-updated_at", "-pk"),
        label="Pages de vos conventions",
    )
    reviewed = set(
        Convention.objects.filter(
            status__in=IN_PROGRESS,
            agency__memberships__user=request.user,
            agency__memberships__is_active=True,
        ).values_list("pk", flat=True)
    )
    duplicates = services.possible_duplicates_of(
        convention for convention in pagination if convention.pk in reviewed
    )
    # The agency's team follows a sent convention on its review page; the others on the
    # page that says where it stands.
    followed = set(
        selectors.reviewable_by(request.user)
        .filter(pk__in=[convention.pk for convention in pagination])
        .values_list("pk", flat=True)
    )
    extra_links: dict[int, list] = {}
    for links_of in hooks.mine_links:  # the assessment's link, from higher apps
        for pk, found in links_of(request.user, list(pagination)).items():
            extra_links.setdefault(pk, []).extend(found)
    rows = []
    for convention in pagination:
        if convention.is_draft:
            link = reverse(
                "conventions:step",
                kwargs={"token": convention.share_token, "step": STEPS[0].slug},
            )
        elif convention.pk in followed:
            link = reverse("conventions:review", kwargs={"public_id": convention.public_id})
        else:
            link = reverse("conventions:sent", kwargs={"token": convention.share_token})
        rows.append(
            {
                "convention": convention,
                "link": link,
                "duplicates": duplicates.get(convention.pk, []),
                "extra_links": extra_links.get(convention.pk, []),
            }
        )
    sections = [
        section for section_of in hooks.mine_sections if (section := section_of(request.user))
    ]
    return render(
        request,
        "conventions/mine.html",
        {"rows": rows, "pagination": pagination, "sections": sections},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request):
    """The link sent to an invited address. GET asks for confirmation (mail scanners open
    links); POST proves the address: the person joins the draft and, on the link's first
    use, is logged in."""
    token = (request.POST if request.method == "POST" else request.GET).get("jeton", "")
    try:
        if request.method == "GET":
            found = services.read_invitation(token)
            return render(
                request,
                "conventions/invitation.html",
                {"invitation": found, "token": token},
            )
        user, convention, first_use = services.accept_invitation(token=token, actor=AUTOMATIC)
    except services.InvitationLinkError as error:
        return render(
            request, "conventions/invitation_invalid.html", {"message": error.message}, status=410
        )
    target = reverse(
        "conventions:step", kwargs={"token": convention.share_token, "step": STEPS[0].slug}
    )
    if (first_use or request.user.pk == user.pk) and log_in_by_email_proof(request, user):
        return redirect(target)
    messages.info(request, "Connectez-vous avec l'adresse qui a reçu l'invitation.")
    return redirect(f"{reverse('accounts:login')}?next={target}")


@never_cache
@login_required
@require_http_methods(["POST"])
def invite(request, token: str):
    try:
        convention = _draft(request, token)
    except NotAParty as refusal:
        return _not_a_party(request, refusal)
    back = request.POST.get("etape", "")
    back = back if back in STEP_BY_SLUG else STEPS[0].slug
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.invite(
                convention=convention, email=form.cleaned_data["email"], actor=request.user
            )
        except services.ConventionError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"Invitation envoyée à {form.cleaned_data['email']} : le lien reçu lui "
                "donnera accès à cette demande.",
            )
    else:
        messages.error(request, " ".join(form.errors["email"]))
    return redirect("conventions:step", token=token, step=back)


STEPS_NAMESPACE = "convention_steps"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def step(request, token: str, step: str):
    try:
        convention = _draft(request, token)
    except NotAParty as refusal:
        return _not_a_party(request, refusal)
    if not convention.is_draft:
        return redirect("conventions:sent", token=token)
    if convention.is_expired():
        return render(
            request, "conventions/expired.html", {"draft_days": DRAFT_LIFETIME.days}, status=410
        )
    current = STEP_BY_SLUG.get(step)
    if current is None:
        raise Http404
    index = STEPS.index(current)
    kind = request.GET.get("type", "")
    if kind not in Agency.Kind.values:
        kind = ""
    action = request.POST.get("action", "suivant")
    target = _target(action, index)
    submit_error = None
    # What was typed and is not valid yet waits in the session (the draft itself is in
    # the database), keyed by the convention: one per convention, whatever the tab.
    typed = WizardDraft.open(request, STEPS_NAMESPACE, key=str(convention.public_id))
    if request.method == "POST" and current.form_class is None:
        if target is not None:
            return redirect("conventions:step", token=token, step=target)
        try:
            lifecycle.submit(
                convention=convention,
                actor=request.user,
                ip=client_ip(request),
                user_agent=request.headers.get("User-Agent", ""),
            )
        except services.ConventionError as error:
            submit_error = error.message
        else:
            messages.success(
                request,
                "Demande de convention envoyée : chaque signataire reçoit son propre lien pour "
                "la lire et la signer, et le prescripteur est prévenu.",
            )
            return redirect("conventions:sent", token=token)
        form = None
    elif (
        request.method == "POST" and action == "ajouter-jour" and current.form_class is ScheduleForm
    ):
        # One more « day that differs » row; what is valid is saved meanwhile.
        form = _form(current, convention, request.POST, add_exception=True)
        if form.is_valid():
            services.save_step(
                convention=convention, step=current.slug, data=form.step_data(), actor=request.user
            )
            typed.forget(current.slug)
            return redirect(
                reverse("conventions:step", kwargs={"token": token, "step": current.slug})
                + f"?lignes={form.rows}#jour-{form.rows}"
            )
    elif request.method == "POST":
        form = _form(current, convention, request.POST, kind=kind, viewer=request.user)
        if form.is_valid():
            services.save_step(
                convention=convention, step=current.slug, data=form.step_data(), actor=request.user
            )
            typed.forget(current.slug)
            if target is None:
                step_errors = _messages_by_field(
                    rules.errors(services.violations(convention, viewer=request.user)),
                    current.slug,
                )
                if action == "enregistrer" or step_errors:
                    target = current.slug
                    if not step_errors:  # never beside an error summary
                        messages.success(request, "Brouillon enregistré.")
                else:
                    target = STEPS[index + 1].slug
            return redirect("conventions:step", token=token, step=target)
        if target is not None:
            # Going elsewhere is never blocked: the valid values are saved, and what was
            # typed waits, with its errors, until the person comes back to this step.
            if partial := getattr(form, "partial_data", lambda: {})():
                services.save_step(
                    convention=convention, step=current.slug, data=partial, actor=request.user
                )
            typed.store(current.slug, raw_from(request.POST), valid=False)
            return redirect("conventions:step", token=token, step=target)
    elif (stash := typed.raw(current.slug)) is not None:
        form = _form(current, convention, as_querydict(stash), kind=kind, viewer=request.user)
        form.is_valid()
    elif current.form_class is ScheduleForm:
        lines = request.GET.get("lignes", "")
        form = _form(current, convention, rows=int(lines) if lines.isdigit() else 0)
    else:
        form = _form(current, convention, kind=kind, viewer=request.user)
    found = _grouped(services.violations(convention, viewer=request.user))
    if current.form_class is None:
        found = (
            services.missing(convention)
            + selectors.contact_problems(convention, timezone.localdate())
            + found
        )
    field_messages = _messages_by_field(found, current.slug)
    if form is not None and form.is_bound:
        field_messages = {}  # the form's own errors first; the rules run on the saved draft
    if form is not None:
        for name, found_here in field_messages.items():
            if name in form.fields:
                form[name].rule_messages = found_here
    return render(
        request,
        f"conventions/steps/{current.slug}.html",
        _context(request, convention, current, form, found, field_messages, kind, submit_error),
    )


def _grouped(found: list[rules.Violation]) -> list[rules.Violation]:
    """One message per schedule rule, not one per day or week: the first day's message,
    then the other days it also concerns."""
    result: list[rules.Violation] = []
    groups: dict[str, list[rules.Violation]] = {}
    for violation in found:
        if violation.field.startswith("schedule."):
            if violation.code not in groups:
                groups[violation.code] = []
                result.append(violation)
            groups[violation.code].append(violation)
        else:
            result.append(violation)
    for index, violation in enumerate(result):
        same = groups.get(violation.code, []) if violation.field.startswith("schedule.") else []
        if len(same) > 1:
            others = len(same) - 1
            unit = "semaine" if violation.field.startswith("schedule.weeks.") else "jour"
            plural = "s" if others > 1 else ""
            result[index] = replace(
                violation,
                field="schedule",
                message=f"{violation.message} Même problème pour {others} autre{plural} "
                f"{unit}{plural} du planning.",
            )
    return result


def _slots_text(slots) -> str:
    return ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in slots) or "absent"


def _pattern_rows(convention: Convention) -> list[dict]:
    pattern = convention.pattern_slots()
    return [
        {"name": WEEKDAY_NAMES[day], "slots": _slots_text(slots)}
        for day, slots in sorted(pattern.items())
        if slots
    ]


def _target(action: str, index: int) -> str | None:
    """The step a navigation button leads to (« Revenir à l'étape précédente », the list
    of steps), or None for the buttons that stay or go forward."""
    if action == "retour" and index:
        return STEPS[index - 1].slug
    if action.startswith("aller:") and action[6:] in STEP_BY_SLUG:
        return action[6:]
    return None


def _summary(form, field_messages) -> list[dict]:
    items = error_items(form) if form is not None else []
    for name, found in field_messages.items():
        for violation in found:
            if violation.severity != rules.ERROR:
                continue
            if form is not None and name in form.fields:
                field = form[name]
                items.append(
                    {
                        "anchor": field.auto_id,
                        "label": str(field.label),
                        "message": violation.message,
                    }
                )
            else:
                items.append({"anchor": name or "", "label": "", "message": violation.message})
    return items


def _context(request, convention, current, form, found, field_messages, kind, submit_error):
    index = STEPS.index(current)
    schedule = convention.schedule()
    recap = []
    if current.form_class is None:
        for violation in found:
            slug, name = field_for(violation.field)
            recap.append(
                {
                    "violation": violation,
                    "step": STEP_BY_SLUG[slug],
                    "anchor": f"id_{name}" if name and name != "schedule" else name,
                }
            )
    return {
        "convention": convention,
        "draft_days": DRAFT_LIFETIME.days,
        "form": form,
        "step": current,
        "step_number": index + 1,
        "step_count": len(STEPS),
        "steps": [
            {"number": n, "slug": s.slug, "title": s.title, "current": s is current}
            for n, s in enumerate(STEPS, start=1)
        ],
        "previous_step": STEPS[index - 1] if index else None,
        "errors": _summary(form, field_messages) if current.form_class else [],
        "field_messages": field_messages,
        "schedule_messages": field_messages.get("schedule", []),
        "total_hours": format_minutes(convention.total_minutes),
        "weeks": [
            {"monday": week.monday, "hours": format_minutes(total.minutes), "days": total.days}
            for week, total in weekly_totals(schedule).items()
        ],
        "pattern_rows": _pattern_rows(convention),
        "exception_rows": [
            {"day": day, "slots": _slots_text(slots)}
            for day, slots in sorted(convention.exception_slots().items())
        ],
        "invite_form": InviteForm(),
        "appellation_endpoint": reverse("referentials:appellation_suggestions"),
        "invitations": list(convention.invitations.all()),
        "kind": kind,
        "kinds": Agency.Kind.choices,
        "recap": recap,
        "has_errors": any(v.severity == rules.ERROR for v in found),
        **(sensitive_context(request.user, convention) if current.form_class is None else {}),
        "submit_error": submit_error,
    }


@never_cache
@login_required
def sent(request, token: str):
    try:
        convention = _draft(request, token)
    except NotAParty as refusal:
        return _not_a_party(request, refusal)
    if convention.is_draft:
        return HttpResponseRedirect(
            reverse("conventions:step", kwargs={"token": token, "step": STEPS[-1].slug})
        )
    signatures = selectors.signed_by(convention)
    signatories = [
        {
            "name": signatory.name,
            "role": signatory.get_role_display(),
            "signed_at": signatures[signatory.pk].signed_at if signatory.pk in signatures else None,
            "declined": bool(signatory.declined_at),
        }
        for signatory in selectors.required_signatories(convention)
    ]
    return render(
        request,
        "conventions/sent.html",
        {
            "convention": convention,
            "signatories": signatories,
            "missing": sum(1 for row in signatories if row["signed_at"] is None),
            "Status": Status,
            "followed": selectors.reviewable_by(request.user).filter(pk=convention.pk).exists(),
        },
    )
