"""The production server: gunicorn serving `dashboard.app:create_server()` on the shipped data."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import REPO_ROOT
from tests.serving import kpi_request, refresh_store


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_gunicorn_serves_the_page_and_callbacks(tmp_path: Path) -> None:
    refresh_store(tmp_path / "store", tmp_path / "raw")
    port = free_port()
    env = os.environ | {"TRADE_STORE_DIR": str(tmp_path / "store")}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "--workers", "2", "--bind", f"127.0.0.1:{port}", "dashboard.app:create_server()"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = json.loads(urllib.request.urlopen(f"{base}/healthz", timeout=5).read())
                break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                time.sleep(0.3)
        assert health["store"].startswith("trade-")
        page = urllib.request.urlopen(f"{base}/", timeout=10)
        assert page.status == 200
        request = urllib.request.Request(
            f"{base}/_dash-update-component",
            data=json.dumps(kpi_request()).encode(),
            headers={"Content-Type": "application/json"},
        )
        for _ in range(6):  # both workers answer
            with urllib.request.urlopen(request, timeout=30) as reply:
                assert reply.status == 200 and "$5.64 bn" in reply.read().decode()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    # gunicorn.conf.py preloads the app: every reporter ranked once, in the master, before the workers fork
    # (test_rankings.py checks a forked child's answers); the line is printed once, not once per worker.
    log = server.stdout.read() if server.stdout else ""
    assert log.count("ranked ") == 1 and " reporters in " in log, log
