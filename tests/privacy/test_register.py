"""The register of processings (issue 11, item 1): one source for
docs/donnees-personnelles.md and the public page, whose durations are those of the rules
the retention job applies."""

import dataclasses
import io
import re
from html import unescape
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from immersio.privacy import register, retention
from immersio.privacy.retention import Duration

pytestmark = pytest.mark.django_db

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "donnees-personnelles.md"


def page_text(client) -> str:
    html = client.get("/donnees-personnelles/").content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_committed_register_is_what_the_code_generates():
    assert DOCUMENT.read_text("utf-8") == register.render_markdown(), (
        "docs/donnees-personnelles.md is stale: python manage.py privacy_register --write"
    )
    call_command("privacy_register", "--check", stdout=io.StringIO())


def test_the_check_fails_on_a_stale_register(monkeypatch):
    from immersio.privacy.management.commands import privacy_register

    monkeypatch.setattr(privacy_register, "render_markdown", lambda: "autre chose\n")
    with pytest.raises(CommandError):
        call_command("privacy_register", "--check", stdout=io.StringIO())


def test_every_rule_of_the_table_is_in_the_register_and_on_the_page(client):
    referenced = {kept.rule_key for p in register.processings() for kept in p.kept}
    assert {rule.key for rule in retention.RULES} <= referenced
    text = page_text(client)
    document = register.render_markdown()
    for rule in retention.RULES:
        sentence = f"{register.ACTION_NOUNS[rule.action]} {rule.duration} {rule.starts}"
        assert sentence in text
        assert sentence in document


def test_the_register_covers_every_processing_the_issue_lists():
    keys = [p.key for p in register.processings()]
    for key in ("comptes", "demandes", "tableau", "conventions", "carnet_et_bilan", "messages"):
        assert key in keys
    for key in ("journaux", "api", "limites", "consultations"):
        assert key in keys
    for processing in register.processings():
        for field in ("purpose", "legal_basis", "data", "recipients"):
            assert getattr(processing, field).strip(), (processing.key, field)
        assert processing.retention()


def test_a_duration_changed_in_the_table_changes_the_page_and_the_register(client, monkeypatch):
    changed = dataclasses.replace(retention.rule("demandes"), duration=Duration(months=7))
    monkeypatch.setitem(retention.RULES_BY_KEY, "demandes", changed)
    assert "anonymisation 7 mois après leur dernière activité" in page_text(client)
    assert "anonymisation 7 mois après leur dernière activité" in register.render_markdown()


def test_the_page_is_a_table_a_screen_reader_can_walk(client):
    html = client.get("/donnees-personnelles/").content.decode()
    assert "<caption>" in html
    assert html.count('<th scope="col">') == 3
    assert html.count('<th scope="row">') == len(register.processings())
    for processing in register.processings():
        assert f'<h3 id="{processing.key}">{processing.title}</h3>' in unescape(html)


def test_the_old_promise_of_later_durations_is_gone(client):
    text = page_text(client)
    assert "pas encore automatisé" not in text
    assert "Vos droits" in text and "Cookies" in text
