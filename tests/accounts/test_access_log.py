"""Gunicorn, started as the README says, never writes a link's token to its access log
(issue 8, item 24)."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DRAFT_TOKEN = "zNzo4ZpxsSZu0dFAFOXYhqKAx6mQD_lf"
SECRETS = ["SECRET-LOGIN-0123", "SECRET-INVITE-4567", "SECRET-REFERER-89AB", "SECRET-ENC-CDEF"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, **headers) -> None:
    assert url.startswith("http://127.0.0.1:")
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback http)
    # The status does not matter: every request is logged.
    with contextlib.suppress(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=20).read()  # noqa: S310


@pytest.fixture
def gunicorn(tmp_path):
    port = free_port()
    log = tmp_path / "access.log"
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "config/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(log),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("gunicorn n'a pas démarré")
            time.sleep(0.2)
    try:
        yield base, log
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def test_the_access_log_never_records_the_query_string_of_a_link_with_a_token(gunicorn):
    base, log = gunicorn
    get(f"{base}/compte/connexion/lien/?jeton={SECRETS[0]}&next=/compte/profil/")
    get(
        f"{base}/structures/invitation/?jeton={SECRETS[1]}",
        Referer=f"{base}/compte/inscription/?jeton={SECRETS[2]}",
    )
    get(f"{base}/demandes/verifier/?next=%2F&JETON%3D{SECRETS[3]}&jeton%3D{SECRETS[3]}")
    get(f"{base}/healthz?verification=ordinaire")
    get(f"{base}/conventions/brouillon/{DRAFT_TOKEN}/beneficiaire/")
    deadline = time.monotonic() + 10
    # The draft's page redirects to the login page (followed): six lines.
    while log.read_text().count("\n") < 6 and time.monotonic() < deadline:
        time.sleep(0.1)

    text = log.read_text()
    lines = text.splitlines()
    assert len(lines) == 6, text
    for secret in SECRETS:
        assert secret not in text
    assert '"GET /compte/connexion/lien/?[jeton supprimé] HTTP/1.1"' in lines[0]
    assert '"GET /structures/invitation/?[jeton supprimé] HTTP/1.1"' in lines[1]
    # The client's address keeps its network only (issue 11), here and in the Referer.
    network = base.replace("127.0.0.1", "127.0.0.0")
    assert f'"{network}/compte/inscription/?[jeton supprimé]"' in lines[1]
    assert all(line.startswith("127.0.0.0 ") for line in lines), text
    # A draft's share token, in its path, is masked too.
    assert DRAFT_TOKEN not in text
    assert '"GET /conventions/brouillon/•••/beneficiaire/ HTTP/1.1"' in lines[4]
    assert "next=/conventions/brouillon/•••/beneficiaire/" in lines[5]
    # Other requests keep their query string.
    assert '"GET /healthz?verification=ordinaire HTTP/1.1"' in lines[3]
