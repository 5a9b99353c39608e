"""The PDF of a convention (conventions.pdf): every legal mention, the schedule, the
evidence page, French typography, and no network access."""

import hashlib
import io
import logging
import threading
from datetime import UTC, date, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.test import override_settings
from pypdf import PdfReader

from immersio.conventions import pdf
from immersio.conventions.pdf import EvidenceLine, render_convention_pdf
from tests.agencies.factories import AgencyFactory
from tests.conventions.builders import valid_convention

pytestmark = pytest.mark.django_db

HASH = hashlib.sha256(b"version 2").hexdigest()
OLD_HASH = hashlib.sha256(b"version 1").hexdigest()
REFERENCE = "IMM-2027-000123"
MONDAY = date(2027, 3, 1)


def complete_convention(**changes):
    """A minor employee, with a legal representative, an employer, an accompanying
    structure and every text filled in: every optional block of the PDF is printed."""
    prescriber = AgencyFactory(name="France Travail Lyon Part-Dieu")
    accompanying = AgencyFactory(
        kind="structure-accompagnement",
        name="Association Tremplin",
        referring_agency=prescriber,
        address="12 rue Garibaldi",
    )
    fields = {
        "beneficiary_address": "4 place Bellecour, 69002 Lyon",
        "beneficiary_birth_date": date(2010, 5, 20),
        "beneficiary_situation": "salarie",
        "beneficiary_rsa": True,
        "beneficiary_rqth": True,
        "help_needed": "Fauteuil roulant à prévoir",
        "legal_rep_first_name": "Dominique",
        "legal_rep_last_name": "Durand",
        "legal_rep_email": "dominique@exemple.fr",
        "legal_rep_relationship": "mère",
        "is_employee": True,
        "employer_name": "Boulangerie Dupain",
        "employer_siret": "12345678900011",
        "employer_rep_name": "Lou Dupain",
        "employer_rep_function": "Gérante",
        "employer_rep_email": "lou@dupain.fr",
        "contract_kind": "cui",
        "contract_start": date(2026, 9, 1),
        "contract_end": date(2027, 8, 31),
        "host_legal_form": "SARL",
        "host_activity": "01.13Z Culture de légumes",
        "host_collective_agreement": "Production agricole (IDCC 7024)",
        "host_address": "8 chemin des Serres, 69009 Lyon",
        "skills": "Respect des consignes ; travail en équipe",
        "objectives": "Découvrir les gestes du métier\nÉvaluation par le tuteur en fin de semaine",
        "work_conditions": "Travail en extérieur",
        "risks": "Port de charges",
        "prevention": "Gants et chaussures de sécurité fournis",
        "provides_meals": True,
        "counsellor_name": "Claude Bernard",
        "agency": accompanying,
        "date_start": MONDAY,
        "date_end": MONDAY + timedelta(days=4),
        "weekly_pattern": {str(d): [["08:30", "12:00"], ["13:00", "16:30"]] for d in range(5)},
        "schedule_exceptions": {"2027-03-03": [["09:00", "12:00"]]},
    }
    fields.update(changes)
    return valid_convention(**fields)


def evidence():
    return [
        EvidenceLine(
            role="Bénéficiaire",
            name="Camille Durand",
            action="a signé",
            at=datetime(2027, 2, 20, 13, 5, 9, tzinfo=UTC),  # 14 h 05 in Paris
            method="code à usage unique envoyé par e-mail",
            ip_address="203.0.113.7",
            version_sha256=HASH,
        ),
        EvidenceLine(
            role="Représentant légal",
            name="Dominique Durand",
            action="signature papier numérisée",
            at=datetime(2027, 2, 21, 8, 0, tzinfo=UTC),
            method="scan déposé par le prescripteur",
            ip_address="",
            version_sha256=OLD_HASH,
        ),
        EvidenceLine(
            role="Prescripteur",
            name="Morgan Valideur",
            action="a validé (valideur)",
            at=datetime(2027, 2, 22, 9, 30, tzinfo=UTC),
            method="compte Immersio",
            ip_address="2001:db8::1",
            version_sha256=HASH,
        ),
    ]


