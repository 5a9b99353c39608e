"""The agency's follow-up (issue 12, item 6): who may read it, this week's ends (Paris
time), the assessments missing, the outcomes, the CSV export."""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from immersio.agencies.models import AgencyMembership
from immersio.assessments import followup, services
from immersio.assessments.models import Assessment
from immersio.assessments.rules import ContractType, NextStep
from immersio.conventions.transitions import Status
from immersio.core.actors import AUTOMATIC, TASK
from immersio.journal.models import ActionStep, Reflection, StepKind
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.assessments.helpers import completed, ended_convention

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def dashboard(agency) -> str:
    return reverse("assessments:followup", kwargs={"agency": agency.public_id})


def export(agency, **query) -> str:
    url = reverse("assessments:followup_export", kwargs={"agency": agency.public_id})
    query = {"du": "2020-01-01", "au": timezone.localdate().isoformat()} | query
    return url + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def team():
    counsellor = UserFactory()
    return AgencyFactory(counsellor=counsellor), counsellor


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


# --- who may read it -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["conseiller", "valideur", "administrateur"])
def test_every_member_reads_their_agency(client, role):
    agency = AgencyFactory()
    member = UserFactory()
    AgencyMembership.objects.create(agency=agency, user=member, role=role)
    client.force_login(member)
    assert client.get(dashboard(agency)).status_code == 200
    assert client.get(export(agency)).status_code == 200


@pytest.mark.parametrize("who", ["stranger", "other_agency", "staff", "inactive"])
def test_others_get_a_404(client, who):
    agency, _counsellor = team()
    user = UserFactory(is_staff=who == "staff")
    if who == "other_agency":
        AgencyFactory(counsellor=user)
    if who == "inactive":
        AgencyMembership.objects.create(agency=agency, user=user, is_active=False)
    client.force_login(user)
    assert client.get(dashboard(agency)).status_code == 404
    assert client.get(export(agency)).status_code == 404


def test_a_visitor_is_asked_to_log_in(client):
    agency, _counsellor = team()
    for url in (dashboard(agency), export(agency)):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_the_space_links_to_the_followup_and_a_member_of_several_chooses(client):
    agency, counsellor = team()
    second = AgencyFactory(counsellor=counsellor, name="Mission locale de Villeurbanne")
    client.force_login(counsellor)
    space = client.get(reverse("agencies:space_agency", kwargs={"public_id": agency.public_id}))
    assert dashboard(agency) in space.text
    page = client.get(dashboard(agency))
    assert dashboard(second) in page.text  # « Voir le suivi d'un autre de mes organismes »


def test_the_list_shows_only_the_agencys_own_immersions(client):
    agency, counsellor = team()
    ended_convention(agency=agency, beneficiary_last_name="Dedans")
    ended_convention(beneficiary_last_name="Ailleurs")  # another agency
    client.force_login(counsellor)
    page = client.get(dashboard(agency)).text
    assert "Dedans" in page and "Ailleurs" not in page
    rows = read_csv(client.get(export(agency)))
    names = [row[followup.COLUMNS.index("Nom du bénéficiaire")] for row in rows[1:]]
    assert names == ["Dedans"]


# --- this week, in Paris time --------------------------------------------------------------


def test_week_of_runs_from_monday_to_sunday():
    assert followup.week_of(date(2026, 12, 6)) == (date(2026, 11, 30), date(2026, 12, 6))
    assert followup.week_of(date(2026, 12, 7)) == (date(2026, 12, 7), date(2026, 12, 13))


def _ending(agency, day: date, name: str):
    return ended_convention(
        agency=agency,
        beneficiary_last_name=name,
        date_start=day - timedelta(days=4),
        date_end=day,
    )


def test_sunday_late_evening_in_paris_is_still_this_week(client):
    agency, counsellor = team()
    _ending(agency, date(2026, 12, 6), "Dimanche")
    _ending(agency, date(2026, 12, 7), "Lundi")
    client.force_login(counsellor)
    # Sunday 6 December, 23:59 in Paris (22:59 UTC).
    with time_machine.travel(datetime(2026, 12, 6, 23, 59, tzinfo=PARIS), tick=False):
        page = client.get(dashboard(agency)).text
    week = page.split('id="semaine"')[1].split('id="manquants"')[0]
    assert "Dimanche" in week and "Lundi" not in week


