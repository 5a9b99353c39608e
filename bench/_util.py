"""Helpers shared by the benchmarks: statistics, machine description, a loopback HTTP
server process that always stops, an HTTP load generator, docs/performance.md sections."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import datetime
import http.client
import json
import math
import multiprocessing
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PERFORMANCE_DOC = ROOT / "docs" / "performance.md"


# Statistics -------------------------------------------------------------------------


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def latency_summary(seconds: Sequence[float], unit: str = "µs") -> dict:
    """p50/p95/p99/max/mean of durations given in seconds, in ``unit``."""
    factor = {"µs": 1e6, "ms": 1e3}[unit]
    values = sorted(value * factor for value in seconds)
    digits = 1 if unit == "µs" else 3
    return {
        "unit": unit,
        "samples": len(values),
        "p50": round(percentile(values, 0.50), digits),
        "p95": round(percentile(values, 0.95), digits),
        "p99": round(percentile(values, 0.99), digits),
        "max": round(values[-1], digits) if values else math.nan,
        "mean": round(sum(values) / len(values), digits) if values else math.nan,
    }


def reference_work() -> float:
    """Seconds this machine takes, now, for a fixed pure-Python task (sums and a sort:
    a few tens of milliseconds on the reference machine). Timed
    between the measurements, it says how fast the processor was while they were taken:
    on a shared virtual machine the same code runs up to twice as slowly at times."""
    started = time.perf_counter()
    total = 0
    for number in range(150_000):
        total += number * number % 7
    sorted(range(60_000, 0, -1))
    return time.perf_counter() - started


def machine() -> dict:
    import django

    info = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "django": django.get_version(),
        "platform": platform.platform(),
    }
    with contextlib.suppress(ImportError):
        import gunicorn

        info["gunicorn"] = gunicorn.__version__
    with contextlib.suppress(OSError):
        info["load_average_1_min"] = round(os.getloadavg()[0], 2)
    busy = cpu_busy_percent()
    if busy is not None:
        info["cpu_busy_percent_at_start"] = busy
    with contextlib.suppress(OSError, ValueError):
        info["memory_total_mb"] = round(
            os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20
        )
    return info


def cpu_busy_percent(seconds: float = 1.0) -> float | None:
    """Share of the processors busy (all processes) over ``seconds``, from /proc/stat."""

    def sample():
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return sum(fields), fields[3] + fields[4]  # total, idle + iowait

    try:
        total_before, idle_before = sample()
        time.sleep(seconds)
        total_after, idle_after = sample()
    except (OSError, ValueError, IndexError):
        return None
    total = total_after - total_before
    return round(100 * (1 - (idle_after - idle_before) / total), 1) if total else None


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "inconnu"


# A server process on loopback ---------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent():  # runs in the child, before exec
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


SERVER = "gunicorn, 2 workers sync, 127.0.0.1"


def gunicorn_command(host: str, port: int, *, timeout: int) -> list[str]:
    """The project served as the benchmarks measure it (``SERVER``), ``timeout`` seconds
    a request at the most."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        "2",
        "--worker-class",
        "sync",
        "--worker-tmp-dir",
        "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir(),
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
    ]


@contextlib.contextmanager
def server_process(command: list[str], env: dict, ready_url: str, timeout: float = 60):
    """Start ``command``, wait until ``ready_url`` answers 200, stop it on leaving — even on
    error, Ctrl-C, SIGTERM or the death of this process (PR_SET_PDEATHSIG on Linux)."""
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )

    def stop():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # gunicorn: graceful stop of its workers
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    atexit.register(stop)
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        deadline = time.monotonic() + timeout
        host, port, path = _split(ready_url)
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"Le serveur s'est arrêté au démarrage (code {process.returncode})."
                )
            try:
                connection = http.client.HTTPConnection(host, port, timeout=2)
                connection.request("GET", path)
                if connection.getresponse().status == 200:
                    connection.close()
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"Le serveur ne répond pas sur {ready_url}.")
            time.sleep(0.2)
        yield process
    finally:
        stop()
        signal.signal(signal.SIGTERM, previous)
        atexit.unregister(stop)


def _split(url: str) -> tuple[str, int, str]:
    match = re.fullmatch(r"http://([^:/]+):(\d+)(/.*)", url)
    if not match:
        raise ValueError(url)
    return match.group(1), int(match.group(2)), match.group(3)


# HTTP clients ---------------------------------------------------------------------------


