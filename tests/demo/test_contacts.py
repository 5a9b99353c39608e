"""Item 34 of issue 8: the demo data tells a story for every role, and the README lists
one demo account per role; loading it twice changes nothing."""

from pathlib import Path

import pytest
from django.conf import settings

from immersio.accounts.models import User
from immersio.agencies.models import AgencyMembership
from immersio.contacts.models import (
    BoardPost,
    BoardProposal,
    BoardProposalMessage,
    ContactEvent,
    ContactRequest,
    Message,
    Status,
)
from immersio.demo import accounts as accounts_demo
from immersio.demo import agencies as agencies_demo
from immersio.demo import contacts as contacts_demo
from immersio.demo import structures as structures_demo
from immersio.structures.models import StructureMembership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("referentials")]

CANDIDATE = "camille.martin@immersio.example"


def load_all():
    for module in sorted(
        (accounts_demo, structures_demo, agencies_demo, contacts_demo),
        key=lambda module: module.ORDER,
    ):
        module.load()


def counts():
    return [
        model.objects.count()
        for model in (
            User,
            ContactRequest,
            ContactEvent,
            Message,
            BoardPost,
            BoardProposal,
            BoardProposalMessage,
            StructureMembership,
            AgencyMembership,
        )
    ]


def test_every_role_has_a_demo_account_with_a_story(client):
    # An earlier demo made the candidate a member of a structure: that goes away.
    accounts_demo.load()
    structures_demo.load()
    camille = User.objects.get(email=CANDIDATE)
    StructureMembership.objects.create(
        structure=StructureMembership.objects.first().structure, user=camille, role="admin"
    )
    load_all()
    first = counts()
    load_all()
    assert counts() == first  # idempotent

    accounts = dict(accounts_demo.DEMO_ACCOUNTS)
    assert len(accounts) == 6
    users = {user.email: user for user in User.objects.filter(email__in=accounts)}
    # The resource person's account comes with her profile (demo.resource_people).
    assert set(users) == set(accounts) - {"helene.roux@immersio.example"}
    assert users["equipe@immersio.example"].is_staff

    # The candidate: requests in several states, a post with a proposal; no structure.
    states = set(ContactRequest.objects.filter(candidate=camille).values_list("status", flat=True))
    assert {
        Status.NEW,
        Status.AWAITING,
        Status.QUESTION,
        Status.ACCEPTED,
        Status.DECLINED,
    } <= states
    assert not StructureMembership.objects.filter(user=camille).exists()
    accepted = ContactRequest.objects.get(candidate=camille, status=Status.ACCEPTED)
    assert accepted.proposed_start and accepted.proposed_end
    assert BoardProposal.objects.filter(post__candidate=camille).exists()
    assert BoardPost.objects.visible(accepted.sent_at).count() >= 3
    client.force_login(camille)
    mine = client.get("/demandes/mes-demandes/").content.decode()
    assert mine.count("/demandes/tableau/") >= 2

    # The structure admin is someone else, with requests to answer.
    admin = users["nadia.benali@immersio.example"]
    membership = StructureMembership.objects.get(user=admin)
    assert membership.role == "admin"
    assert (
        ContactRequest.objects.filter(structure=membership.structure, status=Status.NEW)
        .exclude(candidate=camille)
        .exists()
    )

    # The agency's counsellor and validator.
    roles = dict(
        AgencyMembership.objects.filter(user__email__in=accounts).values_list("user__email", "role")
    )
    assert roles == {
        "conseiller.1@immersio.example": "conseiller",
        "valideur.1@immersio.example": "valideur",
    }


def test_the_readme_lists_one_demo_account_per_role():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    table = readme[readme.index("Comptes de démonstration") : readme.index("Autres commandes")]
    for email, _role in accounts_demo.DEMO_ACCOUNTS:
        assert f"`{email}`" in table
    assert table.count("@immersio.example`") == len(accounts_demo.DEMO_ACCOUNTS)
