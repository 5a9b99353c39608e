import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from immersio.conventions import lifecycle, rules, services
from immersio.conventions.models import Convention, Status
from immersio.core.actors import COMMAND
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.conventions.builders import next_free_week, valid_convention
from tests.fixtures.contacts import ContactRequestFactory
from tests.structures.factories import MARAICHER, HostStructureFactory, maraicher

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return UserFactory()


@pytest.fixture
def client(client, author):
    """Every page of the form needs an account (a verified address)."""
    client.force_login(author)
    return client


def url(convention, step):
    return reverse("conventions:step", kwargs={"token": convention.share_token, "step": step})


def beneficiary_post(**changes):
    data = {
        "beneficiary_first_name": "Camille",
        "beneficiary_last_name": "Durand",
        "beneficiary_birth_date": "1995-06-14",
        "beneficiary_email": "camille@exemple.fr",
        "beneficiary_phone": "",
        "beneficiary_address": "",
        "beneficiary_situation": "demandeur",
        "emergency_contact_name": "Dominique Durand",
        "emergency_contact_phone": "0611111111",
        "help_needed": "",
        "contract_kind": "",
        "action": "suivant",
    }
    data.update(changes)
    return data


def schedule_post(start, **changes):
    """Monday to Friday, 08:00–12:00 and 13:00–16:00, typed day by day."""
    data = {
        "date_start": start.isoformat(),
        "date_end": (start + timedelta(days=4)).isoformat(),
        "mode": "detail",
        "exception_rows": "1",
        "action": "suivant",
    }
    for day in range(5):
        data |= {
            f"d{day}_s1_start": "08:00",
            f"d{day}_s1_end": "12:00",
            f"d{day}_s2_start": "13:00",
            f"d{day}_s2_end": "16:00",
        }
    data.update(changes)
    return data


def test_start_page_then_draft(client):
    response = client.get(reverse("conventions:new"))
    assert response.status_code == 200
    response = client.post(reverse("conventions:new"))
    convention = Convention.objects.get()
    assert response.url == url(convention, "beneficiaire")
    assert client.get(response.url).status_code == 200


def test_prefill_from_an_accepted_request_needs_access(client):
    request = ContactRequestFactory(answered=True)
    response = client.get(reverse("conventions:new"), {"demande": str(request.public_id)})
    assert response.status_code == 404
    client.force_login(request.candidate)
    response = client.post(reverse("conventions:new"), {"demande": str(request.public_id)})
    convention = Convention.objects.get()
    assert convention.contact_request == request
    page = client.get(response.url).content.decode()
    assert 'value="Camille"' in page


def test_prefill_from_a_structure(client):
    structure = HostStructureFactory(with_site=True)
    client.post(reverse("conventions:new"), {"structure": str(structure.public_id)})
    convention = Convention.objects.get()
    page = client.get(url(convention, "structure")).content.decode()
    assert structure.siret in page


def test_each_step_saves_and_the_convention_is_sent(client, author):
    structure = HostStructureFactory(with_site=True)
    agency = AgencyFactory()
    convention = services.start_draft(actor=author, structure=structure)
    response = client.post(url(convention, "beneficiaire"), beneficiary_post())
    assert response.url == url(convention, "structure")
    response = client.post(
        url(convention, "structure"),
        {
            "host_siret": structure.siret,
            "host_name": structure.name,
            "host_rep_name": "Alex Martin",
            "host_rep_email": "direction@exemple.com",
            "tutor_name": "Sam Petit",
            "tutor_email": "tuteur@exemple.com",
            "replaces_no_job": "on",
            "action": "suivant",
        },
    )
    assert response.url == url(convention, "immersion")
    response = client.post(
        url(convention, "immersion"),
        {
            "object": "discover",
            "objectives": "Découvrir le métier ; bilan avec le tuteur.",
            "appellation_text": "Maraîcher / Maraîchère",
            "tasks": "Récoltes.",
            "place_address": "1 rue des Jardins",
            "place_commune_text": "69001 Lyon",
            "action": "suivant",
        },
    )
    assert response.url == url(convention, "horaires")
    response = client.post(url(convention, "horaires"), schedule_post(next_free_week()))
    assert response.url == url(convention, "prescripteur")
    page = client.get(url(convention, "prescripteur")).content.decode()
    assert agency.name in page
    assert "35 h" in client.get(url(convention, "horaires")).content.decode()
    response = client.post(
        url(convention, "prescripteur"),
        {"agency": str(agency.public_id), "counsellor_name": "Claude Bernard", "action": "suivant"},
    )
    assert response.url == url(convention, "recapitulatif")
    page = client.get(response.url).content.decode()
    assert "Envoyer la demande" in page
    response = client.post(url(convention, "recapitulatif"), {"action": "envoyer"})
    assert response.url == reverse("conventions:sent", kwargs={"token": convention.share_token})
    convention.refresh_from_db()
    assert convention.status == Status.TO_SIGN
    assert convention.appellation.label == "Maraîcher / Maraîchère"
    assert convention.place_commune.name == "Lyon"
    assert convention.total_minutes == 35 * 60
    # A sent convention is no longer editable through the link.
    assert client.get(url(convention, "beneficiaire")).url.endswith("/envoyee/")


