"""The beneficiary's pages: « Mon carnet d'immersion » (a page per day, people met, the
« important » marker and the sharing, each a POST that works without JavaScript) and
« Mon bilan » (with its action plan). Scoped to the person's own open carnets: anything
else is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from immersio.core.forms import error_items

from . import rules, selectors, services
from .forms import EntryForm, PersonForm, ReflectionForm, StepForm, add_violations
from .models import ActionStep, JournalEntry, PersonMet, Reflection


def _convention(request, public_id):
    return get_object_or_404(selectors.journal_conventions(request.user), public_id=public_id)


def _entry(request, convention, entry_id) -> JournalEntry:
    return get_object_or_404(
        JournalEntry.objects.select_related("convention"),
        owner=request.user,
        convention=convention,
        public_id=entry_id,
    )


def _journal_url(convention, entry: JournalEntry | None = None) -> str:
    url = reverse("journal:journal", kwargs={"public_id": convention.public_id})
    return f"{url}#jour-{entry.day:%Y-%m-%d}" if entry else url


def _reflection_url(convention, anchor: str = "") -> str:
    url = reverse("journal:reflection", kwargs={"public_id": convention.public_id})
    return f"{url}#{anchor}" if anchor else url


def _journal_page(request, convention, *, person_forms=None, status=200):
    entries = {entry.day: entry for entry in selectors.entries_of(request.user, convention)}
    person_forms = person_forms or {}
    days = [
        {
            "day": day,
            "entry": entries.get(day),
            "person_form": person_forms.get(day) or PersonForm(prefix=f"p-{day:%Y%m%d}"),
        }
        for day in reversed(selectors.days_of(convention))
    ]
    return render(
        request,
        "journal/journal.html",
        {
            "convention": convention,
            "days": days,
            "written": len(entries),
            "open_until": rules.open_until(convention.date_end),
            "errors": error_items(*person_forms.values()),
            "people_max": rules.PEOPLE_PER_ENTRY_MAX,
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET"])
def journal(request, public_id):
    return _journal_page(request, _convention(request, public_id))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def write(request, public_id):
    """Write a day's page (today's by default; ``?jour=`` for another): one per day, the
    day's page is changed if it exists."""
    convention = _convention(request, public_id)
    if request.method == "POST":
        form = EntryForm(request.POST, convention=convention)
        if form.is_valid():
            day, editing = form.cleaned_data["day"], form.cleaned_data.get("editing")
            taken = (
                day != editing
                and JournalEntry.objects.filter(
                    owner=request.user, convention=convention, day=day
                ).exists()
            )
            if taken:
                form.add_error(
                    "day",
                    f"Vous avez déjà écrit la page du {day:%d/%m/%Y} : choisissez un autre "
                    "jour, ou modifiez cette page depuis votre carnet.",
                )
            else:
                try:
                    entry = services.save_entry(
                        convention=convention, day=day, texts=form.texts(), actor=request.user
                    )
                except services.Refused as refused:
                    add_violations(form, refused.violations)
                else:
                    messages.success(request, f"Page du {day:%d/%m/%Y} enregistrée.")
                    return HttpResponseRedirect(_journal_url(convention, entry))
        status = 400
    else:
        days = selectors.days_of(convention)
        day = days[-1] if days else convention.date_start
        asked = request.GET.get("jour", "")
        if asked:
            try:
                day = next(d for d in days if d.isoformat() == asked)
            except StopIteration:
                raise Http404 from None
        entry = JournalEntry.objects.filter(
            owner=request.user, convention=convention, day=day
        ).first()
        initial = {"day": day, "editing": day if entry else None}
        if entry:
            initial |= {name: getattr(entry, name) for name in JournalEntry.TEXTS}
        form = EntryForm(initial=initial, convention=convention)
        status = 200
    return render(
        request,
        "journal/write.html",
        {"convention": convention, "form": form, "started": bool(selectors.days_of(convention))},
        status=status,
    )