def test_monday_just_after_midnight_in_paris_is_the_next_week(client):
    agency, counsellor = team()
    _ending(agency, date(2026, 12, 6), "Dimanche")
    _ending(agency, date(2026, 12, 7), "Lundi")
    client.force_login(counsellor)
    # Monday 7 December, 00:00 in Paris: still Sunday 23:00 in UTC.
    with time_machine.travel(datetime(2026, 12, 7, 0, 0, tzinfo=PARIS), tick=False):
        page = client.get(dashboard(agency)).text
    week = page.split('id="semaine"')[1].split('id="manquants"')[0]
    assert "Lundi" in week and "Dimanche" not in week


def test_this_week_shows_each_assessments_state(client):
    agency, counsellor = team()
    today = timezone.localdate()
    monday, _sunday = followup.week_of(today)
    asked = _ending(agency, monday, "Demandé")
    _ending(agency, monday, "Pasencore")
    services.request_assessment(convention=asked.convention, actor=TASK)
    client.force_login(counsellor)
    page = client.get(dashboard(agency)).text
    week = page.split('id="semaine"')[1].split('id="manquants"')[0]
    assert "Pas encore demandé" in week
    assert "Demandé au tuteur le" in week
    assert reverse("conventions:review", kwargs={"public_id": asked.convention.public_id}) in week


# --- assessments missing -------------------------------------------------------------------


def test_missing_assessments_oldest_first_with_days_and_last_link(client):
    agency, counsellor = team()
    recent = ended_convention(agency=agency, days_ago=3, beneficiary_last_name="Récent")
    old = ended_convention(agency=agency, days_ago=20, beneficiary_last_name="Ancien")
    done = ended_convention(agency=agency, days_ago=10, beneficiary_last_name="Fini")
    ended_convention(agency=agency, days_ago=400, beneficiary_last_name="Tropvieux")
    for ended in (recent, old, done):
        Assessment.objects.create(
            convention=ended.convention, requested_at=timezone.now() - timedelta(days=2)
        )
    services.fill(convention=done.convention, answers=completed(done.convention), actor=AUTOMATIC)
    client.force_login(counsellor)
    page = client.get(dashboard(agency)).text
    missing = page.split('id="manquants"')[1].split('id="suites"')[0]
    assert missing.index("Ancien") < missing.index("Récent")
    assert "Fini" not in missing and "Tropvieux" not in missing
    assert "il y a 20 jours" in missing and "il y a 3 jours" in missing
    assert "lien envoyé au tuteur le" in missing
    assert 'value="renvoyer"' in missing


def test_resending_the_link_from_the_followup_comes_back_to_it(client):
    agency, counsellor = team()
    ended = ended_convention(agency=agency, days_ago=5)
    Assessment.objects.create(
        convention=ended.convention, requested_at=timezone.now() - timedelta(days=5)
    )
    client.force_login(counsellor)
    url = reverse("assessments:fill", kwargs={"public_id": ended.convention.public_id})
    response = client.post(url, {"action": "renvoyer", "retour": dashboard(agency)})
    assert response.status_code == 302 and response["Location"] == dashboard(agency)
    assert ended.assessment().link_resent_at is not None
    # Never elsewhere than this site.
    response = client.post(url, {"action": "renvoyer", "retour": "https://ailleurs.example/"})
    assert response["Location"] == url


# --- outcomes ------------------------------------------------------------------------------


def _outcome_world(agency):
    hired = ended_convention(agency=agency, days_ago=40)
    services.fill(
        convention=hired.convention,
        answers=completed(
            hired.convention,
            hired=True,
            contract_type=ContractType.CDI,
            contract_start=hired.convention.date_end + timedelta(days=10),
        ),
        actor=AUTOMATIC,
    )
    renewed = ended_convention(agency=agency, days_ago=40)
    ended_convention(
        agency=agency,
        days_ago=-30,
        status=Status.TO_SIGN,
        beneficiary_email=renewed.convention.beneficiary_email.upper(),
        with_account=False,
    )
    planned = ended_convention(agency=agency, days_ago=10)
    reflection = Reflection.objects.create(
        owner=planned.beneficiary, convention=planned.convention, shared_at=timezone.now()
    )
    ActionStep.objects.create(
        reflection=reflection, kind=StepKind.TRAIN, text="CAP", target_date=timezone.localdate()
    )
    private = ended_convention(agency=agency, days_ago=10)
    reflection = Reflection.objects.create(owner=private.beneficiary, convention=private.convention)
    ActionStep.objects.create(
        reflection=reflection, kind=StepKind.TRAIN, text="CAP", target_date=timezone.localdate()
    )
    return hired, renewed, planned, private


