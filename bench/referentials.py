"""Benchmark of the reference data: import, in-memory search, HTTP autocomplete API.

Run with ``python -m bench referentials`` (or ``make bench``). It works in a temporary
directory: its own SQLite database (or ``BENCH_DATABASE_URL``, an empty PostgreSQL
database for instance, whose figures go to a section and a file of their own), the real
shipped data, settings ``config.settings.dev`` with DEBUG off, then a real gunicorn (2 sync
workers) on a free loopback port, always stopped at the end. Writes
bench/results/referentials.json and the « Référentiels » section of docs/performance.md.
"""

from __future__ import annotations

import gc
import os
import random
import sys
import tempfile
import time
import tracemalloc
from bisect import bisect_left
from urllib.parse import quote

from bench import _util

TIMEOUT = 420  # seconds, for the whole benchmark
SEED = 20261126
ROUNDS = 5  # measured passes over the query list (after one warm-up pass)
LOAD_CLIENTS = 4
LOAD_SECONDS = 5.0
LOAD_RUNS = 3
GOAL_P95_MS = 5.0
GOAL_RPS = 1000
APPELLATIONS_API = "/api/v1/referentials/appellations?q="
SUGGESTIONS = "/referentiels/metiers/suggestions?q="

# HTTP configurations measured: the settings as they are, then the same with no
# transaction around requests (what marking the API views non-atomic would give).
VARIANTS = {
    "as_configured": "config.settings.dev",
    "non_atomic_requests": "bench._settings_non_atomic",
}


