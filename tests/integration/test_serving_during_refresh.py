"""The running app keeps answering, without one failed request, while `python -m etl refresh` publishes."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.app import create_app
from dashboard.settings import Settings
from tests.serving import kpi_request, refresh_store, served


@pytest.fixture
def app_and_raw_dir(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    store_dir, raw_dir = tmp_path / "store", tmp_path / "raw"
    refresh_store(store_dir, raw_dir)
    with served(create_app(Settings(store_dir=store_dir))) as base:
        yield base, raw_dir


def test_no_failed_request_while_three_refreshes_publish(app_and_raw_dir: tuple[str, Path]) -> None:
    base, raw_dir = app_and_raw_dir
    store_dir = raw_dir.parent / "store"
    before = json.loads(urllib.request.urlopen(f"{base}/healthz", timeout=10).read())["store"]
    stop = threading.Event()
    outcomes: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        body = json.dumps(kpi_request()).encode()
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
            refresh_store(store_dir, raw_dir)
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
