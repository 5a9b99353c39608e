"""Run the benchmarks: every module ``bench/<name>.py`` that defines ``run() -> dict``.

    python -m bench                  # all of them, one after the other
    python -m bench referentials     # only these
    python -m bench --list

Each benchmark runs in its own Python process (it sets up Django its own way: settings,
temporary database, servers), under a time limit; its ``run()`` returns a JSON-able dict,
written to ``bench/results/<name>.json`` (or to the file named by its ``results_file``
key). A module may also define ``TIMEOUT`` (seconds, 600 by default). Modules whose name
starts with ``_``, or without ``run()``, are helpers, not benchmarks.
"""

import argparse
import ast
import contextlib
import importlib
import json
import os
import pkgutil
import signal
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_TIMEOUT = 600


def _top_level(name: str) -> tuple[bool, float]:
    """(defines ``run()``, TIMEOUT), read from the source: importing a benchmark may need
    Django set up, which only its own process does."""
    tree = ast.parse((BENCH_DIR / f"{name}.py").read_text("utf-8"))
    has_run, timeout = False, DEFAULT_TIMEOUT
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "run":
            has_run = True
        elif isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "TIMEOUT" for target in node.targets
        ):
            with contextlib.suppress(ValueError):
                timeout = float(ast.literal_eval(node.value))
    return has_run, timeout


def discover() -> list[str]:
    """Benchmarks: modules of bench/ not starting with ``_`` that define ``run()``."""
    return sorted(
        module.name
        for module in pkgutil.iter_modules([str(BENCH_DIR)])
        if not module.name.startswith("_") and not module.ispkg and _top_level(module.name)[0]
    )


def run_one(name: str) -> int:
    """In the child process: run the benchmark, write its results."""
    module = importlib.import_module(f"bench.{name}")
    run = getattr(module, "run", None)
    if not callable(run):
        print(f"bench/{name}.py : pas de fonction run(), ignoré.", file=sys.stderr)
        return 0
    started = time.monotonic()
    results = run()
    results.setdefault("benchmark", name)
    results.setdefault("duration_s", round(time.monotonic() - started, 1))
    RESULTS_DIR.mkdir(exist_ok=True)
    # A benchmark may name its file itself (one per database, for instance).
    path = RESULTS_DIR / f"{results.pop('results_file', name)}.json"
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    temporary.replace(path)
    print(f"→ {path.relative_to(ROOT)}")
    return 0


def timeout_of(name: str) -> float:
    return _top_level(name)[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="benchmarks à lancer (tous par défaut)")
    parser.add_argument("--list", action="store_true", help="lister les benchmarks")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return run_one(args.child)
    available = discover()
    if args.list:
        print("\n".join(available))
        return 0
    unknown = [name for name in args.names if name not in available]
    if unknown:
        parser.error(f"benchmark inconnu : {', '.join(unknown)} (connus : {', '.join(available)})")
    failures = 0
    for name in args.names or available:
        print(f"=== bench/{name}.py", flush=True)
        child = subprocess.Popen(
            [sys.executable, "-m", "bench", "--child", name], cwd=ROOT, start_new_session=True
        )
        try:
            code = child.wait(timeout=timeout_of(name))
        except subprocess.TimeoutExpired:
            print(f"bench/{name}.py : délai dépassé, arrêt.", file=sys.stderr)
            code = -1
        except KeyboardInterrupt:
            code = -2
        finally:
            if child.poll() is None:  # stop it and whatever it started (its session)
                os.killpg(child.pid, signal.SIGTERM)
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(child.pid, signal.SIGKILL)
                    child.wait()
        if code == -2:
            return 130
        if code:
            failures += 1
            print(f"bench/{name}.py : échec (code {code}).", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