def _configure(directory: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["IMMERSIO_VAR_DIR"] = directory
    os.environ["DATABASE_URL"] = (
        os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{directory}/bench.sqlite3"
    )
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    os.environ["LOG_LEVEL"] = "WARNING"


def _queries(rng: random.Random) -> list[str]:
    """≥ 200 realistic appellation queries, the same on every run (seeded)."""
    from immersio.referentials.models import Appellation, RomeMetier
    from immersio.referentials.search import APPELLATION_STOPWORDS
    from immersio.referentials.text import normalize

    labels = list(Appellation.objects.order_by("code").values_list("label", flat=True))
    codes = list(RomeMetier.objects.order_by("code").values_list("code", flat=True))

    def words(label):
        return [w for w in normalize(label).split() if w not in APPELLATION_STOPWORDS]

    queries = []
    # 100 beginnings of real labels, as typed (accents, capitals), 2 to 12 characters.
    for _ in range(100):
        label = rng.choice(labels)
        queries.append(label[: rng.randint(2, 12)].rstrip(" /-'"))
    # 40 beginnings of another word of the label (« boulanger » for « Aide-boulanger »).
    while len(queries) < 140:
        candidates = [w for w in words(rng.choice(labels))[1:] if len(w) >= 2]
        if candidates:
            word = rng.choice(candidates)
            queries.append(word[: rng.randint(2, min(10, len(word)))])
    # 30 two or three words, each a prefix.
    while len(queries) < 170:
        candidates = words(rng.choice(labels))
        if len(candidates) >= 2:
            chosen = rng.sample(candidates, min(len(candidates), rng.choice((2, 2, 3))))
            queries.append(" ".join(w[: rng.randint(3, max(3, len(w)))] for w in chosen))
    # 20 words of 6+ letters with one typing error.
    while len(queries) < 190:
        long_words = [w for w in words(rng.choice(labels)) if len(w) >= 6 and w.isalpha()]
        if long_words:
            queries.append(_typo(rng, rng.choice(long_words)))
    # 20 ROME codes, half in lower case.
    for n in range(20):
        code = rng.choice(codes)
        queries.append(code.lower() if n % 2 else code)
    return queries


def _typo(rng: random.Random, word: str) -> str:
    position = rng.randrange(1, len(word) - 1)
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    kind = rng.choice(("substitution", "insertion", "deletion", "transposition"))
    if kind == "substitution":
        return word[:position] + letter + word[position + 1 :]
    if kind == "insertion":
        return word[:position] + letter + word[position:]
    if kind == "deletion":
        return word[:position] + word[position + 1 :]
    return word[: position - 1] + word[position] + word[position - 1] + word[position + 1 :]


def _commune_queries(rng: random.Random) -> list[str]:
    from immersio.referentials.models import Commune

    communes = list(Commune.objects.order_by("insee_code").values_list("name", "postal_codes"))
    big = list(Commune.objects.order_by("-population").values_list("name", flat=True)[:300])
    queries = []
    for _ in range(60):  # beginnings of names, biased towards large communes
        name = rng.choice(big) if rng.random() < 0.5 else rng.choice(communes)[0]
        queries.append(name[: rng.randint(2, 12)])
    for _ in range(20):  # postal codes, 2 to 5 digits
        codes = ""
        while not codes:
            codes = rng.choice(communes)[1]
        queries.append(rng.choice(codes.split())[: rng.randint(2, 5)])
    for _ in range(20):  # « st »
        queries.append("st " + "abcdefghijlmnprstv"[rng.randrange(18)] * rng.randint(0, 1))
    return queries


def _measure(function, queries, rounds=ROUNDS) -> tuple[dict, dict]:
    """(first pass, steady state) latency of ``function(query)`` over the queries."""
    clock = time.perf_counter
    first = []
    for query in queries:
        started = clock()
        function(query)
        first.append(clock() - started)
    steady = []
    gc.collect()
    for _ in range(rounds):
        for query in queries:
            started = clock()
            function(query)
            steady.append(clock() - started)
    return _util.latency_summary(first), _util.latency_summary(steady)


def _core(queries, commune_queries) -> dict:
    from immersio.referentials import search
    from immersio.referentials.models import Appellation
    from immersio.referentials.text import normalize

    search.invalidate()
    gc.collect()
    tracemalloc.start()
    _, appellation_build = _util.timed(search.appellation_index.get)
    gc.collect()
    appellation_memory = tracemalloc.get_traced_memory()[0]
    _, commune_build = _util.timed(search.commune_index.get)
    gc.collect()
    total_memory = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    # Builds again without tracemalloc, which slows them down.
    search.invalidate()
    _, appellation_build = _util.timed(search.appellation_index.get)
    _, commune_build = _util.timed(search.commune_index.get)

    first, steady = _measure(search.search_appellations, queries)
    hits = sum(bool(search.search_appellations(query)) for query in queries)
    commune_first, commune_steady = _measure(search.search_communes, commune_queries)

    # The floor: a sorted list of normalised labels, bisect on the first query word.
    pairs = sorted(
        (normalize(label), label) for label in Appellation.objects.values_list("label", flat=True)
    )
    keys = [key for key, _ in pairs]
    size = len(keys)

    def floor(query):
        words = normalize(query).split()
        if not words:
            return []
        word, index, found = words[0], bisect_left(keys, words[0]), []
        while index < size and len(found) < search.DEFAULT_LIMIT and keys[index].startswith(word):
            found.append(pairs[index][1])
            index += 1
        return found

    floor_first, floor_steady = _measure(floor, queries)
    return {
        "index_build_s": {
            "appellations": round(appellation_build, 3),
            "communes": round(commune_build, 3),
        },
        "index_memory_mb": {
            "appellations": round(appellation_memory / 2**20, 1),
            "communes": round((total_memory - appellation_memory) / 2**20, 1),
            "total": round(total_memory / 2**20, 1),
        },
        "search_appellations": {"first_pass": first, "steady": steady},
        "queries_with_results": f"{hits}/{len(queries)}",
        "floor_bisect_first_word": {"first_pass": floor_first, "steady": floor_steady},
        "search_communes": {"first_pass": commune_first, "steady": commune_steady},
    }


def _in_process(queries: list[str]) -> dict:
    """The cost of a request inside Django, without server nor network: the WSGI handler
    called directly, with and without the transaction of ``ATOMIC_REQUESTS``."""
    import io

    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    handler = WSGIHandler()

    def call(path: str) -> None:
        route, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": route,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_ACCEPT": "application/json",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
        }
        b"".join(handler(environ, lambda status, headers, exc_info=None: None))

    api_paths = [APPELLATIONS_API + quote(query) for query in queries]
    results = {}
    atomic = connection.settings_dict["ATOMIC_REQUESTS"]
    try:
        for name, value in (("as_configured", atomic), ("non_atomic_requests", False)):
            connection.settings_dict["ATOMIC_REQUESTS"] = value
            results[name] = _measure(call, api_paths, rounds=3)[1]
    finally:
        connection.settings_dict["ATOMIC_REQUESTS"] = atomic
        connection.close()
    return results


