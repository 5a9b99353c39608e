"""Factories of host structures, named after real situations.

Traits of ``HostStructureFactory``: ``pending`` (waiting for the e-mail confirmation),
``paused`` (on a break for ten days), ``suspended``, ``closed``, ``ess`` (a commercial
company of the ESS), ``association``, ``with_site`` (one site in Lyon offering
« Maraîcher / Maraîchère »), ``full`` (capacity of 4 reached this month). Pass
``admin=user`` or ``contact=user`` to put someone in its team.
"""

from datetime import timedelta

import factory
from django.utils import timezone

from immersio.demo.structures import demo_siret

# The example rows of the product, which the tests use too (MARAICHER re-exported).
from immersio.referentials.previews import MARAICHER as MARAICHER
from immersio.referentials.previews import lyon, maraicher
from immersio.structures.models import (
    HostStructure,
    Offer,
    ReceivedRequest,
    Site,
    StructureMembership,
)
from tests.accounts.factories import UserFactory


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        skip_postgeneration_save = True

    structure = factory.SubFactory("tests.structures.factories.HostStructureFactory")
    label = ""
    address = factory.Sequence(lambda n: f"{n + 1} rue des Jardins")
    commune = factory.LazyFunction(lyon)
    postal_code = "69001"
    latitude = factory.LazyAttribute(lambda site: site.commune.latitude)
    longitude = factory.LazyAttribute(lambda site: site.commune.longitude)

    @factory.post_generation
    def appellations(self, create, extracted, **kwargs):
        if not create:
            return
        for appellation in extracted if extracted is not None else [maraicher()]:
            Offer.objects.create(site=self, appellation=appellation)


class HostStructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostStructure
        skip_postgeneration_save = True

    siret = factory.Sequence(lambda n: demo_siret(500_000 + n))
    name = factory.Sequence(lambda n: f"Structure d'accueil {n}")
    kind = HostStructure.Kind.COMPANY
    headcount = HostStructure.Headcount.XS
    max_requests_per_month = 4
    status = HostStructure.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    source = "tests"

    class Params:
        pending = factory.Trait(status=HostStructure.Status.PENDING, published_at=None)
        suspended = factory.Trait(status=HostStructure.Status.SUSPENDED)
        closed = factory.Trait(status=HostStructure.Status.CLOSED)
        paused = factory.Trait(
            paused_until=factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))
        )
        ess = factory.Trait(is_ess=True, ess_status=HostStructure.EssStatus.COMMERCIAL_ESS)
        association = factory.Trait(
            kind=HostStructure.Kind.ASSOCIATION,
            is_ess=True,
            ess_status=HostStructure.EssStatus.ASSOCIATION,
        )
        with_site = factory.Trait(
            site=factory.RelatedFactory(SiteFactory, factory_related_name="structure")
        )
        full = factory.Trait(
            requests=factory.RelatedFactoryList(
                "tests.structures.factories.ReceivedRequestFactory",
                factory_related_name="structure",
                size=4,
            )
        )

    @factory.post_generation
    def admin(self, create, extracted, **kwargs):
        if create and extracted is not None:
            MembershipFactory(structure=self, user=extracted, role="admin")

    @factory.post_generation
    def contact(self, create, extracted, **kwargs):
        if create and extracted is not None:
            MembershipFactory(structure=self, user=extracted, role="contact")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StructureMembership

    structure = factory.SubFactory(HostStructureFactory)
    user = factory.SubFactory(UserFactory)
    role = StructureMembership.Role.ADMIN
    is_active = True


class ReceivedRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReceivedRequest

    structure = factory.SubFactory(HostStructureFactory)
    received_at = factory.LazyFunction(timezone.now)
    kind = "contact"
