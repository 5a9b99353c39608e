"""Benchmark of the convention PDF (``immersio/conventions/pdf.py``): render time and size.

Run with ``python -m bench pdf`` (or ``make bench``). Renders two conventions built in
memory (no database: the renderer reads only the convention and its related rows, given
here unsaved): a short one (one week, two slots a day) and a long one (four weeks, six
days a week, four slots a day), each with four lines of signature evidence; ``ROUNDS``
measured renders of each after ``WARMUP`` renders, in this process, one after the other.
The first render of the process (WeasyPrint imported, fonts loaded) is counted apart.
Writes bench/results/pdf.json and the « PDF des conventions » section of
docs/performance.md.
"""

from __future__ import annotations

import hashlib
import io
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

from bench import _util

TIMEOUT = 300  # seconds, for the whole benchmark
WARMUP = 2
ROUNDS = 30
GOAL_P95_S = 2.0  # CPU time; off the request path (a task), but no worker stalls on one
START = date(2027, 3, 1)  # a Monday


def _configure(directory: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["IMMERSIO_VAR_DIR"] = directory
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"  # never opened
    os.environ["LOG_LEVEL"] = "WARNING"


def _convention(*, weeks: int, days_per_week: int, slots: list[list[str]]):
    """An unsaved convention for an adult employee, every text filled in."""
    from immersio.agencies.models import Agency
    from immersio.conventions.models import Convention
    from immersio.referentials.models import Appellation, Commune, RomeMetier
    from immersio.referentials.previews import MARAICHER

    lyon = Commune(insee_code="69123", name="Lyon", department="69", postal_codes="69001")
    agency = Agency(
        kind=Agency.Kind.FRANCE_TRAVAIL,
        name="France Travail Lyon Part-Dieu",
        siret="99900050020012",
        address="1 rue de la Gare",
        postal_code="69003",
        commune=lyon,
    )
    appellation = Appellation(
        code=MARAICHER, rome=RomeMetier(code="A1414"), label="Maraîcher / Maraîchère"
    )
    text = "Une phrase d'exemple assez longue pour occuper une ligne entière du tableau. " * 3
    return Convention(
        beneficiary_first_name="Camille",
        beneficiary_last_name="Durand",
        beneficiary_birth_date=date(1995, 6, 14),
        beneficiary_email="camille@exemple.fr",
        beneficiary_phone="06 00 00 00 00",
        beneficiary_address="4 place Bellecour, 69002 Lyon",
        beneficiary_situation="salarie",
        beneficiary_rsa=True,
        emergency_contact_name="Dominique Durand",
        emergency_contact_phone="06 11 11 11 11",
        is_employee=True,
        employer_name="Boulangerie Dupain",
        employer_siret="12345678900011",
        employer_rep_name="Lou Dupain",
        employer_rep_function="Gérante",
        employer_rep_email="lou@dupain.fr",
        host_siret="99500000700014",
        host_name="Les Jardins de Vaise",
        host_legal_form="SARL",
        host_activity="01.13Z Culture de légumes",
        host_collective_agreement="Production agricole (IDCC 7024)",
        host_address="8 chemin des Serres, 69009 Lyon",
        host_rep_name="Alex Martin",
        host_rep_function="Gérant",
        host_rep_email="direction@exemple.com",
        tutor_name="Sam Petit",
        tutor_function="Chef de culture",
        tutor_email="tuteur@exemple.com",
        replaces_no_job=True,
        agency=agency,
        counsellor_name="Claude Bernard",
        counsellor_email="claude@agence.fr",
        object="discover",
        objectives="Découvrir les gestes du métier\nÉvaluation par le tuteur en fin de semaine",
        appellation=appellation,
        tasks=text,
        skills=text,
        place_address="1 rue des Jardins",
        place_commune=lyon,
        work_conditions=text,
        risks=text,
        prevention=text,
        date_start=START,
        date_end=START + timedelta(days=7 * weeks - 1),
        weekly_pattern={str(day): slots for day in range(days_per_week)},
    )


def _evidence(content_sha256: str) -> list:
    from immersio.conventions.pdf import EvidenceLine

    roles = ("Bénéficiaire", "Employeur actuel", "Structure d'accueil", "Prescripteur")
    return [
        EvidenceLine(
            role=role,
            name=f"Personne {number}",
            action="a validé (valideur)" if role == "Prescripteur" else "a signé",
            at=datetime(2027, 2, 20 + number, 9, 30, tzinfo=UTC),
            method="code à usage unique envoyé par e-mail",
            ip_address=f"203.0.113.{number}",
            version_sha256=content_sha256,
        )
        for number, role in enumerate(roles, start=1)
    ]


def _measure(convention) -> dict:
    from pypdf import PdfReader

    from immersio.conventions.pdf import render_convention_pdf

    content_sha256 = hashlib.sha256(b"bench").hexdigest()
    arguments = {
        "convention": convention,
        "reference": "IMM-2027-000123",
        "version_number": 1,
        "content_sha256": content_sha256,
        "evidence": _evidence(content_sha256),
    }
    for _ in range(WARMUP):
        render_convention_pdf(**arguments)
    durations, cpu, sizes = [], [], []
    for _ in range(ROUNDS):
        started = time.process_time()
        data, seconds = _util.timed(lambda: render_convention_pdf(**arguments))
        cpu.append(time.process_time() - started)
        durations.append(seconds)
        sizes.append(len(data))
    sizes.sort()
    return {
        "render": _util.latency_summary(durations, "ms"),
        # CPU time of this process: what a render costs, less disturbed than the wall
        # clock by the other processes of a shared machine.
        "render_cpu": _util.latency_summary(cpu, "ms"),
        "size_bytes": {
            "p50": round(_util.percentile(sizes, 0.50)),
            "p95": round(_util.percentile(sizes, 0.95)),
        },
        "pages": len(PdfReader(io.BytesIO(data)).pages),
        "schedule_days": len(convention.schedule().days),
    }


def run() -> dict:
    with tempfile.TemporaryDirectory(prefix="immersio-bench-") as directory:
        _configure(directory)
        sys.path.insert(0, str(_util.ROOT))
        import django

        django.setup()
        import weasyprint

        from immersio.conventions.pdf import render_convention_pdf

        short = _convention(
            weeks=1, days_per_week=5, slots=[["08:30", "12:00"], ["13:00", "16:30"]]
        )
        long = _convention(
            weeks=4,
            days_per_week=6,
            slots=[["07:00", "09:00"], ["09:30", "12:00"], ["13:00", "15:00"], ["15:30", "17:00"]],
        )
        content_sha256 = hashlib.sha256(b"bench").hexdigest()
        started = time.perf_counter()
        render_convention_pdf(
            convention=short,
            reference="IMM-2027-000123",
            version_number=1,
            content_sha256=content_sha256,
            evidence=_evidence(content_sha256),
        )
        first = time.perf_counter() - started
        results = {
            "machine": _util.machine(),
            "weasyprint": weasyprint.__version__,
            "rounds": ROUNDS,
            "first_render_of_the_process_ms": round(first * 1000, 1),
            "short_1_week": _measure(short),
            "long_4_weeks": _measure(long),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        results["goals_met"] = goals(results)
    _util.write_doc_section("PDF des conventions", render(results))
    return results


def goals(results: dict) -> dict:
    """On CPU time: the wall clock of a shared machine measures its neighbours too."""
    return {
        "p95_cpu_le_2_s": all(
            results[name]["render_cpu"]["p95"] <= GOAL_P95_S * 1000
            for name in ("short_1_week", "long_4_weeks")
        )
    }


def render(results: dict) -> str:
    machine = results["machine"]

    def row(name: str, case: dict) -> str:
        timing, cpu, size = case["render"], case["render_cpu"], case["size_bytes"]
        return (
            f"| {name} | {case['pages']} | {timing['p50']:.0f} ms | {timing['p95']:.0f} ms | "
            f"{cpu['p50']:.0f} ms | {cpu['p95']:.0f} ms | {size['p50'] / 1024:.0f} Ko |"
        )

    busy = (
        machine.get("load_average_1_min", 0) > 0.7
        or machine.get("cpu_busy_percent_at_start", 0) > 15
    )
    warning = [
        "",
        f"**Attention** : la machine était occupée par d'autres processus (charge moyenne "
        f"{machine.get('load_average_1_min', '?')}, processeurs occupés à "
        f"{machine.get('cpu_busy_percent_at_start', '?')} % au départ) ; les temps sont "
        "pessimistes.",
    ]

    return "\n".join(
        [
            f"Mesuré le {machine['date'][:10]} sur {machine['cpu_count']} cœurs "
            f"({machine['cpu_model']}), Python {machine['python']}, WeasyPrint "
            f"{results['weasyprint']} ; `python -m bench pdf`, résultats complets dans "
            "`bench/results/pdf.json`.",
            *(warning if busy else []),
            "",
            "`conventions.pdf.render_convention_pdf` dans un seul processus, sans base de "
            f"données : {results['rounds']} rendus mesurés de chaque convention après "
            f"{WARMUP} rendus d'échauffement, avec quatre lignes de preuve de signature. "
            "Le premier rendu du processus (import de WeasyPrint, chargement des polices) : "
            f"{results['first_render_of_the_process_ms']:.0f} ms. Les colonnes CPU donnent le "
            "temps de processeur du rendu, moins sensible que la durée aux autres processus "
            "de la machine.",
            "",
            "| convention | pages | p50 | p95 | p50 CPU | p95 CPU | taille |",
            "|---|---|---|---|---|---|---|",
            row(
                f"une semaine ({results['short_1_week']['schedule_days']} jours)",
                results["short_1_week"],
            ),
            row(
                f"quatre semaines ({results['long_4_weeks']['schedule_days']} jours, "
                "quatre créneaux par jour)",
                results["long_4_weeks"],
            ),
            "",
            f"Mémoire maximale du processus : {results['max_rss_mb']} Mo. Le rendu se fait "
            "dans une tâche, hors du chemin des requêtes ; le téléchargement sert le fichier "
            "déjà rendu.",
        ]
    )
