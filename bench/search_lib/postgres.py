"""A throw-away PostgreSQL server for the benchmark, as ``.ci/run`` starts one: a cluster
in a temporary folder, on a free loopback port, durability off (fsync, synchronous commit,
full-page writes), always stopped and deleted at the end."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench import _util

DEFAULT_BIN = "/usr/lib/postgresql/15/bin"
# Beyond .ci/run: memory for the 1M-structure indexes, and no JIT compilation (it adds
# tens of milliseconds to the larger queries of an interactive search).
SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "1GB",
    "jit": "off",
    "max_connections": "50",
}


def find_bin() -> Path | None:
    candidates = [Path(os.environ.get("BENCH_PG_BIN", DEFAULT_BIN))]
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for candidate in candidates:
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    return None


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() == 0:  # initdb refuses to run as root
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _postgres_ids() -> tuple[int, int] | None:
    if os.geteuid() != 0:
        return None
    import pwd

    entry = pwd.getpwnam("postgres")
    return entry.pw_uid, entry.pw_gid


def _demote_and_die_with_parent(ids):  # in the child, before exec
    def prepare():
        if ids is not None:
            os.setgid(ids[1])
            os.setuid(ids[0])
        # After the change of user, which would clear it: stop when this process dies.
        with contextlib.suppress(Exception):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)

    return prepare


@contextlib.contextmanager
def server(port: int | None = None) -> Iterator[str]:
    """Start a server (on ``port`` when given and free, else on a free port), yield its
    ``DATABASE_URL``, stop and delete it on leaving.

    The server runs in the foreground as a child of this process (not through ``pg_ctl``,
    which would detach it): it dies with this process, whatever happens to it."""
    bin_dir = find_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL est introuvable (initdb, pg_ctl).")
    directory = Path(tempfile.mkdtemp(prefix="immersio-bench-pg-"))
    port = port if port is not None and _port_free(port) else _util.free_port()
    data = directory / "data"
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    options = [
        f"-c{name}={value}"
        for name, value in {
            **SERVER_SETTINGS,
            "port": port,
            "unix_socket_directories": directory,
        }.items()
    ]
    process: subprocess.Popen | None = None

    def stop():
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGINT)  # fast shutdown
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(directory, ignore_errors=True)

    atexit.register(stop)
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        subprocess.run(
            _as_postgres(
                [
                    str(bin_dir / "initdb"),
                    *("-D", str(data), "-U", "immersio", "--auth=trust"),
                    *("-E", "UTF8", "--locale=C.UTF-8"),
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        with open(directory / "server.log", "wb") as log:
            process = subprocess.Popen(
                [str(bin_dir / "postgres"), "-D", str(data), *options],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_demote_and_die_with_parent(_postgres_ids()),
            )
        _wait_ready(bin_dir, port, process)
        subprocess.run(
            _as_postgres(
                [
                    str(bin_dir / "createdb"),
                    *("-h", "127.0.0.1", "-p", str(port), "-U", "immersio", "immersio"),
                ]
            ),
            check=True,
        )
        yield f"postgres://immersio@127.0.0.1:{port}/immersio"
    finally:
        stop()
        atexit.unregister(stop)
        signal.signal(signal.SIGTERM, previous)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _wait_ready(bin_dir: Path, port: int, process: subprocess.Popen, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"PostgreSQL s'est arrêté au démarrage (code {process.returncode}).")
        ready = subprocess.run(
            [str(bin_dir / "pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-q"],
            check=False,
        )
        if ready.returncode == 0:
            return
        time.sleep(0.2)
    raise RuntimeError("PostgreSQL ne répond pas.")


def version() -> str:
    bin_dir = find_bin()
    if bin_dir is None:
        return "absent"
    result = subprocess.run(
        [str(bin_dir / "postgres"), "--version"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip()
