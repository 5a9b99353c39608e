"""A real ``db_worker`` killed with SIGKILL in the middle of a send (issue 8, item 23).

The worker runs in its own processes with the development settings, on a throw-away
SQLite database, and sends through the in-process SMTP server (which holds the message
while the worker is killed).
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LEASE = 3  # seconds: OUTBOX_SENDING_LEASE for these workers (45 by default)

SETUP = """
from django.db import transaction
from immersio.accounts.models import User
from immersio.accounts.notifications import LoginLinkNotification
from immersio.accounts.services import login_url
from immersio.notifications.services import notify
user = User.objects.create_user(email="ada@exemple.fr")
with transaction.atomic():
    [email] = notify(LoginLinkNotification(user=user, login_url=login_url(user)))
print(email.public_id)
"""

STATE = """
import json
from django_tasks_db.models import DBTaskResult
from immersio.notifications.models import OutboundEmail
email = OutboundEmail.objects.get()
tasks = sorted(DBTaskResult.objects.values_list("status", flat=True))
print(json.dumps({"status": email.status, "attempts": email.attempts, "tasks": tasks}))
"""


@pytest.fixture
def worker_env(tmp_path, smtp_server):
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "IMMERSIO_DEV_SMTP": "1",
        "EMAIL_HOST": smtp_server.host,
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_TIMEOUT": "60",
        "OUTBOX_SENDING_LEASE": str(LEASE),
        "PYTHONUNBUFFERED": "1",
    }
    manage(env, "migrate", "--no-input", "-v0")
    return env


def manage(env, *args) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def start_worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--queue-name",
            "*",
            "--interval",
            "0.2",
            "--no-reload",
            "--no-startup-delay",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def state(env) -> dict:
    return json.loads(manage(env, "shell", "-c", STATE).strip().splitlines()[-1])


@pytest.mark.timeout(300)
def test_a_send_killed_by_sigkill_is_taken_up_with_the_same_message_id(smtp_server, worker_env):
    public_id = manage(worker_env, "shell", "-c", SETUP).strip().splitlines()[-1]
    smtp_server.stall()
    first = start_worker(worker_env)
    try:
        smtp_server.wait_for_stall(timeout=60)  # the worker is in the middle of the send
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)

    killed = state(worker_env)
    assert killed["status"] == "sending" and killed["attempts"] == 1
    # The task being run, and the watchdog queued when the row was claimed.
    assert killed["tasks"] == ["READY", "RUNNING"]

    smtp_server.release()
    started = time.monotonic()
    second = start_worker(worker_env)
    try:
        [message] = smtp_server.wait_for(1, timeout=60)
        recovered_in = time.monotonic() - started
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)

    assert message.header("Message-ID") == f"<{public_id}@immersio.fr>"
    assert message.to == ["ada@exemple.fr"]
    assert recovered_in < 60
    after = state(worker_env)
    assert after["status"] == "sent" and after["attempts"] == 2
    # The task the killed worker was running is closed, not "running" forever; the
    # watchdog sent the e-mail; a new watchdog waits (it will find the e-mail sent).
    assert "RUNNING" not in after["tasks"]
    assert after["tasks"].count("FAILED") == 1
    assert len(smtp_server.messages) == 1
