"""Staff only: every e-mail of the product, previewed with the demo examples."""

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.csp import CSP
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override

from . import previews

# The HTML of an e-mail carries its styles inline, as mail clients want; it is shown in a
# sandboxed frame, under a policy of its own that allows nothing else.
EMAIL_CSP = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.UNSAFE_INLINE],
    "img-src": ["data:"],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.NONE],
    "frame-ancestors": [CSP.SELF],
    "sandbox": True,
}


# The list renders every example once and keeps each HTML version for its frame, at a
# signed address that expires: the frames load together, without a session or the database
# (rendering an example writes, then rolls back, demo rows). The HTML holds demo data only,
# its personal links disabled.
CACHE_SECONDS = 15 * 60
SALT = "notifications.preview"


def _cache_key(kind: str, number: int) -> str:
    return f"notifications:preview:{kind}:{number}"


def frame_token(kind: str, number: int) -> str:
    return signing.dumps([kind, number], salt=SALT)


def _staff_only(request) -> None:
    if not request.user.is_staff:
        raise Http404


@login_required
@never_cache
def email_list(request):
    _staff_only(request)
    notifications, frames = [], {}
    for cls in previews.notification_classes():
        emails = []
        for preview in previews.render(cls):
            frames[_cache_key(preview.kind, preview.number)] = preview.html
            emails.append({"preview": preview, "token": frame_token(cls.kind, preview.number)})
        notifications.append(
            {
                "kind": cls.kind,
                "name": f"{cls.__module__}.{cls.__qualname__}",
                "sensitive": cls.sensitive,
                "transactional": cls.transactional,
                "emails": emails,
            }
        )
    cache.set_many(frames, CACHE_SECONDS)
    return render(request, "notifications/previews.html", {"notifications": notifications})


@transaction.non_atomic_requests
@never_cache
@xframe_options_sameorigin
@csp_override(EMAIL_CSP)
def email_html(request, token: str):
    """The HTML version of one e-mail of the list, for its frame."""
    try:
        kind, number = signing.loads(token, salt=SALT, max_age=CACHE_SECONDS)
    except signing.BadSignature:
        raise Http404 from None
    html = cache.get(_cache_key(kind, number))
    if html is None:
        raise Http404
    return HttpResponse(html)
