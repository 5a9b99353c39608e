from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from immersio.agencies import services, team
from immersio.agencies.models import Agency, AgencyMembership
from immersio.core.actors import AUTOMATIC, TASK, VISITOR
from immersio.notifications.models import OutboundEmail
from tests.accounts.factories import UserFactory
from tests.structures.factories import lyon

from .factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _siret():
    from immersio.demo.agencies import agency_siret

    return agency_siret(77)


def _register(**fields):
    values = {
        "kind": Agency.Kind.MISSION_LOCALE,
        "name": "Mission locale du Plateau",
        "address": "3 place Sathonay",
        "contact_email": "contact@ml-plateau.fr",
    }
    values.update(fields)
    return services.start_registration(
        siret=_siret(),
        commune=lyon(),
        fields=values,
        applicant=services.Applicant(
            email="Directrice@ML-Plateau.fr", first_name="Anne", last_name="Vidal"
        ),
        actor=VISITOR,
    )


def _token(registration):
    return team.registration_url(registration).split("jeton=")[1]


def test_registration_confirm_then_activation_makes_the_applicant_admin():
    registration = _register()
    agency = registration.agency
    assert agency.status == Agency.Status.PENDING
    assert agency.covered_departments == ["69"]
    [email] = OutboundEmail.objects.all()
    assert email.recipient == "directrice@ml-plateau.fr"
    assert email.kind == "agency_registration_confirm"
    staff = UserFactory(staff=True, email="equipe@immersio.fr")
    with pytest.raises(services.AgencyError, match="pas encore confirmé"):
        services.activate_agency(agency=agency, actor=staff)
    services.confirm_registration(token=_token(registration), actor=AUTOMATIC)
    review = OutboundEmail.objects.get(kind="agency_review_requested")
    assert review.recipient == "equipe@immersio.fr"
    assert f"/gestion/agencies/agency/{agency.pk}/change/" in review.text_body
    with pytest.raises(services.LinkAlreadyUsed):
        services.confirm_registration(token=_token(registration), actor=AUTOMATIC)
    services.activate_agency(agency=agency, actor=staff)
    agency.refresh_from_db()
    assert agency.status == Agency.Status.ACTIVE
    membership = AgencyMembership.objects.get(agency=agency)
    assert membership.role == "administrateur"
    assert membership.user.email == "directrice@ml-plateau.fr"
    assert OutboundEmail.objects.filter(kind="agency_activated").count() == 1


def test_only_staff_activate():
    registration = _register()
    with pytest.raises(PermissionDenied):
        services.activate_agency(agency=registration.agency, actor=UserFactory())


def test_rejection_emails_the_applicant():
    registration = _register()
    services.confirm_registration(token=_token(registration), actor=AUTOMATIC)
    services.reject_agency(
        agency=registration.agency, actor=UserFactory(staff=True), reason="Hors champ"
    )
    registration.agency.refresh_from_db()
    assert registration.agency.status == Agency.Status.REJECTED
    email = OutboundEmail.objects.get(kind="agency_rejected")
    assert "Hors champ" in email.text_body


def test_registration_refuses_etti_and_bad_siret():
    with pytest.raises(services.AgencyInvalid) as error:
        _register(kind=Agency.Kind.SIAE, siae_kind="ETTI")
    assert "ETTI" in error.value.errors["siae_kind"][0]
    with pytest.raises(services.AgencyInvalid) as error:
        services.start_registration(
            siret="12345678901234",
            commune=lyon(),
            fields={},
            applicant=services.Applicant(email="a@b.fr", first_name="A", last_name="B"),
            actor=VISITOR,
        )
    assert "clé de contrôle" in error.value.errors["siret"][0]


def test_registration_refuses_a_siret_already_active():
    AgencyFactory(siret=_siret(), name="Déjà là")
    with pytest.raises(services.AgencyInvalid, match="Déjà là"):
        _register()


def test_invitation_accept_and_last_admin():
    admin = UserFactory()
    agency = AgencyFactory(admin=admin)
    invitation = services.invite_member(
        agency=agency, email="Valideur@exemple.fr", role="valideur", actor=admin
    )
    token = team.invitation_url(invitation).split("jeton=")[1]
    membership = services.accept_invitation(token=token, actor=AUTOMATIC)
    assert membership.role == "valideur"
    assert membership.user.email == "valideur@exemple.fr"
    with pytest.raises(services.LinkAlreadyUsed):
        services.accept_invitation(token=token, actor=AUTOMATIC)
    with pytest.raises(PermissionDenied):
        services.invite_member(
            agency=agency, email="x@y.fr", role="valideur", actor=membership.user
        )
    with pytest.raises(services.LastAdminError):
        services.remove_member(agency=agency, user=admin, actor=admin)
    services.remove_member(agency=agency, user=membership.user, actor=admin)
    assert not AgencyMembership.objects.get(pk=membership.pk).is_active


def test_can_create_conventions_before_and_after_the_end_date():
    agency = AgencyFactory(conventionnee=True, delegation_end_date=date(2027, 3, 31))
    assert services.can_create_conventions(agency, on=date(2027, 3, 31)) == (True, "")
    allowed, reason = services.can_create_conventions(agency, on=date(2027, 4, 1))
    assert not allowed
    assert "31 mars 2027" in reason
    assert agency.delegating_agency.name in reason
    assert services.can_create_conventions(AgencyFactory(), on=date(2030, 1, 1)) == (True, "")