@pytest.mark.parametrize(
    ("step", "data", "field", "message"),
    [
        (
            "beneficiaire",
            beneficiary_post(beneficiary_birth_date="2026-02-31"),
            "beneficiary_birth_date",
            "Date invalide",
        ),
        (
            "beneficiaire",
            beneficiary_post(beneficiary_birth_date="2099-01-01"),
            "beneficiary_birth_date",
            "dans le futur",
        ),
        (
            "beneficiaire",
            beneficiary_post(help_needed="x" * 10_000),
            "help_needed",
            "2000 caractères au maximum, le texte en compte 10000",
        ),
        ("structure", {"host_siret": "123", "action": "suivant"}, "host_siret", "14 chiffres"),
        ("horaires", None, "d0_s1_start", "Heure invalide"),
    ],
)
def test_impossible_values_get_a_french_message_and_keep_the_data(
    client, step, data, field, message, author
):
    convention = services.start_draft(actor=author)
    if data is None:
        data = schedule_post(next_free_week(), d0_s1_start="25:00")
    response = client.post(url(convention, step), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert "Le formulaire contient" in page
    if step == "beneficiaire":
        assert 'value="Camille"' in page  # what was typed is kept
    assert Convention.objects.get().beneficiary_first_name == ""


def test_rule_messages_are_shown_next_to_their_fields(client, author):
    convention = valid_convention(
        created_by=author, beneficiary_birth_date=timezone.localdate() - timedelta(days=17 * 365)
    )
    page = client.get(url(convention, "beneficiaire")).content.decode()
    assert 'id="id_legal_rep_email_rules"' in page
    assert 'data-rule="legal_representative_required"' in page
    assert "Le formulaire contient une erreur" in page
    recap = client.get(url(convention, "recapitulatif")).content.decode()
    assert "Envoyer la demande" not in recap
    assert "legal_representative_required" in recap
    response = client.post(url(convention, "recapitulatif"), {"action": "envoyer"})
    assert response.status_code == 200
    assert Convention.objects.get().status == Status.DRAFT


def test_saving_a_step_with_a_rule_error_stays_on_it(client, author):
    convention = valid_convention(created_by=author)
    start = next_free_week()
    response = client.post(
        url(convention, "horaires"), schedule_post(start, d0_s1_start="06:00", d0_s2_end="19:00")
    )
    assert response.url == url(convention, "horaires")
    page = client.get(response.url).content.decode()
    assert 'data-rule="day_too_long"' in page
    # Issue 8 item 31: never « Brouillon enregistré » beside an error summary.
    assert "Le formulaire contient" in page
    assert "Brouillon enregistré" not in page
    response = client.post(url(convention, "horaires"), schedule_post(start, action="enregistrer"))
    assert "Brouillon enregistré" in client.get(response.url).content.decode()


def test_warnings_are_shown_in_their_own_style(client, author):
    convention = valid_convention(created_by=author)
    # The same beneficiary already came to this structure: the duplicate is a warning.
    lifecycle.submit(
        convention=valid_convention(
            created_by=author,
            structure=convention.structure,
            object="confirm",
            objectives="Confirmer le projet ; bilan écrit.",
        ),
        actor=author,
    )
    violations = services.violations(convention)
    warnings = [v for v in violations if v.severity == rules.WARNING]
    assert warnings and rules.is_valid(violations)
    page = client.get(url(convention, "recapitulatif")).content.decode()
    assert "À vérifier :" in page
    assert "Envoyer la demande" in page


def test_the_draft_expires(client, author):
    convention = valid_convention(created_by=author)
    page = client.get(url(convention, "beneficiaire")).content.decode()
    assert convention.share_token in page
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        client.force_login(author)
        response = client.get(url(convention, "beneficiaire"))
    assert response.status_code == 410
    assert "expiré" in response.content.decode()
    bad = reverse("conventions:step", kwargs={"token": "inconnu", "step": "beneficiaire"})
    assert client.get(bad).status_code == 404


def test_agencies_filter_by_kind(client, author):
    convention = valid_convention(created_by=author)
    ml = AgencyFactory(kind="mission-locale", name="Mission locale de Lyon")
    page = client.get(url(convention, "prescripteur"), {"type": "mission-locale"}).content.decode()
    assert ml.name in page
    assert "France Travail agence" not in page.replace(convention.agency.name, "")


def _api_payload(convention) -> dict:
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return {
        "submitted_on": timezone.localdate().isoformat(),
        "date_start": convention.date_start.isoformat(),
        "date_end": convention.date_end.isoformat(),
        "object": convention.object,
        "objectives": convention.objectives,
        "beneficiary": {
            "birth_date": convention.beneficiary_birth_date.isoformat(),
            "email": convention.beneficiary_email,
        },
        "host_representative": {"email": convention.host_rep_email},
        "tutor": {"email": convention.tutor_email},
        "schedule": {
            "weekly_pattern": [
                {"weekday": names[int(day)], "slots": [{"start": a, "end": b} for a, b in slots]}
                for day, slots in convention.weekly_pattern.items()
            ],
            "exceptions": [
                {"date": day, "slots": [{"start": a, "end": b} for a, b in slots]}
                for day, slots in convention.schedule_exceptions.items()
            ],
        },
    }


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {
            "weekly_pattern": {
                "0": [["06:00", "12:00"], ["13:00", "19:00"]],
                "5": [["08:00", "20:00"]],
            }
        },
        {"beneficiary_birth_date": None},
        {"tutor_email": "camille@exemple.fr"},
        {"schedule_exceptions": {"2020-01-01": [["08:00", "09:00"]]}},
    ],
)
def test_form_and_api_report_the_same_violations(client, changes, author):
    birth = changes.pop("beneficiary_birth_date", "adult")
    convention = valid_convention(created_by=author, **changes)
    if birth is None:
        convention.beneficiary_birth_date = timezone.localdate() - timedelta(days=15 * 365)
        convention.save()
    response = client.post(
        "/api/v1/conventions/check",
        json.dumps(_api_payload(convention)),
        content_type="application/json",
    )
    assert response.status_code == 200
    from_api = [
        (v["field"], v["code"], v["severity"], v["message"]) for v in response.json()["violations"]
    ]
    from_form = [(v.field, v.code, v.severity, v.message) for v in services.violations(convention)]
    assert from_api == from_form
    page = client.get(url(convention, "recapitulatif")).content.decode()
    for _, code, _, _ in from_form:
        assert f'data-rule="{code}"' in page
    assert len(re.findall(r'data-rule="(?!required)', page)) >= len(from_form)