@login_required
@require_POST
def important(request, public_id, entry_id):
    convention = _convention(request, public_id)
    entry = _entry(request, convention, entry_id)
    services.mark_important(
        entry=entry, important=request.POST.get("important") == "1", actor=request.user
    )
    return HttpResponseRedirect(_journal_url(convention, entry))


@login_required
@require_POST
def share(request, public_id, entry_id):
    convention = _convention(request, public_id)
    entry = _entry(request, convention, entry_id)
    shared = request.POST.get("partage") == "1"
    services.share_entry(entry=entry, shared=shared, actor=request.user)
    messages.success(
        request,
        f"Page du {entry.day:%d/%m/%Y} "
        + ("partagée avec votre conseiller." if shared else "de nouveau privée."),
    )
    return HttpResponseRedirect(_journal_url(convention, entry))


@never_cache
@login_required
@require_POST
def add_person(request, public_id, entry_id):
    convention = _convention(request, public_id)
    entry = _entry(request, convention, entry_id)
    form = PersonForm(request.POST, prefix=f"p-{entry.day:%Y%m%d}")
    if form.is_valid():
        try:
            services.add_person(entry=entry, actor=request.user, **form.cleaned_data)
        except services.Refused as refused:
            add_violations(form, refused.violations)
        else:
            return HttpResponseRedirect(_journal_url(convention, entry))
    return _journal_page(request, convention, person_forms={entry.day: form}, status=400)


@login_required
@require_POST
def remove_person(request, public_id, person_id):
    convention = _convention(request, public_id)
    person = get_object_or_404(
        PersonMet.objects.select_related("entry__convention"),
        entry__owner=request.user,
        entry__convention=convention,
        public_id=person_id,
    )
    entry = person.entry
    services.remove_person(person_met=person, actor=request.user)
    return HttpResponseRedirect(_journal_url(convention, entry))


