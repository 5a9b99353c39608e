"""What `make run` prints for each e-mail: readable, with every link whole on its line."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from immersio.accounts.services import request_login_link
from immersio.core.actors import TASK, VISITOR
from immersio.notifications.backends import links_on_their_own_lines
from immersio.notifications.services import process_due_emails
from tests.accounts.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
BACKEND = "immersio.notifications.backends.ReadableConsoleBackend"


def dev_output_urls(output: str) -> list[str]:
    """The links as a person copies them: each line that is a link, whole."""
    return [line for line in output.splitlines() if re.fullmatch(r"https?://\S+", line)]


@pytest.fixture
def dev_console(settings):
    stream = io.StringIO()
    settings.MAILERS = {"default": {"BACKEND": BACKEND, "OPTIONS": {"stream": stream}}}
    return stream


def test_development_settings_print_emails_with_the_readable_backend():
    env = {k: v for k, v in os.environ.items() if k not in {"IMMERSIO_DEV_SMTP"}}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.MAILERS['default']['BACKEND'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == BACKEND


@pytest.mark.django_db
def test_a_login_email_is_printed_decoded_with_its_link_whole(client, dev_console, settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    UserFactory(email="helene.dupre@exemple.fr", first_name="Hélène", last_name="Dupré")
    next_path = "/compte/profil/?onglet=coordonnées&vue=complète"
    request_login_link(
        email="helene.dupre@exemple.fr", ip="127.0.0.1", next_url=next_path, actor=VISITOR
    )
    process_due_emails(actor=TASK)  # what the worker does

    output = dev_console.getvalue()
    assert "Objet : Votre lien de connexion à Immersio" in output
    assert "À : Hélène Dupré" in output or "helene.dupre@exemple.fr" in output
    assert "Bonjour Hélène Dupré," in output
    # Decoded: no quoted-printable, no base64, no MIME headers, no HTML version.
    for raw in ["=3D", "=C3", "=\n", "Content-Transfer-Encoding", "<html", "<a ", "style="]:
        assert raw not in output, raw
    urls = dev_output_urls(output)
    login_links = [url for url in urls if "/compte/connexion/lien/" in url]
    assert len(login_links) == 1
    assert all(re.match(r"http://127\.0\.0\.1:8101(/|$)", url) for url in urls), urls

    # Copied from the terminal, the link logs the person in.
    parts = urlsplit(login_links[0])
    response = client.get(f"{parts.path}?{parts.query}")
    assert response.status_code == 200
    response = client.post(parts.path, dict(parse_qsl(parts.query)), follow=True)
    assert response.wsgi_request.user.email == "helene.dupre@exemple.fr"


@pytest.mark.django_db
def test_a_newcomer_email_is_printed_readably(dev_console):
    request_login_link(email="nouvelle@exemple.fr", ip="127.0.0.1", actor=VISITOR)
    process_due_emails(actor=TASK)
    output = dev_console.getvalue()
    assert "Objet : Créez votre compte Immersio" in output
    assert "aucun compte n'y est encore associé" in output
    assert "=3D" not in output and "<html" not in output
    [signup] = [url for url in dev_output_urls(output) if "/compte/inscription/" in url]
    assert "?jeton=" in signup


def test_links_are_moved_to_their_own_lines_and_kept_whole():
    text = (
        "S'il a expiré, demandez-en un nouveau : http://x.example/compte/connexion/?a=1&b=2.\n"
        "http://x.example/seul\n"
        "Deux liens http://a.example/1 et http://b.example/2 ici"
    )
    assert links_on_their_own_lines(text).splitlines() == [
        "S'il a expiré, demandez-en un nouveau :",
        "http://x.example/compte/connexion/?a=1&b=2",
        ".",
        "http://x.example/seul",
        "Deux liens",
        "http://a.example/1",
        "et",
        "http://b.example/2",
        "ici",
    ]


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["127.0.0.1", "8101"], {}, "http://127.0.0.1:8101"),
        (["0.0.0.0", "8102"], {}, "http://127.0.0.1:8102"),  # noqa: S104
        (["127.0.0.1", "8101"], {"IMMERSIO_SITE_URL": "https://immersio.example"}, None),
    ],
)
def test_run_dev_points_email_links_at_its_own_port(tmp_path, args, env, expected):
    """`make run PORT=8101` runs `scripts/run-dev.sh 127.0.0.1 8101`: the worker, the
    server and the welcome all get IMMERSIO_SITE_URL for that port, unless it is set
    explicitly."""
    seen = tmp_path / "seen.txt"
    fake_python = tmp_path / "python"
    fake_python.write_text(
        "#!/usr/bin/env bash\n"
        f'echo "$IMMERSIO_SITE_URL $2" >> {seen}\n'
        '[ "$2" = db_worker ] && exec sleep 10\n'
        # The server stops once the worker has started: run-dev.sh then stops both.
        f"for _ in $(seq 50); do grep -q db_worker {seen} && exit 0; sleep 0.1; done\n"
        "exit 1\n"
    )
    fake_python.chmod(0o755)
    base = {k: v for k, v in os.environ.items() if k != "IMMERSIO_SITE_URL"}
    result = subprocess.run(
        ["bash", "scripts/run-dev.sh", *args],
        cwd=ROOT,
        env=base | env | {"IMMERSIO_PYTHON": str(fake_python)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    site_url = expected or env["IMMERSIO_SITE_URL"]
    # The welcome (demo accounts, a signature link) prints links to the same site.
    assert sorted(seen.read_text().splitlines()) == [
        f"{site_url} db_worker",
        f"{site_url} demo_welcome",
        f"{site_url} runserver",
    ]
    assert site_url in result.stdout
