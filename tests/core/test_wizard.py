"""The one multi-step form helper: drafts kept apart by their key, in their namespace."""

from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from immersio.core import wizard
from immersio.core.wizard import WizardDraft, as_querydict, raw_from


def request_with(session, **params):
    request = RequestFactory().get("/", params)
    request.session = session
    return request


def test_two_drafts_of_one_wizard_in_one_session_stay_apart():
    session = SessionStore()
    first = WizardDraft.open(request_with(session), "inscription", new=True)
    second = WizardDraft.open(request_with(session), "inscription", new=True)
    assert first.key != second.key
    first.store("nom", {"nom": ["Alice"]}, valid=True)
    second.store("nom", {"nom": ["Bob"]}, valid=False)

    again = WizardDraft.open(request_with(session, brouillon=first.key), "inscription")
    assert again.raw("nom") == {"nom": ["Alice"]} and again.is_valid("nom")
    other = WizardDraft.open(request_with(session, brouillon=second.key), "inscription")
    assert other.raw("nom") == {"nom": ["Bob"]} and not other.is_valid("nom")
    # Another wizard's drafts live in their own namespace.
    assert WizardDraft.open(request_with(session), "autre").raw("nom") is None

    again.clear()
    assert list(session["inscription"]) == [second.key]
    other.clear()
    assert "inscription" not in session


def test_without_a_key_the_last_draft_touched_unless_a_new_one_is_asked():
    session = SessionStore()
    old = WizardDraft.open(request_with(session), "w", new=True)
    old.store("a", {}, valid=True)
    assert WizardDraft.open(request_with(session), "w").key == old.key
    assert WizardDraft.open(request_with(session), "w", new=True).key != old.key
    assert WizardDraft.open(request_with(session, brouillon="pas-un-uuid"), "w").key == old.key


def test_a_session_keeps_a_bounded_number_of_drafts():
    session = SessionStore()
    drafts = []
    for _ in range(wizard.MAX_DRAFTS + 2):
        draft = WizardDraft.open(request_with(session), "w", new=True)
        draft.store("a", {}, valid=True)
        drafts.append(draft.key)
    assert list(session["w"]) == drafts[2:]


def test_what_was_typed_round_trips_without_the_token_nor_the_button():
    posted = as_querydict(
        {"csrfmiddlewaretoken": ["x"], "action": ["suivant"], "brouillon": ["k"], "a": ["1", "2"]}
    )
    raw = raw_from(posted)
    assert raw == {"a": ["1", "2"]}
    assert as_querydict(raw).getlist("a") == ["1", "2"]


def test_a_drafts_address_carries_its_key():
    session = SessionStore()
    draft = WizardDraft.open(request_with(session), "w", new=True)
    url = draft.url("structures:register_step", step="lieux")
    assert url == f"/structures/referencer/lieux/?brouillon={draft.key}"
