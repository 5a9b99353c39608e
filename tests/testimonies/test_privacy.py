"""Testimonies and personal data: the register, « Mes données », account deletion, and
the retention of withdrawn or declined ones."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from immersio.privacy import register, retention
from immersio.privacy.selectors import person_data
from immersio.testimonies import models, services
from tests.accounts.factories import UserFactory
from tests.testimonies.helpers import published, submitted

pytestmark = pytest.mark.django_db


def test_the_register_declares_testimonies_with_their_retention():
    [processing] = [p for p in register.processings() if p.key == "temoignages"]
    assert "consentement" in processing.legal_basis
    sentences = " ".join(processing.retention())
    assert str(retention.rule("temoignages_retires").duration) in sentences


def test_my_data_holds_my_testimonies_and_their_consent():
    mine = published()
    submitted()  # someone else's
    data = person_data(mine.author)
    [row] = data.categories["temoignages"]
    assert row["titre"] == mine.title and row["etat"] == "Publié"
    assert row["accord"]["version"] == mine.consent_version
    assert row["accord"]["texte"] == mine.consent_text
    json.dumps(row)  # plain JSON


def test_deleting_the_account_deletes_the_testimonies():
    from immersio.privacy import services as privacy

    testimony = published()
    author = testimony.author
    privacy.delete_account(user=author, actor=author)
    assert not models.Testimony.objects.filter(pk=testimony.pk).exists()


def test_withdrawn_and_declined_testimonies_are_deleted_after_their_delay():
    rule = retention.rule("temoignages_retires")
    now = timezone.now()
    withdrawn = published()
    services.withdraw_consent(testimony=withdrawn, actor=withdrawn.author)
    kept_published = published()
    declined = submitted()
    services.review_testimony(testimony=declined, publish=False, actor=UserFactory(is_staff=True))
    assert not rule.due(now).exists()
    later = rule.duration.before(now)  # as if everything happened that long ago
    models.Testimony.objects.filter(pk=withdrawn.pk).update(consent_withdrawn_at=later)
    models.Testimony.objects.filter(pk=declined.pk).update(reviewed_at=later)
    models.Testimony.objects.filter(pk=kept_published.pk).update(
        published_at=later - timedelta(days=1)
    )
    assert set(rule.due(now)) == {
        models.Testimony.objects.get(pk=withdrawn.pk),
        models.Testimony.objects.get(pk=declined.pk),
    }
