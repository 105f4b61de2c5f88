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
from typing import Any

import httpx

from bench.callbacks import callbacks_of

REPO_ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
CLIENTS = 8


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


def _loaded(*args: Any) -> dict:
    """`_load(*args)` as `sampled` wants its work: a dict."""
    return {"load": _load(*args)}


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


def drive(base: str, output_part: str, values: Callable[[random.Random], dict], seconds: float) -> dict:
    """CLIENTS threads posting the callback whose output contains `output_part` for `seconds`, after the
    same load for `seconds / 2` untimed (steady state: both servers are measured warm, the same way)."""
    callback = _callback_of(base, output_part)
    # Warm-up with other random choices than the timed run (seed 1000+): what stays remembered from it is
    # what a server that has run for a while has, not the answers to the timed questions.
    _load(base, callback, values, seconds / 2, 1000)
    return _summary(*_load(base, callback, values, seconds, 0))


def drive_alternating(
    servers: list[tuple[str, int]],
    output_part: str,
    values: Callable[[random.Random], dict],
    seconds: float,
    rounds: int,
) -> list[tuple[dict, float]]:
    """`drive` on several servers (base URL, pid) running side by side, their timed load cut into `rounds`
    turns taken in turn (the same questions in each server's turn), so that a slower minute of a shared host
    falls on all of them; each server's (summary over its turns, peak KB of its process tree)."""
    callbacks = [_callback_of(base, output_part) for base, _ in servers]
    peaks = [0.0] * len(servers)
    for i, ((base, pid), callback) in enumerate(zip(servers, callbacks, strict=True)):
        warm = functools.partial(_loaded, base, callback, values, seconds / 2, 1000)
        _, peaks[i] = sampled(pid, warm)
    timed: list[tuple[list[float], int, float]] = [([], 0, 0.0) for _ in servers]
    for turn in range(rounds):
        for i, ((base, pid), callback) in enumerate(zip(servers, callbacks, strict=True)):
            load = functools.partial(_loaded, base, callback, values, seconds / rounds, turn * 100)
            loaded, peak = sampled(pid, load)
            latencies, errors, elapsed = loaded["load"]
            so_far = timed[i]
            timed[i] = (so_far[0] + latencies, so_far[1] + errors, so_far[2] + elapsed)
            peaks[i] = max(peaks[i], peak)
    return [(_summary(*done), peak) for done, peak in zip(timed, peaks, strict=True)]


def sampled(pid: int, work: Callable[[], dict]) -> tuple[dict, float]:
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
