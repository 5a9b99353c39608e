import factory

from immersio.accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    """A person with an account. Traits: ``staff``, ``superuser``, ``inactive``,
    ``with_phone``, ``anonymous_profile`` (no name yet, as right after sign-up)."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    phone = ""
    is_active = True
    is_staff = False
    is_superuser = False

    class Params:
        staff = factory.Trait(is_staff=True)
        superuser = factory.Trait(is_staff=True, is_superuser=True)
        inactive = factory.Trait(is_active=False)
        with_phone = factory.Trait(phone="06 12 34 56 78")
        anonymous_profile = factory.Trait(first_name="", last_name="")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the manager: normalised address, unusable password (magic links only).
        return model_class.objects.create_user(*args, **kwargs)
