"""*Espace prescripteur*: the conventions an agency reviews, one convention's detail with
its signatures, events and evidence, and the decisions (``lifecycle``).

Every page needs a logged-in member of the agency (or a valideur of the prescripteur de
rattachement of a structure d'accompagnement, or the Immersio team); the querysets are
scoped by ``selectors.reviewable_by``: another agency's convention is a 404.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from immersio.agencies.models import Agency, AgencyMembership
from immersio.core.dates import add_working_days
from immersio.core.pagination import paginate

from .. import documents, hooks, lifecycle, selectors, services
from ..forms import (
    CorrectionForm,
    DecisionForm,
    PaperSignatureForm,
    ReviewFilterForm,
    SecondSignatoryForm,
    SensitiveAccessForm,
    TransferForm,
)
from ..models import Convention, Signatory
from ..schedule import format_minutes
from ..transitions import (
    ACTION_LABELS,
    IN_PROGRESS,
    SIGNING,
    TRANSITIONS,
    Action,
    Role,
    Status,
    allowed_actions,
)
from .drafts import _pattern_rows, _slots_text
from .sensitive import sensitive_context
from .signature import pdf_response, whole_row

SOON_WORKING_DAYS = 2
# The buttons of the detail page, in this order; each posts ``action``.
DECISIONS = (
    Action.VALIDATE,
    Action.PRE_VALIDATE,
    Action.REQUEST_CHANGE,
    Action.REOPEN,
    Action.AMEND,
    Action.REFUSE,
    Action.CANCEL,
)
_STYLE = {
    Action.VALIDATE: "btn-primary",
    Action.PRE_VALIDATE: "btn-primary",
    Action.REFUSE: "btn-outline-danger",
    Action.CANCEL: "btn-outline-danger",
}


def _scope(user):
    if user.is_staff:  # an archived convention is its agency's only (``visible_to``)
        return Convention.objects.exclude(status=Status.DRAFT, version=0).filter(
            archived_at__isnull=True
        )
    return selectors.reviewable_by(user)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def review_list(request):
    if request.method == "POST":
        return _filter_redirect(request)
    scope = _scope(request.user)
    is_member = (
        request.user.is_staff
        or AgencyMembership.objects.filter(user=request.user, is_active=True).exists()
    )
    data = request.GET.copy()
    if data.get(NAMES_PARAM):
        data.update(request.session.get(NAMES_SESSION_KEY, {}))
    form = ReviewFilterForm(
        data or None,
        statuses=[(s.value, s.label) for s in Status if s != Status.DRAFT],
    )
    rows = scope
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["statut"]:
            rows = rows.filter(status=data["statut"])
        if data["debut_du"]:
            rows = rows.filter(date_start__gte=data["debut_du"])
        if data["debut_au"]:
            rows = rows.filter(date_start__lte=data["debut_au"])
        if data["conseiller"]:
            rows = rows.filter(counsellor_name__icontains=data["conseiller"].strip())
        if data["beneficiaire"]:
            words = data["beneficiaire"].split()
            for word in words:
                rows = rows.filter(
                    Q(beneficiary_last_name__icontains=word)
                    | Q(beneficiary_first_name__icontains=word)
                )
    elif form.is_bound:
        rows = rows.none()
    today = timezone.localdate()
    soon_until = add_working_days(today, SOON_WORKING_DAYS)
    pagination = paginate(
        request,
        selectors.in_work_order(
            selectors.with_signatories(rows).select_related("agency", "appellation"),
            today=today,
            until=soon_until,
        ),
        label="Pages des conventions",
    )
    items = [
        {
            "convention": convention,
            "soon": convention.status in IN_PROGRESS
            and convention.date_start is not None
            and today <= convention.date_start <= soon_until,
        }
        for convention in pagination
    ]
    counts = selectors.counts_by_status(scope)
    return render(
        request,
        "conventions/review/list.html",
        {
            "form": form,
            "items": items,
            "pagination": pagination,
            "counts": [
                {"status": s.value, "label": s.label, "count": counts.get(s.value, 0)}
                for s in Status
                if s != Status.DRAFT
            ],
            "soon_count": selectors.starting_soon(scope, today=today, until=soon_until).count(),
            "soon_days": SOON_WORKING_DAYS,
            "signing": SIGNING,
            "is_member": is_member,
        },
    )


# No name in a URL (issue 11): the names searched are posted, kept in the session, and the
# list's address only says « with the names searched » (``noms=1``), so that its pages and
# its counters keep them; the dates and the status stay in the address.
NAME_FILTERS = ("conseiller", "beneficiaire")
OTHER_FILTERS = ("statut", "debut_du", "debut_au")
NAMES_PARAM = "noms"
NAMES_SESSION_KEY = "conventions:review:names"


def _filter_redirect(request) -> HttpResponseRedirect:
    names = {key: request.POST.get(key, "").strip() for key in NAME_FILTERS}
    names = {key: value for key, value in names.items() if value}
    query = {key: request.POST.get(key, "").strip() for key in OTHER_FILTERS}
    query = {key: value for key, value in query.items() if value}
    if names:
        request.session[NAMES_SESSION_KEY] = names
        query[NAMES_PARAM] = "1"
    else:
        request.session.pop(NAMES_SESSION_KEY, None)
    if not query:
        query[OTHER_FILTERS[0]] = ""  # a search with nothing filled: the whole list, bound
    return HttpResponseRedirect(f"{reverse('conventions:review_list')}?{urlencode(query)}")


# What an action (or the PDF) reads of the convention before the service locks it and
# reads it again: who may act (``selectors.roles_of``), its status, version and reference
# (``only``: a few columns of ninety are much cheaper to read and to build the query for).
# A form shown again with its errors reads the whole row (``whole_row``).
_ACTION_COLUMNS = frozenset(
    {
        "id",
        "public_id",
        "status",
        "version",
        "substance_version",
        "submitted_at",
        "agency",
        "created_by",
        "contact_request",
        "structure",
    }
)


def _convention(request, public_id, *, narrow: bool = False) -> Convention:
    rows = _scope(request.user)
    if narrow:
        rows = rows.only(*_ACTION_COLUMNS)
    else:
        rows = rows.select_related("agency", "appellation", "place_commune")
    return get_object_or_404(rows, public_id=public_id)


def _decision_forms(convention, actions, bound=None, bound_action=None) -> list[dict]:
    initial = {"version": convention.version, "status": convention.status}
    found = []
    for action in DECISIONS:
        if action not in actions:
            continue
        transition = TRANSITIONS[action]
        if bound is not None and bound_action == action:
            form = bound
        else:
            form = DecisionForm(
                initial=initial, reason_required=transition.reason_required, prefix=action.value
            )
        found.append(
            {
                "action": action.value,
                "label": ACTION_LABELS[action],
                "form": form,
                "style": _STYLE.get(action, "btn-outline-primary"),
                "needs_reason": transition.reason_required,
                "open": bound is not None and bound_action == action,
            }
        )
    return found


def _transfer_agencies(convention):
    return (
        Agency.objects.filter(status=Agency.Status.ACTIVE)
        .exclude(pk=convention.agency_id)
        .order_by("name")
    )


def _detail_context(request, convention, **bound) -> dict:
    roles = selectors.roles_of(request.user, convention)
    actions = allowed_actions(status=convention.status, roles=roles)
    signatures = selectors.current_signatures(convention)
    required = {s.pk for s in selectors.required_signatories(convention)}
    signing = convention.status in {Status.TO_SIGN, Status.PARTIALLY_SIGNED}
    version = selectors.current_version(convention)
    today = timezone.localdate()
    sensitive = sensitive_context(
        request.user,
        convention,
        action=reverse("conventions:review_sensitive", kwargs={"public_id": convention.public_id}),
        form=bound.get("sensitive_form"),
        shown_for_staff=bound.get("shown_for_staff", False),
    )
    signatories = [
        {
            "signatory": s,
            "signature": signatures.get(s.pk),
            "required": s.pk in required,
            "can_resend": signing
            and s.pk in required
            and s.pk not in signatures
            and (
                s.link_sent_at is None
                or timezone.now() - s.link_sent_at >= lifecycle.RESEND_COOLDOWN
            ),
            "paper_form": bound.get("paper_forms", {}).get(s.pk)
            or PaperSignatureForm(initial={"version": convention.version}, prefix=f"papier-{s.pk}"),
        }
        for s in convention.signatories.filter(active=True).order_by("pk")
    ]
    return {
        "convention": convention,
        "roles": roles,
        "decisions": _decision_forms(
            convention, actions, bound.get("decision_form"), bound.get("decision_action")
        ),
        "can_transfer": Action.TRANSFER in actions,
        "transfer_form": bound.get("transfer_form")
        or TransferForm(
            initial={"version": convention.version, "status": convention.status},
            agencies=_transfer_agencies(convention),
            prefix="transfert",
        ),
        "can_add_signatory": Action.ADD_SIGNATORY in actions
        and not convention.signatories.filter(
            role=Role.HOST_SECOND_REPRESENTATIVE, active=True
        ).exists(),
        "signatory_form": bound.get("signatory_form")
        or SecondSignatoryForm(initial={"version": convention.version}, prefix="signataire"),
        "can_correct": Action.CORRECT in actions,
        "correction_form": bound.get("correction_form")
        or CorrectionForm(
            instance=convention, initial={"version": convention.version}, prefix="correction"
        ),
        "signing": signing,
        "signatories": signatories,
        "events": convention.events.order_by("at", "id"),
        "evidence": documents.evidence(convention),
        "version": version,
        "duplicates": services.possible_duplicates(convention),
        **sensitive,
        "total_hours": format_minutes(convention.total_minutes),
        "pattern_rows": _pattern_rows(convention),
        "exception_rows": [
            {"day": day, "slots": _slots_text(slots)}
            for day, slots in sorted(convention.exception_slots().items())
        ],
        "starts_soon": convention.status in IN_PROGRESS
        and convention.date_start is not None
        and today <= convention.date_start <= add_working_days(today, SOON_WORKING_DAYS),
        "too_late": convention.date_start is not None
        and convention.status in IN_PROGRESS
        and today > convention.date_start,
        "document_ready": convention.status == Status.VALIDATED,
        # The team downloads the PDF (it holds the sensitive fields) from the reason form.
        "pdf_link": (
            convention.status == Status.VALIDATED and sensitive["sensitive_role"] != "staff"
        ),
        "role_labels": [Role(r).label for r in sorted(roles)],
        "resend_hours": lifecycle.RESEND_HOURS,
        "amendments": list(convention.amendments.order_by("created_at")),
        "sections": [
            section
            for section_of in hooks.review_sections
            if (section := section_of(request.user, convention))
        ],
    }


@never_cache
@login_required
@require_http_methods(["GET"])
def review_detail(request, public_id):
    convention = _convention(request, public_id)
    return render(request, "conventions/review/detail.html", _detail_context(request, convention))


def _here(convention) -> str:
    return reverse("conventions:review", kwargs={"public_id": convention.public_id})


@never_cache
@login_required
@require_http_methods(["POST"])
def review_act(request, public_id):
    convention = _convention(request, public_id, narrow=True)
    action = request.POST.get("action", "")
    try:
        if action in {a.value for a in DECISIONS}:
            act = Action(action)
            transition = TRANSITIONS[act]
            form = DecisionForm(
                request.POST, reason_required=transition.reason_required, prefix=act.value
            )
            if not form.is_valid():
                return _invalid(request, convention, decision_form=form, decision_action=act)
            data = form.cleaned_data
            if act is Action.AMEND:
                amendment = lifecycle.start_amendment(
                    convention=convention, reason=data["reason"], actor=request.user
                )
                messages.success(
                    request,
                    "Avenant créé : modifiez ce qui change, puis envoyez-le. Chaque partie le "
                    "signera et il sera validé de nouveau ; la convention validée reste en "
                    "vigueur jusque-là.",
                )
                return HttpResponseRedirect(
                    reverse(
                        "conventions:step",
                        kwargs={"token": amendment.share_token, "step": "beneficiaire"},
                    )
                )
            if act is Action.REQUEST_CHANGE:
                lifecycle.request_change(
                    convention=convention,
                    reason=data["reason"],
                    version=data["version"],
                    actor=request.user,
                )
                messages.success(request, "Votre demande de modification est envoyée aux parties.")
            else:
                lifecycle.decide(
                    convention=convention,
                    action=act,
                    reason=data["reason"],
                    version=data["version"],
                    status=data["status"],
                    actor=request.user,
                )
                messages.success(request, _DONE[act])
        elif action == "transferer":
            form = TransferForm(
                request.POST, agencies=_transfer_agencies(convention), prefix="transfert"
            )
            if not form.is_valid():
                return _invalid(request, convention, transfer_form=form)
            lifecycle.transfer(
                convention=convention,
                agency=form.cleaned_data["agency"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
                actor=request.user,
            )
            messages.success(
                request,
                f"Convention transférée à {form.cleaned_data['agency'].name} ; les signataires "
                "confirment la nouvelle version.",
            )
            return HttpResponseRedirect(reverse("conventions:review_list"))
        elif action == "corriger":
            form = CorrectionForm(
                request.POST, instance=Convention.objects.get(pk=convention.pk), prefix="correction"
            )
            if not form.is_valid():
                return _invalid(request, convention, correction_form=form)
            lifecycle.correct(
                convention=convention,
                data=form.changed_values(),
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
                actor=request.user,
            )
            messages.success(request, "Correction enregistrée ; les parties en sont informées.")
        elif action == "ajouter-signataire":
            form = SecondSignatoryForm(request.POST, prefix="signataire")
            if not form.is_valid():
                return _invalid(request, convention, signatory_form=form)
            added = lifecycle.add_host_signatory(
                convention=convention,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                phone=form.cleaned_data["phone"],
                version=form.cleaned_data["version"],
                actor=request.user,
            )
            messages.success(request, f"{added.name} est ajouté(e) et reçoit son lien.")
        elif action in {"renvoyer", "papier"}:
            signatory = get_object_or_404(
                Signatory, convention=convention, public_id=request.POST.get("signataire", "")
            )
            if action == "renvoyer":
                lifecycle.resend_link(signatory=signatory, actor=request.user)
                messages.success(request, f"Lien renvoyé à {signatory.name}.")
            else:
                form = PaperSignatureForm(
                    request.POST, request.FILES, prefix=f"papier-{signatory.pk}"
                )
                if not form.is_valid():
                    return _invalid(request, convention, paper_forms={signatory.pk: form})
                scan = form.cleaned_data["scan"]
                lifecycle.record_paper_signature(
                    signatory=signatory,
                    version=form.cleaned_data["version"],
                    scan=scan.read(),
                    filename=scan.name,
                    actor=request.user,
                )
                messages.success(request, f"Signature papier de {signatory.name} enregistrée.")
        else:
            raise Http404
    except lifecycle.ConventionError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(_here(convention))


_DONE = {
    Action.VALIDATE: (
        "Convention validée. Toutes les parties reçoivent le lien de la convention en PDF."
    ),
    Action.PRE_VALIDATE: "Convention pré-validée ; les valideurs en sont informés.",
    Action.REOPEN: "Convention rouverte : elle peut être modifiée puis renvoyée pour signature.",
    Action.REFUSE: "Convention refusée ; les parties en sont informées.",
    Action.CANCEL: "Convention annulée ; les parties en sont informées.",
}


def _invalid(request, convention, **bound):
    context = _detail_context(request, whole_row(convention), **bound)
    context["has_form_errors"] = True
    return render(request, "conventions/review/detail.html", context, status=400)


@never_cache
@login_required
@require_http_methods(["GET"])
@transaction.non_atomic_requests  # a read (see signature.document)
def review_pdf(request, public_id):
    convention = _convention(request, public_id, narrow=True)
    if convention.status != Status.VALIDATED:
        raise Http404
    role = selectors.sensitive_access(request.user, convention)
    if role == "staff":
        # The PDF holds the sensitive fields: the team says why first (review_sensitive).
        messages.info(request, "Indiquez d'abord pourquoi vous consultez ces informations.")
        return HttpResponseRedirect(_here(convention) + "#donnees-sensibles")
    if role == "agency":
        services.record_sensitive_access(
            convention=convention, actor=request.user, role="agency", reason=selectors.AGENCY_REASON
        )
    return pdf_response(convention)


@never_cache
@login_required
@require_http_methods(["POST"])
def review_sensitive(request, public_id):
    """The Immersio team opens the sensitive fields of one convention for one page view
    (or its PDF), after saying why; the reason is kept in the access log."""
    convention = _convention(request, public_id)
    if selectors.sensitive_access(request.user, convention) != "staff":
        raise Http404
    form = SensitiveAccessForm(request.POST, prefix="motif")
    if not form.is_valid():
        return _invalid(request, convention, sensitive_form=form)
    services.record_sensitive_access(
        convention=convention,
        actor=request.user,
        role="staff",
        reason=form.cleaned_data["reason"],
    )
    if request.POST.get("suite") == "pdf" and convention.status == Status.VALIDATED:
        return pdf_response(convention)
    context = _detail_context(request, convention, shown_for_staff=True)
    return render(request, "conventions/review/detail.html", context)