def test_required_fields_get_their_message(client, author):
    convention = services.start_draft(actor=author)
    response = client.post(url(convention, "structure"), {"action": "suivant"})
    page = response.content.decode()
    assert "Indiquez le SIRET de la structure d&#x27;accueil." in page
    assert 'id="id_replaces_no_job_error"' in page


def test_a_minor_needs_a_legal_representative(client, author):
    birth = timezone.localdate() - timedelta(days=17 * 365)
    convention = valid_convention(created_by=author, beneficiary_birth_date=birth)
    assert "Envoyer la demande" not in client.get(url(convention, "recapitulatif")).content.decode()
    response = client.post(
        url(convention, "beneficiaire"),
        beneficiary_post(
            beneficiary_birth_date=birth.isoformat(),
            legal_rep_first_name="Dominique",
            legal_rep_last_name="Durand",
            legal_rep_email="parent@exemple.net",
            legal_rep_relationship="Mère",
        ),
    )
    assert response.url == url(convention, "structure")
    response = client.post(url(convention, "recapitulatif"), {"action": "envoyer"})
    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.status == Status.TO_SIGN
    assert convention.legal_rep_email == "parent@exemple.net"


def test_an_employee_needs_the_employer_signatory(client, author):
    convention = valid_convention(created_by=author)
    start = convention.date_start
    data = beneficiary_post(
        is_employee="on",
        employer_name="Chantier d'insertion",
        contract_kind="siae",
        contract_start=(start - timedelta(days=200)).isoformat(),
        contract_end=(start + timedelta(days=200)).isoformat(),
    )
    response = client.post(url(convention, "beneficiaire"), data)
    assert response.url == url(convention, "beneficiaire")  # a rule error: stays on the step
    page = client.get(response.url).content.decode()
    assert 'id="id_employer_rep_email_rules"' in page
    data["employer_rep_name"] = "Lou Garnier"
    data["employer_rep_email"] = "rh@chantier.fr"
    response = client.post(url(convention, "beneficiaire"), data)
    assert response.url == url(convention, "structure")
    client.post(url(convention, "recapitulatif"), {"action": "envoyer"})
    convention.refresh_from_db()
    assert convention.status == Status.TO_SIGN
    data = services.to_rule_data(convention)
    assert data.insertion_contract.kind == rules.ContractKind.SIAE
    assert data.signatories.current_employer == "rh@chantier.fr"


