"""Factories of agencies. Traits: ``pending``, ``conventionnee`` (mandated by a France
Travail agency until ``delegation_end_date``), ``siae`` (an ACI). Pass ``admin=user``,
``validator=user`` or ``counsellor=user`` to put someone in its team."""

import factory

from immersio.agencies.models import Agency, AgencyMembership
from immersio.demo.agencies import agency_siret
from tests.structures.factories import lyon


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        skip_postgeneration_save = True

    kind = Agency.Kind.FRANCE_TRAVAIL
    name = factory.Sequence(lambda n: f"France Travail agence {n}")
    siret = factory.Sequence(lambda n: agency_siret(500 + n))
    address = "1 rue de la Gare"
    postal_code = "69001"
    commune = factory.LazyFunction(lyon)
    latitude = factory.LazyAttribute(lambda o: o.commune.latitude)
    longitude = factory.LazyAttribute(lambda o: o.commune.longitude)
    covered_departments = factory.LazyFunction(lambda: ["69"])
    contact_email = factory.Sequence(lambda n: f"agence{n}@exemple.fr")
    status = Agency.Status.ACTIVE

    class Params:
        pending = factory.Trait(status=Agency.Status.PENDING)
        siae = factory.Trait(kind=Agency.Kind.SIAE, siae_kind="ACI", name="Chantier d'insertion")
        conventionnee = factory.Trait(
            kind=Agency.Kind.CONVENTIONNEE,
            name="Association mandatée",
            delegating_agency=factory.SubFactory("tests.agencies.factories.AgencyFactory"),
        )

    @factory.post_generation
    def admin(self, create, user, **kwargs):
        if user:
            AgencyMembership.objects.create(agency=self, user=user, role="administrateur")

    @factory.post_generation
    def validator(self, create, user, **kwargs):
        if user:
            AgencyMembership.objects.create(agency=self, user=user, role="valideur")

    @factory.post_generation
    def counsellor(self, create, user, **kwargs):
        if user:
            AgencyMembership.objects.create(agency=self, user=user, role="conseiller")
