"""Search pages (they work without JavaScript) and the suggestions of the autocompletes.

Thin: a form checks the query, ``search.py`` answers. No transaction around these
read-only views (``ATOMIC_REQUESTS`` would open one on every keystroke).
"""

import re

from django import forms
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from . import search

PAGE_LIMIT = search.MAX_LIMIT
SUGGESTION_LIMIT = search.DEFAULT_LIMIT
WIDGET_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")


class SearchForm(forms.Form):
    q = forms.CharField(max_length=search.MAX_QUERY_LENGTH, required=False, strip=True)


def _query(request) -> tuple[str, str | None]:
    """The query of a search page and its error message, if any."""
    form = SearchForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["q"], None
    return request.GET.get("q", "")[: search.MAX_QUERY_LENGTH], " ".join(form.errors["q"])


def _search_page(request, template, search_function):
    query, error = _query(request)
    results = [] if error or not query else search_function(query, PAGE_LIMIT)
    context = {
        "query": query,
        "error": error,
        "results": results,
        "count": len(results),
        "limit": PAGE_LIMIT,
        "prefix": "resultat",
    }
    return render(request, template, context)


def _suggestions(request, template, search_function):
    # The widget sends its text under its own field name (``champ``), ``q`` by default.
    field = request.GET.get("champ") or "q"
    query = request.GET.get(field, "")
    prefix = request.GET.get("id", "")
    prefix = prefix if WIDGET_ID.fullmatch(prefix) else "suggestion"
    query = query.strip() if len(query) <= search.MAX_QUERY_LENGTH else ""
    results = search_function(query, SUGGESTION_LIMIT) if query else []
    context = {"query": query, "results": results, "prefix": prefix}
    html = render_to_string(template, context, request).strip()  # empty → the list hides
    return HttpResponse(html)


@require_GET
@transaction.non_atomic_requests
def appellation_search(request):
    return _search_page(request, "referentials/appellations.html", search.search_appellations)


@require_GET
@transaction.non_atomic_requests
def appellation_suggestions(request):
    return _suggestions(
        request, "referentials/appellations.html#options", search.search_appellations
    )


@require_GET
@transaction.non_atomic_requests
def commune_search(request):
    return _search_page(request, "referentials/communes.html", search.search_communes)


@require_GET
@transaction.non_atomic_requests
def commune_suggestions(request):
    return _suggestions(request, "referentials/communes.html#options", search.search_communes)