def render(convention, **kwargs) -> bytes:
    arguments = {
        "convention": convention,
        "reference": REFERENCE,
        "version_number": 2,
        "content_sha256": HASH,
        "evidence": evidence(),
    }
    arguments.update(kwargs)
    return render_convention_pdf(**arguments)


def pages_text(data: bytes) -> list[str]:
    """The text of each page, spaces normalised (the PDF has non-breaking ones)."""
    reader = PdfReader(io.BytesIO(data))
    return [
        " ".join(page.extract_text().replace("\u00a0", " ").replace("\u202f", " ").split())
        for page in reader.pages
    ]


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """One complete convention rendered once for the module (rendering takes a while)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            convention = complete_convention()
            data = render(convention)
            transaction.set_rollback(True)
    return data


def test_every_party_and_mention_is_printed(rendered):
    text = " ".join(pages_text(rendered))
    for expected in (
        REFERENCE,
        "Version 2",
        HASH,
        # Beneficiary, with the mandatory RSA mention and the emergency contact.
        "DURAND Camille",
        "20 mai 2010",
        "4 place Bellecour, 69002 Lyon",
        "Salarié(e)",
        "Bénéficiaire du RSA Oui",
        "Dominique Durand, 06 11 11 11 11",
        # Legal representative, current employer.
        "DURAND Dominique (mère)",
        "Boulangerie Dupain",
        "Lou Dupain, Gérante",
        "Contrat unique d’insertion (PEC, CUI), du 1er septembre 2026 au 31 août 2027",
        # Host, its representative and the tutor.
        "SARL",
        "01.13Z Culture de légumes",
        "Production agricole (IDCC 7024)",
        "Alex Martin, Gérant",
        "Sam Petit, Chef de culture",
        # Prescriber, accompanying structure, conseiller référent.
        "France Travail Lyon Part-Dieu",
        "Association Tremplin",
        "12 rue Garibaldi, 69001 Lyon",
        "Claude Bernard",
        # The immersion.
        "Découvrir un métier ou un secteur d’activité",
        "Maraîcher / Maraîchère",
        "Découvrir les gestes du métier",
        "Évaluation par le tuteur en fin de semaine",
        "Semis, récoltes.",
        "Respect des consignes ; travail en équipe",
        "1 rue des Jardins",
        "Travail en extérieur",
        "Port de charges",
        "Gants et chaussures de sécurité fournis",
        "Repas.",
        # Dates and totals: 4 days of 7 h and one of 3 h.
        "Du 1er mars 2027 au 5 mars 2027 : 5 jours de présence, 31 h au total.",
        # Obligations.
        "Obligations des parties",
        "L’employeur actuel",
    ):
        assert expected in text, expected


def test_sensitive_fields_the_law_does_not_ask_for_are_left_out(rendered):
    text = " ".join(pages_text(rendered))
    assert "RQTH" not in text and "handicap" not in text
    assert "Fauteuil" not in text


def test_the_schedule_is_a_row_per_day_with_french_hours(rendered):
    text = " ".join(pages_text(rendered))
    assert "lundi 1er mars 2027 8 h 30 – 12 h, 13 h – 16 h 30 7 h" in text
    assert "mercredi 3 mars 2027 9 h – 12 h 3 h" in text  # the exception
    assert "vendredi 5 mars 2027 8 h 30 – 12 h, 13 h – 16 h 30 7 h" in text
    assert "Semaine du 1er mars 2027 5 jours 31 h" in text
    assert "samedi" not in text


def test_the_last_page_holds_the_signature_evidence(rendered):
    pages = pages_text(rendered)
    last = pages[-1]
    assert "Preuves de signature" in last
    assert all("Preuves de signature" not in page for page in pages[:-1])
    assert "Bénéficiaire – Camille Durand Acte A signé" in last
    assert "20 février 2027 à 14 h 05 min 09 s" in last  # UTC 13:05 is 14:05 in Paris
    assert "203.0.113.7" in last and "2001:db8::1" in last
    assert "Représentant légal – Dominique Durand Acte Signature papier numérisée" in last
    assert "Prescripteur – Morgan Valideur Acte A validé (valideur)" in last
    assert last.count(HASH) == 3  # the version's, and two lines that signed it
    assert OLD_HASH in last
    assert last.count("Attention : ce n’est pas la version de ce document.") == 1
    assert "article 25 du règlement (UE) n° 910/2014" in last


def test_every_page_is_numbered_out_of_the_total(rendered):
    pages = pages_text(rendered)
    for number, text in enumerate(pages, start=1):
        assert f"page {number} sur {len(pages)}" in text
    assert all(f"Convention d’immersion {REFERENCE}" in text for text in pages[1:])


def test_pages_are_a4(rendered):
    for page in PdfReader(io.BytesIO(rendered)).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # 210 × 297 mm in points


def test_the_file_is_a_tagged_pdf_a_in_french(rendered):
    """PDF/A-3a: archived as is for years, and read by screen readers (tagged)."""
    reader = PdfReader(io.BytesIO(rendered))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert root["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
    assert root["/Lang"] == "fr"
    assert reader.metadata.title == f"Convention d’immersion {REFERENCE}"


def test_rendering_complains_of_nothing(caplog):
    """No refused URL, no missing font, no untaggable image: WeasyPrint only logs then."""
    with caplog.at_level(logging.WARNING):
        render(complete_convention())
    assert [record.getMessage() for record in caplog.records] == []


def test_an_adult_job_seeker_has_no_legal_representative_nor_employer_block():
    convention = valid_convention(beneficiary_rsa=False)
    text = " ".join(pages_text(render(convention, evidence=[])))
    assert "Représentant légal" not in text
    assert "Employeur actuel" not in text
    assert "L’employeur actuel" not in text
    assert "Bénéficiaire du RSA Non" in text
    assert "Le prescripteur accompagne lui-même le bénéficiaire." in text
    assert "Aucune signature n’est encore enregistrée pour cette version." in text


def test_a_typed_text_is_printed_never_interpreted_as_markup():
    convention = valid_convention(tasks='<img src="http://127.0.0.1:9/x.png"> <b>Semis</b>')
    text = " ".join(pages_text(render(convention, evidence=[])))
    assert '<img src="http://127.0.0.1:9/x.png"> <b>Semis</b>' in text


def test_the_same_version_renders_the_same_bytes_on_another_day():
    convention = valid_convention()
    with time_machine.travel(datetime(2027, 3, 1, 9, tzinfo=UTC), tick=False):
        first = render(convention)
    with time_machine.travel(datetime(2028, 6, 2, 17, tzinfo=UTC), tick=False):
        assert render(convention) == first


def test_a_four_week_convention_with_many_slots_stays_short():
    start = date(2027, 3, 1)
    pattern = {
        str(day): [["07:00", "09:00"], ["09:30", "12:00"], ["13:00", "15:00"], ["15:30", "17:00"]]
        for day in range(6)
    }
    convention = valid_convention(
        date_start=start, date_end=start + timedelta(days=27), weekly_pattern=pattern
    )
    pages = pages_text(render(convention))
    text = " ".join(pages)
    assert text.count("7 h – 9 h, 9 h 30 – 12 h, 13 h – 15 h, 15 h 30 – 17 h") == 24
    assert "Semaine du 22 mars 2027 6 jours 48 h" in text
    # Parties and immersion, the schedule, the obligations, the evidence: a few pages.
    assert 4 <= len(pages) <= 7
    assert "Preuves de signature" in pages[-1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2027, 3, 3), "3\u00a0mars\u00a02027"),
        (date(2027, 5, 1), "1er\u00a0mai\u00a02027"),
    ],
)
def test_french_date(value, expected):
    assert pdf.french_date(value) == expected


def test_french_time_and_datetime():
    assert pdf.french_time(time(8, 30)) == "8\u00a0h\u00a030"
    assert pdf.french_time(time(14, 0)) == "14\u00a0h"
    summer = datetime(2027, 7, 14, 22, 0, 5, tzinfo=UTC)  # UTC+2 in Paris in summer
    assert (
        pdf.french_datetime(summer)
        == "15\u00a0juillet\u00a02027 à 0\u00a0h\u00a000\u00a0min\u00a005\u00a0s"
    )


def test_french_typography_touches_text_only():
    html = (
        '<p class="a:b">Objet : « test » ; oui ! l\'ami&#x27;s ? http://x 14:05</p>'
        "<p>o&#x27;neil@exemple.fr, d'accord</p>"
    )
    assert pdf.french_typography(html) == (
        '<p class="a:b">Objet\u00a0: «\u00a0test\u00a0»\u202f; oui\u202f! l’ami’s\u202f? '
        "http://x 14:05</p><p>o&#x27;neil@exemple.fr, d’accord</p>"
    )


def test_evidence_needs_an_aware_time_and_a_sha256():
    fields = {
        "role": "Bénéficiaire",
        "name": "Camille Durand",
        "action": "a signé",
        "method": "code",
        "ip_address": "",
    }
    with pytest.raises(ValueError, match="aware"):
        EvidenceLine(at=datetime(2027, 1, 1, 8), version_sha256=HASH, **fields)
    with pytest.raises(ValueError, match="64 lowercase hex"):
        EvidenceLine(at=datetime(2027, 1, 1, 8, tzinfo=UTC), version_sha256="abc", **fields)


# --- No network ---------------------------------------------------------------------------


class _CountingHandler(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback_server():
    """An HTTP server on loopback counting the requests it receives (the tests may open
    loopback sockets: a renderer that fetched would reach it)."""
    _CountingHandler.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _CountingHandler.hits
    server.shutdown()
    server.server_close()
    thread.join()


def hostile_template(base: str) -> str:
    return f"""<html><head>
      <link rel="stylesheet" href="{base}/sheet.css">
      <style>@import url("{base}/import.css"); body {{ background: url("{base}/bg.png") }}
        @font-face {{ font-family: X; src: url("{base}/font.woff") }}</style>
      </head><body><p>{{{{ reference }}}}</p>
      <img src="{base}/logo.png" alt="a"><img src="file:///etc/passwd" alt="b">
      <img src="../../settings.py" alt="c"><img src="img/logo.svg" alt="d"></body></html>"""


def test_a_template_asking_for_remote_resources_fetches_nothing(loopback_server, caplog):
    base, hits = loopback_server
    templates = {"conventions/pdf/convention.html": hostile_template(base)}
    engine = {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", templates)]},
    }
    with (
        override_settings(TEMPLATES=[engine]),
        caplog.at_level(logging.WARNING, logger="immersio.conventions.pdf"),
    ):
        data = render(valid_convention(), evidence=[])
    assert REFERENCE in " ".join(pages_text(data))
    assert hits == []
    refused = " ".join(record.getMessage() for record in caplog.records)
    for name in ("sheet.css", "import.css", "bg.png", "font.woff", "logo.png", "/etc/passwd"):
        assert name in refused, name
    assert "settings.py" in refused
    assert "logo.svg" not in refused  # our own file is read


def test_the_default_fetcher_would_have_fetched(loopback_server):
    """The loopback server does see a renderer that fetches: the test above can fail."""
    import weasyprint

    base, hits = loopback_server
    weasyprint.HTML(string=f'<img src="{base}/logo.png">').write_pdf()
    assert hits == ["/logo.png"]
