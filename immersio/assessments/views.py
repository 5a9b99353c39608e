"""The assessment's pages: the tutor's form from their link, the same form in the
prescriber's space (in place of the tutor, or to correct), the beneficiary's reading and
co-signature (from their link or from « Mes conventions »); the renewal the assessment
allows: asked by the beneficiary on that page, prepared by the agency.

Links carry their ``jeton`` in the address when opened and in the form when posted
(``core.links.link_param``); opening a link changes nothing. Someone else's assessment is
a 404."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from immersio.conventions.models import Convention
from immersio.core.actors import AUTOMATIC
from immersio.core.links import link_invalid_page, link_param, safe_next
from immersio.core.pagination import paginate
from immersio.core.storage import private_file_response

from . import documents, links, panels, selectors, services
from . import followup as follow
from .forms import (
    AssessmentForm,
    CorrectionReasonForm,
    CosignForm,
    ExportForm,
    RenewalRequestForm,
)
from .models import Assessment, AssessmentDocument
from .rules import ASSESSMENT_LINK_DAYS, RESEND_COOLDOWN_HOURS


def _invalid(request):
    return link_invalid_page(
        request,
        used=False,
        explanation=(
            "Ce lien de bilan n'est pas complet ou ne correspond à aucun bilan. Ouvrez-le "
            "depuis l'e-mail reçu, sans le modifier."
        ),
        status=404,
    )


def _from_link(request, role: str):
    """(assessment, token, expired) for a genuine link of ``role``, else None."""
    token = link_param(request)
    data = links.read(token, role)
    if data is None:
        return None
    assessment = (
        Assessment.objects.select_related("convention", "convention__agency")
        .filter(public_id=data.assessment)
        .first()
    )
    if assessment is None:
        return None
    convention = assessment.convention
    email = convention.tutor_email if role == links.TUTOR else convention.beneficiary_email
    if not data.matches(email) or convention.anonymised_at is not None:
        return None
    return assessment, token, data.expired


def _form_context(assessment_or_none, convention, form, **extra) -> dict:
    return {
        "convention": convention,
        "assessment": assessment_or_none,
        "form": form,
        "errors": form.error_summary() if form is not None else [],
        "objectives": convention.objective_list(),
        **extra,
    }


def _summary(assessment) -> dict:
    return {
        "objective_rows": selectors.objective_rows(assessment),
        "skill_rows": selectors.skill_rows(assessment),
        "pdf_url": selectors.pdf_url(assessment),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def tutor(request):
    """The tutor's form, from the e-mailed link."""
    opened = _from_link(request, links.TUTOR)
    if opened is None:
        return _invalid(request)
    assessment, token, expired = opened
    convention = assessment.convention
    if expired:
        if request.method == "POST" and request.POST.get("action") == "nouveau-lien":
            services.resend_link(assessment=assessment, actor=AUTOMATIC)
            return render(request, "assessments/renewed.html", {})
        return render(
            request,
            "assessments/expired.html",
            {"token": token, "days": ASSESSMENT_LINK_DAYS},
            status=410,
        )
    if assessment.is_filled:
        return render(
            request,
            "assessments/done.html",
            {"assessment": assessment, "convention": convention, **_summary(assessment)},
        )
    no_show_only = (request.POST if request.method == "POST" else request.GET).get("absent") == "1"
    if request.method == "GET":
        form = AssessmentForm(convention=convention, no_show_only=no_show_only)
        return render(
            request,
            "assessments/tutor.html",
            _form_context(assessment, convention, form, token=token, no_show_only=no_show_only),
        )
    form = AssessmentForm(request.POST, convention=convention, no_show_only=no_show_only)
    if form.is_valid():
        try:
            services.fill(convention=convention, answers=form.answers(), actor=AUTOMATIC)
        except services.AssessmentError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Merci : le bilan est enregistré.")
            return HttpResponseRedirect(reverse("assessments:tutor") + f"?jeton={token}")
    return render(
        request,
        "assessments/tutor.html",
        _form_context(assessment, convention, form, token=token, no_show_only=no_show_only),
        status=400,
    )


