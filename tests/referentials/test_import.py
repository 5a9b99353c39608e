"""The import command: counts, idempotence, errors that name the file and the line."""

import gzip

import pytest
from django.core.management import CommandError, call_command

from immersio.referentials import importer
from immersio.referentials.models import (
    Appellation,
    Commune,
    NafCode,
    ReferentialsVersion,
    RomeMetier,
    RomeNafHiring,
)

pytestmark = pytest.mark.django_db

# rome_appellations.csv has 11,118 data lines: its last line has no final newline, so
# `wc -l` says 11,118 lines in all, header included, hence the 11,117 sometimes quoted.
COUNTS = {
    RomeMetier: 532,
    Appellation: 11_118,
    Commune: 35_014,
    NafCode: 732,
    RomeNafHiring: 5_071,
}


def table_counts():
    return {model: model.objects.count() for model in COUNTS}


def snapshot():
    """Everything the import writes, to compare before and after."""
    return (
        table_counts(),
        list(ReferentialsVersion.objects.values_list("token", "changed_at")),
        list(Appellation.objects.order_by("pk").values_list("pk", "label")[:50]),
        list(Commune.objects.order_by("pk").values_list("pk", "name", "postal_codes")[:50]),
    )


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_referentials", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def rewrite_line(path, number, transform):
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[number - 1] = transform(lines[number - 1])
    path.write_text("\n".join(lines), encoding="utf-8")


def test_shipped_files_hold_the_expected_rows(referentials):
    assert table_counts() == COUNTS
    boulanger = Appellation.objects.select_related("rome").get(code=11573)
    assert (boulanger.label, boulanger.rome.code) == ("Boulanger / Boulangère", "D1102")
    assert boulanger.search_text == "boulanger boulangere"
    lyon = Commune.objects.get(insee_code="69123")
    assert lyon.postal_code_list[:2] == ["69001", "69002"]
    assert (lyon.latitude, lyon.longitude) == pytest.approx((45.75881, 4.83533))
    assert Commune.objects.get(insee_code="42218").normalized_name == "saint etienne"
    assert Commune.objects.filter(latitude__isnull=True).count() == 95
    assert RomeNafHiring.objects.get(rome_id="A1101", naf_id="0121Z").hirings == 175


def test_second_run_changes_nothing(referentials, fresh_search_indexes):
    before = snapshot()
    out, err = run()
    assert snapshot() == before
    assert "11 118 appellations importées (0 ajoutée, 0 modifiée, 0 supprimée)" in out
    assert "35 014 communes importées" in out
    assert "532 métiers ROME importés" in out
    assert "5 071 correspondances ROME ↔ NAF importées" in out
    assert "aucun changement" in out
    assert "rome_appellations.csv : 11118 lignes lues" in err  # progress


def test_changes_are_upserted_and_deleted(
    referentials, referentials_data_dir, fresh_search_indexes
):
    token = ReferentialsVersion.objects.get().token
    appellations = referentials_data_dir / "rome_appellations.csv"
    text = appellations.read_text(encoding="utf-8")
    text = text.replace(
        "11573;D1102;Boulanger / Boulangère;", "11573;D1102;Boulanger / Boulangère (pain);"
    )
    text = text.replace("12071;G1206;Chef de boule;Chef de boule\n", "")
    appellations.write_text(text + "\n99999999;D1102;Mitron / Mitronne;Mitron", encoding="utf-8")

    out, _ = run("--data-dir", str(referentials_data_dir))

    assert "11 118 appellations importées (1 ajoutée, 1 modifiée, 1 supprimée)" in out
    assert Appellation.objects.get(code=11573).label == "Boulanger / Boulangère (pain)"
    assert Appellation.objects.get(code=11573).search_text == "boulanger boulangere pain"
    assert not Appellation.objects.filter(code=12071).exists()
    assert Appellation.objects.get(code=99999999).short_label == "Mitron"
    assert ReferentialsVersion.objects.get().token != token  # other processes will rebuild


def test_dry_run_reports_without_writing(referentials, referentials_data_dir):
    path = referentials_data_dir / "rome_metiers.csv"
    rewrite_line(path, 2, lambda line: line.replace("Conduite", "Pilotage"))
    before = snapshot()
    out, _ = run("--data-dir", str(referentials_data_dir), "--dry-run")
    assert "532 métiers ROME seraient importés (0 ajouté, 1 modifié, 0 supprimé)" in out
    assert "Essai à blanc" in out
    assert snapshot() == before