def test_outcomes_classify_each_ended_immersion_once():
    agency, _counsellor = team()
    hired, renewed, planned, private = _outcome_world(agency)
    conventions = list(followup.immersions(agency).filter(date_end__lte=timezone.localdate()))
    steps = followup.next_steps(agency, conventions)
    assert steps == {
        hired.convention.pk: NextStep.HIRED,
        renewed.convention.pk: NextStep.IMMERSION,
        planned.convention.pk: NextStep.TRAINING,
        private.convention.pk: NextStep.NONE,  # the plan was not shared
    }
    rows = followup.outcomes(agency, timezone.localdate())
    assert len(rows) == followup.FOLLOWUP_MONTHS
    assert sum(r["ended"] for r in rows) == 4
    assert {t["key"]: t["count"] for t in followup.totals(rows)} == {
        "embauche": 1,
        "formation": 1,
        "immersion": 1,
        "aucune": 1,
    }


def test_another_agencys_later_convention_is_not_counted():
    agency, _counsellor = team()
    ended = ended_convention(agency=agency, days_ago=20)
    ended_convention(
        days_ago=-20, beneficiary_email=ended.convention.beneficiary_email, with_account=False
    )
    steps = followup.next_steps(agency, [ended.convention])
    assert steps[ended.convention.pk] == NextStep.NONE


def test_the_charts_have_their_tables_and_no_inline_style(client):
    agency, counsellor = team()
    _outcome_world(agency)
    client.force_login(counsellor)
    page = client.get(dashboard(agency)).text
    charts = page.split('id="suites"')[1].split('id="export"')[0]
    assert charts.count("<svg") >= 2 and 'role="img"' in charts
    assert charts.count("<caption>") == 2 and 'scope="row"' in charts
    assert "style=" not in page
    assert "<script" not in charts


# --- the CSV export ------------------------------------------------------------------------


def test_the_export_has_its_columns_and_no_sensitive_field(client):
    agency, counsellor = team()
    ended = ended_convention(
        agency=agency,
        days_ago=5,
        beneficiary_rqth=True,
        beneficiary_rsa=True,
        help_needed="Aide au transport",
        beneficiary_birth_date=date(1991, 2, 3),
    )
    services.request_assessment(convention=ended.convention, actor=TASK)
    services.fill(convention=ended.convention, answers=completed(ended.convention), actor=AUTOMATIC)
    client.force_login(counsellor)
    response = client.get(export(agency))
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == list(followup.COLUMNS)
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Référence"] == ended.convention.reference
    assert row["Bilan"] == "Rempli, à cosigner"
    assert row["Objectifs atteints"] == "2"
    assert row["Embauche"] == "non"
    assert row["Suite"] == "Pas de suite connue"
    text = ";".join(rows[1])
    for secret in ("1991", "03/02/1991", "RQTH", "RSA", "Aide au transport"):
        assert secret not in text
    assert ended.convention.beneficiary_email not in text


def test_the_export_neutralises_formulas(client):
    agency, counsellor = team()
    ended_convention(
        agency=agency,
        beneficiary_first_name='=HYPERLINK("http://x")',
        beneficiary_last_name="+33 Dupont",
        host_name="@SOMME(A1)",
        counsellor_name="-2+3",
    )
    client.force_login(counsellor)
    row = read_csv(client.get(export(agency)))[1]
    cells = dict(zip(followup.COLUMNS, row, strict=True))
    assert cells["Prénom du bénéficiaire"] == '\'=HYPERLINK("http://x")'
    assert cells["Nom du bénéficiaire"] == "'+33 Dupont"
    assert cells["Structure d'accueil"] == "'@SOMME(A1)"
    assert cells["Conseiller référent"] == "'-2+3"


