"""Benchmark of the convention lifecycle (issue 10 item 8), on SQLite and on PostgreSQL.

    python -m bench conventions                          # both databases (make bench)
    python -m bench.conventions --databases sqlite       # alone, quicker
    python -m bench.conventions --render                 # the docs section from the JSON

For each database (a temporary SQLite *file*, never ``:memory:``; a throw-away PostgreSQL
server started here like ``.ci/run`` does, port 54331 when free), a child process migrates
an empty database, builds sent conventions (a minor employee: four signatories each — the
beneficiary, the legal representative, the current employer, the host's representative),
then measures:

(a) latency, one call after the other, after a warm-up convention: ``lifecycle.sign`` (the
    code sent just before, outside the clock) and ``lifecycle.decide(VALIDATE)``, at the
    service level, then over HTTP through the Django test client — the whole request path
    (middleware, ``ATOMIC_REQUESTS``, view, redirect) without a socket: the signature POST
    of the personal link (``action=signer`` with the valid code) and the validation POST of
    the Espace prescripteur (its flash message dropped after each, as the page it
    redirects to would);
(b) the PDF: ``documents.store_document`` (render, SHA-256, file, row — what the task
    does after validation, off the request path), with the render time it records, then
    the download of the stored file from the signatory's link (``/conventions/signer/pdf/``);
(c) concurrency: 1,000 signature POSTs spread over 100 conventions (10 each: every
    signatory posts its valid code two or three times — two signatories at the same second,
    double clicks, replays), then 100 on a single convention, from ``THREADS`` threads
    that each use their own test client and their own database connection, all released at
    once; the same two runs at the service level (``lifecycle.sign`` called from the
    threads). Then it counts **lost updates** (a signatory who posted a valid code and has no
    signature; a convention signed by all that did not move to *en examen*) and
    **duplicates** (more than one signature or ``signer`` event per signatory and version,
    more than one ``terminer_signatures`` event or « toutes les signatures » e-mail per
    convention). Both must be 0.

Writes bench/results/conventions.json (through ``python -m bench``) and the « Conventions »
section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from bench import _util

# Seconds, whole benchmark (a literal: the runner reads it without importing). About 3
# minutes on the 2 cores of the reference machine when idle; far more when it is shared.
TIMEOUT = 1800
DATABASES = ("sqlite", "postgresql")
SEED = 20261130
PG_PORT = 54331
# (a) conventions per path (service, HTTP): 4 signatures and 1 validation each. A p95 of
# 25 validations would be their second-largest time, one hiccup of the machine: 100.
LATENCY_CONVENTIONS = 100
# (b)
PDF_RENDERS = 2
PDF_DOWNLOADS = 200
# (c)
CONCURRENT_CONVENTIONS = 100
CONCURRENT_REQUESTS = 1000
SINGLE_REQUESTS = 100
# Concurrent threads (BENCH_CONVENTIONS_THREADS): far more than the 2 gunicorn workers and
# the task worker that share a database in production.
THREADS = int(os.environ.get("BENCH_CONVENTIONS_THREADS", "8"))
# The same storm at the service level (``lifecycle.sign`` from the threads): smaller, for time.
SERVICE_CONVENTIONS = 30
SERVICE_REQUESTS = 300
GOALS = {"sign_p95_ms": 30.0, "validate_p95_ms": 30.0, "pdf_download_p95_ms": 20.0}
RESULTS = _util.ROOT / "bench" / "results" / "conventions.json"


def _databases() -> list[str]:
    raw = os.environ.get("BENCH_CONVENTIONS_DATABASES")
    return [name.strip() for name in raw.split(",")] if raw else list(DATABASES)


# Parent: one child process per database -------------------------------------------------


def run() -> dict:
    from bench.search_lib import postgres

    databases = _databases()
    results = {
        "machine": _util.machine(),
        "postgresql": postgres.version(),
        "seed": SEED,
        "goals": GOALS,
        "parameters": {
            "latency_conventions_per_path": LATENCY_CONVENTIONS,
            "signatories_per_convention": 4,
            "pdf_renders": PDF_RENDERS,
            "pdf_downloads": PDF_DOWNLOADS,
            "concurrent_conventions": CONCURRENT_CONVENTIONS,
            "concurrent_requests": CONCURRENT_REQUESTS,
            "single_convention_requests": SINGLE_REQUESTS,
            "service_level_conventions": SERVICE_CONVENTIONS,
            "service_level_requests": SERVICE_REQUESTS,
            "threads": THREADS,
        },
        "databases": _util.previous_databases(RESULTS, databases),
    }
    for database in databases:
        with tempfile.TemporaryDirectory(prefix="immersio-bench-conventions-") as directory:
            if database == "postgresql":
                if postgres.find_bin() is None:
                    results["databases"][database] = {"skipped": "PostgreSQL absent"}
                    continue
                with postgres.server(port=PG_PORT) as url:
                    results["databases"][database] = _util.measure_in_child(
                        "bench.conventions", database, url, directory
                    )
            else:
                url = f"sqlite:///{directory}/bench.sqlite3"
                results["databases"][database] = _util.measure_in_child(
                    "bench.conventions", database, url, directory
                )
    results["goals_met"] = goals_met(results)
    _util.write_doc_section("Conventions", render(results))
    return results


# Child: the world ---------------------------------------------------------------------------


class World:
    """One agency (a conseiller, a valideur), one host structure, and sent conventions
    for a minor employee: four signatories, each with their own address.

    ``lifecycle.submit`` costs hundreds of milliseconds (rules, content, five e-mails): the
    conventions measured are copies of rows it wrote for one convention (the convention,
    its version, its signatories, each copy with its own identifiers and addresses)."""

    def __init__(self):
        from tests.accounts.factories import UserFactory
        from tests.agencies.factories import AgencyFactory
        from tests.structures.factories import HostStructureFactory

        self.counsellor = UserFactory(first_name="Claire", last_name="Conseil")
        self.validator = UserFactory(first_name="Victor", last_name="Valide")
        self.agency = AgencyFactory(counsellor=self.counsellor, validator=self.validator)
        self.structure = HostStructureFactory(with_site=True)
        self.count = 0
        self.submit_s: list[float] = []
        self.template = None

    def submitted(self):
        """A convention sent through ``lifecycle.submit``."""
        from datetime import timedelta

        from django.utils import timezone

        from immersio.conventions import lifecycle
        from immersio.core.actors import COMMAND
        from tests.conventions.builders import valid_convention

        self.count += 1
        n = self.count
        convention = valid_convention(
            agency=self.agency,
            structure=self.structure,
            beneficiary_first_name="Camille",
            beneficiary_last_name=f"Durand-{n}",
            beneficiary_birth_date=timezone.localdate() - timedelta(days=16 * 365 + 30 + n),
            beneficiary_email=f"beneficiaire-{n}@exemple.fr",
            beneficiary_phone="",
            legal_rep_first_name="Jo",
            legal_rep_last_name=f"Durand-{n}",
            legal_rep_email=f"parent-{n}@exemple.fr",
            legal_rep_relationship="mère",
            is_employee=True,
            employer_name="Boulangerie Dupain",
            employer_siret="73282932000074",
            employer_rep_name="Michel Dupain",
            employer_rep_email=f"employeur-{n}@exemple.fr",
            host_rep_email=f"accueil-{n}@exemple.com",
        )
        started = time.perf_counter()
        lifecycle.submit(convention=convention, actor=COMMAND)
        self.submit_s.append(time.perf_counter() - started)
        convention.refresh_from_db()
        return convention

    def convention(self):
        """A copy of the template's rows: a sent convention waiting for four signatures."""
        import uuid

        from django.db import transaction

        from immersio.conventions.models import Convention, new_share_token

        if self.template is None:
            self.template = self.submitted()
        self.count += 1
        n = self.count
        convention = Convention.objects.get(pk=self.template.pk)
        versions = list(convention.versions.all())
        signatories = list(convention.signatories.all())
        with transaction.atomic():
            convention.pk = convention.id = None
            convention._state.adding = True
            convention.public_id = uuid.uuid4()
            convention.share_token = new_share_token()
            convention.beneficiary_last_name = f"Durand-{n}"
            convention.save()
            for version in versions:
                version.pk = version.id = None
                version._state.adding = True
                version.convention = convention
                version.save()
            for signatory in signatories:
                signatory.pk = signatory.id = None
                signatory._state.adding = True
                signatory.public_id = uuid.uuid4()
                signatory.convention = convention
                signatory.email = f"{signatory.role}-{n}@exemple.fr"
                signatory.save()
        return convention