@pytest.mark.parametrize(
    ("file", "line", "transform", "message"),
    [
        (
            "rome_appellations.csv",
            42,
            lambda line: line.replace(line.split(";")[1], "X9999", 1),
            "rome_appellations.csv, ligne 42 : code ROME « X9999 » inconnu.",
        ),
        (
            "rome_appellations.csv",
            7,
            lambda line: "abc;" + line.split(";", 1)[1],
            "rome_appellations.csv, ligne 7 : code OGR « abc » : nombre entier positif attendu.",
        ),
        (
            "rome_metiers.csv",
            3,
            lambda line: line.split(";")[0],
            "rome_metiers.csv, ligne 3 : 1 colonne(s) au lieu de 2.",
        ),
        (
            "rome_metiers.csv",
            1,
            lambda line: "code;libelle",
            "rome_metiers.csv, ligne 1 : en-tête inattendu",
        ),
        (
            "rome_metiers.csv",
            4,
            lambda line: "A1101;Doublon",
            "rome_metiers.csv, ligne 4 : « A1101 » en double (déjà ligne 2).",
        ),
        (
            "communes.csv",
            3,
            lambda line: line.replace(",46.00919,", ",146.00919,"),
            "communes.csv, ligne 3 : latitude « 146.00919 » hors limites.",
        ),
        (
            "naf_labels.csv",
            5,
            lambda line: "01|" + line.split("|")[1],
            "naf_labels.csv, ligne 5 : code NAF « 01 » invalide.",
        ),
        (
            "rome_naf_mapping.csv",
            10,
            lambda line: line.rsplit(",", 1)[0] + ",beaucoup",
            "rome_naf_mapping.csv, ligne 10 : nombre d'embauches « beaucoup »",
        ),
    ],
)
def test_a_wrong_line_stops_everything(
    referentials, referentials_data_dir, file, line, transform, message
):
    # A valid change elsewhere, which must not be written either.
    rewrite_line(referentials_data_dir / "rome_metiers.csv", 2, lambda row: row + " modifié")
    rewrite_line(referentials_data_dir / file, line, transform)
    before = snapshot()
    with pytest.raises(CommandError) as error:
        run("--data-dir", str(referentials_data_dir))
    assert message in str(error.value)
    assert str(error.value).startswith("Import annulé, rien n'a été modifié.")
    assert snapshot() == before


def test_an_encoding_error_names_its_line(referentials, referentials_data_dir):
    path = referentials_data_dir / "naf_labels.csv"
    lines = path.read_bytes().split(b"\n")
    lines[9] = lines[9].replace(b"|", b"|\xff")
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(CommandError, match=r"naf_labels\.csv, ligne 10 : encodage invalide"):
        run("--data-dir", str(referentials_data_dir))


def test_a_missing_file_stops_everything(referentials, referentials_data_dir):
    (referentials_data_dir / "communes.csv").unlink()
    before = snapshot()
    with pytest.raises(CommandError, match=r"communes\.csv\.gz : fichier introuvable"):
        run("--data-dir", str(referentials_data_dir))
    assert snapshot() == before


def test_a_truncated_archive_stops_everything(referentials, referentials_data_dir):
    path = referentials_data_dir / "rome_metiers.csv"
    compressed = gzip.compress(path.read_bytes())
    path.unlink()
    (referentials_data_dir / "rome_metiers.csv.gz").write_bytes(compressed[: len(compressed) // 2])
    with pytest.raises(CommandError, match=r"rome_metiers\.csv\.gz : archive gzip illisible"):
        run("--data-dir", str(referentials_data_dir))


def test_a_missing_directory_is_reported(db, tmp_path):
    with pytest.raises(CommandError, match="Dossier introuvable"):
        run("--data-dir", str(tmp_path / "nulle-part"))


def test_a_failure_while_writing_rolls_everything_back(
    referentials, referentials_data_dir, monkeypatch, fresh_search_indexes
):
    rewrite_line(referentials_data_dir / "rome_metiers.csv", 2, lambda row: row + " modifié")
    rewrite_line(referentials_data_dir / "communes.csv", 2, lambda row: row.replace("860", "861"))
    real_sync = importer._sync

    def failing_sync(table, wanted, say):
        if table.model is Commune:  # after the métiers were written
            raise importer.ReferentialError("communes.csv", "panne simulée.")
        return real_sync(table, wanted, say)

    monkeypatch.setattr(importer, "_sync", failing_sync)
    before = snapshot()
    with pytest.raises(CommandError, match="panne simulée"):
        run("--data-dir", str(referentials_data_dir))
    assert snapshot() == before
    assert RomeMetier.objects.get(code="A1101").label == "Conduite d'engins agricoles et forestiers"


def test_an_import_into_an_empty_database(db, fresh_search_indexes):
    """Without the session data: the first import of a fresh installation."""
    for model in (RomeNafHiring, Appellation, RomeMetier, NafCode, Commune, ReferentialsVersion):
        model.objects.all().delete()
    out, _ = run()
    assert "11 118 appellations importées (11 118 ajoutées, 0 modifiée, 0 supprimée)" in out
    assert table_counts() == COUNTS
    assert ReferentialsVersion.objects.count() == 1


def test_rows_still_in_use_are_not_deleted(referentials, referentials_data_dir, monkeypatch):
    """A métier that disappears from the files but is still referenced elsewhere."""
    from django.db.models import ProtectedError, QuerySet

    def protected(queryset):
        raise ProtectedError("encore utilisé", set())

    monkeypatch.setattr(QuerySet, "delete", protected)
    path = referentials_data_dir / "rome_appellations.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("12071;G1206;Chef de boule;Chef de boule\n", ""),
        encoding="utf-8",
    )
    before = snapshot()
    with pytest.raises(CommandError, match="impossible de supprimer 1 ligne absente"):
        run("--data-dir", str(referentials_data_dir))
    assert snapshot() == before