# --- Issue 8 item 19: personal data only for parties with a verified address ----------------

PERSONAL = ("Durand", "14/06/1995", "1995-06-14")


@pytest.mark.parametrize("step", ["beneficiaire", "structure", "horaires", "recapitulatif"])
def test_anonymous_visitors_cannot_read_a_draft(step, author):
    from django.test import Client

    convention = valid_convention(created_by=author)
    response = Client().get(url(convention, step))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    response = Client().post(url(convention, step), beneficiary_post(beneficiary_last_name="X"))
    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.beneficiary_last_name == "Durand"


def test_a_shared_link_alone_opens_nothing(author):
    from django.test import Client

    convention = valid_convention(created_by=author, beneficiary_rqth=True)
    stranger = Client()
    stranger.force_login(UserFactory())
    for step in ("beneficiaire", "recapitulatif"):
        response = stranger.get(url(convention, step))
        assert response.status_code == 403
        page = response.content.decode()
        assert not any(value in page for value in PERSONAL)
    response = stranger.post(url(convention, "beneficiaire"), beneficiary_post())
    assert response.status_code == 403
    sent = reverse("conventions:sent", kwargs={"token": convention.share_token})
    assert stranger.get(sent).status_code == 403


def test_anonymous_visitors_cannot_create_drafts():
    from django.test import Client

    response = Client().post(reverse("conventions:new"))
    assert response.status_code == 302
    assert Convention.objects.count() == 0


def test_the_invited_person_gets_access_once_their_address_is_proven(client, author):
    from django.test import Client

    from immersio.notifications.models import OutboundEmail

    convention = valid_convention(created_by=author)
    response = client.post(
        reverse("conventions:invite", kwargs={"token": convention.share_token}),
        {"email": "Tutrice@Exemple.com", "etape": "structure"},
    )
    assert response.url == url(convention, "structure")
    email = OutboundEmail.objects.get(recipient="tutrice@exemple.com")
    link = re.search(r"http://\S+/conventions/invitation/\?jeton=\S+", email.text_body).group(0)
    path = link.split("testserver", 1)[-1] if "testserver" in link else link.split("/", 3)[3]
    path = "/" + path.lstrip("/")
    invited = Client()
    # The confirmation page (e-mail scanners open links): no access yet.
    assert invited.get(path).status_code == 200
    assert invited.get(url(convention, "beneficiaire")).status_code == 302
    response = invited.post(path.split("?")[0], {"jeton": path.split("jeton=")[1]})
    assert response.url == url(convention, "beneficiaire")
    page = invited.get(response.url).content.decode()
    assert 'value="Durand"' in page
    assert convention.participants.get().email == "tutrice@exemple.com"
    # A forwarded link does not open a second session.
    forwarded = Client()
    response = forwarded.post(path.split("?")[0], {"jeton": path.split("jeton=")[1]})
    assert response.url.startswith(reverse("accounts:login"))
    assert forwarded.get(url(convention, "beneficiaire")).status_code == 302


