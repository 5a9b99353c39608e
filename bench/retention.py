"""Benchmark of the retention job (issue 11): how long ``apply_retention`` takes on many
immersion requests, half of them due, on SQLite and on PostgreSQL.

    python -m bench retention                                  # both databases (make bench)
    python -m bench.retention --databases sqlite --size 100000 # alone, smaller
    python -m bench.retention --render                         # the docs section from the JSON

For each database (a temporary SQLite file; a throw-away PostgreSQL server started here
like ``.ci/run`` does, port 54332 when free), a child process migrates an empty database,
writes ``size`` closed requests (``bulk_create`` in batches; every other one last active
two years ago, so due under the « demandes » rule, the others last week), then times:
a dry run (counting only), the wet run (one transaction per request: lock, blank, delete
its messages, clear its events), and a second wet run (nothing left: the cost of a
night with nothing to do). The size is ``--size`` or ``BENCH_RETENTION_SIZE``
(1,000,000 by default).

Writes bench/results/retention.json (through ``python -m bench``) and the « Conservation
des données » section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from bench import _util

# Seconds, whole benchmark (a literal: the runner reads it without importing).
TIMEOUT = 14400
DATABASES = ("sqlite", "postgresql")
DEFAULT_SIZE = 1_000_000
BATCH = 5000
PG_PORT = 54332
RESULTS = _util.ROOT / "bench" / "results" / "retention.json"


def _databases() -> list[str]:
    raw = os.environ.get("BENCH_RETENTION_DATABASES")
    return [name.strip() for name in raw.split(",")] if raw else list(DATABASES)


def _size() -> int:
    return int(os.environ.get("BENCH_RETENTION_SIZE", DEFAULT_SIZE))


# Parent: one child process per database -------------------------------------------------


def run() -> dict:
    from bench.search_lib import postgres

    databases = _databases()
    results = {
        "machine": _util.machine(),
        "postgresql": postgres.version(),
        "parameters": {"requests": _size(), "due": _size() // 2, "batch": BATCH},
        "databases": _util.previous_databases(RESULTS, databases),
    }
    for database in databases:
        with tempfile.TemporaryDirectory(prefix="immersio-bench-retention-") as directory:
            if database == "postgresql":
                if postgres.find_bin() is None:
                    results["databases"][database] = {"skipped": "PostgreSQL absent"}
                    continue
                with postgres.server(port=PG_PORT) as url:
                    results["databases"][database] = _util.measure_in_child(
                        "bench.retention", database, url, directory, title=f"{_size()} demandes"
                    )
            else:
                url = f"sqlite:///{directory}/bench.sqlite3"
                results["databases"][database] = _util.measure_in_child(
                    "bench.retention", database, url, directory, title=f"{_size()} demandes"
                )
    _util.write_doc_section("Conservation des données", render(results))
    return results


# Child: the data and the measure ----------------------------------------------------------


def generate(size: int, *, now) -> float:
    """``size`` closed requests to one structure, every other one due at ``now``; returns
    the seconds it took."""
    from datetime import timedelta

    from django.db import connection

    from immersio.contacts.models import ContactRequest, Status
    from tests.structures.factories import HostStructureFactory, maraicher

    started = time.perf_counter()
    structure = HostStructureFactory(with_site=True)
    appellation = maraicher()
    sent = now - timedelta(days=800)
    for first in range(0, size, BATCH):
        ContactRequest.objects.bulk_create(
            [
                ContactRequest(
                    structure=structure,
                    appellation=appellation,
                    first_name="Camille",
                    last_name=f"Durand {n}",
                    email=f"personne{n}@exemple.fr",
                    phone="0611223344",
                    situation="demandeur_ft",
                    objective="discover",
                    motivations="Découvrir le maraîchage, après dix ans en cuisine.",
                    hopes="Les récoltes.",
                    period="En mars.",
                    duration="1s",
                    contact_mode="message",
                    status=Status.DECLINED,
                    sent_at=sent,
                    verified_at=sent,
                )
                for n in range(first, min(first + BATCH, size))
            ],
            batch_size=BATCH,
        )
    # ``updated_at`` is set by ``auto_now``: the last activity is written afterwards, in
    # one statement: every other request two years ago (due), the others last week.
    table = ContactRequest._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET updated_at = %s WHERE id %% 2 = 0",  # noqa: S608 (our table)
            [now - timedelta(days=730)],
        )
        cursor.execute(
            f"UPDATE {table} SET updated_at = %s WHERE id %% 2 = 1",  # noqa: S608
            [now - timedelta(days=7)],
        )
    return time.perf_counter() - started


def measure_here(size: int) -> dict:
    """Generate, then time the three runs, in the database Django is connected to."""
    from django.utils import timezone

    from immersio.contacts.models import ContactRequest
    from immersio.core.actors import COMMAND
    from immersio.privacy.purge import apply_retention

    now = timezone.now()
    result: dict = {"requests": size, "generate_s": round(generate(size, now=now), 1)}
    for name, wet in (("dry_run", False), ("wet_run", True), ("second_run", True)):
        print(f"    {name}", flush=True)
        started = time.perf_counter()
        run = apply_retention(now=now, wet_run=wet, actor=COMMAND)
        seconds = time.perf_counter() - started
        line = next(line for line in run.report if line["rule"] == "demandes")
        result[name] = {
            "seconds": round(seconds, 2),
            "found": line["found"],
            "done": line["done"],
            "errors": line["errors"],
        }
        if name == "wet_run" and line["done"]:
            result[name]["ms_per_request"] = round(seconds * 1000 / line["done"], 3)
            result[name]["requests_per_second"] = round(line["done"] / seconds)
    result["anonymised"] = ContactRequest.objects.filter(anonymised_at__isnull=False).count()
    return result


def measure(output: Path, size: int) -> int:
    sys.path.insert(0, str(_util.ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    result: dict = {"database": connection.vendor, "migrate_s": round(time.monotonic() - started)}
    result |= measure_here(size)
    output.write_text(json.dumps(result, indent=2, ensure_ascii=False), "utf-8")
    return 0


# docs/performance.md --------------------------------------------------------------------


def _n(number: int) -> str:
    """« 1 000 000 »: thousands separated by a space, as French writes them."""
    return f"{number:,}".replace(",", " ")


def render(results: dict) -> str:
    machine = results["machine"]
    size = results["parameters"]["requests"]
    lines = [
        f"Mesuré le {machine['date'][:10]} sur {machine['cpu_count']} cœurs "
        f"({machine['cpu_model']}), Python {machine['python']}, Django {machine['django']}, "
        f"{results['postgresql']} ; `python -m bench retention`, résultats complets dans "
        "`bench/results/retention.json`. Charge de la machine au départ : "
        f"{machine.get('cpu_busy_percent_at_start', '?')} % des processeurs occupés.",
        "",
        f"{_n(size)} demandes d'immersion closes (`bulk_create`), une sur deux sans activité "
        "depuis deux ans, donc à anonymiser par la règle « demandes » ; les autres ne le "
        "sont pas. `apply_retention` parcourt toute la table de conservation : simulation "
        "(compter), passage réel (chaque demande dans sa propre transaction, un point de "
        "sauvegarde, validées par lots de 100 : verrou, effacement, messages supprimés, "
        "évènements vidés), puis un second passage, qui n'a plus rien à faire. "
        "Taille réglable : `BENCH_RETENTION_SIZE` ou `python -m bench.retention --size`.",
        "",
        "| base | demandes | génération | simulation | passage réel | par demande | "
        "second passage | erreurs |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, title in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        data = results["databases"].get(name)
        if not data or "wet_run" not in data:
            why = (data.get("skipped") or data.get("error")) if data else "pas encore lancé"
            lines.append(f"| {title} | non mesuré : {why} | | | | | | |")
            continue
        wet = data["wet_run"]
        lines.append(
            f"| {title} | {_n(data['requests'])} | {data['generate_s']} s | "
            f"{data['dry_run']['seconds']} s ({_n(data['dry_run']['found'])} trouvées) | "
            f"{wet['seconds']} s ({_n(wet['done'])} anonymisées) | "
            f"{wet.get('ms_per_request', '—')} ms | {data['second_run']['seconds']} s | "
            f"{wet['errors']} |"
        )
    for name, title in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        data = results["databases"].get(name) or {}
        per_request = data.get("wet_run", {}).get("ms_per_request")
        if per_request and data["requests"] < DEFAULT_SIZE:
            minutes = round(per_request * DEFAULT_SIZE / 2 / 60_000)
            lines += [
                "",
                f"{title} : au même rythme, {_n(DEFAULT_SIZE)} demandes (la moitié à "
                f"anonymiser) prendraient environ {minutes} min de passage réel : estimation, "
                "pas mesure.",
            ]
    if results.get("note"):  # what the figures alone do not say (written by whoever ran it)
        lines += ["", results["note"]]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.retention", description=__doc__)
    parser.add_argument("--databases", help="sqlite, postgresql ou les deux")
    parser.add_argument("--size", type=int, help=f"demandes générées ({DEFAULT_SIZE} par défaut)")
    parser.add_argument(
        "--render",
        action="store_true",
        help="réécrire la section de docs/performance.md depuis bench/results/retention.json",
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.databases:
        os.environ["BENCH_RETENTION_DATABASES"] = args.databases
    if args.size:
        os.environ["BENCH_RETENTION_SIZE"] = str(args.size)
    if args.measure:
        return measure(Path(args.out), _size())
    if args.render:
        results = json.loads(RESULTS.read_text("utf-8"))
        _util.write_doc_section("Conservation des données", render(results))
        return 0
    from bench.__main__ import run_one  # the harness's way: stamped, written atomically

    return run_one("retention")


if __name__ == "__main__":
    sys.exit(main())
