"""The signatory's personal link (``/conventions/signer/?jeton=…``).

The link names one signatory and one version of the content; it opens that convention
only and logs nobody in. Opening it (GET) never signs: the page shows the whole convention
and, while it waits for this signatory, *Je signe* — a one-time code sent to the
signatory's own address or phone, then a POST with the code and a confirmation box. E-mail
scanners that open links therefore sign nothing, and a forwarded link cannot sign without
the code. The same page lets the signatory decline or ask for a change (with a reason), and
download the PDF once the convention is validated.
"""

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from immersio.core.actors import AUTOMATIC
from immersio.core.ratelimit import client_ip
from immersio.core.storage import private_file_response

from .. import documents, lifecycle, links, selectors, signing
from ..forms import CodeForm, ReasonForm
from ..models import Convention, Signatory
from ..schedule import format_minutes
from ..transitions import FINAL, Status
from .drafts import _pattern_rows, _slots_text
from .sensitive import sensitive_context


def _context(request, signatory: Signatory, convention, token: str, **extra) -> dict:
    signatures = selectors.current_signatures(convention)
    required = {s.pk for s in selectors.required_signatories(convention)}
    rows = [
        {
            "signatory": s,
            "signature": signatures.get(s.pk),
            "required": s.pk in required,
            "is_me": s.pk == signatory.pk,
        }
        for s in convention.signatories.filter(active=True).order_by("pk")
    ]
    waiting = convention.status in {Status.TO_SIGN, Status.PARTIALLY_SIGNED}
    version = selectors.current_version(convention)
    return {
        "signatory": signatory,
        "convention": convention,
        "token": token,
        "rows": rows,
        "my_signature": signatures.get(signatory.pk),
        "can_sign": waiting and signatory.pk in required and signatory.pk not in signatures,
        "can_request": convention.status not in FINAL and convention.status != Status.DRAFT,
        "is_final": convention.status in FINAL,
        "version": version,
        **sensitive_context(signatory, convention),
        "total_hours": format_minutes(convention.total_minutes),
        "pattern_rows": _pattern_rows(convention),
        "exception_rows": [
            {"day": day, "slots": _slots_text(slots)}
            for day, slots in sorted(convention.exception_slots().items())
        ],
        "has_phone": signing.has_mobile(signatory),
        "code_minutes": signing.OneTimeCodeProvider.minutes,
        "has_email": bool(signatory.email),
        "code_form": extra.pop("code_form", None) or CodeForm(),
        "decline_form": extra.pop("decline_form", None) or ReasonForm(prefix="refus"),
        "change_form": extra.pop("change_form", None) or ReasonForm(prefix="modification"),
        "document_ready": convention.status == Status.VALIDATED,
        **extra,
    }


def _problem(request, template: str, *, token: str = "", status: int = 400, **context):
    return render(
        request,
        f"conventions/signature/{template}.html",
        {"token": token, **context},
        status=status,
    )


# What a POST (or the PDF) reads of the convention before the service does (which reads it
# again under its lock): its version, its status and its reference. The page, when it is
# shown again (a wrong code), reads the whole row (``whole_row``).
_POSTED_COLUMNS = frozenset(
    {"id", "status", "version", "substance_version", "submitted_at", "archived_at"}
)
_NOT_POSTED = tuple(
    f"convention__{field.name}"
    for field in Convention._meta.concrete_fields
    if field.name not in _POSTED_COLUMNS | {"public_id"}
)


def whole_row(convention: Convention) -> Convention:
    """``convention`` with all its columns and what its page names (a POST read a few)."""
    if convention.get_deferred_fields():
        return Convention.objects.select_related("agency", "appellation", "place_commune").get(
            pk=convention.pk
        )
    return convention


def _open(request, *, narrow: bool = False):
    """(signatory, convention, token) for a valid link, or the response explaining why
    not (forged, expired, another version). ``narrow``: a few columns of the convention
    (a POST, the PDF), not the page's whole row."""
    token = request.GET.get("jeton", "")
    data = links.read(token)
    rows = Signatory.objects.select_related("convention")
    if narrow:
        rows = rows.defer(*_NOT_POSTED)
    try:  # ``get``: no ORDER BY to build (the model's orders by the convention's date)
        signatory = rows.get(public_id=data.signatory) if data else None
    except Signatory.DoesNotExist:
        signatory = None
    if signatory is None:
        return None, _problem(request, "invalid", status=404)
    convention = signatory.convention
    if data.expired:
        return None, _problem(request, "expired", token=token, status=410, days=links.LIFETIME.days)
    if data.version != convention.version:
        return None, _problem(
            request, "old_version", token=token, status=410, convention=convention
        )
    return (signatory, convention, token), None