def test_a_forged_invitation_link_is_refused(client):
    response = client.post(reverse("conventions:invitation"), {"jeton": "faux"})
    assert response.status_code == 410


def test_draft_creation_is_rate_limited_per_user_and_per_ip(client, settings):
    settings.RATE_LIMITS = settings.RATE_LIMITS | {
        "convention_draft_per_user": (2, 3600),
        "convention_draft_per_ip": (100, 3600),
    }
    for _ in range(2):
        assert client.post(reverse("conventions:new")).status_code == 302
    response = client.post(reverse("conventions:new"))
    assert response.status_code == 429
    assert "réessayez demain" in response.content.decode()
    assert Convention.objects.count() == 2
    settings.RATE_LIMITS = settings.RATE_LIMITS | {
        "convention_draft_per_user": (100, 3600),
        "convention_draft_per_ip": (4, 3600),
    }
    from django.test import Client

    other = Client()
    other.force_login(UserFactory())
    assert other.post(reverse("conventions:new")).status_code == 302
    assert other.post(reverse("conventions:new")).status_code == 429  # same IP: 5th attempt


# --- Issue 8 item 20: another person's convention is never revealed ---------------------------


def test_the_duplicate_warning_never_shows_another_persons_convention(client, author):
    structure = HostStructureFactory(with_site=True)
    owner = UserFactory()
    theirs = lifecycle.submit(
        convention=valid_convention(created_by=owner, structure=structure), actor=owner
    )
    # Someone else types the same person, structure and métier.
    mine = valid_convention(
        created_by=author,
        structure=structure,
        object="confirm",
        objectives="Confirmer le projet ; bilan écrit.",
    )
    assert any(v.code == "possible_duplicate" for v in services.violations(mine))
    for step in ("horaires", "structure", "recapitulatif"):
        page = client.get(url(mine, step)).content.decode()
        assert theirs.reference not in page
        assert "possible_duplicate" not in page
    # The owner of both sees the warning; so does the prescriber, in its review.
    mine.created_by = owner
    mine.save()
    from django.test import Client

    owner_client = Client()
    owner_client.force_login(owner)
    assert theirs.reference in owner_client.get(url(mine, "recapitulatif")).content.decode()
    lifecycle.submit(convention=mine, actor=COMMAND)
    validator = UserFactory()
    mine.agency.memberships.create(user=validator, role="valideur", is_active=True)
    prescriber = Client()
    prescriber.force_login(validator)
    page = prescriber.get(reverse("conventions:mine")).content.decode()
    assert 'data-rule="possible_duplicate"' in page
    assert theirs.reference in page


# --- Issue 8 item 1: « Préparer une convention » from a structure's space, every role ---------


@pytest.mark.parametrize("role", ["admin", "contact", "agency", "candidate", "staff"])
@pytest.mark.parametrize("published", [True, False])
def test_prepare_from_a_structure_for_every_role(role, published):
    from django.test import Client

    user = UserFactory(is_staff=role == "staff")
    structure = HostStructureFactory(with_site=True)
    if not published:
        structure.status = structure.Status.SUSPENDED
        structure.save()
    if role in ("admin", "contact"):
        structure.memberships.create(user=user, role=role, is_active=True)
    if role == "agency":
        AgencyFactory().memberships.create(user=user, role="conseiller", is_active=True)
    visitor = Client()
    visitor.force_login(user)
    start = reverse("conventions:new") + f"?structure={structure.public_id}"
    response = visitor.get(start)
    if not published and role in ("agency", "candidate"):
        assert response.status_code == 404  # an unpublished structure, not theirs
        return
    assert response.status_code == 200
    assert escape(structure.display_name) in response.content.decode()
    response = visitor.post(reverse("conventions:new"), {"structure": str(structure.public_id)})
    convention = Convention.objects.get()
    assert response.url == url(convention, "beneficiaire")
    assert convention.structure == structure
    assert visitor.get(url(convention, "structure")).status_code == 200


