"""The signatory's page (``/conventions/signer/?jeton=…``) through the Django test client:
opening never signs, every refusal is said where it belongs, a replay changes nothing, and
a dead link (expired, tampered, for an older version) is a French page offering a new
one (issue 10, « Bad input »)."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse

from immersio.accounts.models import OneTimeCode
from immersio.conventions import lifecycle
from immersio.conventions.links import token_for
from immersio.conventions.models import ConventionEvent, SensitiveAccess, Signature
from immersio.conventions.transitions import Action, Role, Status
from immersio.notifications.models import OutboundEmail, OutboundSms
from tests.conventions.lifecycle_helpers import last_code_for, sent_convention

pytestmark = pytest.mark.django_db

BENEFICIARY_BIRTH = "14/06/1995"  # builders.valid_convention
EMERGENCY_CONTACT = "Dominique Durand"
EVERY_CONTACT = (
    "camille@exemple.fr",
    "0600000000",
    "direction@exemple.com",
    "tuteur@exemple.com",
    "claude@agence.fr",
)


def link(signatory, version=None) -> str:
    version = signatory.convention.version if version is None else version
    return reverse("conventions:sign") + f"?jeton={token_for(str(signatory.public_id), version)}"


def error_of(page: str, field: str) -> str:
    """The text of the error shown under ``field`` (forms/field_errors.html)."""
    match = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</div>', page, re.S)
    assert match is not None, f"aucune erreur sous le champ {field}"
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1)))


def codes_sent() -> int:
    return (
        OutboundEmail.objects.filter(kind="convention_signature_code").count()
        + OutboundSms.objects.filter(kind="convention_signature_code").count()
    )


def ask_code(client, signatory) -> str:
    response = client.post(link(signatory), {"action": "code-email"})
    assert response.status_code == 302
    return last_code_for(signatory)


def sign_events(convention) -> int:
    return ConventionEvent.objects.filter(convention=convention, action=Action.SIGN.value).count()


# --- opening --------------------------------------------------------------------------------


def test_opening_the_link_again_and_again_signs_nothing_and_sends_no_code(client):
    """Mail scanners open links, sometimes several times, sometimes with HEAD."""
    sent = sent_convention()
    host = sent.signatory(Role.HOST_REPRESENTATIVE)

    for _ in range(5):
        response = client.get(link(host), HTTP_USER_AGENT="SafeLinks scanner")
        assert response.status_code == 200
        assert "Je signe" in response.text
    assert client.head(link(host)).status_code < 500

    assert Signature.objects.count() == 0
    assert codes_sent() == 0
    assert OneTimeCode.objects.count() == 0
    assert sign_events(sent.convention) == 0
    assert sent.refresh().status == Status.TO_SIGN


def test_the_page_keeps_its_link_on_the_site_and_its_forms_postable(client):
    """The site's « same-origin » referrer policy: the token in the address never leaves
    for another site, and the browser still sends the page's origin with its forms. A
    « no-referrer » policy makes browsers send « Origin: null », which the CSRF protection
    refuses: nobody could ask for a code nor sign (found by the browser journey)."""
    sent = sent_convention()

    response = client.get(link(sent.signatory(Role.HOST_REPRESENTATIVE)))

    assert response["Referrer-Policy"] == "same-origin"
    assert not re.search(r'<meta[^>]+name="referrer"', response.text)


def duplicate_ids(page: str) -> list[str]:
    ids = re.findall(r'\sid="([^"]+)"', page)
    return sorted({i for i in ids if ids.count(i) > 1})


def test_the_page_has_no_duplicate_id(client):
    """An ``aria-labelledby`` pointing at a duplicated id names its section after the
    wrong element (the page's ``<main id="contenu">`` once did)."""
    sent = sent_convention()

    page = client.get(link(sent.signatory(Role.HOST_REPRESENTATIVE))).text

    assert duplicate_ids(page) == []


def test_the_code_is_sent_only_on_request_to_the_signatory_s_own_address(client):
    sent = sent_convention()
    host = sent.signatory(Role.HOST_REPRESENTATIVE)

    response = client.post(link(host), {"action": "code-email"}, follow=True)

    assert "Code envoyé à" in response.text
    [email] = OutboundEmail.objects.filter(kind="convention_signature_code")
    assert email.recipient == "direction@exemple.com"
    assert Signature.objects.count() == 0


# --- « Je signe » ---------------------------------------------------------------------------


def test_without_the_box_nothing_is_signed_and_the_box_says_why(client):
    sent = sent_convention()
    host = sent.signatory(Role.HOST_REPRESENTATIVE)
    code = ask_code(client, host)

    response = client.post(link(host), {"action": "signer", "code": code})

    assert response.status_code == 400
    assert "Cochez la case" in error_of(response.text, "confirm")
    assert Signature.objects.count() == 0
    assert sign_events(sent.convention) == 0
    # The code was not spent: ticking the box now signs.
    client.post(link(host), {"action": "signer", "code": code, "confirm": "on"})
    assert Signature.objects.filter(signatory=host).count() == 1


def test_a_wrong_code_is_said_next_to_the_field_with_the_attempts_left(client):
    sent = sent_convention()
    host = sent.signatory(Role.HOST_REPRESENTATIVE)
    code = ask_code(client, host)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    response = client.post(link(host), {"action": "signer", "code": wrong, "confirm": "on"})

    assert response.status_code == 400
    message = error_of(response.text, "code")
    assert "n'est pas le bon" in message
    assert "4 essais" in message
    assert Signature.objects.count() == 0
    response = client.post(link(host), {"action": "signer", "code": wrong, "confirm": "on"})
    assert "3 essais" in error_of(response.text, "code")


def test_a_replayed_signature_changes_nothing(client):
    """A double click, or the browser sending the form again."""
    sent = sent_convention()
    host = sent.signatory(Role.HOST_REPRESENTATIVE)
    code = ask_code(client, host)
    data = {"action": "signer", "code": code, "confirm": "on"}

    first = client.post(link(host), data)
    status_after_first = sent.refresh().status
    second = client.post(link(host), data, follow=True)

    assert first.status_code == 302
    assert second.status_code == 200
    assert "déjà signé" in second.text
    assert Signature.objects.filter(signatory=host).count() == 1
    assert sign_events(sent.convention) == 1
    assert sent.refresh().status == status_after_first == Status.PARTIALLY_SIGNED


def test_signing_a_refused_convention_is_refused_with_a_message(client):
    sent = sent_convention()
    host = sent.signatory(Role.HOST_REPRESENTATIVE)
    code = ask_code(client, host)
    lifecycle.decide(
        convention=sent.convention,
        action=Action.REFUSE,
        reason="Le métier ne correspond pas au projet.",
        actor=sent.validator,
    )

    page = client.get(link(host))
    response = client.post(
        link(host), {"action": "signer", "code": code, "confirm": "on"}, follow=True
    )

    assert "Je signe" not in page.text
    assert "Le métier ne correspond pas au projet." in page.text
    assert response.status_code < 500
    assert Signature.objects.count() == 0


# --- dead links -----------------------------------------------------------------------------


def test_an_expired_link_offers_a_new_one_sent_to_the_signatory_whoever_asks(client, time_machine):
    sent = sent_convention()
    host = sent.signatory(Role.HOST_REPRESENTATIVE)
    old = link(host)
    time_machine.move_to(timedelta(days=32))

    response = client.get(old)

    assert response.status_code == 410
    assert "Ce lien a expiré" in response.text
    assert "Recevoir un nouveau lien" in response.text
    for contact in EVERY_CONTACT:
        assert contact not in response.text
    # Whoever asks (another browser, no session): the link goes to the signatory's own
    # address, and the page does not say which one.
    OutboundEmail.objects.all().delete()
    stranger = client.__class__()
    renewed = stranger.post(old, {"action": "nouveau-lien"})
    assert renewed.status_code == 200
    assert "Nouveau lien demandé" in renewed.text
    assert "direction@exemple.com" not in renewed.text
    [email] = OutboundEmail.objects.all()
    assert email.recipient == "direction@exemple.com"
    assert email.kind == "convention_signature_request"
    assert Signature.objects.count() == 0


def test_a_tampered_link_is_a_french_404(client):
    sent = sent_convention()
    good = link(sent.signatory(Role.HOST_REPRESENTATIVE))
    tampered = good[:-3] + ("aaa" if not good.endswith("aaa") else "bbb")

    for url in (tampered, reverse("conventions:sign"), reverse("conventions:sign") + "?jeton=x"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Ce lien n'est plus valable" in response.text
        assert "Ouvrez le lien exactement" in response.text
        assert "Traceback" not in response.text
    assert client.post(tampered, {"action": "signer", "code": "123456"}).status_code == 404
    assert Signature.objects.count() == 0


def test_a_link_to_an_older_version_offers_a_new_link(client):
    sent = sent_convention()
    host = sent.signatory(Role.HOST_REPRESENTATIVE)
    old = link(host)
    lifecycle.correct(
        convention=sent.convention,
        data={"tutor_email": "sam.petit@exemple.com"},
        reason="Adresse du tuteur mal écrite.",
        actor=sent.counsellor,
    )
    OutboundEmail.objects.all().delete()

    response = client.get(old)
    posted = client.post(old, {"action": "signer", "code": "123456", "confirm": "on"})

    assert response.status_code == 410
    assert "La convention a changé depuis ce lien" in response.text
    assert "Recevoir un nouveau lien" in response.text
    assert posted.status_code == 410
    assert Signature.objects.count() == 0
    client.post(old, {"action": "nouveau-lien"})
    [email] = OutboundEmail.objects.all()
    assert email.recipient == "direction@exemple.com"
    assert client.get(link(host, sent.refresh().version)).status_code == 200  # the new one opens


# --- what each signatory sees ---------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.BENEFICIARY, Role.HOST_REPRESENTATIVE])
def test_every_signatory_s_link_shows_the_sensitive_details_and_logs_nothing(client, role):
    """The parties sign a convention holding them (issue 11, item 5): each signatory's link
    shows them; only the agency's and the team's openings are logged."""
    sent = sent_convention()

    page = client.get(link(sent.signatory(role))).text

    assert BENEFICIARY_BIRTH in page
    assert EMERGENCY_CONTACT in page
    assert "Information réservée aux signataires" not in page
    assert not SensitiveAccess.objects.exists()


def test_the_page_says_who_signed_but_not_how_their_code_reached_them(client):
    """The evidence (IP address, browser, where the code went) is the agency's, not the
    other signatories'."""
    sent = sent_convention()
    beneficiary = sent.signatory(Role.BENEFICIARY)
    code = ask_code(client, beneficiary)
    client.post(
        link(beneficiary),
        {"action": "signer", "code": code, "confirm": "on"},
        REMOTE_ADDR="203.0.113.77",
        HTTP_USER_AGENT="NavigateurSecret/1.0",
    )
    assert Signature.objects.filter(signatory=beneficiary).exists()

    host_page = client.get(link(sent.signatory(Role.HOST_REPRESENTATIVE))).text

    assert "Signée le" in host_page
    assert "203.0.113.77" not in host_page
    assert "NavigateurSecret" not in host_page
    assert code not in host_page


def test_signing_a_cancelled_convention_says_so_and_leaves_the_code_alone(client):
    """A refusal under the convention's lock (here: it was cancelled after the code was
    sent) is said on the page; nothing is written and the code stays usable."""
    sent = sent_convention()
    host = sent.signatory(Role.HOST_REPRESENTATIVE)
    code = ask_code(client, host)
    convention = sent.refresh()
    lifecycle.decide(
        convention=convention,
        action=Action.CANCEL,
        reason="Le bénéficiaire a trouvé un emploi.",
        actor=sent.validator,
        version=convention.version,
        status=convention.status,
    )

    response = client.post(
        link(host), {"action": "signer", "code": code, "confirm": "on"}, follow=True
    )

    assert response.status_code == 200
    assert "annul" in response.text
    assert not Signature.objects.filter(signatory=host).exists()
    assert OneTimeCode.objects.filter(used_at__isnull=True, revoked_at__isnull=True).exists()
    assert sent.refresh().status == Status.CANCELLED