@never_cache
@require_http_methods(["GET", "POST"])
def sign(request):
    opened, problem = _open(request, narrow=request.method == "POST")
    if problem is not None:
        if request.method == "POST" and request.POST.get("action") == "nouveau-lien":
            return _renew(request)
        return problem
    signatory, convention, token = opened
    here = reverse("conventions:sign") + f"?jeton={token}"
    if request.method == "GET":
        return render(
            request,
            "conventions/signature/page.html",
            _context(request, signatory, convention, token),
        )
    action = request.POST.get("action", "")
    version = convention.version
    try:
        if action in {"code-email", "code-sms"}:
            sent_to = lifecycle.send_code(
                signatory=signatory,
                version=version,
                channel="sms" if action == "code-sms" else "email",
                actor=AUTOMATIC,
            )
            minutes = signing.OneTimeCodeProvider.minutes
            messages.success(request, f"Code envoyé à {sent_to}. Il est valable {minutes} minutes.")
            return HttpResponseRedirect(here + "#signer")
        if action == "signer":
            form = CodeForm(request.POST)
            if not form.is_valid():
                return render(
                    request,
                    "conventions/signature/page.html",
                    _context(
                        request,
                        signatory,
                        whole_row(convention),
                        token,
                        code_form=form,
                        code_sent=True,
                    ),
                    status=400,
                )
            result = lifecycle.sign(
                signatory=signatory,
                version=version,
                code=form.cleaned_data["code"],
                confirmed=form.cleaned_data["confirm"],
                ip=client_ip(request),
                user_agent=request.headers.get("User-Agent", ""),
                actor=AUTOMATIC,
            )
            if result.already:
                messages.info(request, "Vous aviez déjà signé cette version : rien n'a changé.")
            else:
                messages.success(request, "Merci : votre signature est enregistrée.")
            return HttpResponseRedirect(here)
        if action in {"refuser", "modification"}:
            prefix = "refus" if action == "refuser" else "modification"
            form = ReasonForm(request.POST, prefix=prefix)
            if not form.is_valid():
                key = "decline_form" if action == "refuser" else "change_form"
                return render(
                    request,
                    "conventions/signature/page.html",
                    _context(
                        request,
                        signatory,
                        whole_row(convention),
                        token,
                        **{key: form, "open": action},
                    ),
                    status=400,
                )
            if action == "refuser":
                lifecycle.decline(
                    signatory=signatory,
                    version=version,
                    reason=form.cleaned_data["reason"],
                    actor=AUTOMATIC,
                )
                messages.success(
                    request,
                    "Votre refus et son motif sont transmis au prescripteur et aux autres parties.",
                )
            else:
                lifecycle.request_change(
                    convention=convention,
                    signatory=signatory,
                    version=version,
                    reason=form.cleaned_data["reason"],
                    actor=AUTOMATIC,
                )
                messages.success(
                    request,
                    "Votre demande de modification est transmise au prescripteur et aux autres "
                    "parties.",
                )
            return HttpResponseRedirect(here)
    except lifecycle.SignatureError as error:
        form = CodeForm(request.POST) if action == "signer" else None
        if form is not None and form.is_valid():
            form.add_error("code", error.message)
        context = _context(
            request,
            signatory,
            whole_row(convention),
            token,
            code_form=form,
            code_sent=action == "signer",
            error=None if form is not None and form.is_bound else error.message,
        )
        return render(request, "conventions/signature/page.html", context, status=400)
    except lifecycle.ConventionError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(here)
    return HttpResponseRedirect(here)


def _renew(request):
    """« Recevoir un nouveau lien »: sent to the signatory's own contact, whoever asks;
    the page says the same thing in every case."""
    data = links.read(request.GET.get("jeton", ""))
    signatory = Signatory.objects.filter(public_id=data.signatory).first() if data else None
    if signatory is not None:
        lifecycle.renew_link(signatory=signatory, actor=AUTOMATIC)
    return render(request, "conventions/signature/renewed.html", {})


@never_cache
@require_http_methods(["GET"])
@transaction.non_atomic_requests
def document(request):
    """The PDF of the validated convention, for a signatory holding their link. A read:
    outside the request's transaction (on SQLite, that would take the write lock)."""
    opened, problem = _open(request, narrow=True)
    if problem is not None:
        return problem
    _signatory, convention, _token = opened
    if convention.status != Status.VALIDATED or convention.archived_at is not None:
        raise Http404  # archived: its agency's only (``Convention.objects.visible_to``)
    return pdf_response(convention)


def pdf_response(convention) -> FileResponse:
    """The stored PDF of the version in force, streamed from its file (one query for its
    row); rendered here only when the task has not run yet."""
    stored = selectors.current_document(convention)
    if stored is None:
        version = selectors.current_version(convention)
        stored = documents.store_document(version=version, actor=AUTOMATIC)
    return private_file_response(
        stored.file,
        filename=f"convention-{convention.reference}.pdf",
        modified=stored.rendered_at,
    )
