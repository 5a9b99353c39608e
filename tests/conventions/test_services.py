from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from immersio.conventions import lifecycle, rules, services
from immersio.conventions.models import Convention, ConventionEvent, Status
from immersio.core.actors import AUTOMATIC, COMMAND
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.conventions.builders import valid_convention
from tests.fixtures.contacts import ContactRequestFactory
from tests.structures.factories import HostStructureFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_start_draft_prefills_from_an_accepted_request():
    request = ContactRequestFactory(answered=True, objective="confirm", phone="0612345678")
    draft = services.start_draft(actor=request.candidate, from_request=request)
    assert draft.status == Status.DRAFT
    assert draft.contact_request == request
    assert (draft.beneficiary_first_name, draft.beneficiary_last_name) == ("Camille", "Durand")
    assert draft.beneficiary_email == request.email
    assert draft.beneficiary_phone == "0612345678"
    assert draft.object == "confirm"
    assert draft.beneficiary_situation == request.situation == "demandeur_ft"
    assert draft.appellation == request.appellation
    assert draft.structure == request.structure
    assert draft.host_siret == request.structure.siret
    assert draft.place_commune.name == "Lyon"
    assert draft.share_token


def test_start_draft_leaves_an_unknown_situation_for_the_prescriber():
    request = ContactRequestFactory(answered=True, situation="ne_sais_pas")
    draft = services.start_draft(actor=request.candidate, from_request=request)
    assert draft.beneficiary_situation == ""


def test_start_draft_refuses_someone_who_cannot_see_the_request():
    request = ContactRequestFactory(answered=True)
    with pytest.raises(PermissionDenied):
        services.start_draft(actor=UserFactory(), from_request=request)
    assert not Convention.objects.exists()


def test_start_draft_refuses_a_request_not_accepted():
    with pytest.raises(services.ConventionError):
        services.start_draft(actor=AUTOMATIC, from_request=ContactRequestFactory())


def test_start_draft_from_a_structure():
    structure = HostStructureFactory(with_site=True)
    draft = services.start_draft(actor=AUTOMATIC, structure=structure)
    assert draft.host_name == structure.name
    assert draft.place_address


def test_save_step_computes_the_totals():
    draft = services.start_draft(actor=AUTOMATIC)
    start = date(2030, 3, 4)  # a Monday
    services.save_step(
        actor=AUTOMATIC,
        convention=draft,
        step="horaires",
        data={
            "date_start": start,
            "date_end": start + timedelta(days=4),
            "weekly_pattern": {
                "0": [["08:00", "12:00"], ["13:00", "17:00"]],
                "2": [["09:00", "12:00"]],
            },
            "schedule_exceptions": {"2030-03-06": []},
        },
    )
    draft.refresh_from_db()
    assert draft.presence_days == 1
    assert draft.total_minutes == 8 * 60


def test_submit_accepts_a_valid_convention_and_logs_it():
    user = UserFactory()
    convention = valid_convention(created_by=user)
    assert services.violations(convention) == []
    assert services.missing(convention) == []
    submitted = lifecycle.submit(convention=convention, actor=user)
    assert submitted.status == Status.TO_SIGN
    assert submitted.submitted_at is not None
    assert submitted.rules_version == rules.RULE_SETS[-1].version
    event = ConventionEvent.objects.get(convention=convention)
    assert (event.from_status, event.to_status, event.by) == (Status.DRAFT, Status.TO_SIGN, user)


def test_submit_refuses_rule_errors():
    convention = valid_convention(beneficiary_birth_date=date(2015, 1, 1))
    with pytest.raises(services.ConventionError) as error:
        lifecycle.submit(convention=convention, actor=COMMAND)
    assert "beneficiary_too_young" in {v.code for v in error.value.violations}
    convention.refresh_from_db()
    assert convention.status == Status.DRAFT
    assert not ConventionEvent.objects.exists()


def test_submit_refuses_missing_content():
    convention = valid_convention(tutor_name="", replaces_no_job=False)
    with pytest.raises(services.ConventionError) as error:
        lifecycle.submit(convention=convention, actor=COMMAND)
    assert {v.field for v in error.value.violations} == {"tutor.name", "host.replaces_no_job"}


