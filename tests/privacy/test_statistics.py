"""Anonymisation keeps statistics true (issue 11, item 3): requests, board posts and
conventions of several months, departments, métiers, agency kinds and outcomes are
counted, the retention job runs years later, and every count is the same."""

import random
from datetime import datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from immersio.agencies.models import Agency
from immersio.contacts.models import BoardPost, BoardProposal, ContactRequest, Status
from immersio.conventions.models import Convention
from immersio.conventions.models import Status as ConventionStatus
from immersio.core.actors import TASK
from immersio.privacy.purge import apply_retention
from immersio.privacy.selectors import statistics
from immersio.referentials.models import Appellation, Commune, RomeMetier
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.conventions.builders import valid_convention
from tests.fixtures.contacts import ContactRequestFactory
from tests.structures.factories import HostStructureFactory, SiteFactory, lyon, maraicher

pytestmark = pytest.mark.django_db

START = timezone.make_aware(datetime(2030, 1, 10, 10, 0))


def marseille() -> Commune:
    commune, _ = Commune.objects.get_or_create(
        insee_code="13055",
        defaults={
            "name": "Marseille",
            "department": "13",
            "region": "93",
            "latitude": 43.2965,
            "longitude": 5.3698,
            "postal_codes": "13001",
            "normalized_name": "marseille",
        },
    )
    return commune


def boulanger() -> Appellation:
    rome, _ = RomeMetier.objects.get_or_create(code="D1102", defaults={"label": "Boulangerie"})
    appellation, _ = Appellation.objects.get_or_create(
        code=11573,
        defaults={
            "rome": rome,
            "label": "Boulanger / Boulangère",
            "short_label": "Boulanger / Boulangère",
            "search_text": "boulanger boulangere",
        },
    )
    return appellation


def generate(rng: random.Random) -> None:
    communes = [lyon(), marseille()]
    metiers = [maraicher(), boulanger()]
    structures = []
    for commune in communes:
        structure = HostStructureFactory()
        SiteFactory(structure=structure, commune=commune, appellations=metiers)
        structures.append(structure)
    agencies = [
        AgencyFactory(),
        AgencyFactory(siae=True),
        AgencyFactory(kind=Agency.Kind.CAP_EMPLOI),
    ]
    request_outcomes = [Status.DECLINED, Status.ACCEPTED, Status.EXPIRED, Status.WITHDRAWN]
    outcomes = [ConventionStatus.VALIDATED, ConventionStatus.REFUSED, ConventionStatus.CANCELLED]
    for n in range(24):
        at = START + relativedelta(months=n % 8) + timedelta(days=rng.randrange(20))
        request = ContactRequestFactory(
            structure=rng.choice(structures),
            appellation=rng.choice(metiers),
            candidate=UserFactory(),
            email=f"personne{n}@exemple.fr",
            status=request_outcomes[n % len(request_outcomes)],
            sent_at=at,
            phone="0611223344",
        )
        ContactRequest.objects.filter(pk=request.pk).update(updated_at=at)
        if n % 3 == 0:  # a third of them lead to a convention
            commune = rng.choice(communes)
            convention = valid_convention(
                structure=request.structure,
                agency=rng.choice(agencies),
                appellation=request.appellation,
                place_commune=commune,
                contact_request=request,
                beneficiary_email=request.email,
            )
            status = outcomes[(n // 3) % len(outcomes)]
            end = (at + timedelta(days=30)).date()
            Convention.objects.filter(pk=convention.pk).update(
                status=status,
                submitted_at=at,
                validated_at=at + timedelta(days=10)
                if status == ConventionStatus.VALIDATED
                else None,
                date_start=end - timedelta(days=4),
                date_end=end,
                updated_at=at + timedelta(days=10),
            )
        if n % 4 == 0:
            commune = rng.choice(communes)
            post = BoardPost.objects.create(
                candidate=UserFactory(),
                first_name="Camille",
                last_initial="D",
                appellation=rng.choice(metiers),
                commune=commune,
                latitude=commune.latitude,
                longitude=commune.longitude,
                period="En avril",
                duration="1s",
                motivations="Reconversion.",
                published_at=at,
                expires_at=at + timedelta(days=60),
            )
            if n % 8 == 0:
                BoardProposal.objects.create(
                    post=post, structure=rng.choice(structures), body="Oui"
                )
    valid_convention()  # a draft: not counted, and deleted by the job


def test_counts_are_the_same_after_the_retention_job():
    generate(random.Random(11))
    before = statistics()
    # The data spans the dimensions the statistics need.
    assert len(before["demandes"]["mois"]) == 8
    assert set(before["demandes"]["departement"]) == {"13", "69"}
    assert len(before["conventions"]["metier"]) == 2
    assert len(before["conventions"]["type_de_prescripteur"]) >= 2
    assert len(before["conventions"]["issue"]) == 3
    assert set(before["tableau"]["issue"]) == {"True", "False"}

    run = apply_retention(now=START + relativedelta(years=7), wet_run=True, actor=TASK)

    assert sum(line["errors"] for line in run.report) == 0
    # The job did anonymise everything it could: the counts held through real work.
    assert not ContactRequest.objects.filter(anonymised_at__isnull=True).exists()
    assert not BoardPost.objects.filter(anonymised_at__isnull=True).exists()
    assert not Convention.objects.filter(anonymised_at__isnull=True).exists()
    assert statistics() == before