def required(convention) -> list:
    from immersio.conventions import selectors

    return sorted(selectors.required_signatories(convention), key=lambda s: s.pk)


def code_for(signatory, version: int) -> str:
    """A code for the signatory, issued as ``lifecycle.send_code`` issues it (same purpose,
    subject, lifetime and channel), without writing and rendering the e-mail."""
    from immersio.accounts.services import issue_code
    from immersio.conventions import signing
    from immersio.core.actors import AUTOMATIC

    _record, code = issue_code(
        purpose=signing.CODE_PURPOSE,
        subject=f"{signatory.public_id}:{version}",
        channel="email",
        sent_to=signatory.email,
        lifetime=signing.CODE_LIFETIME,
        actor=AUTOMATIC,
    )
    return code


def sign_url(signatory, version: int) -> str:
    from django.urls import reverse

    from immersio.conventions import links

    return reverse("conventions:sign") + f"?jeton={links.token_for(signatory.public_id, version)}"


def sign_service(signatory, version: int, code: str):
    from immersio.conventions import lifecycle
    from immersio.core.actors import AUTOMATIC

    return lifecycle.sign(
        signatory=signatory,
        version=version,
        code=code,
        confirmed=True,
        ip="198.51.100.7",
        user_agent="Mozilla/5.0 (bench)",
        actor=AUTOMATIC,
    )


