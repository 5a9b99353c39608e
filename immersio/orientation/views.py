"""« Est-ce pour moi ? »: the questions and the result, both GET pages without an account.
The result's address holds the answers, so it can be shared, reopened and printed."""

from datetime import date
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from immersio.agencies.maps import agency_marker
from immersio.core.maps import map_settings

from . import rules, selectors
from .forms import WizardForm

#: The parameters a result's address keeps (nothing else reaches it).
ANSWER_FIELDS = ("situation", "age", "suivi", "lieu", "commune", "departement")


def _answers_query(request) -> str:
    return urlencode([(name, request.GET[name]) for name in ANSWER_FIELDS if request.GET.get(name)])


def _questions(request, form, status: int = 200):
    return render(
        request,
        "orientation/questions.html",
        {
            "form": form,
            "lieu_error": form["lieu"].errors[0] if form.is_bound and form["lieu"].errors else "",
            "prescribers": rules.first_prescribers(date.today()),
        },
        status=status,
    )


@require_http_methods(["GET"])
def questions(request):
    """The questions; with answers in the address (« Modifier mes réponses »), filled in."""
    answered = any(request.GET.get(name) for name in ANSWER_FIELDS)
    form = WizardForm(request.GET if answered else None)
    if answered:
        form.is_valid()  # show what was typed with its errors, if any
    return _questions(request, form)


@require_http_methods(["GET"])
def result(request):
    form = WizardForm(request.GET)
    if not form.is_valid():
        return _questions(request, form)
    data = form.cleaned_data
    answer = rules.orientation(data["situation"], data["age"], data["suivi"])
    commune = data["commune_obj"]
    found = selectors.agencies_for(answer.kinds, commune, data["departement"])
    center = None
    if commune is not None:
        center = {
            "lat": commune.latitude,
            "lon": commune.longitude,
            "radius_km": selectors.NEAREST_RADIUS_KM,
            "name": commune.name,
        }
    query = _answers_query(request)
    return render(
        request,
        "orientation/result.html",
        {
            "answer": answer,
            "situation": rules.WizardSituation(data["situation"]),
            "age": data["age"],
            "place": commune.name if commune is not None else "",
            "department": data["departement"],
            "found": found,
            "found_kind": rules.KIND_IN_SENTENCE.get(found.kind, ""),
            "first_kind": answer.prescriber,
            "directory_query": urlencode(
                [("type", answer.first_kind)]
                + ([("lieu", commune.name), ("commune", commune.pk)] if commune else [])
            ),
            "markers": [
                agency_marker(hit.agency, hit.distance_km)
                for hit in found.hits
                if hit.agency.latitude is not None
            ],
            "center": center,
            "map": map_settings(),
            "radius_km": selectors.NEAREST_RADIUS_KM,
            "edit_url": f"{reverse('orientation:questions')}?{query}#questions",
            "share_url": request.build_absolute_uri(f"{reverse('orientation:result')}?{query}"),
        },
    )