def _agency_convention(request, public_id) -> Convention:
    convention = get_object_or_404(
        Convention.objects.visible_to(request.user).select_related("agency"), public_id=public_id
    )
    if not selectors.is_agency_member(request.user, convention):
        raise Http404
    if not selectors.may_be_assessed(convention, _today()):
        raise Http404
    return convention


def _today():
    return timezone.localdate()


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def fill(request, public_id):
    """The prescriber's page: fill in place of the tutor, correct a filled assessment
    (with a reason), or send the tutor their link again."""
    convention = _agency_convention(request, public_id)
    assessment = Assessment.objects.filter(convention=convention).first()
    here = reverse("assessments:fill", kwargs={"public_id": public_id})
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "renvoyer":
        if assessment is None or not services.resend_link(
            assessment=assessment, actor=request.user
        ):
            messages.info(
                request,
                f"Le lien n'a pas été renvoyé : il l'a déjà été il y a moins de "
                f"{RESEND_COOLDOWN_HOURS} heures, ou le bilan est déjà rempli.",
            )
        else:
            messages.success(request, "Le lien a été renvoyé au tuteur.")
        back = safe_next(request, request.POST.get("retour"))
        if back:
            return HttpResponseRedirect(back)  # the agency's follow-up, where it was asked
        return HttpResponseRedirect(here)
    correcting = assessment is not None and assessment.is_filled
    no_show_only = (
        not correcting
        and (request.POST if request.method == "POST" else request.GET).get("absent") == "1"
    )
    if request.method == "GET":
        initial = AssessmentForm.initial_from(assessment) if correcting else None
        form = AssessmentForm(initial=initial, convention=convention, no_show_only=no_show_only)
        reason_form = CorrectionReasonForm() if correcting else None
        return render(
            request,
            "assessments/fill.html",
            _form_context(
                assessment,
                convention,
                form,
                reason_form=reason_form,
                correcting=correcting,
                no_show_only=no_show_only,
                **(_summary(assessment) if correcting else {}),
            ),
        )
    form = AssessmentForm(request.POST, convention=convention, no_show_only=no_show_only)
    reason_form = CorrectionReasonForm(request.POST) if correcting else None
    valid = form.is_valid() and (reason_form is None or reason_form.is_valid())
    if valid:
        try:
            if correcting:
                services.correct(
                    assessment=assessment,
                    answers=form.answers(),
                    reason=reason_form.cleaned_data["reason"],
                    actor=request.user,
                )
                messages.success(request, "Le bilan est corrigé ; la correction est tracée.")
            else:
                services.fill(convention=convention, answers=form.answers(), actor=request.user)
                messages.success(request, "Le bilan est enregistré à la place du tuteur.")
            return HttpResponseRedirect(
                reverse("conventions:review", kwargs={"public_id": public_id})
            )
        except services.AssessmentError as error:
            form.add_error(None, error.message)
    context = _form_context(
        assessment,
        convention,
        form,
        reason_form=reason_form,
        correcting=correcting,
        no_show_only=no_show_only,
        **(_summary(assessment) if correcting else {}),
    )
    if reason_form is not None:
        context["errors"] = form.error_summary() + reason_form.error_summary()
    return render(request, "assessments/fill.html", context, status=400)


