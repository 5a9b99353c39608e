"""Thin views over ``testimonies.services``: the public list and page, the author's
form and « Mes témoignages », the team's review, the structure's report."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from immersio.core.pagination import paginate
from immersio.structures.models import HostStructure

from . import rules, selectors, services
from .forms import (
    SENT_MESSAGE,
    FilterForm,
    ReportForm,
    ReviewForm,
    TestimonyForm,
    add_violations,
    page_context,
    save,
)
from .models import Testimony


def index(request):
    choices = selectors.filter_choices()
    filters = FilterForm(request.GET or None, **choices)
    cause, appellation = filters.chosen() if request.GET else (None, None)
    rows = selectors.published(cause=cause, appellation=appellation)
    context = {
        "filters": filters,
        "filtered": cause is not None or appellation is not None,
        "testimonies": paginate(
            request, rows, label="Pages des témoignages", per_page=rules.PAGE_SIZE
        ),
    }
    return render(request, "testimonies/index.html", context)


def _visible_or_404(request, public_id) -> Testimony:
    return get_object_or_404(
        selectors.visible_to(request.user).select_related("appellation", "structure"),
        public_id=public_id,
    )


def _own_or_404(request, public_id) -> Testimony:
    return get_object_or_404(
        selectors.mine(request.user).prefetch_related("causes"), public_id=public_id
    )


def detail(request, public_id):
    testimony = _visible_or_404(request, public_id)
    context = {
        "testimony": testimony,
        "causes": list(testimony.causes.all()),
        "is_author": request.user.is_authenticated and testimony.author_id == request.user.pk,
        "may_report": bool(selectors.reportable_structures(request.user, testimony)),
    }
    return render(request, "testimonies/detail.html", context)


def form_page(request, form, *, testimony=None, status=200):
    context = page_context(form, testimony=testimony)
    return render(request, "testimonies/form.html", context, status=status)


def submit(request, form: TestimonyForm, *, testimony: Testimony | None = None):
    """Save ``form``; a response: « Mes témoignages », or the form again with its errors."""
    if save(form, actor=request.user, testimony=testimony) is not None:
        messages.success(request, SENT_MESSAGE)
        return redirect("testimonies:mine")
    return form_page(request, form, testimony=testimony, status=400)


def _named_structure(request) -> list[HostStructure]:
    """The published structure whose page led here (``?structure=<uuid>``), if any."""
    key = request.GET.get("structure") or request.POST.get("structure") or ""
    try:
        key = uuid.UUID(key)
    except ValueError:
        return []
    return list(HostStructure.objects.public().filter(public_id=key)[:1])


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def write(request):
    structures = _named_structure(request)
    if request.method == "GET":
        initial = {"structure": str(structures[0].public_id)} if structures else {}
        return form_page(request, TestimonyForm(initial=initial, structures=structures))
    return submit(request, TestimonyForm(request.POST, structures=structures))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit(request, public_id):
    testimony = _own_or_404(request, public_id)
    structures = [testimony.structure] if testimony.structure else []
    if request.method == "GET":
        form = TestimonyForm(initial=TestimonyForm.initial_from(testimony), structures=structures)
        return form_page(request, form, testimony=testimony)
    return submit(request, TestimonyForm(request.POST, structures=structures), testimony=testimony)


@never_cache
@login_required
def mine(request):
    rows = selectors.mine(request.user)
    context = {"testimonies": paginate(request, rows, label="Pages de vos témoignages")}
    return render(request, "testimonies/mine.html", context)


@login_required
@require_POST
def withdraw(request, public_id):
    testimony = _own_or_404(request, public_id)
    services.withdraw_consent(testimony=testimony, actor=request.user)
    messages.success(request, "Accord retiré : votre témoignage n'est plus montré.")
    return redirect("testimonies:mine")


@login_required
@require_POST
def delete(request, public_id):
    testimony = _own_or_404(request, public_id)
    services.delete_testimony(testimony=testimony, actor=request.user)
    messages.success(request, "Votre témoignage est supprimé.")
    return redirect("testimonies:mine")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def report(request, public_id):
    testimony = get_object_or_404(
        Testimony.objects.published().select_related("structure"), public_id=public_id
    )
    structures = selectors.reportable_structures(request.user, testimony)
    if not structures:
        raise Http404
    form = ReportForm(request.POST if request.method == "POST" else None, structures=structures)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_testimony(
                testimony=testimony,
                structure=structures[0],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except services.Refused as refused:
            add_violations(form, refused.violations)
        except services.AlreadyReported:
            messages.info(request, "Votre structure a déjà signalé ce témoignage.")
            return redirect("testimonies:detail", public_id=testimony.public_id)
        else:
            messages.success(request, "Merci : l'équipe Immersio va relire ce témoignage.")
            return redirect("testimonies:detail", public_id=testimony.public_id)
    context = {"testimony": testimony, "form": form, "structure": structures[0]}
    return render(request, "testimonies/report.html", context, status=400 if form.errors else 200)


def _staff_only(request) -> None:
    if not request.user.is_staff:
        raise Http404


@never_cache
@login_required
def queue(request):
    _staff_only(request)
    context = {
        "testimonies": paginate(
            request, selectors.review_queue(), label="Pages des témoignages à relire"
        ),
        "review_form": ReviewForm(),
    }
    return render(request, "testimonies/queue.html", context)


@login_required
@require_POST
def review(request, public_id):
    _staff_only(request)
    testimony = get_object_or_404(Testimony, public_id=public_id)
    form = ReviewForm(request.POST)
    note = form.data.get("relecture-note", "")
    action = request.POST.get("action", "")
    try:
        if action in {"publier", "refuser"}:
            services.review_testimony(
                testimony=testimony, publish=action == "publier", note=note, actor=request.user
            )
            messages.success(
                request,
                "Témoignage publié." if action == "publier" else "Témoignage non publié.",
            )
        elif action == "depublier":
            services.unpublish_testimony(testimony=testimony, note=note, actor=request.user)
            messages.success(request, "Témoignage retiré de la publication, à relire.")
        elif action == "garder":
            services.dismiss_reports(testimony=testimony, actor=request.user)
            messages.success(request, "Signalements classés : le témoignage reste publié.")
    except services.NotPending:
        messages.warning(request, "Ce témoignage a changé entre-temps : relisez-le.")
    except services.Refused as refused:
        messages.error(request, refused.violations[0].message)
    return redirect("testimonies:queue")