class Client:
    """A minimal HTTP/1.1 client: one connection per request (``Connection: close``, as
    gunicorn's sync workers do anyway), the request bytes prepared in advance, the answer
    read to the end. Much lighter than http.client, so that on a small machine the load
    generator leaves the processor to the server."""

    def __init__(self, host: str, port: int):
        self.address = (host, port)
        self.template = (
            "GET {} HTTP/1.1\r\nHost: "
            + f"{host}:{port}"
            + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
        )
        self.prepared: dict[str, bytes] = {}
        self.connections = 0

    def get(self, path: str) -> tuple[int, bytes]:
        request = self.prepared.get(path)
        if request is None:
            request = self.prepared[path] = self.template.format(path).encode("ascii")
        with socket.create_connection(self.address, timeout=10) as connection:
            self.connections += 1
            connection.sendall(request)
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        answer = b"".join(chunks)
        try:
            status = int(answer[9:12])
        except ValueError:
            status = 0
        return status, answer[answer.find(b"\r\n\r\n") + 4 :]


def timed_requests(host: str, port: int, paths: Sequence[str]) -> tuple[list[float], int, int]:
    """Sequential requests: (durations in s, errors, connections opened)."""
    client = Client(host, port)
    durations, errors = [], 0
    clock = time.perf_counter
    for path in paths:
        started = clock()
        status, _ = client.get(path)
        durations.append(clock() - started)
        errors += status != 200
    return durations, errors, client.connections


def _load_worker(args) -> tuple[int, int, list[float]]:
    host, port, paths, duration, offset = args
    client = Client(host, port)
    count = errors = 0
    durations: list[float] = []
    clock = time.perf_counter
    end = clock() + duration
    index = offset
    while clock() < end:
        started = clock()
        try:
            status, _ = client.get(paths[index % len(paths)])
        except OSError:
            status = 0
        durations.append(clock() - started)
        count += 1
        errors += status != 200
        index += 1
    return count, errors, durations


def sustained_load(
    host: str, port: int, paths: Sequence[str], clients: int, duration: float
) -> dict:
    """``clients`` processes each sending requests back to back for ``duration`` seconds."""
    # "spawn": fresh interpreters, no lock inherited from this process's threads.
    context = multiprocessing.get_context("spawn")
    jobs = [(host, port, list(paths), duration, n * 37) for n in range(clients)]
    with context.Pool(clients) as pool:
        pool.map(time.sleep, [0] * clients)  # the clients are up before the clock starts
        started = time.perf_counter()
        outcomes = pool.map_async(_load_worker, jobs).get(timeout=duration + 60)
        elapsed = time.perf_counter() - started
    total = sum(count for count, _, _ in outcomes)
    durations = [value for _, _, values in outcomes for value in values]
    return {
        "clients": clients,
        "duration_s": round(elapsed, 2),
        "requests": total,
        "errors": sum(errors for _, errors, _ in outcomes),
        "requests_per_second": round(total / duration, 1),
        "latency": latency_summary(durations, "ms"),
    }


def timed(function: Callable[[], object]) -> tuple[object, float]:
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def chunks(values: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


# docs/performance.md ------------------------------------------------------------------

_DOC_HEADER = """# Performances

Mesures produites par `make bench` (`python -m bench`) : chaque module `bench/<nom>.py`
écrit `bench/results/<nom>.json` et met à jour sa section ci-dessous. Les chiffres
dépendent de la machine : comparez des mesures faites au même endroit.
"""


def write_doc_section(title: str, body: str) -> None:
    """Replace (or append) the ``## title`` section of docs/performance.md."""
    text = PERFORMANCE_DOC.read_text("utf-8") if PERFORMANCE_DOC.exists() else _DOC_HEADER
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    PERFORMANCE_DOC.parent.mkdir(exist_ok=True)
    PERFORMANCE_DOC.write_text(text, "utf-8")


def previous_databases(results: Path, measured: Sequence[str]) -> dict:
    """The figures of the databases not measured this time, from the last results file."""
    try:
        previous = json.loads(results.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {
        name: data for name, data in previous.get("databases", {}).items() if name not in measured
    }


def measure_in_child(
    module: str,
    database: str,
    url: str,
    directory: str,
    *,
    title: str = "",
    args=(),
    settings: str = "config.settings.dev",
) -> dict:
    """Run ``python -m <module> --measure --out …`` on its own database (``url``), with
    production-like settings (DEBUG off, quiet logs; ``settings``, the development ones
    unless a benchmark brings its own), and return what it measured, dated; a failed
    child gives its figures so far and an ``error``."""
    output = Path(directory) / "result.json"
    env = dict(
        os.environ,
        DATABASE_URL=url,
        IMMERSIO_VAR_DIR=directory,
        IMMERSIO_PRIVATE_ROOT=str(Path(directory) / "private"),
        DJANGO_SETTINGS_MODULE=settings,
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    print(f"--- {database}{f' : {title}' if title else ''}", flush=True)
    command = [sys.executable, "-m", module, "--measure", "--out", str(output), *args]
    completed = subprocess.run(command, env=env, cwd=ROOT, check=False)
    result = json.loads(output.read_text("utf-8")) if output.exists() else {}
    result["measured_at"] = machine()["date"]
    if completed.returncode:
        result["error"] = f"le processus de mesure a échoué (code {completed.returncode})"
    return result
