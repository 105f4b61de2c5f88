"""The running app keeps answering, without one failed request, while `python -m etl refresh` publishes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from dashboard.app import create_app
from dashboard.settings import Settings
from tests.conftest import REPO_ROOT

KPI_REQUEST = {
    "output": "kpis.children",
    "outputs": {"id": "kpis", "property": "children"},
    "inputs": [
        {"id": "reporter", "property": "value", "value": "AZE"},
        {"id": "partner", "property": "value", "value": "ITA"},
        {"id": "year", "property": "value", "value": 2019},
    ],
    "changedPropIds": ["partner.value"],
    "state": [],
}


def refresh(store_dir: Path, raw_dir: Path) -> None:
    env = os.environ | {"TRADE_STORE_DIR": str(store_dir), "TRADE_RAW_DIR": str(raw_dir)}
    result = subprocess.run(
        [sys.executable, "-m", "etl", "refresh", "--offline"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    store_dir, raw_dir = tmp_path / "store", tmp_path / "raw"
    refresh(store_dir, raw_dir)
    server = make_server("127.0.0.1", 0, create_app(Settings(store_dir=store_dir)).server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", raw_dir
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_no_failed_request_while_three_refreshes_publish(served: tuple[str, Path]) -> None:
    base, raw_dir = served
    store_dir = raw_dir.parent / "store"
    before = json.loads(urllib.request.urlopen(f"{base}/healthz", timeout=10).read())["store"]
    stop = threading.Event()
    outcomes: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        body = json.dumps(KPI_REQUEST).encode()
        while not stop.is_set():
            request = urllib.request.Request(
                f"{base}/_dash-update-component", data=body, headers={"Content-Type": "application/json"}
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as reply:
                    text = reply.read().decode()
                    outcome = (
                        "ok" if reply.status == 200 and "$5.64 bn" in text else f"bad reply {text[:200]}"
                    )
            except Exception as exc:  # any failure is what this test counts
                outcome = f"error {exc!r}"
            with lock:
                outcomes.append(outcome)

    clients = [threading.Thread(target=client) for _ in range(4)]
    for thread in clients:
        thread.start()
    try:
        for _ in range(3):
            refresh(store_dir, raw_dir)
    finally:
        stop.set()
        for thread in clients:
            thread.join(timeout=60)

    after = json.loads(urllib.request.urlopen(f"{base}/healthz", timeout=10).read())["store"]
    failures = [o for o in outcomes if o != "ok"]
    print(f"\n{len(outcomes)} requests during 3 publishes, {len(failures)} failed")
    assert len(outcomes) >= 20
    assert failures == []
    assert after != before  # the app now reads the newest version, without a restart
