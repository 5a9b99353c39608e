"""The carnet and bilan in « Mes données »: exported under one category, deleted with the
account, and stated in the register."""

from datetime import timedelta

import pytest
from django.utils import timezone

from immersio.accounts.models import User
from immersio.conventions.models import Convention
from immersio.core.actors import TASK
from immersio.journal import services
from immersio.journal.models import ActionStep, JournalEntry, PersonMet, Reflection
from immersio.privacy import register
from immersio.privacy import services as privacy_services
from immersio.privacy.selectors import CATEGORIES, person_data
from tests.journal.helpers import immersion

pytestmark = pytest.mark.django_db


def _written():
    found = immersion()
    entry = services.save_entry(
        convention=found.convention,
        day=found.convention.date_start,
        texts={"observed": "Les semis sous serre"},
        actor=found.beneficiary,
    )
    services.add_person(
        entry=entry,
        name="Aïcha",
        contact="aicha@exemple.fr",
        contact_agreed=True,
        actor=found.beneficiary,
    )
    services.save_reflection(
        convention=found.convention, values={"learned": "Les rotations"}, actor=found.beneficiary
    )
    services.add_step(
        convention=found.convention,
        kind="me_former",
        text="BPREA",
        target_date=timezone.localdate() + timedelta(days=30),
        actor=found.beneficiary,
    )
    return found


def test_the_export_has_one_category_for_the_carnet_and_the_bilan():
    found = _written()
    assert CATEGORIES["carnet_et_bilan"][1].startswith("carnet et bilan")
    (row,) = person_data(found.beneficiary).categories["carnet_et_bilan"]
    assert row["convention"] == found.convention.reference
    (page,) = row["pages"]
    assert page["Qu'ai-je observé aujourd'hui ?"] == "Les semis sous serre"
    assert page["personnes_rencontrees"][0]["coordonnees"] == "aicha@exemple.fr"
    assert row["bilan"]["ce_que_j_ai_appris"] == "Les rotations"
    assert row["bilan"]["plan_d_action"][0]["quoi"] == "BPREA"
    # Nobody else's export holds it: not the counsellor's, not the host's.
    assert person_data(found.counsellor).categories["carnet_et_bilan"] == []
    assert person_data(found.host_admin).categories["carnet_et_bilan"] == []


def test_my_data_counts_them(client):
    found = _written()
    client.force_login(found.beneficiary)
    page = client.get("/mes-donnees/").content.decode()
    assert "1 carnet et bilan d" in page


def test_deleting_the_account_deletes_the_carnet_and_the_bilan_and_keeps_the_convention():
    found = _written()
    # The immersion is over (an account is not deleted during an immersion).
    Convention.objects.filter(pk=found.convention.pk).update(
        date_start=timezone.localdate() - timedelta(days=10),
        date_end=timezone.localdate() - timedelta(days=6),
    )
    privacy_services.delete_account(user=found.beneficiary, actor=found.beneficiary)
    assert not User.objects.filter(pk=found.beneficiary.pk).exists()
    for model in (JournalEntry, PersonMet, Reflection, ActionStep):
        assert not model.objects.exists(), model
    assert Convention.objects.filter(pk=found.convention.pk).exists()


def test_the_task_may_erase_a_deleted_accounts_carnet():
    found = _written()
    assert services.erase_journal(owner=found.beneficiary, actor=TASK) == 2


def test_the_register_states_the_processing_and_its_durations():
    processing = next(p for p in register.processings() if p.key == "carnet_et_bilan")
    assert "consentement" in processing.legal_basis
    assert "structure d'accueil" in processing.recipients
    sentences = " ".join(processing.retention())
    assert "2 ans après la fin de l'immersion" in sentences