def _reflection_page(request, convention, *, form=None, step_form=None, status=200):
    reflection = selectors.reflection_of(request.user, convention)
    if form is None:
        initial = {}
        if reflection is not None:
            initial = {name: getattr(reflection, name) for name in services.REFLECTION_FIELDS}
        form = ReflectionForm(initial=initial)
    return render(
        request,
        "journal/reflection.html",
        {
            "convention": convention,
            "reflection": reflection,
            "steps": list(reflection.steps.all()) if reflection else [],
            "form": form,
            "step_form": step_form or StepForm(prefix="etape"),
            "errors": error_items(form, step_form),
            "steps_max": rules.STEPS_MAX,
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reflection(request, public_id):
    convention = _convention(request, public_id)
    if request.method == "GET":
        return _reflection_page(request, convention)
    form = ReflectionForm(request.POST)
    if form.is_valid():
        try:
            services.save_reflection(
                convention=convention, values=form.cleaned_data, actor=request.user
            )
        except services.Refused as refused:
            add_violations(form, refused.violations)
        else:
            messages.success(request, "Bilan enregistré.")
            return HttpResponseRedirect(_reflection_url(convention))
    return _reflection_page(request, convention, form=form, status=400)


@login_required
@require_POST
def share_reflection(request, public_id):
    convention = _convention(request, public_id)
    shared = request.POST.get("partage") == "1"
    services.share_reflection(convention=convention, shared=shared, actor=request.user)
    messages.success(
        request,
        "Bilan partagé avec votre conseiller." if shared else "Bilan de nouveau privé.",
    )
    return HttpResponseRedirect(_reflection_url(convention))


@never_cache
@login_required
@require_POST
def add_step(request, public_id):
    convention = _convention(request, public_id)
    form = StepForm(request.POST, prefix="etape")
    if form.is_valid():
        try:
            services.add_step(convention=convention, actor=request.user, **form.cleaned_data)
        except services.Refused as refused:
            add_violations(form, refused.violations)
        else:
            return HttpResponseRedirect(_reflection_url(convention, "plan"))
    return _reflection_page(request, convention, step_form=form, status=400)


@login_required
@require_POST
def step(request, public_id, step_id):
    convention = _convention(request, public_id)
    found = get_object_or_404(
        ActionStep.objects.select_related("reflection__convention"),
        reflection__in=Reflection.objects.filter(owner=request.user, convention=convention),
        public_id=step_id,
    )
    if request.POST.get("action") == "retirer":
        services.remove_step(step=found, actor=request.user)
    else:
        services.mark_step_done(
            step=found, done=request.POST.get("fait") == "1", actor=request.user
        )
    return HttpResponseRedirect(_reflection_url(convention, "plan"))


# « En faire un témoignage » --------------------------------------------------------------


def _testimony_initial(request, convention) -> tuple[dict, list]:
    """The testimony drafted from the bilan: the text from what the person wrote, the
    métier and the host structure from the convention (named if its page is public)."""
    from immersio.structures.models import HostStructure
    from immersio.testimonies.rules import draft_from_reflection

    reflection = selectors.reflection_of(request.user, convention)
    structures = list(HostStructure.objects.public().filter(pk=convention.structure_id)[:1])
    appellation = convention.appellation
    initial = {
        "title": f"Mon immersion chez {convention.host_name}",
        "text": draft_from_reflection(
            learned=reflection.learned if reflection else "",
            unexpected=reflection.unexpected if reflection else "",
            people=reflection.people if reflection else "",
            metier_why=reflection.metier_why if reflection else "",
        ),
        "metier_texte": appellation.label if appellation else "",
        "metier": str(appellation.pk) if appellation else "",
        "structure": str(structures[0].public_id) if structures else "",
    }
    return initial, structures


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def testimony(request, public_id):
    """« En faire un témoignage »: the testimony form, drafted from « Mon bilan »; the
    person edits it, gives their consent and sends it to review (``testimonies``)."""
    from immersio.testimonies.forms import SENT_MESSAGE, TestimonyForm, page_context, save

    convention = _convention(request, public_id)
    initial, structures = _testimony_initial(request, convention)
    back_url = _reflection_url(convention)
    if request.method == "GET":
        form = TestimonyForm(initial=initial, structures=structures)
        return render(request, "testimonies/form.html", page_context(form, back_url=back_url))
    form = TestimonyForm(request.POST, structures=structures)
    if save(form, actor=request.user) is not None:
        messages.success(request, SENT_MESSAGE)
        return HttpResponseRedirect(reverse("testimonies:mine"))
    context = page_context(form, back_url=back_url)
    return render(request, "testimonies/form.html", context, status=400)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def add_conversation(request, conversation_id):
    """Keep a trace of a past entretien-métier (``resource_people``) as a done step of the
    action plan of one of the person's bilans."""
    from immersio.resource_people import selectors as resource_people

    from .forms import ConversationStepForm
    from .models import StepKind

    conversation = (
        resource_people.past_conversations(request.user).filter(public_id=conversation_id).first()
    )
    conventions = selectors.journal_conventions(request.user)
    if conversation is None or not conventions.exists():
        raise Http404
    form = ConversationStepForm(
        request.POST or None, conventions=conventions, initial={"convention": conventions.first()}
    )
    if request.method == "POST" and form.is_valid():
        convention = form.cleaned_data["convention"]
        text = (
            f"Entretien-métier avec {conversation.profile.display_name} "
            f"({conversation.profile.after_title}) le {conversation.slot_at:%d/%m/%Y}"
        )[: rules.STEP_TEXT_MAX]
        try:
            step = services.add_step(
                convention=convention,
                kind=StepKind.TALK,
                text=text,
                target_date=timezone.localdate(),
                actor=request.user,
            )
        except services.Refused as exc:
            form.add_error("convention", " ".join(v.message for v in exc.violations))
        else:
            services.mark_step_done(step=step, done=True, actor=request.user)
            messages.success(request, "L'entretien est noté, comme fait, dans votre plan d'action.")
            return HttpResponseRedirect(_reflection_url(convention, "plan"))
    return render(
        request,
        "journal/add_conversation.html",
        {"conversation": conversation, "form": form},
        status=400 if form.errors else 200,
    )