def test_scoped_querysets_combine_with_any_queryset():
    """The class of item 1: ``visible_to`` must combine with ``|`` and ``&`` for an
    ordinary (non-staff) member, as it does for staff."""
    from django.apps import apps

    user = UserFactory()
    structure = HostStructureFactory()
    structure.memberships.create(user=user, role="admin", is_active=True)
    AgencyFactory().memberships.create(user=user, role="conseiller", is_active=True)
    checked = []
    for model in apps.get_models():
        manager = model._default_manager
        if not hasattr(manager, "visible_to"):
            continue
        scoped = manager.visible_to(user)
        list(manager.all() | scoped)
        list(scoped | manager.all())
        list(manager.all() & scoped)
        checked.append(model.__name__)
    assert {"HostStructure", "Agency", "Convention", "ContactRequest"} <= set(checked)


# --- Issue 8 item 7: one draft per request, « Mes conventions » for every party --------------


def test_preparing_the_convention_twice_reuses_the_draft():
    from django.test import Client

    request = ContactRequestFactory(answered=True)
    host = UserFactory()
    request.structure.memberships.create(user=host, role="admin", is_active=True)
    candidate, structure_side = Client(), Client()
    candidate.force_login(request.candidate)
    structure_side.force_login(host)
    urls = set()
    for visitor in (structure_side, structure_side, candidate, structure_side):
        response = visitor.post(reverse("conventions:new"), {"demande": str(request.public_id)})
        urls.add(response.url)
    convention = Convention.objects.get()
    assert urls == {url(convention, "beneficiaire")}
    page = structure_side.get(
        reverse("conventions:new") + f"?demande={request.public_id}"
    ).content.decode()
    assert "Reprendre la demande" in page
    # Sent, it is no longer reused: a new draft can be started (a renewal…).
    convention.status = Status.TO_SIGN
    convention.save()
    structure_side.post(reverse("conventions:new"), {"demande": str(request.public_id)})
    assert Convention.objects.count() == 2


def test_my_conventions_lists_them_for_the_candidate_the_structure_and_the_agency():
    from django.test import Client

    request = ContactRequestFactory(answered=True)
    host, counsellor, stranger = UserFactory(), UserFactory(), UserFactory()
    request.structure.memberships.create(user=host, role="admin", is_active=True)
    convention = services.start_draft(actor=host, from_request=request)
    agency = AgencyFactory()
    agency.memberships.create(user=counsellor, role="conseiller", is_active=True)
    convention.agency = agency
    convention.save()
    for user in (request.candidate, host, counsellor):
        visitor = Client()
        visitor.force_login(user)
        page = visitor.get(reverse("conventions:mine")).content.decode()
        assert convention.reference in page
        assert "Brouillon" in page
        assert url(convention, "beneficiaire") in page
        assert visitor.get(url(convention, "beneficiaire")).status_code == 200
    visitor = Client()
    visitor.force_login(stranger)
    assert convention.reference not in visitor.get(reverse("conventions:mine")).content.decode()
    assert Client().get(reverse("conventions:mine")).status_code == 302


def test_the_beneficiary_finds_a_sent_convention_by_her_address_never_a_draft_unsent():
    """A structure drafts it without any request or invitation: once sent, the person at
    the beneficiary's address (whatever its case) finds it in « Mes conventions », as
    « Mes données » counts it; before, the draft is the drafter's own."""
    from django.test import Client

    from immersio.conventions import lifecycle
    from immersio.core.actors import COMMAND
    from tests.conventions.builders import valid_convention

    camille = UserFactory(email="camille.martin@exemple.fr")
    convention = valid_convention(beneficiary_email="Camille.Martin@exemple.fr")
    visitor = Client()
    visitor.force_login(camille)
    assert convention.reference not in visitor.get(reverse("conventions:mine")).text

    lifecycle.submit(convention=convention, actor=COMMAND)
    convention.refresh_from_db()
    assert convention.reference.startswith("IMM-")
    assert convention.reference in visitor.get(reverse("conventions:mine")).text
    someone = Client()
    someone.force_login(UserFactory(email="camille.martin@autre.fr"))
    assert convention.reference not in someone.get(reverse("conventions:mine")).text


