"""Import of a network's member list: command, report, dry run, re-import, admin."""

import pytest
from django.core.management import CommandError, call_command

from immersio.core.actors import COMMAND
from immersio.core.validators import CONTROL_CHARACTER_MESSAGE
from immersio.notifications.models import OutboundEmail
from immersio.structures.importer import (
    COLUMNS,
    ImportFileError,
    ImportRowForm,
    read_rows,
    run_import,
)
from immersio.structures.models import HostStructure, Network, StructureMembership
from tests.accounts.factories import UserFactory
from tests.structures.factories import HostStructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("referentials")]

GOOD = "35600000000048"  # La Poste: not Luhn, digits sum to a multiple of 5
OTHER = "73282932000074"
HEADER = (
    "siret;name;brand_name;ess_status;naf;headcount;address;insee_code;appellations;"
    "causes;contact_email;max_requests_per_month\n"
)
CSV = HEADER + (
    f"{GOOD};Les Jardins de la Sauvegarde;;association;01.13Z;10-49;12 chemin des Serres;69204;"
    "16384|10853;alimentation|agriculture-paysanne;Coordination@Jardins.example;6\n"
    f"{OTHER};Ressourcerie du Plateau;La Remise;association;;1-9;4 rue des Tanneurs;;A1414;"
    "economie-circulaire;;\n"
    "12345678901234;Mauvais SIRET;;;;;1 rue X;99999;999999;inconnue;pas-un-mail;500\n"
)


@pytest.fixture
def network():
    return Network.objects.get(slug="cress")