def test_an_expired_delegation_blocks_the_submission():
    agency = AgencyFactory(
        conventionnee=True, delegation_end_date=timezone.localdate() - timedelta(days=1)
    )
    convention = valid_convention(agency=agency)
    with pytest.raises(services.ConventionError) as error:
        lifecycle.submit(convention=convention, actor=COMMAND)
    assert "a pris fin" in error.value.message
    assert Convention.objects.get(pk=convention.pk).status == Status.DRAFT


def test_history_comes_from_the_database():
    first = valid_convention()
    lifecycle.submit(convention=first, actor=COMMAND)
    first.refresh_from_db()
    second = valid_convention(
        structure=first.structure,
        date_start=first.date_start + timedelta(days=7),
        date_end=first.date_end + timedelta(days=7),
    )
    data = services.to_rule_data(second)
    assert len(data.previous_conventions) == 1
    assert data.previous_conventions[0].date_start == first.date_start
    assert [d.reference for d in data.potential_duplicates] == [first.reference]
    other = valid_convention(beneficiary_birth_date=date(1990, 1, 1))
    assert services.to_rule_data(other).previous_conventions == ()


def test_to_rule_data_waits_for_the_essentials():
    assert services.to_rule_data(services.start_draft(actor=AUTOMATIC)) is None


def test_visible_to():
    creator, counsellor, host_member, stranger = UserFactory.create_batch(4)
    staff = UserFactory(is_staff=True)
    agency = AgencyFactory(counsellor=counsellor)
    structure = HostStructureFactory(with_site=True)
    MembershipFactory(structure=structure, user=host_member, role="admin")
    convention = valid_convention(agency=agency, structure=structure, created_by=creator)
    valid_convention()  # someone else's
    for user in (creator, counsellor, host_member):
        assert list(Convention.objects.visible_to(user)) == [convention]
    assert not Convention.objects.visible_to(stranger).exists()
    assert Convention.objects.visible_to(staff).count() == 2


def test_purge_command_deletes_only_expired_drafts(capsys):
    with time_machine.travel(timezone.now() - timedelta(days=31)):
        old = services.start_draft(actor=AUTOMATIC)
        sent = valid_convention()
        lifecycle.submit(convention=sent, actor=COMMAND)
    fresh = services.start_draft(actor=AUTOMATIC)
    call_command("purge_convention_drafts")
    assert Convention.objects.filter(pk=old.pk).exists()
    call_command("purge_convention_drafts", "--wet-run")
    assert set(Convention.objects.values_list("pk", flat=True)) == {sent.pk, fresh.pk}
    assert "1 brouillon" in capsys.readouterr().out


def test_possible_duplicates_of_a_page_match_names_whatever_their_case():
    """The prescriber's review reads a page's duplicates at once: the same person (names in
    any case, same birth date) at the same SIRET for the same métier, on overlapping dates,
    submitted; never the convention itself."""
    from tests.conventions.builders import valid_convention

    structure = HostStructureFactory(with_site=True)
    start = date(2030, 3, 4)

    def submitted(**changes):
        dates = {"date_start": start, "date_end": start + timedelta(days=4)}
        convention = valid_convention(structure=structure, **(dates | changes))
        Convention.objects.filter(pk=convention.pk).update(
            status=Status.TO_SIGN, submitted_at=timezone.now()
        )
        convention.refresh_from_db()
        return convention

    first = submitted()
    shouting = submitted(beneficiary_last_name="DURAND", beneficiary_first_name="CAMILLE")
    other_person = submitted(beneficiary_birth_date=date(1990, 1, 1))
    later = submitted(date_start=start + timedelta(days=28), date_end=start + timedelta(days=32))
    found = services.possible_duplicates_of([first, shouting, other_person, later])
    assert [v.code for v in found[first.pk]] == ["possible_duplicate"]
    assert shouting.reference in found[first.pk][0].message
    assert [v.code for v in found[shouting.pk]] == ["possible_duplicate"]
    assert first.reference in found[shouting.pk][0].message
    assert found[other_person.pk] == []
    assert found[later.pk] == []
    assert services.possible_duplicates(first) == found[first.pk]
