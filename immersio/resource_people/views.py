"""Pages of « Ils et elles ont changé de voie »: thin, they call services and selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from immersio.core.pagination import paginate
from immersio.core.ratelimit import client_ip

from . import hooks, rules, selectors, services
from .forms import AcceptForm, DeclineForm, ProfileForm, RequestForm, ReviewForm, SearchForm
from .models import ResourceProfile


def _endpoints() -> dict:
    return {
        "appellation_endpoint": reverse("referentials:appellation_suggestions"),
        "commune_endpoint": reverse("referentials:commune_suggestions"),
    }


def search(request):
    form = SearchForm(request.GET or None)
    rows = selectors.search()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        rows = selectors.search(
            cause=data["cause"],
            appellation=data["appellation"],
            department=data["departement"],
            region=data["region"],
        )
    elif form.is_bound:
        rows = selectors.search().none()
    profiles = paginate(request, rows, label="Pages des personnes ressources")
    for profile in profiles:
        profile.is_full = selectors.is_full(profile)
    context = {"form": form, "profiles": profiles, **_endpoints()}
    return render(request, "resource_people/search.html", context)


def _profile_or_404(request, public_id) -> ResourceProfile:
    profile = selectors.profile_page(request.user, public_id)
    if profile is None:
        raise Http404
    return profile


def profile(request, public_id):
    found = _profile_or_404(request, public_id)
    context = {
        "profile": found,
        "is_full": selectors.is_full(found),
        "is_owner": request.user.is_authenticated and found.person_id == request.user.pk,
        "has_open": selectors.has_open_conversation(found, request.user),
        "causes": found.causes.order_by("position", "label"),
    }
    return render(request, "resource_people/profile.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def ask(request, public_id):
    found = _profile_or_404(request, public_id)
    if not (found.is_published and not found.is_paused) or found.person_id == request.user.pk:
        raise Http404
    form = RequestForm(request.POST or None, modes=found.modes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = services.ask_conversation(
                profile=found,
                actor=request.user,
                request=services.Request(
                    mode=data["mode"],
                    about_me=data["about_me"],
                    why_you=data["why_you"],
                    to_understand=data["to_understand"],
                ),
                ip=client_ip(request),
            )
        except services.ResourceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                f"Votre demande est partie. {found.display_name} vous répondra ici et par e-mail.",
            )
            return redirect("resource_people:conversation", public_id=conversation.public_id)
    context = {
        "profile": found,
        "form": form,
        "is_full": selectors.is_full(found),
        "status": 400 if form.errors else 200,
    }
    return render(request, "resource_people/ask.html", context, status=context["status"])


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def my_profile(request):
    current = selectors.profile_of(request.user)
    initial = {}
    if current is not None:
        initial = {
            "before_title": current.before_title,
            "before_texte": current.before_appellation.label if current.before_appellation else "",
            "before_code": current.before_appellation_id or "",
            "after_title": current.after_title,
            "after_texte": current.after_appellation.label,
            "after_code": current.after_appellation_id,
            "path": current.path,
            "helped": current.helped,
            "presentation": current.presentation,
            "causes": list(current.causes.all()),
            "commune_texte": current.commune.name,
            "commune": current.commune_id,
            "modes": current.modes,
            "monthly_quota": current.monthly_quota,
        }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_profile(
                actor=request.user,
                data=services.ProfileData(
                    before_title=data["before_title"],
                    before_appellation=data["before_appellation"],
                    after_title=data["after_title"],
                    after_appellation=data["after_appellation"],
                    path=data["path"],
                    helped=data["helped"],
                    presentation=data["presentation"],
                    commune=data["commune_row"],
                    modes=data["modes"],
                    monthly_quota=data["monthly_quota"],
                ),
                causes=list(data["causes"]),
            )
        except services.ResourceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                "Merci ! Votre profil est envoyé à l'équipe Immersio, qui le relit avant de le "
                "publier. Vous recevrez un e-mail.",
            )
            return redirect("resource_people:my_profile")
    received = paginate(
        request, selectors.received_by(request.user), label="Pages des demandes reçues"
    )
    context = {
        "form": form,
        "current": current,
        "received": received,
        "quota_max": rules.MONTHLY_QUOTA_MAX,
        **_endpoints(),
    }
    return render(
        request, "resource_people/my_profile.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def pause(request):
    current = selectors.profile_of(request.user)
    if current is None:
        raise Http404
    paused = request.POST.get("pause") == "1"
    services.pause_profile(profile=current, actor=request.user, paused=paused)
    messages.success(
        request,
        "Votre profil est en pause : il n'apparaît plus, rien n'est perdu."
        if paused
        else "Votre profil est de nouveau visible.",
    )
    return redirect("resource_people:my_profile")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def delete(request):
    current = selectors.profile_of(request.user)
    if current is None:
        raise Http404
    if request.method == "POST":
        services.delete_profile(profile=current, actor=request.user)
        messages.success(request, "Votre profil est supprimé, avec ses demandes d'entretien.")
        return redirect("resource_people:search")
    return render(request, "resource_people/delete.html", {"current": current})


@login_required
@never_cache
def mine(request):
    conversations = paginate(
        request, selectors.asked_by(request.user), label="Pages de mes entretiens-métier"
    )
    return render(request, "resource_people/mine.html", {"conversations": conversations})


def _conversation_or_404(request, public_id):
    conversation = selectors.conversation_for(request.user, public_id)
    if conversation is None:
        raise Http404
    return conversation


def _after_links(user, conversation) -> list[dict]:
    """What the candidate may do once the conversation took place (``hooks``)."""
    from django.utils import timezone

    if conversation.candidate_id != user.pk or not conversation.is_confirmed:
        return []
    if conversation.slot_at is None or conversation.slot_at > timezone.now():
        return []
    return [link for entry in hooks.conversation_links for link in entry(user, conversation)]


def _conversation_page(request, conversation, *, accept_form=None, decline_form=None, status=200):
    is_person = conversation.profile.person_id == request.user.pk
    context = {
        "conversation": conversation,
        "is_person": is_person,
        "is_candidate": conversation.candidate_id == request.user.pk,
        "candidate_name": rules.display_name(
            conversation.candidate.first_name, conversation.candidate.last_name
        ),
        "accept_form": accept_form or AcceptForm(),
        "decline_form": decline_form or DeclineForm(),
        "slots": list(conversation.slots.all()),
        "expiry_days": rules.EXPIRY_DAYS,
        "after_links": _after_links(request.user, conversation),
    }
    return render(request, "resource_people/conversation.html", context, status=status)


@login_required
@never_cache
def conversation(request, public_id):
    return _conversation_page(request, _conversation_or_404(request, public_id))


@login_required
@require_POST
def accept(request, public_id):
    found = _conversation_or_404(request, public_id)
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            services.accept_conversation(
                conversation=found,
                actor=request.user,
                slots=form.slots(),
                contact_detail=form.cleaned_data["contact_detail"],
            )
        except services.ResourceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Merci ! Vos créneaux sont envoyés.")
            return redirect("resource_people:conversation", public_id=found.public_id)
    return _conversation_page(request, found, accept_form=form, status=400)


@login_required
@require_POST
def decline(request, public_id):
    found = _conversation_or_404(request, public_id)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.decline_conversation(
                conversation=found,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                word=form.cleaned_data["word"],
            )
        except services.ResourceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Votre réponse est envoyée. Merci d'avoir pris le temps.")
            return redirect("resource_people:conversation", public_id=found.public_id)
    return _conversation_page(request, found, decline_form=form, status=400)


@login_required
@require_POST
def pick(request, public_id):
    found = _conversation_or_404(request, public_id)
    try:
        slot_id = int(request.POST.get("slot", ""))
    except ValueError:
        slot_id = 0
    try:
        services.pick_slot(conversation=found, actor=request.user, slot_id=slot_id)
    except services.ResourceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "C'est noté : l'entretien est confirmé.")
    return redirect("resource_people:conversation", public_id=found.public_id)


@login_required
@require_POST
def cancel(request, public_id):
    found = _conversation_or_404(request, public_id)
    try:
        services.cancel_conversation(conversation=found, actor=request.user)
    except services.ResourceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "L'entretien est annulé ; l'autre personne est prévenue.")
    return redirect("resource_people:conversation", public_id=found.public_id)


def guide(request):
    return render(request, "resource_people/guide.html", {})


def _staff(request) -> None:
    if not request.user.is_staff:
        raise PermissionDenied


@login_required
@never_cache
def review_queue(request):
    _staff(request)
    profiles = paginate(request, selectors.review_queue(), label="Pages des profils à relire")
    return render(request, "resource_people/review_queue.html", {"profiles": profiles})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def review(request, public_id):
    _staff(request)
    found = _profile_or_404(request, public_id)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        publish = form.cleaned_data["decision"] == "publier"
        try:
            services.review_profile(
                profile=found,
                actor=request.user,
                publish=publish,
                reason=form.cleaned_data["reason"],
            )
        except services.ResourceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                "Profil publié." if publish else "Profil non publié : la personne est prévenue.",
            )
            return redirect("resource_people:review_queue")
    context = {
        "profile": found,
        "form": form,
        "causes": found.causes.order_by("position", "label"),
    }
    return render(
        request, "resource_people/review.html", context, status=400 if form.errors else 200
    )