# --- Issue 8 item 8: the métier combobox, rules at their step, free navigation --------------


def immersion_post(**changes):
    data = {
        "object": "discover",
        "objectives": "Découvrir le métier ; bilan avec le tuteur.",
        "appellation_text": "maraicher",
        "appellation_code": "",
        "tasks": "Récoltes.",
        "place_address": "1 rue des Jardins",
        "place_commune_text": "",
        "action": "suivant",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("maraicher", ""),  # typed without accents, no JavaScript
        ("Maraîcher / Maraîchère", ""),
        ("mara", str(MARAICHER)),  # chosen in the suggestions: the code decides
    ],
)
def test_the_metier_is_found_like_in_the_search(client, author, text, code):
    maraicher()
    convention = services.start_draft(actor=author)
    response = client.post(
        url(convention, "immersion"), immersion_post(appellation_text=text, appellation_code=code)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    convention.refresh_from_db()
    assert convention.appellation.code == MARAICHER
    page = client.get(url(convention, "immersion")).content.decode()
    assert 'role="combobox"' in page
    assert 'hx-get="/referentiels/' in page or "appellation_suggestions" in page or "hx-get" in page
    assert f'value="{MARAICHER}"' in page


def test_an_unknown_metier_gets_suggestions_and_keeps_the_text(client, author):
    maraicher()
    convention = services.start_draft(actor=author)
    response = client.post(url(convention, "immersion"), immersion_post(appellation_text="zzzz"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_appellation_text-error"' in page
    assert 'value="zzzz"' in page


def test_age_rules_show_at_the_beneficiary_step_before_the_dates(client, author):
    convention = services.start_draft(actor=author)
    birth = timezone.localdate() - timedelta(days=17 * 365)
    response = client.post(
        url(convention, "beneficiaire"), beneficiary_post(beneficiary_birth_date=birth.isoformat())
    )
    assert response.url == url(convention, "beneficiaire")  # stays: a rule error here
    page = client.get(response.url).content.decode()
    assert 'data-rule="legal_representative_required"' in page
    too_young = timezone.localdate() - timedelta(days=13 * 365)
    client.post(
        url(convention, "beneficiaire"),
        beneficiary_post(beneficiary_birth_date=too_young.isoformat()),
    )
    page = client.get(url(convention, "beneficiaire")).content.decode()
    assert 'data-rule="beneficiary_too_young"' in page


def test_every_rule_field_is_shown_at_a_step_where_it_is_entered():
    from immersio.conventions.views.drafts import field_for

    for path in [*sorted(rules.FIELDS), "schedule.2026-03-09", "schedule.weeks.2026-W11"]:
        assert field_for(path)[0] != "recapitulatif", path


@pytest.mark.parametrize("action", ["retour", "aller:beneficiaire", "aller:horaires"])
def test_moving_between_steps_keeps_input_and_is_never_blocked(client, author, action):
    convention = services.start_draft(actor=author)
    data = {"host_siret": "123", "host_name": "Les Jardins", "tutor_name": "Sam", "action": action}
    response = client.post(url(convention, "structure"), data)
    target = "beneficiaire" if action == "retour" else action.split(":")[1]
    assert response.url == url(convention, target)
    assert client.get(response.url).status_code == 200
    # Back on the step: what was typed is there, with its errors.
    page = client.get(url(convention, "structure")).content.decode()
    assert 'value="Les Jardins"' in page
    assert 'value="123"' in page
    assert 'id="id_host_siret_error"' in page
    # Valid input is saved on the way.
    response = client.post(url(convention, "structure"), {"host_name": "Ferme", "action": action})
    convention.refresh_from_db()
    assert convention.host_name == "Ferme"
    assert 'value="123"' not in client.get(url(convention, "structure")).content.decode()


def test_the_list_of_steps_submits_the_current_step(client, author):
    convention = services.start_draft(actor=author)
    page = client.get(url(convention, "structure")).content.decode()
    assert 'form="formulaire-etape"' in page
    assert 'value="aller:horaires"' in page


# --- Issue 8 item 31: the schedule in a few fields, one error per rule, a full recap ---------


def test_the_same_hours_every_day_in_one_step(client, author):
    convention = valid_convention(created_by=author, weekly_pattern={})
    start = next_free_week()
    data = {
        "date_start": start.isoformat(),
        "date_end": (start + timedelta(days=4)).isoformat(),
        "mode": "memes",
        "same_s1_start": "08:00",
        "same_s1_end": "12:00",
        "same_s2_start": "13:00",
        "same_s2_end": "16:00",
        "days": ["0", "1", "2", "3", "4"],
        "exception_rows": "1",
        "action": "suivant",
    }
    response = client.post(url(convention, "horaires"), data)
    assert response.url == url(convention, "prescripteur")
    convention.refresh_from_db()
    assert convention.total_minutes == 35 * 60
    assert convention.weekly_pattern == {
        str(d): [["08:00", "12:00"], ["13:00", "16:00"]] for d in range(5)
    }
    page = client.get(url(convention, "horaires")).content.decode()
    assert re.search(r'<input[^>]*value="memes"[^>]*checked', page)
    assert 'name="same_s1_start"' in page and 'value="08:00"' in page


def test_days_that_differ_are_dates_and_times_not_a_syntax(client, author):
    convention = valid_convention(created_by=author)
    start = convention.date_start
    page = client.get(url(convention, "horaires")).content.decode()
    assert 'name="exceptions"' not in page
    assert 'name="x0_date"' in page and 'type="date"' in page
    data = schedule_post(
        start,
        x0_date=(start + timedelta(days=2)).isoformat(),
        x0_absent="on",
        action="ajouter-jour",
    )
    response = client.post(url(convention, "horaires"), data)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert 'name="x1_date"' in page  # one more row
    data = schedule_post(
        start,
        exception_rows="2",
        x0_date=(start + timedelta(days=2)).isoformat(),
        x0_absent="on",
        x1_date=(start + timedelta(days=3)).isoformat(),
        x1_s1_start="09:00",
        x1_s1_end="12:00",
    )
    client.post(url(convention, "horaires"), data)
    convention.refresh_from_db()
    assert convention.schedule_exceptions == {
        (start + timedelta(days=2)).isoformat(): [],
        (start + timedelta(days=3)).isoformat(): [["09:00", "12:00"]],
    }
    assert convention.total_minutes == 3 * 7 * 60 + 3 * 60
    # Half a row: a French message on its field, nothing lost.
    response = client.post(
        url(convention, "horaires"),
        schedule_post(start, x0_s1_start="09:00", x0_s1_end="12:00"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Jour 1 : indiquez la date." in page
    assert 'id="id_x0_date_error"' in page


def test_one_error_per_rule_not_one_per_day(client, author):
    convention = valid_convention(created_by=author)
    long_days = {
        f"d{day}_s{n}_{bound}": value
        for day in range(5)
        for n, (a, b) in ((1, ("06:00", "12:00")), (2, ("13:00", "19:00")))
        for bound, value in (("start", a), ("end", b))
    }
    response = client.post(
        url(convention, "horaires"), schedule_post(convention.date_start, **long_days)
    )
    page = client.get(response.url).content.decode()
    assert page.count('data-rule="day_too_long"') == 1
    assert "Même problème pour 4 autres jours" in page
    assert "Brouillon enregistré" not in page
    recap = client.get(url(convention, "recapitulatif")).content.decode()
    assert recap.count('data-rule="day_too_long"') == 1


def test_the_recap_shows_every_party_the_schedule_objectives_and_tasks(client, author):
    convention = valid_convention(
        created_by=author,
        schedule_exceptions={},
        legal_rep_first_name="Dominique",
        legal_rep_last_name="Durand",
        legal_rep_email="parent@exemple.net",
    )
    page = client.get(url(convention, "recapitulatif")).content.decode()
    for text in (
        "camille@exemple.fr",  # beneficiary
        "parent@exemple.net",  # legal representative
        "Alex Martin",  # host representative
        "direction@exemple.com",
        "Sam Petit",  # tutor
        "tuteur@exemple.com",
        escape(convention.agency.name),
        "Claude Bernard",  # counsellor
        "Découvrir les gestes du métier",  # objectives
        "Semis, récoltes.",  # tasks
        "Lundi : 08:00–12:00, 13:00–16:00",
        "Vendredi : 08:00–12:00, 13:00–16:00",
    ):
        assert text in page, text
