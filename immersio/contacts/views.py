"""Thin views over ``contacts.services``: the guided request, the e-mail check, the
threads and the inboxes of both sides."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from immersio.accounts.email_proof import log_in_by_email_proof
from immersio.core.actors import AUTOMATIC, actor_of
from immersio.core.links import link_param
from immersio.core.pagination import paginate
from immersio.core.ratelimit import client_ip
from immersio.core.vocabulary import (
    ImmersionObject,
    situation_for_host,
    situation_in_first_person,
)
from immersio.core.wizard import WizardDraft, as_querydict, raw_from
from immersio.structures.models import HostStructure

from . import rules, selectors, services
from .forms import AcceptForm, ContactRequestForm, DeclineForm, MessageForm
from .models import BOARD_DAYS, CLOSED_STATUSES, ContactRequest, Duration, Message, Status

SESSION_SENT_KEY = "contacts_sent_to"
SESSION_UNAVAILABLE_KEY = "contacts_unavailable"
#: « Préparer ma demande »: the answers as typed and as the board's form reads them (kept
#: in the session, never in an address: they are personal).
SESSION_PREPARED_KEY = "contacts_prepared"

INBOX_FILTERS = {
    "nouvelles": ("Nouvelles", [Status.NEW]),
    "en-attente": ("En attente de réponse", [Status.AWAITING]),
    "repondues": ("Répondues", [Status.QUESTION, Status.ACCEPTED]),
    "closes": ("Closes", list(CLOSED_STATUSES)),
}


def request_summary(
    contact_request: ContactRequest, *, for_host: bool = False
) -> list[tuple[str, str]]:
    """The request as its author wrote it; the host structure does not read a sensitive
    situation (RQTH, RSA…: ``core.vocabulary.SENSITIVE_SITUATIONS``)."""
    situation = (situation_for_host if for_host else situation_in_first_person)(
        contact_request.situation
    )
    rows = [
        ("Métier", contact_request.appellation.label),
        ("Objectif", ImmersionObject(contact_request.objective).label),
        ("Situation", situation),
        (
            "Accompagnement",
            contact_request.support_name
            if contact_request.has_support
            else "Pas encore accompagné(e)",
        ),
        ("Intention et motivations", contact_request.motivations),
        ("Ce que j'espère voir ou essayer", contact_request.hopes),
        ("Disponibilités", contact_request.period),
        ("Durée souhaitée", Duration(contact_request.duration).label),
    ]
    if contact_request.transport:
        rows.append(("Pour venir", contact_request.transport))
    return rows


def _unavailable(request, structure, reason, *, status=200):
    context = {
        "structure": structure,
        "reason": reason,
        "suggestions": services.suggestions(structure),
    }
    return render(request, "contacts/unavailable.html", context, status=status)


DRAFT_NAMESPACE = "contact_request"
DRAFT_STEP = "demande"


@never_cache
@require_http_methods(["GET", "POST"])
def new_request(request, public_id):
    structure = get_object_or_404(
        HostStructure.objects.exclude(status=HostStructure.Status.PENDING), public_id=public_id
    )
    reason = services.unavailable_reason(structure)
    if reason and request.method == "GET":
        return _unavailable(request, structure, reason)
    appellations = list(services.offered_appellations(structure))
    if not appellations:
        return _unavailable(
            request, structure, "Cette structure ne propose aucun métier pour le moment."
        )
    # Unavailable since the form was opened (capacity reached, pause): nothing typed is
    # lost; once the address is verified the text can go to a similar structure.
    context = {"structure": structure, "unavailable_reason": reason}
    if request.method == "GET":
        initial = ContactRequestForm.initial_from_profile(request.user)
        metier = request.GET.get("metier", "")
        if metier in {str(a.pk) for a in appellations}:
            initial["appellation"] = metier
        elif len(appellations) == 1:
            initial["appellation"] = str(appellations[0].pk)
        form = ContactRequestForm(initial=initial, appellations=appellations)
        context["draft_key"] = WizardDraft.open(request, DRAFT_NAMESPACE, new=True).key
        return render(request, "contacts/new.html", context | {"form": form})

    # The request as written waits in the session between writing and rereading, in a
    # draft of its own (core.wizard): another tab's request never replaces it.
    draft = WizardDraft.open(request, DRAFT_NAMESPACE, new=True)
    context["draft_key"] = draft.key
    action = request.POST.get("action", "apercu")
    typed = draft.raw(DRAFT_STEP) if action in {"modifier", "envoyer"} else None
    data = as_querydict(typed) if typed is not None else request.POST
    form = ContactRequestForm(data, appellations=appellations)
    if action == "modifier" or not form.is_valid():
        if action == "modifier":
            form.is_valid()
            form.errors.clear()  # back to editing: no error shown for a valid form
        return render(request, "contacts/new.html", context | {"form": form})
    if action != "envoyer":
        draft.store(DRAFT_STEP, raw_from(request.POST), valid=True)
        own_address = selectors.is_own_address(request.user, form.cleaned_data["email"])
        return render(
            request,
            "contacts/preview.html",
            context | {"form": form, "summary": form.summary(), "own_address": own_address},
        )
    draft.clear()
    if form.is_spam:
        request.session[SESSION_SENT_KEY] = form.cleaned_data["email"]
        return redirect("contacts:check_email")
    data = {name: form.cleaned_data[name] for name in services.CandidateData.__dataclass_fields__}
    if selectors.is_own_address(request.user, form.cleaned_data["email"]):
        return _send_from_account(request, context, form, structure, data)
    try:
        services.start_request(
            structure=structure,
            appellation=form.cleaned_data["appellation"],
            data=services.CandidateData(**data),
            ip=client_ip(request),
            actor=actor_of(request),
        )
    except services.ContactError as exc:
        form.add_error(exc.field, exc.message)
        return render(request, "contacts/new.html", context | {"form": form})
    request.session[SESSION_SENT_KEY] = form.cleaned_data["email"]
    request.session[SESSION_UNAVAILABLE_KEY] = reason
    return redirect("contacts:check_email")


def _send_from_account(request, context, form, structure, data):
    """A logged-in person writing from their own address: no e-mail to verify it, the
    request leaves now; when the structure cannot take it any more, the confirmation page
    of the draft offers similar structures, as after a verification link."""
    try:
        contact_request = services.send_from_account(
            structure=structure,
            appellation=form.cleaned_data["appellation"],
            data=services.CandidateData(**data),
            ip=client_ip(request),
            actor=request.user,
        )
    except services.StructureUnavailable as exc:
        link = urlsplit(str(services.verify_url(exc.contact_request)))
        return redirect(f"{link.path}?{link.query}")
    except (services.RateLimited, services.NotAllowed) as exc:
        form.add_error(None, exc.message)
        return render(request, "contacts/new.html", context | {"form": form}, status=429)
    except services.ContactError as exc:
        if exc.field:
            form.add_error(exc.field, exc.message)
            return render(request, "contacts/new.html", context | {"form": form})
        return render(
            request, "contacts/refused.html", {"message": exc.message, "structure": structure}
        )
    return _sent(request, contact_request)


@never_cache
def check_email(request):
    context = {
        "email": request.session.get(SESSION_SENT_KEY, ""),
        "unavailable_reason": request.session.pop(SESSION_UNAVAILABLE_KEY, ""),
        "verify_hours": rules.VERIFY_HOURS,
    }
    return render(request, "contacts/check_email.html", context)


def _link_problem(request, exc):
    context = {"problem": exc, "contact_request": getattr(exc, "contact_request", None)}
    return render(request, "contacts/link_invalid.html", context, status=410)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    token = link_param(request)
    try:
        draft = services.read_verify_token(token)
    except (services.LinkInvalid, services.LinkExpired, services.LinkAlreadyUsed) as exc:
        return _link_problem(request, exc)
    if request.method == "GET":
        return _confirm_page(request, draft, token)
    try:
        contact_request = services.confirm_request(token=token, actor=AUTOMATIC)
    except services.LinkAlreadyUsed as exc:
        return _link_problem(request, exc)
    except services.StructureUnavailable:
        return _confirm_page(request, draft, token, status=409)
    except services.ContactError as exc:
        return render(
            request, "contacts/refused.html", {"message": exc.message, "structure": draft.structure}
        )
    return _sent(request, contact_request)


def _confirm_page(request, draft, token, *, error: str = "", status: int = 200):
    """The verified page: the request as written, why it cannot leave (told only now
    that the address is proven) and, when the structure cannot receive it, the similar
    structures it can go to instead."""
    now = timezone.now()
    reason = services.unavailable_reason(draft.structure, now=now)
    context = {
        "contact_request": draft,
        "summary": request_summary(draft),
        "token": token,
        "structure": draft.structure,
        "problem": reason
        or services.address_problem(
            structure=draft.structure, appellation=draft.appellation, email=draft.email, now=now
        ),
        "alternatives": services.alternatives(draft) if reason else [],
        "error": error,
    }
    return render(request, "contacts/confirm.html", context, status=status)


@never_cache
@require_POST
def send_elsewhere(request):
    """One click on a similar structure: the kept text leaves for it."""
    token = request.POST.get("jeton", "")
    try:
        draft = services.read_verify_token(token)
    except (services.LinkInvalid, services.LinkExpired, services.LinkAlreadyUsed) as exc:
        return _link_problem(request, exc)
    try:
        contact_request = services.send_elsewhere(
            token=token, structure_public_id=request.POST.get("structure", ""), actor=AUTOMATIC
        )
    except services.ContactError as exc:
        return _confirm_page(request, draft, token, error=exc.message, status=409)
    return _sent(request, contact_request)


def _sent(request, contact_request):
    thread = reverse("contacts:thread", kwargs={"public_id": contact_request.public_id})
    if not log_in_by_email_proof(request, contact_request.candidate):
        # Staff accounts only open a session with the short-lived login link.
        messages.success(request, "Votre demande est envoyée : connectez-vous pour la suivre.")
        return redirect(f"{reverse('accounts:login')}?next={thread}")
    if contact_request.status == Status.DIRECT:
        messages.success(
            request, "Votre adresse est vérifiée : voici comment joindre la structure."
        )
    else:
        messages.success(
            request,
            f"Votre demande est envoyée à la structure {contact_request.structure.display_name}.",
        )
    return redirect(thread)


@require_POST
def resend(request, public_id):
    contact_request = get_object_or_404(ContactRequest, public_id=public_id, status=Status.DRAFT)
    try:
        services.resend_verification(
            contact_request=contact_request, ip=client_ip(request), actor=actor_of(request)
        )
    except services.ContactError as exc:
        return render(
            request,
            "contacts/refused.html",
            {"message": exc.message, "structure": contact_request.structure},
        )
    request.session[SESSION_SENT_KEY] = contact_request.email
    return redirect("contacts:check_email")


# Threads --------------------------------------------------------------------------------


def _get_visible(request, public_id) -> ContactRequest:
    return get_object_or_404(
        ContactRequest.objects.visible_to(request.user).select_related("structure", "appellation"),
        public_id=public_id,
    )


def _render_thread(request, contact_request, *, forms=None, status=200):
    side = services.side_of(contact_request, request.user)
    if side is None:
        raise Http404
    forms = forms or {}
    can_act = contact_request.is_open
    context = {
        "contact_request": contact_request,
        "structure": contact_request.structure,
        "side": side,
        "is_structure": side == Message.Side.STRUCTURE,
        "summary": request_summary(contact_request, for_host=side == Message.Side.STRUCTURE),
        "thread_messages": list(contact_request.messages.all()),
        "events": list(contact_request.events.all()),
        "can_act": can_act,
        "message_form": forms.get("message") or MessageForm(),
        "accept_form": forms.get("accept") or AcceptForm(),
        "decline_form": forms.get("decline") or DeclineForm(),
        "suggestions": (
            services.suggestions(contact_request.structure)
            if side == Message.Side.CANDIDATE
            and contact_request.status in (Status.DECLINED, Status.EXPIRED)
            else []
        ),
        "sites": list(contact_request.structure.sites.select_related("commune")),
        "expiry_days": rules.EXPIRY_DAYS,
    }
    return render(request, "contacts/thread.html", context, status=status)


@login_required
@never_cache
def thread(request, public_id):
    contact_request = _get_visible(request, public_id)
    if services.side_of(contact_request, request.user) == Message.Side.STRUCTURE:
        services.mark_seen(contact_request=contact_request, actor=request.user)
    return _render_thread(request, contact_request)


def _act(request, public_id, *, form_class, key, call, success):
    contact_request = _get_visible(request, public_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(contact_request, form.cleaned_data)
        except services.NotAllowed as exc:
            messages.error(request, exc.message)
            return redirect("contacts:thread", public_id=public_id)
        except services.ContactError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, success)
            return redirect("contacts:thread", public_id=public_id)
    return _render_thread(request, contact_request, forms={key: form}, status=400)


@login_required
@require_POST
def post_message(request, public_id):
    return _act(
        request,
        public_id,
        form_class=MessageForm,
        key="message",
        call=lambda cr, data: services.post_message(
            contact_request=cr, actor=request.user, body=data["body"]
        ),
        success="Votre message est envoyé.",
    )


@login_required
@require_POST
def accept(request, public_id):
    return _act(
        request,
        public_id,
        form_class=AcceptForm,
        key="accept",
        call=lambda cr, data: services.accept(
            contact_request=cr,
            actor=request.user,
            proposed_start=data["proposed_start"],
            proposed_end=data["proposed_end"],
            proposed_dates=data["proposed_dates"],
            body=data["body"],
        ),
        success="Vous avez accepté la demande : la personne est prévenue par e-mail.",
    )


@login_required
@require_POST
def decline(request, public_id):
    return _act(
        request,
        public_id,
        form_class=DeclineForm,
        key="decline",
        call=lambda cr, data: services.decline(
            contact_request=cr, actor=request.user, reason=data["reason"], body=data["body"]
        ),
        success="La demande est déclinée : la personne est prévenue avec d'autres pistes.",
    )


@login_required
@require_POST
def close(request, public_id):
    contact_request = _get_visible(request, public_id)
    status = request.POST.get("statut")
    if status not in (Status.WITHDRAWN, Status.FOUND_ELSEWHERE):
        raise Http404
    try:
        services.close_by_candidate(
            contact_request=contact_request, actor=request.user, status=status
        )
    except services.NotAllowed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            "Votre demande est retirée."
            if status == Status.WITHDRAWN
            else "C'est noté : bonne immersion !",
        )
    return redirect("contacts:thread", public_id=public_id)


# Inboxes -------------------------------------------------------------------------------


@login_required
@never_cache
def structure_inbox(request, public_id):
    structure = get_object_or_404(
        HostStructure.objects.visible_to(request.user), public_id=public_id
    )
    current = request.GET.get("filtre", "nouvelles")
    if current not in INBOX_FILTERS:
        current = "nouvelles"
    requests = (
        ContactRequest.objects.sent().filter(structure=structure).select_related("appellation")
    )
    counts = {
        key: requests.filter(status__in=statuses).count()
        for key, (_label, statuses) in INBOX_FILTERS.items()
    }
    inbox_url = reverse("contacts:structure_inbox", kwargs={"public_id": public_id})
    tabs = [
        {
            "key": key,
            "label": label,
            "count": counts[key],
            "url": f"{inbox_url}?filtre={key}",
        }
        for key, (label, _statuses) in INBOX_FILTERS.items()
    ]
    context = {
        "structure": structure,
        "tabs": tabs,
        "current": current,
        "current_label": INBOX_FILTERS[current][0],
        "requests": paginate(
            request,
            requests.filter(status__in=INBOX_FILTERS[current][1]),
            label="Pages des demandes reçues",
        ),
    }
    return render(request, "contacts/structure_inbox.html", context)


@login_required
@never_cache
def my_requests(request):
    requests = (
        ContactRequest.objects.sent()
        .filter(candidate=request.user)
        .select_related("structure", "appellation")
    )
    from .models import BoardPost

    posts = (
        BoardPost.objects.filter(candidate=request.user)
        .select_related("appellation", "cause", "commune")
        .prefetch_related("proposals__structure")
    )
    context = {
        "requests": paginate(request, requests, label="Pages de vos demandes envoyées"),
        "posts": list(posts),
    }
    return render(request, "contacts/my_requests.html", context)


# Reopening a structure hidden for never answering -------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def reopen(request):
    token = link_param(request)
    try:
        auto_hide = services.read_reopen_token(token)
        if request.method == "POST":
            services.reopen_hidden_structure(token=token, actor=AUTOMATIC)
            return render(request, "contacts/reopened.html", {"structure": auto_hide.structure})
    except services.ContactError as exc:
        return render(
            request,
            "contacts/refused.html",
            {"message": exc.message, "structure": None},
            status=410,
        )
    return render(
        request, "contacts/reopen.html", {"structure": auto_hide.structure, "token": token}
    )


@login_required
@never_cache
def staff_stats(request):
    """Staff only: requests per week, as a table and a server-rendered SVG chart."""
    if not request.user.is_staff:
        raise Http404
    from . import selectors

    figures = selectors.weekly_figures()
    context = {"figures": figures, "chart": selectors.chart(figures)}
    return render(request, "contacts/staff_stats.html", context)


# Public request board ------------------------------------------------------------------


def _member_structures(user):
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        HostStructure.objects.visible_to(user)
        .filter(status=HostStructure.Status.PUBLISHED)
        .order_by("name")[:50]
    )


@never_cache
def board(request):
    from django.core.exceptions import ValidationError

    from immersio.structures.lookups import resolve_appellation

    from .forms import RADIUS_CHOICES

    structures = _member_structures(request.user)
    metier_text = request.GET.get("metier_texte", "").strip()[:100]
    metier_code = request.GET.get("metier", "").strip()[:10]
    appellation, error = None, ""
    if metier_text or metier_code:
        try:
            appellation = resolve_appellation(metier_text, metier_code)
        except ValidationError as exc:
            error = exc.messages[0]
    origin_key = request.GET.get("autour", "")
    radius = request.GET.get("rayon", "30")
    radius = radius if radius in dict(RADIUS_CHOICES) else "30"
    origin = None
    chosen = next((s for s in structures if str(s.public_id) == origin_key), None)
    if chosen is not None:
        site = chosen.sites.order_by("pk").first()
        if site is not None:
            origin = (site.latitude, site.longitude)
    posts = selectors.board_posts(
        appellation=appellation, origin=origin, radius_km=float(radius) if origin else None
    )
    context = {
        "posts": paginate(request, posts, label="Pages du tableau des demandes"),
        "structures": structures,
        "origin_key": origin_key,
        "radius": radius,
        "radius_choices": RADIUS_CHOICES,
        "metier_text": appellation.label if appellation else metier_text,
        "metier_code": str(appellation.pk) if appellation else "",
        "metier_error": error,
        "appellation_endpoint": reverse("referentials:appellation_suggestions"),
    }
    return render(request, "contacts/board.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def board_publish(request):
    from .forms import BoardPostForm

    prepared = request.session.get(SESSION_PREPARED_KEY) or {}
    if request.method == "GET" and request.GET.get("depuis") == "preparation" and prepared:
        # « Publier sur le tableau » from « Préparer ma demande »: nothing typed again.
        form = BoardPostForm(initial=prepared["board"])
    else:
        form = BoardPostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.publish_post(
                actor=request.user,
                first_name=request.user.first_name or "Anonyme",
                last_name=request.user.last_name,
                appellation=data["appellation"],
                cause=data["cause"],
                commune=data["commune_row"],
                period=data["period"],
                duration=data["duration"],
                motivations=data["motivations"],
            )
        except services.ContactError as exc:
            form.add_error(None, exc.message)
        else:
            request.session.pop(SESSION_PREPARED_KEY, None)
            messages.success(request, f"Votre demande est publiée pour {BOARD_DAYS} jours.")
            if rules.has_contact_details(data["motivations"]) or rules.has_contact_details(
                data["period"]
            ):
                messages.info(
                    request,
                    "Les numéros de téléphone et adresses e-mail de votre texte sont masqués "
                    "sur le tableau : les structures vous écrivent par Immersio, et vous "
                    "leur répondez depuis « Mes demandes ».",
                )
            return redirect("contacts:board_post", public_id=post.public_id)
    context = {
        "form": form,
        "appellation_endpoint": reverse("referentials:appellation_suggestions"),
        "commune_endpoint": reverse("referentials:commune_suggestions"),
        "board_days": BOARD_DAYS,
    }
    return render(request, "contacts/board_publish.html", context)


def _board_post_or_404(request, public_id):
    from django.utils import timezone

    from .models import BoardPost

    post = get_object_or_404(
        BoardPost.objects.select_related("appellation", "cause", "commune"), public_id=public_id
    )
    is_owner = request.user.is_authenticated and post.candidate_id == request.user.pk
    visible = BoardPost.objects.visible(timezone.now()).filter(pk=post.pk).exists()
    if not (visible or is_owner or request.user.is_staff):
        raise Http404
    post.is_visible = visible
    post.is_owner = is_owner
    return post


def _render_board_post(request, post, *, proposal_form=None, report_form=None, status=200):
    from .forms import ProposalForm, ReportForm

    structures = _member_structures(request.user)
    context = {
        "post": post,
        "structures": structures,
        "proposal_form": proposal_form or ProposalForm(structures=structures),
        "report_form": report_form or ReportForm(),
        "proposals": list(post.proposals.select_related("structure")) if post.is_owner else [],
        "own_proposals": list(
            post.proposals.filter(structure__in=structures).select_related("structure")
        )
        if structures
        else [],
    }
    return render(request, "contacts/board_post.html", context, status=status)


@never_cache
def board_post(request, public_id):
    return _render_board_post(request, _board_post_or_404(request, public_id))


@login_required
@require_POST
def board_propose(request, public_id):
    from .forms import ProposalForm

    post = _board_post_or_404(request, public_id)
    structures = _member_structures(request.user)
    form = ProposalForm(request.POST, structures=structures)
    if form.is_valid():
        try:
            services.propose(
                post=post,
                structure=form.cleaned_data["structure"],
                actor=request.user,
                body=form.cleaned_data["body"],
            )
        except services.ContactError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Votre proposition est envoyée.")
            return redirect("contacts:board_post", public_id=public_id)
    return _render_board_post(request, post, proposal_form=form, status=400)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def board_proposal(request, public_id, structure_id):
    """The thread of one proposal: the post's author and the structure's team talk in
    Immersio; neither needs the other's contact details."""
    from .models import BoardProposal

    proposal = get_object_or_404(
        BoardProposal.objects.select_related("post__appellation", "post__cause", "structure"),
        post__public_id=public_id,
        structure__public_id=structure_id,
    )
    side = services.proposal_side(proposal, request.user)
    if side is None:
        raise Http404
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.answer_proposal(
                    proposal=proposal, actor=request.user, body=form.cleaned_data["body"]
                )
            except services.ContactError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "Votre message est envoyé.")
                return redirect(
                    "contacts:board_proposal", public_id=public_id, structure_id=structure_id
                )
        status = 400
    context = {
        "proposal": proposal,
        "post": proposal.post,
        "side": side,
        "is_structure": side == Message.Side.STRUCTURE,
        "thread_messages": list(proposal.messages.all()),
        "form": form,
    }
    return render(request, "contacts/board_proposal.html", context, status=status)