@pytest.mark.parametrize(
    ("today", "field"),
    [
        ("2027-03-31", "reminder_3_months_at"),
        ("2027-05-31", "reminder_1_month_at"),
        ("2027-06-29", "reminder_1_day_at"),
    ],
)
def test_delegation_reminders_once_each(today, field):
    admin = UserFactory(email="admin@mandatee.fr")
    agency = AgencyFactory(conventionnee=True, delegation_end_date=date(2027, 6, 30), admin=admin)
    with time_machine.travel(datetime.fromisoformat(f"{today}T08:00:00+02:00"), tick=False):
        assert services.send_delegation_reminders(dry_run=True, actor=TASK)[0].field == field
        assert not OutboundEmail.objects.exists()
        [report] = services.send_delegation_reminders(dry_run=False, actor=TASK)
        assert report.field == field
        recipients = set(OutboundEmail.objects.values_list("recipient", flat=True))
        assert recipients == {"admin@mandatee.fr", agency.delegating_agency.contact_email}
        assert services.send_delegation_reminders(dry_run=False, actor=TASK) == []
    agency.refresh_from_db()
    assert getattr(agency, field) is not None
    assert OutboundEmail.objects.count() == 2


@pytest.mark.parametrize(
    ("today", "words", "report"),
    [
        ("2027-03-31", "(dans trois mois)", "rappel « 3 mois »"),
        ("2027-05-31", "(dans un mois)", "rappel « un mois »"),
        ("2027-06-29", "(demain)", "rappel « la veille »"),
    ],
)
def test_the_reminder_email_says_when_from_a_code(today, words, report, capsys):
    """The service passes a code (« 1_month »); the e-mail template says it in French and
    the command's report in its own words."""
    AgencyFactory(conventionnee=True, delegation_end_date=date(2027, 6, 30))
    with time_machine.travel(datetime.fromisoformat(f"{today}T08:00:00+02:00"), tick=False):
        call_command("send_delegation_reminders", "--wet-run")
    email = OutboundEmail.objects.first()
    assert words in email.text_body
    assert words in email.html_body
    assert report in capsys.readouterr().out


def test_delegation_reminders_sequence_and_nothing_between():
    agency = AgencyFactory(conventionnee=True, delegation_end_date=date(2027, 6, 30))
    sent = []
    for day in (
        "2027-03-29",
        "2027-03-30",
        "2027-04-15",
        "2027-05-30",
        "2027-06-01",
        "2027-06-28",
        "2027-06-29",
        "2027-06-30",
        "2027-07-01",
    ):
        with time_machine.travel(datetime.fromisoformat(f"{day}T08:00:00+02:00"), tick=False):
            sent += [
                (day, r.field)
                for r in services.send_delegation_reminders(dry_run=False, actor=TASK)
            ]
    assert sent == [
        ("2027-03-30", "reminder_3_months_at"),
        ("2027-05-30", "reminder_1_month_at"),
        ("2027-06-29", "reminder_1_day_at"),
    ]
    agency.refresh_from_db()
    assert agency.reminders_end_date == date(2027, 6, 30)


def test_a_renewed_delegation_gets_reminders_again():
    agency = AgencyFactory(conventionnee=True, delegation_end_date=date(2027, 6, 30))
    with time_machine.travel(datetime(2027, 6, 29, 8, tzinfo=None), tick=False):
        assert len(services.send_delegation_reminders(dry_run=False, actor=TASK)) == 1
        agency.refresh_from_db()
        agency.delegation_end_date = date(2027, 7, 29)
        agency.save()
        assert [r.field for r in services.send_delegation_reminders(dry_run=False, actor=TASK)] == [
            "reminder_1_month_at"
        ]


def test_command_is_a_dry_run_without_wet_run(capsys):
    AgencyFactory(conventionnee=True, delegation_end_date=date(2027, 6, 30))
    with time_machine.travel(datetime(2027, 6, 29, 8), tick=False):
        call_command("send_delegation_reminders")
        assert not OutboundEmail.objects.exists()
        assert "à blanc" in capsys.readouterr().out
        call_command("send_delegation_reminders", "--wet-run")
        assert OutboundEmail.objects.count() == 1


def test_a_new_registration_replaces_an_unconfirmed_one():
    first = _register()
    second = _register(name="Mission locale du Plateau (bis)")
    assert not Agency.objects.filter(pk=first.agency.pk).exists()
    assert Agency.objects.get().name == "Mission locale du Plateau (bis)"
    with pytest.raises(services.LinkInvalid):
        services.confirm_registration(token=_token(first), actor=AUTOMATIC)
    services.confirm_registration(token=_token(second), actor=AUTOMATIC)
    with pytest.raises(services.AgencyInvalid, match="déjà inscrit"):
        _register()


def test_accompanying_structure_needs_an_active_referring_agency():
    referring = AgencyFactory()
    agency = AgencyFactory(kind=Agency.Kind.ACCOMPAGNEMENT, referring_agency=referring)
    assert services.can_create_conventions(agency) == (True, "")
    referring.status = Agency.Status.CLOSED
    referring.save()
    allowed, reason = services.can_create_conventions(agency)
    assert not allowed
    assert "rattaché à aucun prescripteur actif" in reason


def test_pending_agency_cannot_create_conventions_nor_invite():
    admin = UserFactory()
    agency = AgencyFactory(pending=True, admin=admin)
    assert services.can_create_conventions(agency)[0] is False
    with pytest.raises(services.AgencyError, match="une fois le prescripteur activé"):
        services.invite_member(agency=agency, email="a@b.fr", role="conseiller", actor=admin)


def test_the_daily_task_sends_the_reminders():
    from immersio.agencies.tasks import send_delegation_reminders

    AgencyFactory(conventionnee=True, delegation_end_date=date(2027, 6, 30))
    with time_machine.travel(datetime(2027, 6, 29, 8), tick=False):
        assert send_delegation_reminders.call() == 1
        assert send_delegation_reminders.call() == 0