def sign_http(client, signatory, version: int, code: str) -> int:
    response = client.post(
        sign_url(signatory, version),
        {"action": "signer", "code": code, "confirm": "on"},
        HTTP_USER_AGENT="Mozilla/5.0 (bench)",
    )
    _message_read(client)
    return response.status_code


def validate_http(client, convention) -> int:
    from django.urls import reverse

    response = client.post(
        reverse("conventions:review_act", args=[convention.public_id]),
        {
            "action": "valider",
            "valider-version": convention.version,
            "valider-status": convention.status,
            "valider-reason": "",
        },
    )
    _message_read(client)
    return response.status_code


def _message_read(client) -> None:
    """What the page a POST redirects to does in a browser: it shows the flash message
    (« Merci : votre signature est enregistrée. ») and drops it. The bench does not follow
    the redirect; without this, the messages would pile up in the cookie, then in the
    session, and each request would read and write an ever larger session."""
    client.cookies.pop("messages", None)


# Child: (a) latency ------------------------------------------------------------------------


# The machine's speed is probed (``_util.reference_work``) every this many measured calls.
PROBE_EVERY = 20


class _Probe:
    """Times the reference task now and then between the measured calls: how fast the
    processor was while they ran (``reference_work`` in the results)."""

    def __init__(self):
        self.seconds: list[float] = []
        self.calls = 0

    def tick(self) -> None:
        if self.calls % PROBE_EVERY == 0:
            self.seconds.append(_util.reference_work())
        self.calls += 1


def _clocked(function):
    """(result, wall-clock seconds, CPU seconds of this thread), the collector paused."""
    gc.disable()
    wall, cpu = time.perf_counter(), time.thread_time()
    try:
        result = function()
    finally:
        cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
        gc.enable()
    return result, wall, cpu


def _summary(walls: list[float], cpus: list[float], **extra) -> dict:
    cpu = _util.latency_summary(cpus, "ms")
    return _util.latency_summary(walls, "ms") | {
        "cpu_p50": cpu["p50"],
        "cpu_p95": cpu["p95"],
        **extra,
    }


