"""The testimonies' demo: five published stories linked to demo structures and métiers,
one waiting for review; a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from immersio.demo import testimonies as demo
from immersio.demo.structures import demo_siret
from immersio.testimonies import models

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_demo", "--wet-run", stdout=out)
    return out.getvalue()


def state() -> list[tuple]:
    return list(
        models.Testimony.objects.order_by("pk").values_list(
            "title", "status", "published_at", "structure_id", "appellation_id"
        )
    )


def test_published_testimonies_show_on_their_structures_and_twice_changes_nothing(
    referentials, client
):
    load()
    assert models.Testimony.objects.published().count() == len(demo.STORIES) - 1
    assert models.Testimony.objects.filter(status=models.Status.PENDING).count() == 1
    assert not models.Testimony.objects.filter(structure=None).exists()
    assert not models.Testimony.objects.filter(appellation=None).exists()
    page = client.get("/temoignages/").text
    assert "De la comptabilité aux serres" in page and "Mon immersion aux Jardins" not in page
    structure = models.Testimony.objects.published().first().structure
    assert structure.siret == demo_siret(1)
    assert (
        "Ils et elles y ont fait une immersion"
        in client.get(f"/structure/{structure.public_id}/").text
    )
    before = state()
    load()
    assert state() == before
