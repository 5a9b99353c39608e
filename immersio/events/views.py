"""The event pages: the public search (list, calendar, archives, iCalendar feed), an
event's page and its ``.ics``; proposing, editing and cancelling an event (a structure's
team); the team's reading queue."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from immersio.core.maps import map_settings
from immersio.core.pagination import paginate

from . import ical, rules, selectors, services
from .forms import EventForm, RefusalForm, SearchForm
from .models import Event

#: The search parameters kept from one view to the other (list, calendar, feed).
QUERY_FIELDS = ("du", "au", "lieu", "commune", "rayon", "cause", "type", "format")


def _query_string(request, *, without=()) -> str:
    return urlencode(
        [
            (name, request.GET[name])
            for name in QUERY_FIELDS
            if request.GET.get(name) and name not in without
        ]
    )


def _with(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


def _search_context(request, form: SearchForm) -> dict:
    query = _query_string(request)
    calendar_query = _query_string(request, without=("du", "au"))
    start = form.cleaned_data.get("du") if form.is_bound and form.is_valid() else None
    if start is not None:  # the calendar opens on the month the search starts
        calendar_query = "&".join(filter(None, [calendar_query, f"mois={start:%Y-%m}"]))
    return {
        "form": form,
        "lieu_error": form["lieu"].errors[0] if form.is_bound and form["lieu"].errors else "",
        "list_url": _with(reverse("events:search"), query),
        "calendar_url": _with(reverse("events:calendar"), calendar_query),
        "archives_url": _with(
            reverse("events:archives"), _query_string(request, without=("du", "au"))
        ),
        "feed_url": _with(reverse("events:feed"), query),
        "feed_absolute_url": request.build_absolute_uri(_with(reverse("events:feed"), query)),
    }


def _rows(found: selectors.Found, page) -> list:
    for event in page:
        event.distance_km = found.distances.get(event.pk)
    return page


@require_http_methods(["GET"])
def search(request, archives: bool = False):
    form = SearchForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    found = selectors.search(form.query(archives=archives))
    page = paginate(
        request,
        found.events,
        label="Pages des événements passés" if archives else "Pages des événements",
    )
    _rows(found, page)
    context = _search_context(request, form) | {
        "page": page,
        "archives": archives,
        "today": timezone.localdate(),
    }
    return render(request, "events/search.html", context)


def archives(request):
    return search(request, archives=True)


@require_http_methods(["GET"])
def calendar_view(request):
    form = SearchForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    first = (form.cleaned_data.get("mois") if form.is_bound else None) or selectors.month_start(
        timezone.localdate()
    )
    month = selectors.month_of(form.query(), first)
    query = _query_string(request, without=("du", "au"))

    def month_url(day):
        return _with(
            reverse("events:calendar"), "&".join(filter(None, [query, f"mois={day:%Y-%m}"]))
        )

    context = _search_context(request, form) | {
        "month": month,
        "previous_url": month_url(month.previous),
        "next_url": month_url(month.next),
        "weekdays": ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"],
    }
    return render(request, "events/calendar.html", context)


@require_http_methods(["GET"])
def feed(request):
    form = SearchForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    found = selectors.search(form.query())
    events = list(found.events[: selectors.FEED_LIMIT])
    response = HttpResponse(
        ical.calendar_of(events, name="événements"), content_type=ical.CONTENT_TYPE
    )
    response["Content-Disposition"] = 'inline; filename="evenements.ics"'
    return response


def _visible(request, public_id) -> Event:
    event = selectors.visible_event(request.user, public_id)
    if event is None:
        raise Http404
    return event


@require_http_methods(["GET"])
def detail(request, public_id):
    event = _visible(request, public_id)
    markers = []
    if event.latitude is not None:
        markers = [
            {
                "name": event.title,
                "lat": event.latitude,
                "lon": event.longitude,
                "commune": event.commune.name,
                "distance": None,
                "url": reverse("events:detail", kwargs={"public_id": event.public_id}),
            }
        ]
    participants = [s for s in event.participants.all() if s.pk != event.host_structure_id]
    context = {
        "event": event,
        "participants": participants,
        "organiser_is_public": event.host_structure is not None
        and event.host_structure.status == event.host_structure.Status.PUBLISHED,
        "markers": markers,
        "map": map_settings(),
        "may_manage": request.user.is_authenticated and services.may_manage(request.user, event),
        "ics_url": reverse("events:ics", kwargs={"public_id": event.public_id}),
        "directory_query": urlencode(
            [("lieu", event.commune.name), ("commune", event.commune_id)] if event.commune else []
        ),
    }
    return render(request, "events/detail.html", context)


@require_http_methods(["GET"])
def ics(request, public_id):
    event = _visible(request, public_id)
    response = HttpResponse(
        ical.calendar_of([event], name=event.title), content_type=ical.CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="evenement-{event.public_id}.ics"'
    return response


# Proposing, editing, cancelling -----------------------------------------------------------


def _not_allowed(request):
    return render(request, "events/not_allowed.html", status=403)


def _apply_error(form: EventForm, error: services.EventError) -> None:
    name = {"starts_at": "start_date", "ends_at": "end_date", "commune": "lieu"}.get(
        error.field or "", error.field
    )
    form.add_error(name if name in form.fields else None, error.message)


def _form_page(request, form: EventForm, *, event: Event | None = None, status: int = 200):
    return render(
        request,
        "events/form.html",
        {
            "form": form,
            "event": event,
            "lieu_error": form["lieu"].errors[0] if form.is_bound and form["lieu"].errors else "",
            "max_days": rules.MAX_DAYS,
        },
        status=status,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def submit(request):
    if not services.may_submit(request.user):
        return _not_allowed(request)
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.submit_event(data=form.event_data(), actor=request.user)
        except services.EventError as error:
            _apply_error(form, error)
        else:
            if event.is_published:
                messages.success(request, "L'événement est publié.")
            else:
                messages.success(
                    request,
                    "Merci ! L'équipe d'Immersio relit l'événement avant de le publier ; vous "
                    "recevrez un e-mail dès qu'elle l'aura fait.",
                )
            return redirect("events:detail", public_id=event.public_id)
    return _form_page(request, form, status=400 if form.is_bound else 200)


def _managed(request, public_id) -> Event:
    event = Event.objects.managed_by(request.user).filter(public_id=public_id).first()
    if event is None:
        raise Http404
    return event


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def edit(request, public_id):
    event = _managed(request, public_id)
    if event.is_cancelled or event.is_past:
        messages.error(request, "Un événement annulé ou passé ne se modifie plus.")
        return redirect("events:detail", public_id=event.public_id)
    form = EventForm(request.POST or None, user=request.user, initial=EventForm.initial_for(event))
    if event.host_structure is not None:
        # Someone of its team may not be in the list of their own structures (staff).
        form.fields["host_structure"].queryset |= type(event.host_structure).objects.filter(
            pk=event.host_structure_id
        )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.update_event(event=event, data=form.event_data(), actor=request.user)
        except services.EventError as error:
            _apply_error(form, error)
        else:
            if not event.is_published:
                messages.success(
                    request, "Modifications enregistrées : l'équipe d'Immersio les relit."
                )
            else:
                messages.success(request, "Modifications enregistrées.")
            return redirect("events:detail", public_id=event.public_id)
    return _form_page(request, form, event=event, status=400 if form.is_bound else 200)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def cancel(request, public_id):
    event = _managed(request, public_id)
    if request.method == "POST":
        try:
            services.cancel_event(event=event, actor=request.user)
        except services.EventError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "L'événement est annulé.")
        return redirect("events:detail", public_id=event.public_id)
    return render(request, "events/cancel.html", {"event": event})


@login_required
@never_cache
@require_http_methods(["GET"])
def mine(request):
    page = paginate(
        request, selectors.managed_events(request.user), label="Pages de vos événements"
    )
    return render(
        request,
        "events/mine.html",
        {"page": page, "may_submit": services.may_submit(request.user)},
    )


# The team's reading -------------------------------------------------------------------------


def _staff_only(request) -> None:
    if not request.user.is_staff:
        raise PermissionDenied


@login_required
@never_cache
@require_http_methods(["GET"])
def review_queue(request):
    _staff_only(request)
    page = paginate(request, selectors.review_queue(), label="Pages des événements à relire")
    return render(request, "events/review_queue.html", {"page": page, "refusal": RefusalForm()})


@login_required
@require_POST
def review(request, public_id):
    _staff_only(request)
    event = Event.objects.filter(public_id=public_id).first()
    if event is None:
        raise Http404
    try:
        if request.POST.get("decision") == "publier":
            services.publish_event(event=event, actor=request.user)
            messages.success(request, f"« {event.title} » est publié.")
        else:
            form = RefusalForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Pour refuser, dites pourquoi : la personne le lira.")
                return redirect(f"{reverse('events:review_queue')}#evenement-{event.public_id}")
            services.refuse_event(
                event=event, reason=form.cleaned_data["reason"], actor=request.user
            )
            messages.success(request, f"« {event.title} » est refusé ; la personne est prévenue.")
    except services.EventError as error:
        messages.error(request, error.message)
    return redirect("events:review_queue")
