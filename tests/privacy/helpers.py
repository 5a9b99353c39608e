"""A person with something of everything, and someone else, for « Mes données »."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from immersio.accounts.models import User
from immersio.contacts.models import BoardPost, ContactRequest, Message
from immersio.conventions.models import Convention, ConventionDocument, ConventionVersion
from immersio.conventions.transitions import Status
from tests.accounts.factories import UserFactory
from tests.conventions.builders import valid_convention
from tests.fixtures.contacts import ContactRequestFactory as RequestFactory
from tests.structures.factories import lyon, maraicher

PDF = b"%PDF-1.4\n% convention de test\n"


def validated_convention(email: str, *, start=None, end=None, **fields) -> Convention:
    """A validated convention whose beneficiary is ``email``, with the PDF of its version."""
    today = timezone.localdate()
    start = start or today - timedelta(days=30)
    end = end or start + timedelta(days=4)
    now = timezone.now()
    convention = valid_convention(
        beneficiary_email=email,
        status=Status.VALIDATED,
        submitted_at=now - timedelta(days=40),
        validated_at=now - timedelta(days=35),
        date_start=start,
        date_end=end,
        **fields,
    )
    version = ConventionVersion.objects.create(
        convention=convention, number=1, content={"beneficiaire": email}, sha256="0" * 64
    )
    document = ConventionDocument(version=version, sha256="1" * 64, size=len(PDF))
    document.file.save(f"{convention.reference}-v1.pdf", ContentFile(PDF), save=False)
    document.save()
    return convention


@dataclass
class Person:
    user: User
    request: ContactRequest
    convention: Convention


def person(email: str = "camille.durand@exemple.fr", **user_fields) -> Person:
    """Camille: an account, a sent request with a message, a validated convention (over)."""
    user = UserFactory(
        email=email, first_name="Camille", last_name="Durand", last_login=timezone.now()
    )
    request = RequestFactory(candidate=user, email=user.email, motivations="Mes motivations.")
    Message.objects.create(
        request=request, side=Message.Side.CANDIDATE, author=user, body="Bonjour !"
    )
    convention = validated_convention(email.upper())
    return Person(user, request, convention)


def board_post(user: User) -> BoardPost:
    now = timezone.now()
    commune = lyon()
    return BoardPost.objects.create(
        candidate=user,
        first_name=user.first_name,
        last_initial="D",
        appellation=maraicher(),
        commune=commune,
        latitude=commune.latitude,
        longitude=commune.longitude,
        period="En mars",
        duration="1s",
        motivations="Je veux essayer.",
        published_at=now,
        expires_at=now + timedelta(days=60),
    )