def _http(variant: str, settings_module: str, queries: list[str]) -> dict:
    port = _util.free_port()
    host = "127.0.0.1"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=settings_module, PYTHONUNBUFFERED="1")
    command = _util.gunicorn_command(host, port, timeout=30)
    api_paths = [APPELLATIONS_API + quote(query) for query in queries]
    suggestion_paths = [SUGGESTIONS + quote(query) for query in queries]
    with _util.server_process(command, env, f"http://{host}:{port}/healthz"):
        # Warm-up: both workers build their indexes and fill their caches.
        for _ in range(3):
            _util.timed_requests(host, port, api_paths)
        _util.sustained_load(host, port, api_paths, 2, 2.0)
        durations, errors, connections = _util.timed_requests(host, port, api_paths * ROUNDS)
        sequential = _util.latency_summary(durations, "ms")
        sequential["errors"] = errors
        sequential["connections_opened"] = connections
        sequential["requests_per_second"] = round(len(durations) / sum(durations), 1)
        html, html_errors, _ = _util.timed_requests(host, port, suggestion_paths)
        suggestions = _util.latency_summary(html, "ms")
        suggestions["errors"] = html_errors
        # Three runs, the median one kept: other processes on the machine disturb one run.
        runs = [
            _util.sustained_load(host, port, api_paths, LOAD_CLIENTS, LOAD_SECONDS)
            for _ in range(LOAD_RUNS)
        ]
        runs.sort(key=lambda run: run["requests_per_second"])
        load = dict(runs[len(runs) // 2])
        load["runs_requests_per_second"] = [run["requests_per_second"] for run in runs]
    return {
        "settings": settings_module,
        "server": _util.SERVER,
        "api_sequential": sequential,
        "suggestions_html_sequential": suggestions,
        "api_sustained": load,
        "goals_met": {
            "p95_le_5_ms": sequential["p95"] <= GOAL_P95_MS,
            "rps_ge_1000": load["requests_per_second"] >= GOAL_RPS,
        },
    }


def run() -> dict:
    with tempfile.TemporaryDirectory(prefix="immersio-bench-") as directory:
        _configure(directory)
        sys.path.insert(0, str(_util.ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        _, first_import = _util.timed(lambda: call_command("import_referentials", verbosity=0))
        _, second_import = _util.timed(lambda: call_command("import_referentials", verbosity=0))
        rng = random.Random(SEED)
        queries = _queries(rng)
        commune_queries = _commune_queries(rng)
        results = {
            "machine": _util.machine(),
            "database": connection.vendor,
            "import_s": {
                "first_run": round(first_import, 2),
                "second_run_no_change": round(second_import, 2),
            },
            "queries": {"appellations": len(queries), "communes": len(commune_queries)},
            "query_samples": queries[:: len(queries) // 15][:15],
            "core": _core(queries, commune_queries),
            "in_process_api": _in_process(queries),
        }
        connection.close()
        results["http"] = {
            variant: _http(variant, settings_module, queries)
            for variant, settings_module in VARIANTS.items()
        }
    title = "Référentiels"
    if results["database"] != "sqlite":  # BENCH_DATABASE_URL: a section and a file apart
        title += f" ({results['database']})"
        results["results_file"] = f"referentials-{results['database']}"
    _util.write_doc_section(title, render(results))
    return results


def _row(name: str, summary: dict) -> str:
    unit = summary["unit"]
    return (
        f"| {name} | {summary['p50']} {unit} | {summary['p95']} {unit} | {summary['p99']} {unit} |"
    )


def render(results: dict) -> str:
    core, http, machine = results["core"], results["http"], results["machine"]
    as_is, non_atomic = http["as_configured"], http["non_atomic_requests"]

    def yes(value):
        return "atteint" if value else "**non atteint**"

    lines = [
        f"Mesuré le {machine['date'][:10]} sur {machine['cpu_count']} cœurs "
        f"({machine['cpu_model']}), "
        f"Python {machine['python']}, Django {machine['django']}, base {results['database']} ; "
        "`python -m bench referentials`, résultats complets dans "
        f"`bench/results/{results.get('results_file', 'referentials')}.json`.",
        *(
            [
                "",
                f"**Attention** : la machine était occupée par d'autres processus (charge "
                f"moyenne {machine['load_average_1_min']}, processeurs occupés à "
                f"{machine.get('cpu_busy_percent_at_start', '?')} % au départ) ; les chiffres, "
                "surtout le débit, sont pessimistes.",
            ]
            if machine.get("load_average_1_min", 0) > 0.7
            or machine.get("cpu_busy_percent_at_start", 0) > 15
            else []
        ),
        "",
        "### Recherche en mémoire (`immersio/referentials/search.py`)",
        "",
        f"{results['queries']['appellations']} requêtes d'appellations tirées des vrais libellés "
        "(graine fixe) : débuts de libellés de 2 à 12 caractères tels que tapés, débuts d'un "
        "autre mot, deux ou trois débuts de mots, une faute de frappe sur un mot de six lettres "
        f"ou plus, codes ROME ; {ROUNDS} passages mesurés après un premier passage (à froid, "
        "compté à part). Requêtes ayant au moins un résultat : "
        f"{core['queries_with_results']}.",
        "",
        "| mesure | p50 | p95 | p99 |",
        "|---|---|---|---|",
        _row("`search_appellations`", core["search_appellations"]["steady"]),
        _row("`search_appellations`, premier passage", core["search_appellations"]["first_pass"]),
        _row(
            "plancher : bisect du 1er mot dans une liste triée",
            core["floor_bisect_first_word"]["steady"],
        ),
        _row(
            f"`search_communes` ({results['queries']['communes']} requêtes)",
            core["search_communes"]["steady"],
        ),
        "",
        "Construction des index, une fois par processus (au premier appel) : appellations "
        f"{core['index_build_s']['appellations']} s, "
        f"communes {core['index_build_s']['communes']} s ; "
        f"mémoire {core['index_memory_mb']['appellations']} Mo + "
        f"{core['index_memory_mb']['communes']} Mo = {core['index_memory_mb']['total']} Mo "
        "(tracemalloc). Import : "
        f"{results['import_s']['first_run']} s dans une base vide, "
        f"{results['import_s']['second_run_no_change']} s pour un second passage sans changement.",
        "",
        "### API de bout en bout (`GET /api/v1/referentials/appellations?q=…`)",
        "",
        "Un vrai serveur : gunicorn, 2 workers sync, sur 127.0.0.1, DEBUG désactivé. Latence : "
        f"requêtes successives d'un seul client ({ROUNDS} passages sur les requêtes). Débit : "
        f"{LOAD_CLIENTS} processus clients enchaînant les requêtes pendant {LOAD_SECONDS:.0f} s, "
        f"médiane de {LOAD_RUNS} essais (tous les essais dans le JSON). "
        "Client HTTP minimal en Python (requête préparée, réponse lue jusqu'au bout) ; chaque "
        "requête ouvre sa connexion TCP, comme l'imposent les workers sync de gunicorn. Les "
        "clients tournent sur les mêmes 2 cœurs que le serveur.",
        "",
        "| configuration | p50 | p95 | p99 | débit soutenu | p95 sous charge |",
        "|---|---|---|---|---|---|",
    ]
    for name, label in (
        ("as_configured", "réglages actuels (`ATOMIC_REQUESTS`)"),
        ("non_atomic_requests", "sans transaction autour de la requête"),
    ):
        data = http[name]
        seq, load = data["api_sequential"], data["api_sustained"]
        lines.append(
            f"| {label} | {seq['p50']} ms | {seq['p95']} ms | {seq['p99']} ms | "
            f"{load['requests_per_second']:.0f} req/s | {load['latency']['p95']} ms |"
        )
    inside = results["in_process_api"]
    lines += [
        "",
        "Dans le processus, sans serveur ni réseau (gestionnaire WSGI de Django appelé "
        f"directement, même requêtes) : {inside['as_configured']['p50']} µs en médiane avec "
        f"la transaction, {inside['non_atomic_requests']['p50']} µs sans, dont "
        f"{core['search_appellations']['steady']['p50']} µs de recherche.",
    ]
    html = as_is["suggestions_html_sequential"]
    lines += [
        "",
        f"Suggestions HTML pour htmx (`/referentiels/metiers/suggestions`), réglages actuels : "
        f"p50 {html['p50']} ms, p95 {html['p95']} ms.",
        "",
        "### Objectifs",
        "",
        f"- p95 de bout en bout ≤ {GOAL_P95_MS:.0f} ms : réglages actuels "
        f"{yes(as_is['goals_met']['p95_le_5_ms'])}, sans transaction "
        f"{yes(non_atomic['goals_met']['p95_le_5_ms'])}.",
        f"- ≥ {GOAL_RPS} requêtes/s sur 2 cœurs : réglages actuels "
        f"{yes(as_is['goals_met']['rps_ge_1000'])}, sans transaction "
        f"{yes(non_atomic['goals_met']['rps_ge_1000'])}.",
        "",
        "### Ce qui limite",
        "",
        "- La recherche pèse peu : quelques dizaines de microsecondes en médiane, quelques "
        "centaines au pire (requêtes de plusieurs mots avec faute de frappe, qui passent par "
        "les repêchages). Le reste d'une requête HTTP est le coût de Django (intergiciels, "
        "résolution d'URL, validation des paramètres par django-ninja, JSON) et de gunicorn "
        "(une connexion TCP par requête avec les workers sync). La réponse de l'API est "
        "sérialisée directement : la revalidation par django-ninja coûtait 250 µs par "
        "requête.",
        "- `ATOMIC_REQUESTS` ouvre une transaction à chaque requête, même pour une lecture "
        "qui ne touche pas la base : sous SQLite avec `transaction_mode=IMMEDIATE`, un verrou "
        "d'écriture pris puis rendu à chaque frappe, qui sérialise les deux workers ; sous "
        "PostgreSQL, deux allers-retours (BEGIN, COMMIT). Les vues HTML des référentiels en "
        "sont exemptées (`transaction.non_atomic_requests`) ; les vues de l'API django-ninja "
        "ne peuvent l'être que là où l'API est montée (`immersio/api/urls.py`), d'où la "
        "seconde ligne du tableau.",
        "- Le générateur de charge tourne sur les mêmes 2 cœurs et en prend sa part : le "
        "débit mesuré est un minorant. Sur cette machine partagée, les chiffres varient "
        "d'environ 30 % d'une exécution à l'autre.",
        "- Chaque worker construit ses index à sa première requête (environ 1 s) : le "
        "benchmark chauffe les workers avant de mesurer.",
    ]
    return "\n".join(lines)
