"""Load helpers of the search benchmark: a paced (open-loop) load and worker memory."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Sequence
from pathlib import Path

from bench import _util


def _paced_worker(args) -> tuple[list[float], int, int]:
    host, port, paths, rate, duration, phase, start_at, first = args
    client = _util.Client(host, port)
    interval = 1.0 / rate
    latencies: list[float] = []
    errors = 0
    late = 0
    n = 0
    while True:
        scheduled = start_at + phase + n * interval
        if scheduled - start_at >= duration:
            break
        now = time.monotonic()
        if now < scheduled:
            time.sleep(scheduled - now)
        elif now - scheduled > interval:
            late += 1
        try:
            status, _ = client.get(paths[(first + n) % len(paths)])
        except OSError:
            status = 0
        # From the moment the request was due: a slow answer delays the next ones, and
        # that wait counts (no "coordinated omission").
        latencies.append(time.monotonic() - scheduled)
        errors += status != 200
        n += 1
    return latencies, errors, late


def paced_load(
    host: str, port: int, paths: Sequence[str], rate: float, duration: float, senders: int = 4
) -> dict:
    """``rate`` requests per second for ``duration`` seconds, sent on schedule by
    ``senders`` processes (each its share, evenly phased)."""
    # "spawn": fresh interpreters, no lock inherited from this process's threads.
    context = multiprocessing.get_context("spawn")
    share = rate / senders
    with context.Pool(senders) as pool:
        pool.map(time.sleep, [0] * senders)  # the senders are up before the schedule starts
        start_at = time.monotonic() + 0.5  # CLOCK_MONOTONIC: the same in every process
        jobs = [
            (host, port, list(paths), share, duration, n / rate, start_at, n * 97)
            for n in range(senders)
        ]
        outcomes = pool.map_async(_paced_worker, jobs).get(timeout=duration + 60)
    latencies = [value for values, _, _ in outcomes for value in values]
    return {
        "target_rps": rate,
        "duration_s": duration,
        "senders": senders,
        "requests": len(latencies),
        "achieved_rps": round(len(latencies) / duration, 1),
        "errors": sum(errors for _, errors, _ in outcomes),
        "sent_late": sum(late for _, _, late in outcomes),
        "latency": _util.latency_summary(latencies, "ms"),
    }


def worker_memory(master_pid: int) -> list[dict]:
    """Resident memory of the processes whose parent is ``master_pid`` (gunicorn workers)."""
    workers = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master_pid):
            workers.append(
                {
                    "pid": int(status.parent.name),
                    "rss_mb": round(int(fields["VmRSS"].split()[0]) / 1024, 1),
                    "peak_rss_mb": round(int(fields["VmHWM"].split()[0]) / 1024, 1),
                }
            )
    return sorted(workers, key=lambda worker: worker["pid"])