def write(tmp_path, text, name="membres.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_a_dry_run_writes_nothing_and_reports_every_line(network, reindex_spy):
    report = run_import(text=CSV, network=network, actor=COMMAND)
    assert not HostStructure.objects.exists() and not OutboundEmail.objects.exists()
    assert [(line.line, line.outcome) for line in report.lines] == [
        (2, "créée"),
        (3, "rejetée"),
        (4, "rejetée"),
    ]
    first, second, third = report.lines
    # La Poste's SIRETs follow their own rule; the invitation waits for the wet run.
    assert first.as_text() == (
        f"ligne 2 — créée — Les Jardins de la Sauvegarde ({GOOD}) : "
        "invitation prévue pour coordination@jardins.example"
    )
    assert second.messages == ["indiquez insee_code, ou postal_code et commune"]
    bad = " ; ".join(third.messages)
    for reason in [
        "clé de contrôle est fausse",
        "code INSEE inconnu : « 99999 »",
        "métier inconnu : « 999999 »",
        "cause inconnue(s) : « inconnue »",
        "adresse e-mail invalide",
        "max_requests_per_month doit être un nombre de 0 à 200",
    ]:
        assert reason in bad
    assert report.summary().startswith("Simulation (rien n'est enregistré) pour le réseau CRESS")
    assert len(reindex_spy.calls) == 1  # the same path as a wet run, rolled back


CLEAN = HEADER + (
    f"{OTHER};Les Jardins de la Sauvegarde;;association;01.13Z;10-49;12 chemin des Serres;69204;"
    "16384|10853;alimentation|agriculture-paysanne;Coordination@Jardins.example;6\n"
    "73282932000017;Ressourcerie du Plateau;La Remise;;;12;4 rue des Tanneurs;69266;A1414;"
    "economie-circulaire;;\n"
)


def test_a_wet_run_creates_publishes_and_invites(network, mailbox, reindex_spy):
    report = run_import(text=CLEAN, network=network, wet_run=True, actor=COMMAND)
    assert (report.created, report.updated, report.rejected) == (2, 0, 0)
    jardins = HostStructure.objects.get(siret=OTHER)
    assert jardins.status == "publiee" and jardins.source == "import:cress"
    assert jardins.published_at is not None
    assert (jardins.ess_status, jardins.is_ess, jardins.kind) == (
        "association",
        True,
        "association",
    )
    assert jardins.max_requests_per_month == 6 and jardins.naf_id == "0113Z"
    assert list(jardins.networks.values_list("slug", flat=True)) == ["cress"]
    site = jardins.sites.get()
    assert (site.commune_id, site.latitude) == ("69204", site.commune.latitude)
    assert sorted(site.offers.values_list("appellation_id", flat=True)) == [10853, 16384]
    remise = HostStructure.objects.get(siret="73282932000017")
    assert (remise.display_name, remise.headcount, remise.kind) == (
        "La Remise",
        "10-49",
        "entreprise",
    )
    assert remise.max_requests_per_month == 8  # from the headcount
    assert remise.sites.get().offers.get().appellation.rome_id == "A1414"
    assert "invitation envoyée à coordination@jardins.example" in report.lines[0].as_text()
    [message] = mailbox.deliver(1)
    assert message.to == ["coordination@jardins.example"]
    assert "en tant que administrateur" in message.text or "administrateur" in message.text
    assert reindex_spy.ids == {jardins.pk, remise.pk}


def test_a_reimport_updates_by_siret_and_never_duplicates(network):
    run_import(text=CLEAN, network=network, wet_run=True, actor=COMMAND)
    jardins = HostStructure.objects.get(siret=OTHER)
    jardins.sites.get().offers.filter(appellation_id=10853).delete()
    user = UserFactory(email="coordination@jardins.example")
    StructureMembership.objects.create(structure=jardins, user=user, role="admin")
    changed = CLEAN.replace("Les Jardins de la Sauvegarde", "Jardins renommés").replace(
        "16384|10853", "16068"
    )
    fne = Network.objects.get(slug="fne")
    report = run_import(text=changed, network=fne, wet_run=True, actor=COMMAND)
    assert (report.created, report.updated) == (0, 2)
    assert HostStructure.objects.count() == 2
    jardins.refresh_from_db()
    assert jardins.name == "Jardins renommés"
    assert sorted(jardins.networks.values_list("slug", flat=True)) == ["cress", "fne"]
    site = jardins.sites.get()
    assert sorted(site.offers.values_list("appellation_id", flat=True)) == [16068, 16384]
    assert "fait déjà partie de l'équipe" in report.lines[0].as_text()
    assert OutboundEmail.objects.count() == 1  # only the first import's invitation


def test_a_suspended_structure_stays_suspended(network):
    HostStructureFactory(siret=OTHER, suspended=True)
    report = run_import(text=CLEAN, network=network, wet_run=True, actor=COMMAND)
    assert report.lines[0].outcome == "mise à jour"
    assert "reste suspendue" in report.lines[0].as_text()
    assert HostStructure.objects.get(siret=OTHER).status == "suspendue"


def test_a_siret_twice_in_the_file_is_rejected_the_second_time(network):
    text = CLEAN + CLEAN.splitlines()[1] + "\n"
    report = run_import(text=text, network=network, actor=COMMAND)
    assert report.lines[2].outcome == "rejetée"
    assert report.lines[2].messages == ["SIRET déjà présent ligne 2 du fichier"]


def test_commas_postal_code_and_commune_name(network):
    text = (
        "siret,name,address,postal_code,commune,appellations,contact_mode,phone\n"
        f'{OTHER},Atelier Vélo,"3, place du Marché",44000,Nantes,16548,telephone,02 40 00 00 00\n'
        "73282932000017,Sans numéro,1 rue X,69100,Villeurbanne,16548,telephone,\n"
    )
    report = run_import(text="\ufeff" + text, network=network, wet_run=True, actor=COMMAND)
    assert [line.outcome for line in report.lines] == ["créée", "rejetée"]
    structure = HostStructure.objects.get(siret=OTHER)
    assert structure.sites.get().address == "3, place du Marché"
    assert structure.sites.get().commune_id == "44109"
    assert structure.contact_phone == "02 40 00 00 00"
    assert "sans numéro" in report.lines[1].as_text()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Le fichier est vide."),
        ("siret;name\n1;2\n", "Colonnes obligatoires absentes"),
        ("siret;name;address;insee_code;appellations;couleur\n", "Colonnes inconnues : couleur"),
    ],
)
def test_a_bad_file_is_refused_as_a_whole(text, message):
    with pytest.raises(ImportFileError, match=message):
        read_rows(text)