def _cosign_page(request, assessment, *, token: str = "", actor, here: str):
    convention = assessment.convention
    form = None
    renewal_form = None
    if request.method == "POST" and request.POST.get("action") == "renouvellement":
        renewal_form = RenewalRequestForm(request.POST)
        if renewal_form.is_valid():
            try:
                asked = services.request_renewal(
                    assessment=assessment,
                    message=renewal_form.cleaned_data["message"],
                    actor=actor,
                )
            except services.AssessmentError as error:
                renewal_form.add_error(None, error.message)
            else:
                if asked:
                    messages.success(
                        request,
                        "Votre demande de renouvellement est envoyée à votre conseiller ou "
                        "votre conseillère.",
                    )
                else:
                    messages.info(request, services.ALREADY_ASKED)
                return HttpResponseRedirect(here + "#renouvellement")
    elif assessment.to_cosign:
        form = CosignForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.cosign(
                    assessment=assessment,
                    agrees=form.cleaned_data["agrees"] == "oui",
                    comment=form.cleaned_data["comment"],
                    actor=actor,
                )
            except services.AssessmentError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Merci : votre signature du bilan est enregistrée.")
                return HttpResponseRedirect(here)
    elif request.method == "POST":
        return HttpResponseRedirect(here)
    if form is None and assessment.to_cosign:
        form = CosignForm()
    bound = form if form is not None and form.is_bound else renewal_form
    status = 400 if bound is not None and bound.is_bound else 200
    renewal = panels.renewal_context(convention, assessment)
    if renewal_form is None and renewal is not None and renewal["state"].may_be_asked:
        renewal_form = RenewalRequestForm()
    return render(
        request,
        "assessments/cosign.html",
        {
            "assessment": assessment,
            "convention": convention,
            "form": form,
            "errors": bound.error_summary() if bound is not None else [],
            "token": token,
            "renewal": renewal,
            "renewal_form": renewal_form,
            **_summary(assessment),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def cosign_link(request):
    """The beneficiary reads and co-signs, from the e-mailed link."""
    opened = _from_link(request, links.BENEFICIARY)
    if opened is None:
        return _invalid(request)
    assessment, token, expired = opened
    if expired:
        return link_invalid_page(
            request,
            used=False,
            explanation=(
                f"Un lien de bilan est valable {ASSESSMENT_LINK_DAYS} jours. Connectez-vous "
                "avec votre adresse e-mail : le bilan est dans « Mes conventions »."
            ),
            action_url=reverse("conventions:mine"),
            action_label="Mes conventions",
            status=410,
        )
    if not assessment.is_filled or assessment.is_no_show:
        raise Http404
    here = reverse("assessments:cosign_link") + f"?jeton={token}"
    return _cosign_page(request, assessment, token=token, actor=AUTOMATIC, here=here)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mine(request, public_id):
    """The beneficiary reads and co-signs from their account."""
    convention = get_object_or_404(
        Convention.objects.filter(archived_at__isnull=True), public_id=public_id
    )
    if not selectors.is_beneficiary(request.user, convention):
        raise Http404
    assessment = get_object_or_404(
        Assessment.objects.select_related("convention"),
        convention=convention,
        filled_at__isnull=False,
    )
    if assessment.is_no_show:
        raise Http404
    here = reverse("assessments:mine", kwargs={"public_id": public_id})
    return _cosign_page(request, assessment, actor=request.user, here=here)


def _pdf_response(document: AssessmentDocument, reference: str) -> FileResponse:
    return private_file_response(
        document.file,
        filename=f"bilan-{reference}-v{document.number}.pdf",
        modified=document.rendered_at,
    )


@never_cache
@login_required
@require_http_methods(["GET"])
@transaction.non_atomic_requests  # a read, streamed (see conventions' signature.document)
def document(request, public_id):
    """One version of the PDF, as the e-mail named it (a later correction does not change
    what this link serves). Its readers only (``selectors.may_read_document``), else 404."""
    found = get_object_or_404(
        AssessmentDocument.objects.select_related("assessment__convention"), public_id=public_id
    )
    convention = found.assessment.convention
    if not selectors.may_read_document(request.user, convention):
        raise Http404
    return _pdf_response(found, convention.reference)


@never_cache
@login_required
@require_http_methods(["GET"])
@transaction.non_atomic_requests
def pdf(request, public_id):
    """The newest PDF of a convention's signed assessment, from the pages; rendered here
    when the task has not run yet (then e-mailed as the task would have)."""
    convention = get_object_or_404(Convention, public_id=public_id)
    if not selectors.may_read_document(request.user, convention):
        raise Http404
    assessment = get_object_or_404(Assessment, convention=convention)
    if not selectors.is_signed(assessment):
        raise Http404
    stored = documents.store_document(assessment=assessment, actor=AUTOMATIC)
    if stored is None:
        raise Http404
    return _pdf_response(stored, convention.reference)


# The agency's follow-up ---------------------------------------------------------------------


def _followed_agency(request, agency):
    """The agency of the address if ``request.user`` is one of its members, else a 404."""
    found = follow.agency_of(request.user, agency)
    if found is None:
        raise Http404
    return found


def _export_form(request, today):
    if "du" in request.GET or "au" in request.GET:
        return ExportForm(request.GET)
    since = follow.months_until(today)[0]
    return ExportForm(initial={"du": since, "au": today})


@never_cache
@login_required
@require_http_methods(["GET"])
def followup(request, agency):
    """Immersions ending this week, assessments missing, outcomes, the export's form."""
    mine = list(follow.agencies_of(request.user))  # this one, and the others to switch to
    agency = next((found for found in mine if found.public_id == agency), None)
    if agency is None:
        raise Http404
    today = _today()
    monday, sunday = follow.week_of(today)
    week = paginate(
        request,
        follow.ending_this_week(agency, today),
        label="Pages des immersions qui se terminent cette semaine",
        param="semaine",
    )
    missing = paginate(
        request,
        follow.missing_assessments(agency, today),
        label="Pages des bilans manquants",
        param="manquants",
    )
    months = follow.outcomes(agency, today)
    totals = follow.totals(months)
    return render(
        request,
        "assessments/followup/dashboard.html",
        {
            "agency": agency,
            "others": [other for other in mine if other.pk != agency.pk],
            "monday": monday,
            "sunday": sunday,
            "week": week,
            "week_rows": [follow.week_row(c) for c in week],
            "missing": missing,
            "missing_rows": [follow.missing_row(c, today) for c in missing],
            "months": months,
            "totals": totals,
            "ended_total": sum(row["ended"] for row in months),
            "monthly_chart": follow.monthly_chart(months),
            "totals_chart": follow.totals_chart(totals),
            "legend": [
                {"label": step.label, "colour": follow.COLOURS[step]} for step in follow.NEXT_STEPS
            ],
            "followup_months": follow.FOLLOWUP_MONTHS,
            "export_form": _export_form(request, today),
            "here": request.get_full_path(),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET"])
def followup_export(request, agency):
    """The agency's conventions with their assessments, as a streamed CSV."""
    agency = _followed_agency(request, agency)
    form = ExportForm(request.GET)
    if not form.is_valid():  # the dashboard shows the dates again with their messages
        query = urlencode({key: request.GET.get(key, "") for key in ("du", "au")})
        back = reverse("assessments:followup", kwargs={"agency": agency.public_id})
        return HttpResponseRedirect(f"{back}?{query}#export")
    start, end = form.cleaned_data["du"], form.cleaned_data["au"]
    response = StreamingHttpResponse(
        follow.export_lines(agency, start, end, _today()), content_type="text/csv; charset=utf-8"
    )
    name = f"immersions-{start:%Y%m%d}-{end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@never_cache
@login_required
@require_http_methods(["POST"])
def renew(request, public_id):
    """« Préparer le renouvellement » (the assessment's section of the review page): the
    agency's team opens the renewal's draft and chooses its new dates there."""
    convention = _agency_convention(request, public_id)
    back = reverse("conventions:review", kwargs={"public_id": public_id})
    try:
        renewal = services.start_renewal(convention=convention, actor=request.user)
    except services.AssessmentError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(back + "#bilan")
    messages.success(
        request,
        "Le renouvellement est prêt : mêmes parties, même objet et mêmes objectifs. Choisissez "
        "les nouvelles dates, puis envoyez la convention aux signataires.",
    )
    return HttpResponseRedirect(
        reverse(
            "conventions:step", kwargs={"token": renewal.share_token, "step": panels.DATES_STEP}
        )
    )


@never_cache
@login_required
@require_http_methods(["POST"])
def decline_renewal(request, public_id):
    """The agency's answer to the beneficiary's request: not possible, and why."""
    convention = _agency_convention(request, public_id)
    back = reverse("conventions:review", kwargs={"public_id": public_id}) + "#renouvellement"
    assessment = selectors.of_conventions([convention]).get(convention.pk)
    if assessment is None:
        raise Http404
    try:
        answered = services.decline_renewal(
            assessment=assessment, reason=request.POST.get("reason", ""), actor=request.user
        )
    except services.AssessmentError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(back)
    if answered:
        messages.success(request, "Votre réponse est envoyée à la personne accueillie.")
    else:
        messages.info(request, "Vous aviez déjà répondu à cette demande.")
    return HttpResponseRedirect(back)
