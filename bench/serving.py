# ruff: noqa: S311 - seeded generators give reproducible load; nothing here is a secret
"""Servers the benchmarks share: gunicorn as `make serve` runs it, werkzeug and a static file server in a
thread, closed-loop load on one Dash callback, and the resident memory of a server's process tree."""

from __future__ import annotations

import functools
import http.server
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx

from bench.callbacks import callbacks_of

REPO_ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
CLIENTS = 8
Returned = TypeVar("Returned")  # what a `sampled` work returns


# --- serving and load --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tree_rss_kb(pid: int) -> float:
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    total = 0.0
    for each in pids:
        try:
            for text in Path(f"/proc/{each}/status").read_text().splitlines():
                if text.startswith("VmRSS:"):
                    total += int(text.split()[1])
        except FileNotFoundError:
            continue
    return total


@contextmanager
def gunicorn(app: str, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """`app` under gunicorn (2 workers, 4 threads, as `make serve`) on 127.0.0.1; yields (base URL, pid)."""
    port = free_port()
    process = subprocess.Popen(
        [
            GUNICORN,
            "--workers",
            "2",
            "--threads",
            "4",
            "--timeout",
            "300",
            "--bind",
            f"127.0.0.1:{port}",
            app,
        ],
        cwd=REPO_ROOT,
        env=os.environ | env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    try:
        while True:
            try:
                if httpx.get(f"{base}/_dash-dependencies", timeout=10).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"gunicorn {app} did not start: {process.stderr.read() if process.stderr else ''}"
                )
            time.sleep(0.5)
        yield base, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def _load(
    base: str, callback: Any, values: Callable[[random.Random], dict], duration: float, seed: int
) -> tuple[list[float], int, float]:
    """CLIENTS threads posting `callback` with `values` for `duration` seconds: (latencies, errors, elapsed)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    until = time.monotonic() + duration

    def client(number: int) -> None:
        chooser = random.Random(seed + number)
        mine: list[float] = []
        failed = 0
        with httpx.Client(base_url=base, timeout=120) as http:
            while time.monotonic() < until:
                started = time.perf_counter()
                reply = http.post("/_dash-update-component", json=callback.body(values(chooser)))
                mine.append(time.perf_counter() - started)
                failed += reply.status_code != 200
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0], time.perf_counter() - started


def _summary(latencies: list[float], errors: int, elapsed: float) -> dict:
    latencies = sorted(latencies)
    return {
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else float("nan"),
        "requests": len(latencies),
        "errors": errors,
    }


def _callback_of(base: str, output_part: str) -> Any:
    deps = httpx.get(f"{base}/_dash-dependencies", timeout=30).json()
    return next(c for c in callbacks_of(deps) if output_part in c.output)


def drive(
    servers: list[tuple[str, int]],
    output_part: str,
    values: Callable[[random.Random], dict],
    seconds: float,
    rounds: int = 1,
) -> list[tuple[dict, float]]:
    """CLIENTS threads posting the callback whose output contains `output_part` to each server (base URL, pid),
    for `seconds / 2` untimed (steady state: every server is measured warm, the same way), then for `seconds`
    timed, cut into `rounds` turns taken in turn with the same questions in each server's turn (servers side by
    side: a slower minute of the shared host falls on all of them). Each server's (summary, peak KB of its
    process tree)."""
    callbacks = [_callback_of(base, output_part) for base, _ in servers]
    peaks = [0.0] * len(servers)
    # Warm-up with other random choices than the timed run (seed 1000+): what stays remembered from it is
    # what a server that has run for a while has, not the answers to the timed questions.
    for i, ((base, pid), callback) in enumerate(zip(servers, callbacks, strict=True)):
        _, peaks[i] = sampled(pid, functools.partial(_load, base, callback, values, seconds / 2, 1000))
    latencies: list[list[float]] = [[] for _ in servers]
    errors = [0] * len(servers)
    elapsed = [0.0] * len(servers)
    for turn in range(rounds):
        for i, ((base, pid), callback) in enumerate(zip(servers, callbacks, strict=True)):
            load = functools.partial(_load, base, callback, values, seconds / rounds, turn * 100)
            (answered, failed, took), peak = sampled(pid, load)
            latencies[i] += answered
            errors[i] += failed
            elapsed[i] += took
            peaks[i] = max(peaks[i], peak)
    return [(_summary(latencies[i], errors[i], elapsed[i]), peaks[i]) for i in range(len(servers))]


def sampled(pid: int, work: Callable[[], Returned]) -> tuple[Returned, float]:
    """`work()` while sampling the resident memory of the server tree; (result, peak KB)."""
    peak = [tree_rss_kb(pid)]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.25):
            peak[0] = max(peak[0], tree_rss_kb(pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        result = work()
    finally:
        stop.set()
        sampler.join()
    return result, peak[0]


@contextmanager
def werkzeug(app: Any) -> Iterator[str]:
    """A Dash app served by werkzeug (threaded) on 127.0.0.1 in a daemon thread; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per request on stderr otherwise


@contextmanager
def static_files(folder: Path) -> Iterator[str]:
    """`folder` served by the standard library's http.server on 127.0.0.1 in a daemon thread; its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