def test_french_column_names_are_accepted():
    rows = read_rows("SIRET;Raison sociale;Adresse;Code INSEE;Métiers\n1;A;B;69123;16384\n")
    assert rows[0][1]["name"] == "A" and rows[0][1]["appellations"] == "16384"


def test_the_command_is_a_dry_run_by_default(tmp_path, network):
    path = write(tmp_path, CLEAN)
    out = call_command_output("import_structures", str(path), "--network", "cress")
    assert "ligne 2 — créée — Les Jardins de la Sauvegarde (73282932000074)" in out
    assert "Simulation : rien n'a été enregistré" in out
    assert not HostStructure.objects.exists()
    out = call_command_output("import_structures", str(path), "--network", "cress", "--wet-run")
    assert HostStructure.objects.count() == 2
    assert "2 structure(s) créée(s)" in out


def test_the_command_refuses_unknown_networks_and_other_encodings(tmp_path):
    path = write(tmp_path, CLEAN.replace("Ressourcerie", "Récupération"), encoding="cp1252")
    with pytest.raises(CommandError, match="Réseau inconnu"):
        call_command("import_structures", str(path), "--network", "nope")
    with pytest.raises(CommandError, match="CSV UTF-8"):
        call_command("import_structures", str(path), "--network", "cress")


def call_command_output(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_admin_import_shows_the_dry_run_then_applies(client, network, mailbox):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(UserFactory(superuser=True))
    url = "/gestion/structures/hoststructure/importer/"
    assert "Simuler l'import" in client.get(url).content.decode()
    upload = SimpleUploadedFile("membres.csv", CLEAN.encode(), content_type="text/csv")
    page = client.post(url, {"file": upload, "network": network.pk}).content.decode()
    assert "Simulation (rien n&#x27;est enregistré)" in page
    assert "Appliquer l'import (2 créée(s), 0 mise(s) à jour)" in page
    assert not HostStructure.objects.exists()
    token = page.split('name="jeton" value="')[1].split('"')[0]
    page = client.post(url, {"appliquer": "1", "jeton": token}, follow=True).content.decode()
    assert HostStructure.objects.count() == 2
    assert "2 structure(s) créée(s)" in page
    mailbox.deliver(1)
    # The same simulation cannot be applied twice.
    response = client.post(url, {"appliquer": "1", "jeton": token})
    assert response.status_code == 302 and HostStructure.objects.count() == 2


def test_the_admin_import_is_for_staff_with_rights(client):
    client.force_login(UserFactory())
    response = client.get("/gestion/structures/hoststructure/importer/")
    assert response.status_code == 302 and "/gestion/login/" in response.url


def test_each_line_is_checked_by_a_form_with_one_field_per_column(network):

    assert set(ImportRowForm.base_fields) == set(COLUMNS)
    text = (
        "siret;name;address;insee_code;appellations;website;headcount\n"
        f"{OTHER};;1 rue X;69123;16384;pas une adresse;beaucoup\n"
        f"{GOOD};Jardin\x07;1 rue X;69123;16384;;\n"
    )
    first, second = run_import(text=text, network=network, actor=COMMAND).lines
    # Every problem of the line, in the order of the columns' fields.
    assert first.messages == [
        "indiquez la raison sociale (colonne name)",
        "Effectif inconnu : « beaucoup » (valeurs possibles : 0, 1-9, 10-49, 50-249, 250+)",
        "site web invalide : « pas une adresse »",
    ]
    # A control character in a cell is refused next to its column, as in every form.
    assert second.outcome == "rejetée"
    assert second.messages == [CONTROL_CHARACTER_MESSAGE]