def test_neutralise():
    assert followup.neutralise("=1+1") == "'=1+1"
    assert followup.neutralise("\t=1") == "'\t=1"
    assert followup.neutralise("Dupont") == "Dupont"
    assert followup.neutralise(None) == ""
    assert followup.neutralise(3) == "3"


def test_the_export_keeps_to_its_dates(client):
    agency, counsellor = team()
    ended_convention(agency=agency, days_ago=100, beneficiary_last_name="Avant")
    ended_convention(agency=agency, days_ago=5, beneficiary_last_name="Pendant")
    client.force_login(counsellor)
    since = timezone.localdate() - timedelta(days=30)
    rows = read_csv(client.get(export(agency, du=since.isoformat())))
    names = [row[followup.COLUMNS.index("Nom du bénéficiaire")] for row in rows[1:]]
    assert names == ["Pendant"]


def test_a_wrong_period_comes_back_to_the_form_with_its_message(client):
    agency, counsellor = team()
    client.force_login(counsellor)
    response = client.get(export(agency, du="2026-05-01", au="2026-04-01"))
    assert response.status_code == 302
    page = client.get(response["Location"]).text
    assert "Cette date doit suivre la date « à partir du »." in page
    response = client.get(export(agency, du="1800-01-01"))
    page = client.get(response["Location"]).text
    assert "Date trop ancienne pour une recherche" in page


def test_the_export_streams_in_chunks(client, monkeypatch):
    """Read ``EXPORT_CHUNK`` rows at a time: never the whole list at once."""
    monkeypatch.setattr(followup, "EXPORT_CHUNK", 2)
    agency, _counsellor = team()
    for _ in range(5):
        ended_convention(agency=agency, days_ago=3)
    seen = []
    original = followup.next_steps

    def spy(agency, conventions):
        seen.append(len(conventions))
        return original(agency, conventions)

    monkeypatch.setattr(followup, "next_steps", spy)
    lines = list(
        followup.export_lines(agency, date(2020, 1, 1), timezone.localdate(), timezone.localdate())
    )
    assert len(lines) == 6
    assert seen == [2, 2, 1]


def test_every_column_of_the_export_is_documented():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "suivi-prescripteur.md").read_text()
    documented = [
        line.split("|")[1].strip()
        for line in doc.splitlines()
        if line.startswith("| ") and not line.startswith("| Colonne")
    ]
    assert documented == list(followup.COLUMNS)


def test_the_demo_agency_has_a_year_to_follow(referentials, client):
    from io import StringIO

    from django.core.management import call_command

    from immersio.accounts.models import User
    from immersio.demo import conventions as conventions_demo
    from immersio.demo import followup as demo

    call_command("load_demo", "--wet-run", stdout=StringIO())
    counsellor = User.objects.get(email=conventions_demo.COUNSELLOR)
    agency = followup.agencies_of(counsellor).get()
    client.force_login(counsellor)
    page = client.get(dashboard(agency)).text
    week = page.split('id="semaine"')[1].split('id="manquants"')[0]
    missing = page.split('id="manquants"')[1].split('id="suites"')[0]
    assert "Léo Caron" in week
    assert "Manon Roussel" in missing and "Hugo Bernard" not in missing
    totals = {
        t["key"]: t["count"]
        for t in followup.totals(followup.outcomes(agency, timezone.localdate()))
    }
    assert totals["embauche"] >= 2 and totals["formation"] >= 1 and totals["immersion"] >= 1
    # Twice: nothing moves.
    assert "0 immersion(s)" in demo.load()


@pytest.mark.parametrize("count", [1, 4, 100, 999])
def test_the_value_of_the_longest_total_bar_stays_inside_the_chart(count):
    # « 4 (40 %) » was cut at the right edge of the totals chart (seen in the browser).
    items = [
        {"key": step.value, "label": step.label, "count": count if n == 0 else 1, "percent": 100}
        for n, step in enumerate(followup.NEXT_STEPS)
    ]
    chart = followup.totals_chart(items)
    widest = chart["rows"][0]
    text = f"{widest['value']} ({widest['percent']} %)"
    # 12 px text: about 7 units a character (digits, spaces and « % » are narrower).
    assert widest["value_x"] + 7 * len(text) <= chart["width"], text
