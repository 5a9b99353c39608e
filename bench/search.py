"""Benchmark of the directory search at national scale, on SQLite and on PostgreSQL.

    python -m bench search                       # 100,000 then 1,000,000 structures
    BENCH_SEARCH_SIZES=100000 python -m bench search
    python -m bench.search --sizes 100000 --databases sqlite     # alone, quicker

For each database (a temporary SQLite file; a throw-away PostgreSQL server started here
like ``.ci/run`` does), a child process migrates, imports the referentials, generates the
synthetic directory (``generate_directory``, fixed seed, about 2 offers per structure) up
to each size, then measures:

(a) the core search function over a fixed, seeded list of queries (popular, medium and
    rare métiers; dense and empty places; radius 10, 30 and 100 km; sort by distance,
    count included), and the same queries answered in the same run by the in-memory
    numpy floor (``search_lib/floor.py``): the counts and ids must be identical;
    other families (ROME code, place only, free text, relevance order) are measured
    apart, outside the goals;
(b) end to end over HTTP: gunicorn, 2 sync workers on loopback, the API
    ``/api/v1/structures/search``: latency at a paced 100 requests/s, then the sustained
    maximum with 4 clients — with the settings as they are, and without a transaction
    around requests;
(c) the resident memory of a web worker after the loads.

Writes bench/results/search.json (also after each size, so that a run cut short leaves
its figures) and the « Recherche » section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from bench import _util

TIMEOUT = 10_800  # seconds, whole benchmark; a literal: the runner reads it without importing
SIZES = (100_000, 1_000_000)
DATABASES = ("sqlite", "postgresql")
SEED = 20261126
ROUNDS = 5  # measured passes over the main queries, after a warm-up pass
MAIN_QUERIES = 240
PACED_RPS = 100
PACED_SECONDS = 20.0
LOAD_CLIENTS = 4
LOAD_SECONDS = 10.0
GOALS = {
    "core_p95_ms": 10.0,
    "core_vs_floor_p95": 2.0,
    "http_p95_ms_at_100_rps": 25.0,
    "http_rps": 400,
    "worker_rss_mb": 300,
}
RESULTS = _util.ROOT / "bench" / "results" / "search.json"
SETTINGS = "bench.search_lib.settings"
API = "/api/v1/structures/search"
# Rural departments for the « empty » places (Lozère, Creuse, Cantal, Hautes-Alpes…).
EMPTY_DEPARTMENTS = ("48", "23", "15", "05", "04", "09", "52", "55", "46", "2B")
RADII = (10, 30, 100)


def _sizes() -> list[int]:
    raw = os.environ.get("BENCH_SEARCH_SIZES")
    return sorted(int(size) for size in raw.split(",")) if raw else list(SIZES)


def _databases() -> list[str]:
    raw = os.environ.get("BENCH_SEARCH_DATABASES")
    return [name.strip() for name in raw.split(",")] if raw else list(DATABASES)


# Parent: one child process per database -------------------------------------------------


def run() -> dict:
    from bench.search_lib import postgres

    sizes, databases = _sizes(), _databases()
    results = {
        "machine": _util.machine(),
        "postgresql": postgres.version(),
        "sizes": sizes,
        "seed": SEED,
        "goals": GOALS,
        "databases": _previous(sizes, databases),
    }
    for database in databases:
        with tempfile.TemporaryDirectory(prefix="immersio-bench-search-") as directory:
            if database == "postgresql":
                if postgres.find_bin() is None:
                    results["databases"][database] = {"skipped": "PostgreSQL absent"}
                    continue
                with postgres.server() as url:
                    results["databases"][database] = _child(database, url, directory, sizes)
            else:
                url = f"sqlite:///{directory}/bench.sqlite3"
                results["databases"][database] = _child(database, url, directory, sizes)
        _save(results)
    _util.write_doc_section("Recherche", render(results))
    return results


def _previous(sizes: list[int], measured: list[str]) -> dict:
    """The figures of the databases not measured this time, from the last results of the
    same sizes (``--databases postgresql`` keeps those of SQLite)."""
    try:
        previous = json.loads(RESULTS.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if previous.get("sizes") != sizes:
        return {}
    return {
        name: data for name, data in previous.get("databases", {}).items() if name not in measured
    }


def _save(results: dict) -> None:
    """Keep what one database gave before the next starts (the harness writes the final
    file): written whole or not at all."""
    RESULTS.parent.mkdir(exist_ok=True)
    temporary = RESULTS.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    temporary.replace(RESULTS)


def _child(database: str, url: str, directory: str, sizes: list[int]) -> dict:
    return _util.measure_in_child(
        "bench.search",
        database,
        url,
        directory,
        title=f"{', '.join(f'{size:,}' for size in sizes)} structures",
        args=["--sizes", ",".join(str(size) for size in sizes)],
        settings=SETTINGS,
    )


# Child: measures on one database ----------------------------------------------------------


def measure(sizes: list[int], output: Path) -> int:
    sys.path.insert(0, str(_util.ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from immersio.demo import generator

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("import_referentials", verbosity=0)
    result: dict = {"database": connection.vendor, "sizes": {}}
    queries = None
    generated = 0
    generation_s = 0.0
    for size in sizes:
        started = time.monotonic()

        def progress(totals, elapsed, base=generated, size=size):
            done = base + totals.structures
            if totals.structures % 100_000 == 0 or done == size:
                print(f"    {done:,} structures ({elapsed:.0f} s)", flush=True)

        generator.generate(structures=size - generated, seed=SEED + generated, progress=progress)
        generation_s += time.monotonic() - started
        generated = size
        maintenance_s = _maintenance(connection)
        if queries is None:
            queries = build_queries(random.Random(SEED))
            result["queries"] = {name: len(items) for name, items in queries.items()}
            result["query_samples"] = queries["main"][:: len(queries["main"]) // 12][:12]
        entry = {
            "structures": size,
            "generation_s": round(generation_s, 1),
            "generation_rate_per_s": round(size / generation_s),
            "maintenance_s": round(maintenance_s, 1),
            **_sizes_on_disk(connection),
        }
        result["sizes"][str(size)] = entry
        print(f"    mesures du cœur de la recherche ({size:,})", flush=True)
        entry["core"] = core_measures(queries)
        _write(output, result)
        connection.close()
        print(f"    mesures HTTP ({size:,})", flush=True)
        entry["http"] = {
            "as_configured": http_measures(queries["main"], non_atomic=False),
            "non_atomic_requests": http_measures(queries["main"], non_atomic=True),
        }
        _write(output, result)
        if entry["core"]["equal_to_floor"]["mismatches"]:
            print("    ÉCART avec le plancher : voir le JSON.", file=sys.stderr)
            return 1
    return 0


def _write(output: Path, result: dict) -> None:
    output.write_text(json.dumps(result, indent=2, ensure_ascii=False), "utf-8")


def _maintenance(connection) -> float:
    """What a database gets after a bulk load: statistics (and, on PostgreSQL, the
    visibility map that index-only scans need)."""
    started = time.monotonic()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
    return time.monotonic() - started


def _sizes_on_disk(connection) -> dict:
    from immersio.directory.models import IndexEntry

    info = {"offers": IndexEntry.objects.count()}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            info["database_mb"] = round(cursor.fetchone()[0] / 2**20)
            cursor.execute("SELECT pg_total_relation_size('directory_indexentry'::regclass)")
            info["index_table_mb"] = round(cursor.fetchone()[0] / 2**20)
        else:
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            info["database_mb"] = round(pages * cursor.fetchone()[0] / 2**20)
    return info


# Queries ---------------------------------------------------------------------------------


def build_queries(rng: random.Random) -> dict[str, list[dict]]:
    """The fixed, seeded query lists (from the referentials and the generated index)."""
    from django.db.models import Count

    from immersio.directory.models import IndexEntry
    from immersio.referentials.models import Commune

    ranked = list(
        IndexEntry.objects.filter(listed=True)
        .values_list("appellation_code")
        .annotate(n=Count("*"))
        .order_by("-n", "appellation_code")
    )
    metiers = {
        "popular": [code for code, _ in ranked[:20]],
        "medium": [code for code, _ in ranked[len(ranked) // 10 : len(ranked) // 10 + 20]],
        "rare": rng.sample([code for code, n in ranked if n <= 3] or [ranked[-1][0]], 20),
    }
    communes = Commune.objects.filter(kind=Commune.Kind.COMMUNE).exclude(latitude=None)
    dense = list(
        communes.order_by("-population").values_list("insee_code", "latitude", "longitude")[:15]
    )
    rural = list(
        communes.filter(department__in=EMPTY_DEPARTMENTS, population__lt=500)
        .order_by("insee_code")
        .values_list("insee_code", "latitude", "longitude")
    )
    places = {"dense": dense, "empty": rng.sample(rural, 15)}

    def query(place, radius, **extra):
        insee, lat, lon = place
        return {"latitude": lat, "longitude": lon, "distance_km": radius, "commune": insee} | extra

    main = []
    for _ in range(MAIN_QUERIES):
        metier, area, radius = (
            rng.choice(list(metiers)),
            rng.choice(list(places)),
            rng.choice(RADII),
        )
        main.append(
            query(
                rng.choice(places[area]),
                radius,
                appellation=rng.choice(metiers[metier]),
                sort="distance",
                metier=metier,
                area=area,
            )
        )
    romes = [
        code
        for code, _ in IndexEntry.objects.filter(listed=True)
        .values_list("rome_code")
        .annotate(n=Count("*"))
        .order_by("-n", "rome_code")[:5]
    ]
    rome = [
        query(rng.choice(places[area]), radius, rome=rng.choice(romes), sort="distance", area=area)
        for area in places
        for radius in RADII
        for _ in range(5)
    ]
    place_only = [
        query(rng.choice(places[area]), radius, sort="distance", area=area)
        for area in places
        for radius in RADII
        for _ in range(3)
    ]
    text = [
        query(rng.choice(places["dense"]), 30, appellation=code, q=word, sort="distance")
        for word in ("solidaire", "insertion", "association")
        for code in metiers["popular"][:4]
    ] + [{"q": word, "sort": "relevance"} for word in ("boulangerie", "chantier insertion")]
    relevance = [dict(item, sort="relevance") for item in main[:60]]
    return {
        "main": main,
        "rome": rome,
        "place_only": place_only,
        "text": text,
        "relevance": relevance,
    }


def to_query(item: dict, now=None):
    from immersio.directory import search

    return search.SearchQuery(
        appellation_code=item.get("appellation"),
        rome_code=item.get("rome"),
        latitude=item.get("latitude"),
        longitude=item.get("longitude"),
        distance_km=item.get("distance_km", search.DEFAULT_DISTANCE_KM),
        text=item.get("q", ""),
        sort=item.get("sort", search.Sort.RELEVANCE),
        page_size=item.get("page_size", search.DEFAULT_PAGE_SIZE),
        now=now,
    )


def api_path(item: dict) -> str:
    params = {
        name: item[name]
        for name in ("appellation", "rome", "latitude", "longitude", "distance_km", "q", "sort")
        if name in item
    }
    return API + "?" + urlencode(params)


# (a) The core function and the floor -----------------------------------------------------


def _timed_passes(function, items, rounds) -> list[float]:
    clock = time.perf_counter
    durations = []
    for _ in range(rounds):
        for item in items:
            started = clock()
            function(item)
            durations.append(clock() - started)
    return durations


def core_measures(queries: dict) -> dict:
    from django.utils import timezone

    from bench.search_lib.floor import Floor
    from immersio.directory import search

    now = timezone.now()
    main = [to_query(item, now) for item in queries["main"]]
    # Warm-up (caches of the database and of the process), then the measured passes.
    for query in main:
        search.search(query)
    gc.collect()
    full = _timed_passes(search.search, main, ROUNDS)
    ranked = _timed_passes(search.ranked_ids, main, ROUNDS)

    started = time.perf_counter()
    floor = Floor(now=now)
    floor_build_s = time.perf_counter() - started
    floor_passes = _timed_passes(floor.search, main, 1)
    gc.collect()
    floor_passes = _timed_passes(floor.search, main, ROUNDS)
    mismatches, counts = [], []
    for item, query in zip(queries["main"], main, strict=True):
        expected = floor.search(query)
        got = search.ranked_ids(query)
        counts.append(expected[0])
        if got != expected:
            mismatches.append({"query": item, "floor": expected[:2], "search": got[:2]})
    floor_mb = round(floor.nbytes() / 2**20)
    del floor
    gc.collect()

    by_class: dict[str, list[float]] = {}
    for item, query in zip(queries["main"], main, strict=True):
        key = f"{item['metier']}/{item['area']}/{item['distance_km']}"
        by_class.setdefault(key, []).extend(_timed_passes(search.search, [query], 3))
    families = {}
    for name in ("rome", "place_only", "text", "relevance"):
        items = [to_query(item, now) for item in queries[name]]
        for query in items:  # warm-up
            search.search(query)
        rounds = 1 if name == "place_only" else 3
        families[name] = _util.latency_summary(_timed_passes(search.search, items, rounds), "ms")
    counts.sort()
    return {
        "search": _util.latency_summary(full, "ms"),
        "ranked_ids": _util.latency_summary(ranked, "ms"),
        "floor": _util.latency_summary(floor_passes, "ms"),
        "floor_build_s": round(floor_build_s, 1),
        "floor_memory_mb": floor_mb,
        "counts": {
            "p50": _util.percentile(counts, 0.5),
            "p95": _util.percentile(counts, 0.95),
            "max": counts[-1],
            "zero": sum(1 for count in counts if count == 0),
        },
        "equal_to_floor": {"queries": len(main), "mismatches": len(mismatches)},
        "mismatch_samples": mismatches[:5],
        "by_class_p95_ms": {
            key: _util.latency_summary(values, "ms")["p95"]
            for key, values in sorted(by_class.items())
        },
        "families": families,
    }


# (b) and (c) HTTP, memory ----------------------------------------------------------------


def http_measures(items: list[dict], *, non_atomic: bool) -> dict:
    from bench.search_lib import load

    host, port = "127.0.0.1", _util.free_port()
    env = dict(os.environ, BENCH_NON_ATOMIC="1" if non_atomic else "0")
    command = _util.gunicorn_command(host, port, timeout=60)
    paths = [api_path(item) for item in items]
    with _util.server_process(command, env, f"http://{host}:{port}/healthz") as process:
        for _ in range(2):  # warm-up: both workers connect, import, fill their caches
            _util.timed_requests(host, port, paths)
        durations, errors, _ = _util.timed_requests(host, port, paths * 2)
        sequential = _util.latency_summary(durations, "ms")
        sequential["errors"] = errors
        paced = load.paced_load(host, port, paths, PACED_RPS, PACED_SECONDS)
        sustained = _util.sustained_load(host, port, paths, LOAD_CLIENTS, LOAD_SECONDS)
        memory = load.worker_memory(process.pid)
    return {
        "settings": SETTINGS + (" (sans transaction par requête)" if non_atomic else ""),
        "server": _util.SERVER,
        "sequential": sequential,
        "paced": paced,
        "sustained": sustained,
        "workers": memory,
    }


# docs/performance.md ---------------------------------------------------------------------


def _n(value: int) -> str:
    """An integer with French digit grouping (narrow no-break spaces)."""
    return f"{int(value):,}".replace(",", "\u202f")


def _goal(ok: bool) -> str:
    return "atteint" if ok else "**non atteint**"


def render(results: dict) -> str:
    machine = results["machine"]
    lines = [
        f"Mesuré le {machine['date'][:10]} sur {machine['cpu_count']} cœurs "
        f"({machine['cpu_model']}), Python {machine['python']}, Django {machine['django']}, "
        f"{results['postgresql']} ; `python -m bench search`, résultats complets dans "
        "`bench/results/search.json`. Annuaire synthétique (`generate_directory`, graine "
        f"{results['seed']}) : environ 2 métiers proposés par structure, communes tirées "
        "selon leur population.",
        "",
        "### Comment",
        "",
        "- **Cœur** : `search.search()` (compte, tri, page et lecture des 12 structures de "
        f"la page) sur {MAIN_QUERIES} requêtes fixes tirées avec une graine : métiers "
        "fréquents, moyens et rares × 15 grandes villes ou 15 communes rurales × rayon 10, "
        f"30 ou 100 km, tri par distance ; {ROUNDS} passages mesurés après un passage de "
        "chauffe. `ranked_ids()` : la même chose sans lire la page (le travail du plancher).",
        "- **Plancher** : les mêmes requêtes sur des tableaux numpy en mémoire (triés par "
        "métier puis latitude, haversine exacte sur les candidats), dans le même processus ; "
        "le benchmark vérifie que les comptes et les identifiants sont identiques.",
        "- **HTTP** : gunicorn, 2 workers sync sur 127.0.0.1, l'API "
        f"`{API}` ; latence à {PACED_RPS} requêtes/s envoyées à heure fixe par 4 processus "
        "(mesurée depuis l'heure prévue), puis débit maximal avec "
        f"{LOAD_CLIENTS} clients pendant {LOAD_SECONDS:.0f} s. Clients et serveur se "
        "partagent les 2 cœurs. Mémoire : RSS d'un worker après les charges.",
        "- SQLite : un fichier temporaire, réglages du projet (WAL). PostgreSQL : un serveur "
        "jetable (`fsync=off`, `shared_buffers=1GB`, `jit=off`), `VACUUM ANALYZE` après le "
        "chargement, comme après tout chargement en masse.",
        "",
    ]
    for database, data in results["databases"].items():
        lines += [f"### {'SQLite' if database == 'sqlite' else 'PostgreSQL'}", ""]
        if "skipped" in data:
            lines += [f"Non mesuré : {data['skipped']}.", ""]
            continue
        if data.get("error"):
            lines += [f"**Mesure incomplète** : {data['error']}.", ""]
        sizes = data.get("sizes", {})
        if not sizes:
            continue
        lines += [
            "| structures (métiers proposés) | génération | cœur p50 / p95 / p99 | "
            "sans lecture de la page p95 | plancher p50 / p95 | identiques au plancher |",
            "|---|---|---|---|---|---|",
        ]
        for size, entry in sizes.items():
            core = entry.get("core")
            if not core:
                continue
            equal = core["equal_to_floor"]
            lines.append(
                f"| {_n(size)} ({_n(entry['offers'])}) | {entry['generation_s']:.0f} s "
                f"({_n(entry['generation_rate_per_s'])}/s) | {core['search']['p50']} / "
                f"{core['search']['p95']} / {core['search']['p99']} ms | "
                f"{core['ranked_ids']['p95']} ms | {core['floor']['p50']} / "
                f"{core['floor']['p95']} ms | "
                f"{equal['queries'] - equal['mismatches']}/{equal['queries']} |"
            )
        lines += [
            "",
            "| structures | famille (hors objectifs) | p50 | p95 | max |",
            "|---|---|---|---|---|",
        ]
        labels = {
            "rome": "code ROME (toute une fiche), 30 requêtes",
            "place_only": "lieu seul, sans métier, 18 requêtes",
            "text": "mots-clés (avec métier et lieu ; 2 sans rien d'autre)",
            "relevance": "tri par pertinence (60 requêtes du mélange)",
        }
        for size, entry in sizes.items():
            for name, label in labels.items():
                summary = entry.get("core", {}).get("families", {}).get(name)
                if summary:
                    lines.append(
                        f"| {_n(size)} | {label} | {summary['p50']} ms | {summary['p95']} ms "
                        f"| {summary['max']} ms |"
                    )
        lines += [
            "",
            "| structures | configuration | p50 / p95 à 100 req/s | débit soutenu (p95) | "
            "RSS d'un worker |",
            "|---|---|---|---|---|",
        ]
        for size, entry in sizes.items():
            for name, label in (
                ("as_configured", "réglages actuels"),
                ("non_atomic_requests", "sans transaction par requête"),
            ):
                http = entry.get("http", {}).get(name)
                if not http:
                    continue
                paced, sustained = http["paced"], http["sustained"]
                rss = max((worker["rss_mb"] for worker in http["workers"]), default=0)
                lines.append(
                    f"| {_n(size)} | {label} | {paced['latency']['p50']} / "
                    f"{paced['latency']['p95']} ms | {sustained['requests_per_second']:.0f} "
                    f"req/s ({sustained['latency']['p95']} ms) | {rss:.0f} Mo |"
                )
        lines.append("")
    lines += _goals(results)
    lines += DESIGN.strip().split("\n")
    return "\n".join(lines)


DESIGN = """
### Conception, et pourquoi

