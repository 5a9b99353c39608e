"""The « Données personnelles » page states only what the code does (issue 8, item 27)."""

import io
import re
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from immersio.contacts.models import BOARD_DAYS
from immersio.contacts.rules import EXPIRY_DAYS
from immersio.conventions import services as convention_services
from immersio.conventions.models import DRAFT_LIFETIME, Convention
from immersio.core.actors import AUTOMATIC

pytestmark = pytest.mark.django_db

NOT_YET = "Ce qui n’est pas encore automatisé."


def retention_section(client) -> tuple[str, str]:
    """The « Combien de temps » section, split into what is done and what is not yet."""
    text = unescape(re.sub(r"<[^>]+>", " ", client.get("/donnees-personnelles/").text))
    text = re.sub(r"\s+", " ", text)
    section = text.split("Combien de temps", 1)[1].split("Vos droits", 1)[0]
    assert NOT_YET in section, "the page must say plainly what is not yet automated"
    done, not_yet = section.split(NOT_YET, 1)
    return done, not_yet


def test_what_the_page_says_is_done_uses_the_durations_the_code_enforces(client):
    done, _ = retention_section(client)
    assert f"supprimé {DRAFT_LIFETIME.days} jours après sa dernière modification" in done
    assert f"expire au bout de {settings.SESAME_MAX_AGE // 60} minutes" in done
    assert "est effacé de nos serveurs" in done
    assert f"sans réponse expire au bout de {EXPIRY_DAYS} jours" in done
    assert f"disparaît du tableau au bout de {BOARD_DAYS} jours" in done


def test_no_duration_is_promised_as_done_that_nothing_enforces(client):
    done, not_yet = retention_section(client)
    # No code deletes accounts, requests, messages, conventions or logs after months or
    # years: such durations may only appear among the plans.
    assert not re.search(r"\d+\s*(ans|mois)\b", done), done
    for plan in ["5 ans", "6 mois", "2 ans"]:
        assert plan in not_yet
    assert "journaux de connexion" not in done + not_yet


def test_the_draft_promise_holds(client):
    with time_machine.travel(timezone.now() - DRAFT_LIFETIME - timedelta(days=1)):
        old = convention_services.start_draft(actor=AUTOMATIC)
    fresh = convention_services.start_draft(actor=AUTOMATIC)

    call_command("purge_convention_drafts", "--wet-run", stdout=io.StringIO())

    assert list(Convention.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not Convention.objects.filter(pk=old.pk).exists()