def latency(world: World) -> tuple[dict, list]:
    from django.test import Client

    from immersio.conventions import lifecycle
    from immersio.conventions.transitions import Action, Status

    result: dict = {}
    # One warm-up convention per path, then the measured ones.
    batches = {
        path: [world.convention() for _ in range(LATENCY_CONVENTIONS + 1)]
        for path in ("service", "http")
    }
    client = Client()
    probe = _Probe()
    for path, conventions in batches.items():
        walls, cpus, errors, not_in_review = [], [], 0, 0
        for index, convention in enumerate(conventions):
            for signatory in required(convention):
                code = code_for(signatory, convention.version)
                if path == "service":
                    outcome, wall, cpu = _clocked(
                        lambda s=signatory, c=convention, k=code: sign_service(s, c.version, k)
                    )
                    ok = not outcome.already
                else:
                    status, wall, cpu = _clocked(
                        lambda s=signatory, c=convention, k=code: sign_http(client, s, c.version, k)
                    )
                    ok = status == 302
                if index:
                    walls.append(wall)
                    cpus.append(cpu)
                    errors += not ok
                    probe.tick()
            convention.refresh_from_db()
            not_in_review += convention.status != Status.IN_REVIEW
        result[f"sign_{path}"] = _summary(walls, cpus, errors=errors, not_in_review=not_in_review)

    client.force_login(world.validator)
    for path, conventions in batches.items():
        walls, cpus, errors = [], [], 0
        for index, convention in enumerate(conventions):
            convention.refresh_from_db()
            if path == "service":
                _, wall, cpu = _clocked(
                    lambda c=convention: lifecycle.decide(
                        convention=c,
                        action=Action.VALIDATE,
                        actor=world.validator,
                        version=c.version,
                        status=c.status,
                    )
                )
            else:
                _, wall, cpu = _clocked(lambda c=convention: validate_http(client, c))
            convention.refresh_from_db()
            if index:
                walls.append(wall)
                cpus.append(cpu)
                errors += convention.status != Status.VALIDATED
                probe.tick()
        result[f"validate_{path}"] = _summary(walls, cpus, errors=errors)
    result["reference_work"] = _util.latency_summary(probe.seconds, "ms")
    validated = batches["service"][1:] + batches["http"][1:]
    return result, validated


# Child: (b) the PDF ------------------------------------------------------------------------


def pdf(world: World, validated: list) -> dict:
    from django.test import Client
    from django.urls import reverse

    from immersio.conventions import documents, links, selectors
    from immersio.conventions.models import ConventionDocument
    from immersio.core.actors import TASK

    clock = time.perf_counter
    stored, renders, sizes = [], [], []
    for convention in validated[: PDF_RENDERS + 1]:  # the first one warms up WeasyPrint
        version = selectors.current_version(convention)
        started = clock()
        document = documents.store_document(version=version, actor=TASK)
        elapsed = clock() - started
        stored.append((convention, document))
        renders.append((elapsed, document.render_ms / 1000))
        sizes.append(document.size)
    client = Client()
    urls = []
    for convention, _document in stored:
        signatory = required(convention)[0]
        token = links.token_for(signatory.public_id, convention.version)
        urls.append(reverse("conventions:sign_pdf") + f"?jeton={token}")
    walls, cpus, errors = [], [], 0
    renders_before = ConventionDocument.objects.count()

    def download(url):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        response.close()
        return response.status_code, body

    for index in range(PDF_DOWNLOADS + len(urls)):
        url = urls[index % len(urls)]
        (status, body), wall, cpu = _clocked(lambda u=url: download(u))
        if index >= len(urls):  # the first download of each file warms up
            walls.append(wall)
            cpus.append(cpu)
            errors += status != 200 or not body.startswith(b"%PDF")
    return {
        "render_first_s": round(renders[0][1], 3),
        "render": _util.latency_summary([render for _, render in renders[1:]], "ms"),
        "store_document": _util.latency_summary([total for total, _ in renders[1:]], "ms"),
        "size_kb": round(sum(sizes) / len(sizes) / 1024, 1),
        "download": _summary(walls, cpus, errors=errors, files=len(urls)),
        "rendered_during_downloads": ConventionDocument.objects.count() - renders_before,
    }


# Child: (c) concurrency ---------------------------------------------------------------------


def _requests(conventions: list, per_convention: int, rng: random.Random) -> list[tuple]:
    """(signatory, version, code) × ``per_convention`` for each convention: every signatory
    in turn, the same valid code each time (double clicks, replays)."""
    found = []
    for convention in conventions:
        signatories = required(convention)
        codes = {s.pk: code_for(s, convention.version) for s in signatories}
        for n in range(per_convention):
            signatory = signatories[n % len(signatories)]
            found.append((signatory, convention.version, codes[signatory.pk]))
    rng.shuffle(found)
    return found


