"""Multi-step forms, once: a draft kept in the session between the steps.

Each draft lives under its wizard's namespace (``session[namespace][key]``), keyed by a
UUID the pages carry (``?brouillon=<uuid>`` in the links and redirects, a hidden field in
the forms), so that two browser tabs filling the same wizard never overwrite each other.
A step keeps what was typed (``raw``: the POST as lists, even when invalid, so that the
form comes back with the person's input and its errors) and whether it was valid; going
back or to another step is never blocked. No JavaScript involved.

    draft = WizardDraft.open(request, "structures_registration")
    draft.store("identite", raw_from(request.POST), valid=form.is_valid())
    return redirect(draft.url("structures:register_step", step="lieux"))

A wizard whose draft already has an identity in its URL (a convention's token) passes it
as ``key``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, QueryDict
from django.urls import reverse

PARAM = "brouillon"
MAX_DRAFTS = 10  # per wizard and session; the oldest is forgotten first

Raw = dict[str, list[str]]


def raw_from(querydict: QueryDict) -> Raw:
    """What a POST holds, as JSON-friendly lists (without the CSRF token, the button
    pressed, nor the draft's key)."""
    return {
        key: list(values)
        for key, values in querydict.lists()
        if key not in {"csrfmiddlewaretoken", "action", PARAM}
    }


def as_querydict(raw: Raw | None) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in (raw or {}).items():
        data.setlist(key, list(values))
    return data


def _uuid_or_none(value: str | None) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


class WizardDraft:
    """One draft of one wizard, in the session."""

    def __init__(self, session, namespace: str, key: str):
        self.session = session
        self.namespace = namespace
        self.key = key
        self.data: dict[str, Any] = (session.get(namespace) or {}).get(key) or self.empty()

    @classmethod
    def open(cls, request: HttpRequest, namespace: str, *, key: str | None = None, new=False):
        """The draft named by ``key``, else by the request (``brouillon`` in the POST or the
        query string). Without one: a new draft when ``new`` (a wizard's entry page, so a
        second tab starts its own), else the draft touched last (an old bookmark)."""
        if key is None:
            key = _uuid_or_none(request.POST.get(PARAM) or request.GET.get(PARAM))
        if key is None and not new:
            drafts = request.session.get(namespace) or {}
            key = next(reversed(drafts), None)
        return cls(request.session, namespace, key or str(uuid.uuid4()))

    def empty(self) -> dict[str, Any]:
        return {"steps": {}, "valid": []}

    @property
    def exists(self) -> bool:
        return self.key in (self.session.get(self.namespace) or {})

    def save(self) -> None:
        drafts = dict(self.session.get(self.namespace) or {})
        drafts.pop(self.key, None)
        drafts[self.key] = self.data  # last touched last
        while len(drafts) > MAX_DRAFTS:
            drafts.pop(next(iter(drafts)))
        self.session[self.namespace] = drafts

    def clear(self) -> None:
        drafts = dict(self.session.get(self.namespace) or {})
        drafts.pop(self.key, None)
        if drafts:
            self.session[self.namespace] = drafts
        else:
            self.session.pop(self.namespace, None)
        self.data = self.empty()

    # Steps -----------------------------------------------------------------------------

    def raw(self, step: str) -> Raw | None:
        """What was last typed at ``step``, or None if the step was never sent."""
        return self.data["steps"].get(step)

    def store(self, step: str, raw: Raw, *, valid: bool) -> None:
        self.data["steps"][step] = raw
        self.data["valid"] = [s for s in self.data["valid"] if s != step] + (
            [step] if valid else []
        )
        self.save()

    def forget(self, step: str) -> None:
        if self.data["steps"].pop(step, None) is not None or step in self.data["valid"]:
            self.data["valid"] = [s for s in self.data["valid"] if s != step]
            self.save()

    def is_valid(self, step: str) -> bool:
        return step in self.data["valid"]

    # Addresses -------------------------------------------------------------------------

    @property
    def query(self) -> str:
        return f"?{PARAM}={self.key}"

    def url(self, viewname: str, **kwargs) -> str:
        """The address of a page of the wizard, for this draft."""
        return reverse(viewname, kwargs=kwargs or None) + self.query
