"""The pages of « Ils et elles ont changé de voie », from the profile to the confirmed
conversation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from immersio.core.actors import TASK
from immersio.notifications.models import OutboundEmail
from immersio.referentials.previews import lyon, maraicher
from immersio.resource_people import rules, services
from immersio.resource_people.models import (
    Conversation,
    ConversationStatus,
    ProfileStatus,
    ResourceProfile,
)
from tests.accounts.factories import UserFactory
from tests.resource_people.helpers import cause, make_conversation, make_profile, with_slots

pytestmark = pytest.mark.django_db

SEARCH = reverse("resource_people:search")


def ask_url(profile) -> str:
    return reverse("resource_people:ask", kwargs={"public_id": profile.public_id})


def page_of(conversation) -> str:
    return reverse("resource_people:conversation", kwargs={"public_id": conversation.public_id})


REQUEST = {
    "about_me": "Commercial depuis dix ans, je pense au maraîchage.",
    "why_you": "Vous avez quitté un bureau pour la terre.",
    "to_understand": "Le quotidien, les revenus des premières années.",
    "mode": "visio",
}


# --- search -------------------------------------------------------------------------------


def test_the_search_shows_published_unpaused_profiles_and_never_an_address(client):
    shown = make_profile(
        person=UserFactory(email="helene.roux@exemple.fr", first_name="Hélène", last_name="Roux")
    )
    make_profile(status=ProfileStatus.SUBMITTED, after_title="En relecture")
    make_profile(paused_at=timezone.now(), after_title="En pause")
    page = client.get(SEARCH).text
    assert "Hélène R." in page and "Maraîchère bio" in page
    assert "En relecture" not in page and "En pause" not in page
    assert "helene.roux@exemple.fr" not in page and "Roux" not in page
    assert "Accepte une conversation" in page
    assert reverse("resource_people:guide") in page
    assert reverse("directory:search") in page
    assert shown.public_id


def test_a_full_month_shows_as_such(client):
    profile = make_profile(monthly_quota=1)
    make_conversation(profile=profile)
    page = client.get(SEARCH).text
    assert "Complet ce mois-ci" in page and "Accepte une conversation" not in page


def test_the_search_filters_by_cause_department_and_metier(client):
    food = cause()
    make_profile(causes=[food], after_title="Dans la cause")
    make_profile(after_title="Sans cause")
    page = client.get(SEARCH, {"cause": food.slug}).text
    assert "Dans la cause" in page and "Sans cause" not in page
    assert "Dans la cause" not in client.get(SEARCH, {"departement": "75"}).text
    assert "Dans la cause" in client.get(SEARCH, {"departement": "69"}).text
    assert "Dans la cause" in client.get(SEARCH, {"region": "84"}).text
    assert "Dans la cause" not in client.get(SEARCH, {"region": "11"}).text
    found = client.get(SEARCH, {"metier_texte": "x", "metier": str(maraicher().pk)}).text
    assert "Dans la cause" in found
    bad = client.get(SEARCH, {"departement": "6X"}).text
    assert "Indiquez le numéro du département" in bad


# --- profile, review ------------------------------------------------------------------------


def profile_post(**changes) -> dict:
    return {
        "before_title": "Comptable",
        "after_title": "Maraîchère bio",
        "after_texte": "Maraîcher",
        "after_code": str(maraicher().pk),
        "path": "Quinze ans de comptabilité.",
        "helped": "Une immersion.",
        "commune_texte": "Lyon",
        "commune": lyon().pk,
        "modes": ["visio", "telephone"],
        "monthly_quota": "2",
    } | changes


def test_a_profile_is_reviewed_by_the_team_before_it_is_published(client):
    person = UserFactory(first_name="Hélène")
    client.force_login(person)
    response = client.post(reverse("resource_people:my_profile"), profile_post())
    assert response.status_code == 302
    profile = ResourceProfile.objects.get(person=person)
    assert profile.status == ProfileStatus.SUBMITTED and profile.modes == ["visio", "telephone"]
    assert "Maraîchère bio" not in client.get(SEARCH).text
    # Someone else cannot review it.
    review = reverse("resource_people:review", kwargs={"public_id": profile.public_id})
    assert client.get(review).status_code == 403
    client.force_login(UserFactory(staff=True))
    assert "Hélène" in client.get(reverse("resource_people:review_queue")).text
    refused = client.post(review, {"decision": "refuser", "reason": ""})
    assert refused.status_code == 400 and "pourquoi" in refused.text
    assert client.post(review, {"decision": "publier"}).status_code == 302
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.PUBLISHED
    [email] = OutboundEmail.objects.filter(kind="resource_profile_published")
    assert email.recipient == person.email and "Hélène" not in email.subject
    assert "Maraîchère bio" in client.get(SEARCH).text


def test_a_refusal_tells_the_reason_and_an_edit_goes_back_to_review(client):
    profile = make_profile(status=ProfileStatus.SUBMITTED)
    services.review_profile(
        profile=profile, actor=UserFactory(staff=True), publish=False, reason="Plus de détails."
    )
    [email] = OutboundEmail.objects.filter(kind="resource_profile_refused")
    assert "Plus de détails." in email.text_body
    published = make_profile()
    client.force_login(published.person)
    client.post(reverse("resource_people:my_profile"), profile_post(path="Un nouveau parcours."))
    published.refresh_from_db()
    assert published.status == ProfileStatus.SUBMITTED and published.path == "Un nouveau parcours."


def test_profile_errors_are_french_and_keep_the_input(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("resource_people:my_profile"),
        profile_post(modes=[], monthly_quota=str(rules.MONTHLY_QUOTA_MAX + 1)),
    )
    assert response.status_code == 400
    assert "Choisissez au moins une façon" in response.text
    assert f"entre 1 et {rules.MONTHLY_QUOTA_MAX}" in response.text
    assert "Quinze ans de comptabilité." in response.text


def test_pause_hides_and_delete_removes(client):
    profile = make_profile()
    conversation = make_conversation(profile=profile)
    client.force_login(profile.person)
    client.post(reverse("resource_people:pause"), {"pause": "1"})
    assert "Maraîchère bio" not in client.get(SEARCH).text
    client.post(reverse("resource_people:pause"), {"pause": "0"})
    assert "Maraîchère bio" in client.get(SEARCH).text
    client.post(reverse("resource_people:delete"))
    assert not ResourceProfile.objects.filter(pk=profile.pk).exists()
    assert not Conversation.objects.filter(pk=conversation.pk).exists()
    [email] = OutboundEmail.objects.filter(kind="resource_conversation_cancelled")
    assert email.recipient == conversation.candidate.email


# --- asking ---------------------------------------------------------------------------------


def test_asking_needs_a_login(client):
    response = client.get(ask_url(make_profile()))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_candidate_asks_and_the_person_is_told_without_names_in_the_subject(client):
    profile = make_profile()
    candidate = UserFactory(first_name="Samir", last_name="Haddad")
    client.force_login(candidate)
    response = client.post(ask_url(profile), REQUEST)
    conversation = Conversation.objects.get(candidate=candidate)
    assert response["Location"] == page_of(conversation)
    [email] = OutboundEmail.objects.filter(kind="resource_conversation_new")
    assert email.recipient == profile.person.email
    assert "Samir" not in email.subject


def test_contact_details_are_refused_next_to_the_field_and_the_text_is_kept(client):
    client.force_login(UserFactory())
    response = client.post(
        ask_url(make_profile()), REQUEST | {"about_me": "Écrivez-moi : samir@exemple.fr"}
    )
    assert response.status_code == 400
    assert "ni téléphone ni adresse e-mail" in response.text
    assert "Vous avez quitté un bureau pour la terre." in response.text
    assert not Conversation.objects.exists()


def test_one_open_request_then_seven_days(client):
    profile = make_profile(monthly_quota=5)
    candidate = UserFactory()
    client.force_login(candidate)
    client.post(ask_url(profile), REQUEST)
    again = client.post(ask_url(profile), REQUEST)
    assert again.status_code == 400 and "déjà une demande en cours" in again.text
    Conversation.objects.update(status=ConversationStatus.CANCELLED, answered_at=timezone.now())
    later = client.post(ask_url(profile), REQUEST)
    assert later.status_code == 400 and "Laissez-lui le temps de répondre" in later.text
    assert Conversation.objects.count() == 1


def test_the_monthly_quota_is_enforced(client):
    profile = make_profile(monthly_quota=1)
    make_conversation(profile=profile)
    client.force_login(UserFactory())
    response = client.post(ask_url(profile), REQUEST)
    assert response.status_code == 400 and "ce mois-ci" in response.text
    assert profile.conversations.count() == 1


def test_requests_share_the_rate_limit_of_requests_to_structures(client, settings):
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"contact_request_per_email": (1, 3600)}
    candidate = UserFactory()
    client.force_login(candidate)
    client.post(ask_url(make_profile(monthly_quota=5)), REQUEST)
    response = client.post(ask_url(make_profile(monthly_quota=5)), REQUEST)
    assert response.status_code == 400 and "Réessayez un peu plus tard" in response.text


def test_someone_elses_conversation_is_not_found(client):
    conversation = make_conversation()
    client.force_login(UserFactory())
    assert client.get(page_of(conversation)).status_code == 404
    accept = reverse("resource_people:accept", kwargs={"public_id": conversation.public_id})
    assert client.post(accept, {}).status_code == 404


# --- answering --------------------------------------------------------------------------------


def accept_post(day, hour="18:00", **changes) -> dict:
    return {
        "accepter-day_1": day.isoformat(),
        "accepter-time_1": hour,
        "accepter-contact_detail": "https://visio.exemple.fr/helene",
    } | changes


def test_accept_pick_and_the_contact_detail_only_on_the_page(client):
    conversation = make_conversation()
    person, candidate = conversation.profile.person, conversation.candidate
    client.force_login(person)
    accept = reverse("resource_people:accept", kwargs={"public_id": conversation.public_id})
    past = client.post(accept, accept_post(timezone.localdate() - timedelta(days=1)))
    assert past.status_code == 400 and "Ce jour est passé" in past.text
    assert "https://visio.exemple.fr/helene" in past.text  # the input is kept
    day = timezone.localdate() + timedelta(days=3)
    assert client.post(accept, accept_post(day)).status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.ACCEPTED
    [slots_email] = OutboundEmail.objects.filter(kind="resource_conversation_slots")
    assert slots_email.recipient == candidate.email
    client.force_login(candidate)
    page = client.get(page_of(conversation)).text
    assert "Confirmer ce créneau" in page and "visio.exemple.fr" not in page
    slot = conversation.slots.get()
    pick = reverse("resource_people:pick", kwargs={"public_id": conversation.public_id})
    client.post(pick, {"slot": slot.pk})
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.CONFIRMED
    assert conversation.slot_at == slot.starts_at
    page = client.get(page_of(conversation)).text
    assert "Rendez-vous le" in page and "https://visio.exemple.fr/helene" in page
    confirmed = OutboundEmail.objects.filter(kind="resource_conversation_confirmed")
    assert {email.recipient for email in confirmed} == {person.email, candidate.email}
    for email in OutboundEmail.objects.all():
        assert "visio.exemple.fr" not in email.text_body + email.html_body


def test_declining_kindly(client):
    conversation = make_conversation()
    client.force_login(conversation.profile.person)
    decline = reverse("resource_people:decline", kwargs={"public_id": conversation.public_id})
    missing = client.post(decline, {"decliner-word": "Bon courage !"})
    assert missing.status_code == 400 and "Choisissez une raison" in missing.text
    client.post(decline, {"decliner-reason": "pas_disponible", "decliner-word": "Bon courage !"})
    conversation.refresh_from_db()
    assert conversation.is_declined
    [email] = OutboundEmail.objects.filter(kind="resource_conversation_declined")
    assert email.recipient == conversation.candidate.email
    assert "Bon courage !" in email.text_body and "pas un jugement" in email.text_body


def test_either_side_cancels_and_the_other_is_told(client):
    conversation = with_slots(make_conversation())
    client.force_login(conversation.candidate)
    client.post(reverse("resource_people:cancel", kwargs={"public_id": conversation.public_id}))
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.CANCELLED
    [email] = OutboundEmail.objects.filter(kind="resource_conversation_cancelled")
    assert email.recipient == conversation.profile.person.email


def test_reminders_then_expiry():
    asked = make_conversation()
    Conversation.objects.filter(pk=asked.pk).update(
        asked_at=timezone.now() - timedelta(days=rules.REMINDER_DAYS[0])
    )
    report = services.send_reminders(actor=TASK)
    assert report.reminders_3 == 1
    assert services.send_reminders(actor=TASK).reminders_3 == 0  # once
    Conversation.objects.filter(pk=asked.pk).update(
        asked_at=timezone.now() - timedelta(days=rules.EXPIRY_DAYS)
    )
    assert services.send_reminders(actor=TASK).expired == 1
    asked.refresh_from_db()
    assert asked.status == ConversationStatus.EXPIRED
    assert OutboundEmail.objects.filter(kind="resource_conversation_expired").count() == 1
    assert OutboundEmail.objects.filter(kind="resource_conversation_reminder").count() == 1


def test_accepted_slots_all_past_expire():
    conversation = with_slots(make_conversation(), 1)
    services.send_reminders(actor=TASK, now=timezone.now() + timedelta(days=3))
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.EXPIRED


def test_the_guide_links_the_next_steps(client):
    page = client.get(reverse("resource_people:guide")).text
    assert "questions à poser" in page.lower() or "Les questions à poser" in page
    assert reverse("orientation:questions") in page and reverse("directory:search") in page


def test_the_admin_lists_show_initials_only(client):
    conversation = make_conversation()
    client.force_login(UserFactory(superuser=True))
    profiles = client.get("/gestion/resource_people/resourceprofile/").text
    assert "H. R." in profiles and "Roux" not in profiles
    conversations = client.get("/gestion/resource_people/conversation/").text
    assert "S. H. → H. R." in conversations and "Haddad" not in conversations
    assert conversation.pk