def _storm(requests: list[tuple], mode: str) -> dict:
    """Every request from ``THREADS`` threads released together; each thread its own
    test client and database connection (closed at the end)."""
    from django.db import connections
    from django.test import Client

    from immersio.conventions import lifecycle

    barrier = threading.Barrier(THREADS)
    outcomes: list[Counter] = [Counter() for _ in range(THREADS)]
    durations: list[list[float]] = [[] for _ in range(THREADS)]
    clock = time.perf_counter

    def worker(number: int):
        client = Client()
        mine = requests[number::THREADS]
        try:
            barrier.wait()
            for signatory, version, code in mine:
                started = clock()
                try:
                    if mode == "http":
                        outcome = f"HTTP {sign_http(client, signatory, version, code)}"
                    else:
                        result = sign_service(signatory, version, code)
                        outcome = "déjà signé" if result.already else "signé"
                except lifecycle.SignatureError as error:
                    outcome = f"refusé ({error.code})"
                except Exception as error:  # counted and reported
                    outcome = f"exception {type(error).__name__}: {str(error)[:80]}"
                durations[number].append(clock() - started)
                outcomes[number][outcome] += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    started = clock()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = clock() - started
    total = sum(outcomes, Counter())
    return {
        "requests": len(requests),
        "threads": THREADS,
        "duration_s": round(elapsed, 2),
        "requests_per_second": round(len(requests) / elapsed, 1),
        "outcomes": dict(sorted(total.items())),
        "latency": _util.latency_summary([d for part in durations for d in part], "ms"),
    }


def integrity(conventions: list, requests: list[tuple]) -> dict:
    """Lost updates and duplicates after a run (see the module's docstring)."""
    from django.db.models import Count

    from immersio.conventions import selectors
    from immersio.conventions.models import ConventionEvent, Signature
    from immersio.conventions.transitions import Action, Status

    ids = [c.pk for c in conventions]
    targeted = {(signatory.pk, version) for signatory, version, _ in requests}
    signatures = Counter(
        Signature.objects.filter(signatory__convention__in=ids).values_list(
            "signatory_id", "version_number"
        )
    )
    sign_events = Counter(
        ConventionEvent.objects.filter(convention__in=ids, action=Action.SIGN.value).values_list(
            "convention_id", "role", "version"
        )
    )
    completions = dict(
        ConventionEvent.objects.filter(convention__in=ids, action=Action.COMPLETE_SIGNATURES.value)
        .values("convention_id")
        .annotate(n=Count("id"))
        .values_list("convention_id", "n")
    )
    all_signed_emails = _all_signed_emails(conventions)
    missing_signatures = len(targeted - set(signatures))
    stuck, not_completed = 0, 0
    for convention in conventions:
        convention.refresh_from_db()
        signed = selectors.signed_by(convention)
        everyone = all(s.pk in signed for s in selectors.required_signatories(convention))
        if everyone and convention.status != Status.IN_REVIEW:
            stuck += 1
        if everyone and completions.get(convention.pk, 0) == 0:
            not_completed += 1
    role_of = {s.pk: (s.convention_id, s.role) for s, _version, _code in requests}
    events_missing = sum(
        1
        for (signatory, version) in signatures
        if sign_events.get((*role_of.get(signatory, (0, "")), version), 0) == 0
    )
    lost = {
        "signatures_missing": missing_signatures,
        "signed_by_all_but_not_in_review": stuck,
        "signed_by_all_without_terminer_signatures": not_completed,
        "signatures_without_signer_event": events_missing,
    }
    duplicates = {
        "signatures_per_signatory_and_version": sum(n - 1 for n in signatures.values() if n > 1),
        "signer_events_per_signatory_and_version": sum(
            n - 1 for n in sign_events.values() if n > 1
        ),
        "terminer_signatures_per_convention": sum(n - 1 for n in completions.values() if n > 1),
        "all_signed_emails_per_convention_and_recipient": sum(
            n - 1 for n in all_signed_emails.values() if n > 1
        ),
    }
    return {
        "conventions": len(conventions),
        "signatories_targeted": len(targeted),
        "signatures": sum(signatures.values()),
        "conventions_in_review": sum(1 for c in conventions if c.status == Status.IN_REVIEW),
        "lost_updates": sum(lost.values()),
        "lost_updates_detail": lost,
        "duplicates": sum(duplicates.values()),
        "duplicates_detail": duplicates,
    }


def _all_signed_emails(conventions: list) -> Counter:
    """(convention, recipient) → « signée par tous » e-mails (the subject names it). The
    e-mails are deferred (ADR 0013): with no worker running here, each is still a pending
    notification, counted once per convention (its recipients are read when rendered)."""
    from immersio.notifications.models import OutboundEmail, PendingNotification

    found: Counter = Counter()
    for convention in conventions:
        for recipient in OutboundEmail.objects.filter(
            kind="convention_all_signed", subject__contains=convention.reference
        ).values_list("recipient", flat=True):
            found[convention.pk, recipient] += 1
    wanted = {convention.pk for convention in conventions}
    for payload in PendingNotification.objects.filter(kind="convention_all_signed").values_list(
        "payload", flat=True
    ):
        pk = payload["kwargs"]["convention"]["pk"]
        if pk in wanted:
            found[pk, "(à préparer par le worker)"] += 1
    return found