@require_POST
def board_report(request, public_id):
    from .forms import ReportForm

    post = _board_post_or_404(request, public_id)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _render_board_post(request, post, report_form=form, status=400)
    services.report_post(
        post=post,
        reason=form.cleaned_data["reason"],
        ip=client_ip(request),
        actor=actor_of(request),
    )
    messages.success(request, "Merci : l'équipe d'Immersio va regarder cette demande.")
    return redirect("contacts:board_post", public_id=public_id)


@login_required
@require_POST
def board_unpublish(request, public_id):
    post = _board_post_or_404(request, public_id)
    try:
        services.unpublish_post(post=post, actor=request.user)
    except services.NotAllowed as exc:
        raise Http404 from exc
    messages.success(request, "Votre demande n'est plus publiée.")
    return redirect("contacts:mine")


@login_required
@require_POST
def board_hide(request, public_id):
    post = _board_post_or_404(request, public_id)
    try:
        services.hide_post(post=post, actor=request.user, reason=request.POST.get("motif", ""))
    except services.NotAllowed as exc:
        raise Http404 from exc
    messages.success(request, "La demande est masquée.")
    return redirect("contacts:board")


# « Préparer ma demande » ----------------------------------------------------------------


def _prepare_page(request, form, *, status=200):
    context = {
        "form": form,
        "appellation_endpoint": reverse("referentials:appellation_suggestions"),
        "commune_endpoint": reverse("referentials:commune_suggestions"),
    }
    return render(request, "contacts/prepare.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def prepare(request):
    """« Préparer ma demande », for a structure that is not on Immersio: the questions of
    the guided request, then an e-mail, a letter and a post to copy. No account needed;
    the answers go by POST and wait in the session (for « Modifier » and the board)."""
    from .forms import PrepareRequestForm
    from .writing import drafts

    if request.method == "GET":
        prepared = request.session.get(SESSION_PREPARED_KEY)
        if request.GET.get("modifier") and prepared:
            form = PrepareRequestForm(as_querydict(prepared["raw"]))
            form.is_valid()
        else:
            form = PrepareRequestForm()
        return _prepare_page(request, form)
    form = PrepareRequestForm(request.POST)
    if not form.is_valid():
        return _prepare_page(request, form)
    request.session[SESSION_PREPARED_KEY] = {
        "raw": raw_from(request.POST),
        "board": form.board_initial(),
    }
    context = {"drafts": drafts(form.answers(), today=timezone.localdate())}
    return render(request, "contacts/prepared.html", context)