- **Un index dénormalisé, une ligne par métier proposé** (`directory_indexentry`) : métier,
  code ROME, position, filtres, masques de bits des causes et réseaux, score, date, et la
  visibilité sous forme d'instant (`hidden_until`), si bien qu'une structure en pause ou
  qui a atteint sa capacité revient seule, sans tâche périodique.
- **Index B-tree « couvrants »** `(métier, latitude, longitude, hidden_until, structure,
  score, date, listed)`, partiels (structures publiées) : la requête lit la bande de
  latitude du métier dans l'index, filtre la longitude dans l'index, et ne lit jamais la
  table. Sur SQLite à 1 M de structures, le même index sans les colonnes lues coûtait
  4 à 5 fois plus (5,6 ms au lieu de 1,1 ms pour 1 122 lignes). `listed` figure parmi les
  colonnes parce que la requête passe `listed = true` en paramètre : SQLite ne peut alors
  pas s'en remettre à la seule condition de l'index partiel. PostgreSQL fait un « Index Only
  Scan » (après `VACUUM`, que l'autovacuum fait de lui-même en production).
- **Pas de R*Tree** : mesuré à part sur SQLite à 1 M de structures (script ponctuel, même
  machine), un R*Tree `(appellation, latitude, longitude)` donnait 2,3 ms au lieu de 1,0 ms
  pour la même requête (1 122 lignes) car il faut relire chaque ligne dans la table, et
  5,8 ms avec les colonnes utiles en colonnes auxiliaires. Il ne gagnait que pour *compter*
  sans métier (37 ms au lieu de 300 ms), mais lire ces centaines de milliers de lignes
  restait plus lent (1,4 s au lieu de 0,6 s). Le code n'a donc aucune branche propre à une
  base : la même requête Django sert SQLite et PostgreSQL.
- **numpy après la base** : la requête rend 3 ou 4 colonnes (structure, latitude,
  longitude, et score ou date selon le tri) ; numpy calcule la distance exacte
  (haversine, sphère de rayon moyen 6 371,0088 km, arrondie au dixième de millimètre),
  garde la ligne la plus proche de chaque structure, compte, puis ne trie que ce que la page
  demande (`partition`, puis tri des premiers). La page est lue ensuite : 2 requêtes
  (lignes d'index des structures de la page, lieux avec structures et communes), libellés
  des métiers et vocabulaire en mémoire.
- **Génération** : `generate_directory` écrit directement dans les tables (`executemany`
  sur SQLite, `COPY` sur PostgreSQL, 4 fois plus rapide que des `INSERT` ligne à ligne),
  lignes d'index comprises, calculées par les fonctions de `indexing.py` : 1 M de
  structures en 4 à 5 minutes sur l'une ou l'autre base.
- Pour mémoire, une requête PostGIS sur trois tables normalisées mesurait un p95 de 849 ms
  à 1 M de structures sur cette machine.
- **Pertinence** : `0,5 × score/100 + 0,5 × (1 − distance/rayon)`, en tranches de 0,1 ;
  dans une tranche, un ordre pseudo-aléatoire (splitmix64 de l'identifiant et du jour) qui
  change chaque jour, pour répartir les demandes. Score (voir `indexing.py`) :
  `100 × (0,7 × taux de réponse + 0,3 × activité récente)`, taux inconnu compté 0,7.

### Ce qui limite

- **Le coût par ligne lue** : chaque ligne candidate devient un tuple Python (de l'ordre
  d'une microseconde pour 3 ou 4 colonnes). Une recherche par métier lit quelques centaines
  à quelques milliers de lignes même à 1 M de structures ; une fiche ROME entière autour de
  Paris à 100 km en lit 17 000 (p95 ≈ 20 ms, jusqu'à 50 ms) ; **un lieu sans métier** en lit
  jusqu'à 400 000 autour de Paris à 1 M de structures (≈ 0,3 s) : c'est le cas lent, hors
  objectifs. Pistes : limiter le rayon sans métier, une table par lieu (une ligne par site,
  2 fois moins de lignes), des agrégats par maille pour compter.
- **Mots-clés seuls** : un `LIKE` sur le texte normalisé. Avec un métier ou un lieu il ne
  porte que sur les structures trouvées (quelques millisecondes) ; seul, il parcourt la
  table des textes (une ligne par structure) : 60 à 90 ms à 100 000 structures, 0,6 à 1,2 s
  à 1 M. Piste : la recherche plein texte de chaque base (FTS5, `tsvector`), au prix d'une
  branche par base.
- **Le plancher reste hors d'atteinte** (12 à 34 fois plus rapide au p95) : en mémoire, une
  requête coûte quelques dizaines de microsecondes ; la base ajoute l'exécution de la
  requête SQL et la lecture de la page (une seconde requête, jointe). « 2 × le plancher »
  demanderait de garder l'index en mémoire dans chaque processus et de le recharger à chaque
  changement d'une structure : écarté. Les deux requêtes sont écrites directement (même
  texte SQL sur les deux bases) plutôt que construites par l'ORM, qui prenait à lui seul
  0,3 à 0,6 ms par requête.
- **SQLite et `ATOMIC_REQUESTS`** : avec `transaction_mode=IMMEDIATE`, chaque requête de
  l'API prend le verrou d'écriture et sérialise les deux workers ; marquer la vue de
  recherche `non_atomic_requests` (comme les pages HTML de l'annuaire et l'API des
  référentiels) double le débit mesuré.
- **Deux cœurs partagés** : les clients de charge tournent sur les mêmes cœurs que le
  serveur, et d'autres travaux tournaient par moments sur la machine (49 % d'occupation au
  départ de la mesure PostgreSQL) : les débits sont des minorants, et un écart isolé (le débit
  sans transaction sur PostgreSQL à 1 M, plus bas qu'avec) vient de cette concurrence, pas
  du code.
"""


def _goals(results: dict) -> list[str]:
    lines = [f"### Objectifs (à {_n(max(results['sizes']))} structures)", ""]
    for database, data in results["databases"].items():
        entry = data.get("sizes", {}).get(str(max(results["sizes"])))
        name = "SQLite" if database == "sqlite" else "PostgreSQL"
        if not entry or "core" not in entry:
            lines.append(f"- {name} : pas de mesure à cette taille.")
            continue
        core = entry["core"]
        ratio = core["search"]["p95"] / core["floor"]["p95"] if core["floor"]["p95"] else 0
        parts = [
            f"cœur p95 ≤ {GOALS['core_p95_ms']:.0f} ms : "
            f"{_goal(core['search']['p95'] <= GOALS['core_p95_ms'])} ({core['search']['p95']} ms)",
            f"≤ 2 × le plancher : {_goal(ratio <= GOALS['core_vs_floor_p95'])} ({ratio:.1f} ×)",
        ]
        http = entry.get("http", {}).get("as_configured")
        if http:
            rss = max((worker["rss_mb"] for worker in http["workers"]), default=0)
            best = max(
                entry["http"][name]["sustained"]["requests_per_second"] for name in entry["http"]
            )
            parts += [
                f"HTTP p95 ≤ 25 ms à 100 req/s : "
                f"{_goal(http['paced']['latency']['p95'] <= GOALS['http_p95_ms_at_100_rps'])} "
                f"({http['paced']['latency']['p95']} ms)",
                f"≥ 400 req/s : "
                f"{_goal(http['sustained']['requests_per_second'] >= GOALS['http_rps'])} "
                f"({http['sustained']['requests_per_second']:.0f} req/s avec les réglages "
                f"actuels, au mieux {best:.0f} req/s)",
                f"mémoire ≤ 300 Mo : {_goal(rss <= GOALS['worker_rss_mb'])} ({rss:.0f} Mo)",
            ]
        lines.append(f"- {name} : " + " ; ".join(parts) + ".")
    lines.append("")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--sizes", help="tailles, séparées par des virgules (100000,1000000)")
    parser.add_argument("--databases", help="sqlite, postgresql ou les deux")
    parser.add_argument(
        "--render",
        action="store_true",
        help="réécrire la section de docs/performance.md depuis bench/results/search.json",
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.sizes:
        os.environ["BENCH_SEARCH_SIZES"] = args.sizes
    if args.databases:
        os.environ["BENCH_SEARCH_DATABASES"] = args.databases
    if args.measure:
        return measure(_sizes(), Path(args.out))
    if args.render:
        _util.write_doc_section("Recherche", render(json.loads(RESULTS.read_text("utf-8"))))
        return 0
    from bench.__main__ import run_one  # the harness's way: stamped, written atomically

    return run_one("search")


if __name__ == "__main__":
    sys.exit(main())