def concurrency(world: World) -> dict:
    rng = random.Random(SEED)
    result = {}
    sizes = {
        "http": (CONCURRENT_CONVENTIONS, CONCURRENT_REQUESTS),
        "service": (SERVICE_CONVENTIONS, SERVICE_REQUESTS),
    }
    for mode, (count, total) in sizes.items():
        spread = [world.convention() for _ in range(count)]
        requests = _requests(spread, total // count, rng)
        print(f"    {len(requests)} signatures concurrentes ({mode})", flush=True)
        run = _storm(requests, mode)
        run["integrity"] = integrity(spread, requests)
        single = [world.convention()]
        requests = _requests(single, SINGLE_REQUESTS, rng)
        print(f"    {len(requests)} signatures concurrentes, une convention ({mode})", flush=True)
        alone = _storm(requests, mode)
        alone["integrity"] = integrity(single, requests)
        result[mode] = {"spread": run, "single": alone}
    return result


# Child: the whole measure ------------------------------------------------------------------


def measure(output: Path) -> int:
    sys.path.insert(0, str(_util.ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    result: dict = {"database": connection.vendor, "migrate_s": round(time.monotonic() - started)}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            result["sqlite_journal_mode"] = cursor.fetchone()[0]
    world = World()
    print("    latence : signature, validation", flush=True)
    result["latency"], validated = latency(world)
    world.submitted()  # warmed up now: the time of a real submission, for the record
    result["submit_ms"] = round(world.submit_s[-1] * 1000, 1)
    _write(output, result)
    print("    PDF : rendu, téléchargement", flush=True)
    result["pdf"] = pdf(world, validated)
    _write(output, result)
    result["concurrency"] = concurrency(world)
    _write(output, result)
    return 0


def _write(output: Path, result: dict) -> None:
    output.write_text(json.dumps(result, indent=2, ensure_ascii=False), "utf-8")


# Goals and docs/performance.md -------------------------------------------------------------


def goals_met(results: dict) -> dict:
    found = {}
    for name, data in results.get("databases", {}).items():
        lat, doc = data.get("latency"), data.get("pdf")
        if not lat or not doc:
            continue
        conc = data.get("concurrency", {})
        runs = [run for mode in conc.values() for run in mode.values()]
        found[name] = {
            "sign_p95_ms": max(lat["sign_service"]["p95"], lat["sign_http"]["p95"])
            <= GOALS["sign_p95_ms"],
            "validate_p95_ms": max(lat["validate_service"]["p95"], lat["validate_http"]["p95"])
            <= GOALS["validate_p95_ms"],
            "pdf_download_p95_ms": doc["download"]["p95"] <= GOALS["pdf_download_p95_ms"],
            "no_lost_update": bool(runs)
            and all(run["integrity"]["lost_updates"] == 0 for run in runs),
            "no_duplicate": bool(runs) and all(run["integrity"]["duplicates"] == 0 for run in runs),
        }
    return found


def _goal(ok: bool) -> str:
    return "atteint" if ok else "**non atteint**"


# Processors this busy when the run starts: another job shares them, and every latency
# measured then includes waiting for a processor.
BUSY_PERCENT = 50


def _busy_warning(machine: dict) -> list[str]:
    busy = machine.get("cpu_busy_percent_at_start")
    if busy is None or busy < BUSY_PERCENT:
        return []
    return [
        f"**Machine partagée pendant cette exécution** ({busy} % des processeurs occupés "
        "au départ) : les latences ci-dessous comptent aussi l'attente d'un processeur. "
        "Les objectifs se jugent sur une exécution qui a la machine pour elle seule.",
        "",
    ]


def render(results: dict) -> str:
    machine = results["machine"]
    params = results["parameters"]
    per_path, downloads = params["latency_conventions_per_path"], params["pdf_downloads"]
    spread, spread_requests = params["concurrent_conventions"], params["concurrent_requests"]
    single, threads = params["single_convention_requests"], params["threads"]
    service, service_requests = (
        params["service_level_conventions"],
        params["service_level_requests"],
    )
    lines = [
        f"Mesuré le {machine['date'][:10]} sur {machine['cpu_count']} cœurs "
        f"({machine['cpu_model']}), Python {machine['python']}, Django {machine['django']}, "
        f"{results['postgresql']} ; `python -m bench conventions`, résultats complets dans "
        "`bench/results/conventions.json`. Charge de la machine au départ : "
        f"{machine.get('cpu_busy_percent_at_start', '?')} % des processeurs occupés.",
        "",
        *_busy_warning(machine),
        "### Comment",
        "",
        "- Chaque convention a quatre signataires (bénéficiaire mineur et salarié : "
        "représentant légal, employeur actuel, représentant de la structure d'accueil), "
        "chacun sa propre adresse. Une convention est envoyée par `lifecycle.submit` "
        "(durée notée dans le JSON, `submit_ms`) ; les autres sont des copies de ses lignes "
        "(convention, version, signataires, avec leurs propres identifiants et adresses) : "
        "`submit` coûte des centaines de millisecondes (règles, contenu, cinq e-mails). Les "
        "codes sont émis comme `send_code` les émet (`issue_code`), sans écrire l'e-mail.",
        f"- **Latence** : {per_path} conventions par chemin après une convention "
        "de chauffe, les appels l'un après l'autre : `lifecycle.sign` (code émis juste "
        "avant, hors chronomètre) puis `lifecycle.decide(VALIDATE)` ; « HTTP » : le client de "
        "test de Django, tout le chemin d'une requête sans socket (middlewares, transaction "
        "par requête, vue, redirection) : le POST *Je signe* du lien personnel avec le bon "
        "code, le POST *Valider* de l'Espace prescripteur. « CPU » : le temps processeur du "
        "fil pendant l'appel, moins sensible à l'occupation de la machine que le temps écoulé.",
        "- **PDF** : `documents.store_document` (rendu WeasyPrint, SHA-256, fichier, ligne : ce "
        "que fait la tâche après la validation, hors requête ; le rendu seul est la durée "
        f"qu'il enregistre), puis {downloads} téléchargements des fichiers déjà produits "
        "par le lien du signataire (`/conventions/signer/pdf/`).",
        f"- **Concurrence** : {spread_requests} POST *Je signe* répartis sur "
        f"{spread} conventions (10 chacune : chaque signataire envoie son bon "
        f"code deux ou trois fois — signatures à la même seconde, doubles clics, rejeux), puis "
        f"{single} sur une seule convention, depuis "
        f"{threads} fils lâchés ensemble, chacun avec son client et "
        "sa connexion à la base ; puis la même chose en appelant `lifecycle.sign` depuis les "
        f"fils ({service_requests} appels sur {service} conventions, puis "
        f"{single} sur une). **Mises à jour perdues** : un signataire qui a "
        "envoyé un bon code sans signature enregistrée, une convention signée par tous restée "
        "hors *en examen* ou sans évènement `terminer_signatures`, une signature sans évènement "
        "`signer`. **Doublons** : plus d'une signature ou d'un évènement `signer` par "
        "signataire et version, plus d'un `terminer_signatures` par convention, plus d'un "
        "e-mail « signée par tous » par convention et destinataire.",
        "- SQLite : un fichier temporaire, réglages du projet (WAL, transactions IMMEDIATE, "
        "attente de verrou 20 s). PostgreSQL : un serveur jetable (`fsync=off`, comme la CI).",
        f"- **Vitesse de la machine** : toutes les {PROBE_EVERY} mesures de latence, une "
        "tâche fixe en Python pur (`_util.reference_work`) est chronométrée. Sur cette "
        "machine virtuelle partagée, la même tâche prend d'un moment à l'autre jusqu'à deux "
        "fois plus de temps : une latence se lit avec la durée de la tâche relevée pendant "
        "sa mesure (ligne « tâche de référence »).",
        "",
    ]
    goals = results.get("goals_met", {})
    for name, title in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        data = results["databases"].get(name)
        if not data or "latency" not in data:
            if data:
                lines += [f"### {title}", "", f"Non mesuré : {data.get('skipped') or data}.", ""]
            continue
        lat, doc = data["latency"], data["pdf"]
        measured = data.get("measured_at", "")
        lines += [
            f"### {title}",
            "",
            # A database may keep the figures of an earlier run (``--databases``).
            *([f"Mesures du {measured[:10]} à {measured[11:16]} UTC.", ""] if measured else []),
            "| mesure | p50 | p95 | p99 | max | CPU p50 / p95 | échantillons | erreurs |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for key, label in (
            ("sign_service", "signer, service"),
            ("sign_http", "signer, HTTP (client de test)"),
            ("validate_service", "valider, service"),
            ("validate_http", "valider, HTTP (client de test)"),
        ):
            item = lat[key]
            lines.append(
                f"| {label} | {item['p50']} ms | {item['p95']} ms | {item['p99']} ms | "
                f"{item['max']} ms | {item['cpu_p50']} / {item['cpu_p95']} ms | "
                f"{item['samples']} | {item.get('errors', 0)} |"
            )
        lines.append(
            f"| PDF : rendu (`documents.render`), hors requête | {doc['render']['p50']} ms | "
            f"{doc['render']['p95']} ms | {doc['render']['p99']} ms | {doc['render']['max']} ms"
            f" | — | {doc['render']['samples']} | — |"
        )
        lines.append(
            f"| PDF : téléchargement du fichier produit | {doc['download']['p50']} ms | "
            f"{doc['download']['p95']} ms | {doc['download']['p99']} ms | "
            f"{doc['download']['max']} ms | {doc['download'].get('cpu_p50', '—')} / "
            f"{doc['download'].get('cpu_p95', '—')} ms | {doc['download']['samples']} | "
            f"{doc['download']['errors']} |"
        )
        probe = lat.get("reference_work")
        if probe:
            lines.append(
                f"| tâche de référence (vitesse de la machine) | {probe['p50']} ms | "
                f"{probe['p95']} ms | {probe['p99']} ms | {probe['max']} ms | — | "
                f"{probe['samples']} | — |"
            )
        lines += [
            "",
            f"Premier rendu du PDF (chauffe de WeasyPrint) : {doc['render_first_s']} s ; "
            f"taille moyenne {doc['size_kb']} Ko.",
            "",
            "| concurrence | requêtes | durée | débit | p95 | résultats | perdues | doublons |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for mode, mode_label in (("http", "HTTP"), ("service", "service")):
            for part, part_label in (
                ("spread", f"{service if mode == 'service' else spread} conventions"),
                ("single", "une convention"),
            ):
                run = data.get("concurrency", {}).get(mode, {}).get(part)
                if not run:
                    continue
                outcomes = ", ".join(f"{k} : {v}" for k, v in run["outcomes"].items())
                lines.append(
                    f"| {mode_label}, {part_label} | {run['requests']} | {run['duration_s']} s | "
                    f"{run['requests_per_second']} req/s | {run['latency']['p95']} ms | "
                    f"{outcomes} | {run['integrity']['lost_updates']} | "
                    f"{run['integrity']['duplicates']} |"
                )
        lines.append("")
        met = goals.get(name, {})
        if met:
            lines.append(
                f"Objectifs ({title}) : signer p95 ≤ {GOALS['sign_p95_ms']:g} ms : "
                f"{_goal(met['sign_p95_ms'])} ; valider p95 ≤ {GOALS['validate_p95_ms']:g} ms :"
                f" {_goal(met['validate_p95_ms'])} ; téléchargement du PDF p95 ≤ "
                f"{GOALS['pdf_download_p95_ms']:g} ms : {_goal(met['pdf_download_p95_ms'])} ; "
                f"aucune mise à jour perdue : {_goal(met['no_lost_update'])} ; aucun doublon : "
                f"{_goal(met['no_duplicate'])}."
            )
            lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.conventions", description=__doc__)
    parser.add_argument("--databases", help="sqlite, postgresql ou les deux")
    parser.add_argument(
        "--render",
        action="store_true",
        help="réécrire la section de docs/performance.md depuis bench/results/conventions.json",
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.databases:
        os.environ["BENCH_CONVENTIONS_DATABASES"] = args.databases
    if args.measure:
        return measure(Path(args.out))
    if args.render:
        _util.write_doc_section("Conventions", render(json.loads(RESULTS.read_text("utf-8"))))
        return 0
    from bench.__main__ import run_one  # the harness's way: stamped, written atomically

    return run_one("conventions")


if __name__ == "__main__":
    sys.exit(main())
