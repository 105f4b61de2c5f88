"""`python -m etl refresh` against live services, as a user runs it: a real subprocess, a real HTTP server on
127.0.0.1 replaying IMF SDMX-CSV replies, a real store. A service that fails, a missing key and a refresh killed
in the middle of a fetch all leave the published store exactly as it was, and the next refresh succeeds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from etl import schema, store
from etl.refresh.fetch import fetch_release_name
from tests.conftest import REPO_ROOT
from tests.etl.replay_server import Reply, Seen, serving
from tests.helpers import run_etl

HEADER = "STRUCTURE,STRUCTURE_ID,ACTION,COUNTRY,INDICATOR,COUNTERPART_COUNTRY,FREQUENCY,TIME_PERIOD,OBS_VALUE,SCALE"
FLOW = "dataflow,IMF.STA:IMTS(1.0.0),I"
OWN = f"{HEADER}\n{FLOW},AZE,XG_FOB_USD,ITA,A,2023,8123456789.5,6\n{FLOW},AZE,MG_CIF_USD,ITA,M,2023-M01,41234567,6\n"
MIRROR = f"{HEADER}\n{FLOW},ITA,MG_CIF_USD,AZE,A,2023,8350000000,6\n"
CSV = {"Content-Type": "application/vnd.sdmx.data+csv;version=2.0.0"}


def environment(tmp_path: Path, base: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "COMTRADE_API_KEY"}
    return env | {
        "TRADE_STORE_DIR": str(tmp_path / "store"),
        "TRADE_RAW_DIR": str(tmp_path / "raw"),
        "TRADE_SNAPSHOT_DIR": str(REPO_ROOT / "data" / "snapshot"),
        "TRADE_IMF_SDMX_URL": f"{base}/sdmx/3.0",
        # Every online source on the local server: nothing here reaches (or waits on) the outside world.
        "TRADE_STAT_AZ_URL": f"{base}/stat",
        "TRADE_COMTRADE_URL": f"{base}/comtrade",
        "COLUMNS": "160",
    }


def imts(seen: Seen) -> Reply:
    mirror = ".AZE." in seen.path
    return Reply(body=(MIRROR if mirror else OWN).encode(), headers=CSV)


def published(tmp_path: Path) -> Path | None:
    return store.current_store_path(tmp_path / "store")


def test_online_refresh_fetches_saves_and_publishes_with_a_summary(tmp_path: Path) -> None:
    with serving(imts) as server:
        env = environment(tmp_path, server.url)
        result = run_etl("refresh", "--source", "imf-sdmx", "--years", "2023-2023", env=env)
    assert result.returncode == 0, result.stderr
    assert len(server.requests) == 2  # the reporter's own report and the partners' mirror report
    release = fetch_release_name()
    folder = tmp_path / "raw" / "imf_imts" / release
    assert sorted(p.name for p in folder.iterdir()) == [
        "imts_AZE_mirror.csv",
        "imts_AZE_own.csv",
        "manifest.json",
    ]
    assert "imf-sdmx: release" in result.stderr and "published" in result.stderr
    path = published(tmp_path)
    assert path is not None
    flows = store.read_table(path, schema.TRADE_FLOWS)
    imf = flows[flows[schema.SOURCE] == "imf_imts"].sort_values([schema.REPORTER, schema.FLOW])
    assert imf[
        [schema.REPORTER, schema.PARTNER, schema.FLOW, schema.PERIOD_START, schema.VALUE_USD]
    ].values.tolist() == [
        ["AZE", "ITA", "export", "2023-01", 8123456789.5],
        ["AZE", "ITA", "import", "2023-01", 41234567.0],
        ["ITA", "AZE", "import", "2023-01", 8350000000.0],
    ]
    # The shipped snapshot's rows are still there, under their own source: sources are never merged.
    assert set(flows[schema.SOURCE]) == {"imf_dots", "imf_imts"}
    # An offline refresh re-reads the saved replies and publishes the same rows.
    again = run_etl("refresh", "--offline", env=env)
    assert again.returncode == 0, again.stderr
    second = published(tmp_path)
    assert second is not None
    pd.testing.assert_frame_equal(store.read_table(second, schema.TRADE_FLOWS), flows)


def test_a_source_failing_half_way_publishes_nothing(tmp_path: Path) -> None:
    env = environment(tmp_path, "http://127.0.0.1:9")
    assert run_etl("refresh", "--offline", env=env).returncode == 0
    before = published(tmp_path)

    def own_then_refused(seen: Seen) -> Reply:
        if ".AZE." in seen.path:
            return Reply(status=403, body=b'{"message": "Forbidden"}')
        return Reply(body=OWN.encode(), headers=CSV)

    with serving(own_then_refused) as server:
        result = run_etl("refresh", "--source", "imf-sdmx", env=environment(tmp_path, server.url))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "imf_imts" in result.stderr and "HTTP 403" in result.stderr
    assert "The published store is unchanged" in result.stderr
    assert published(tmp_path) == before
    # The first reply was good but its source failed: no release of it is kept for later refreshes.
    assert not (tmp_path / "raw" / "imf_imts").exists() or not any(
        p for p in (tmp_path / "raw" / "imf_imts").iterdir() if not p.name.startswith(".")
    )


def test_comtrade_without_a_key_says_how_to_get_one(tmp_path: Path) -> None:
    env = environment(tmp_path, "http://127.0.0.1:9")
    result = run_etl("refresh", "--source", "comtrade", env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "COMTRADE_API_KEY" in result.stderr and "comtradedeveloper.un.org" in result.stderr
    assert published(tmp_path) is None
    # Not asked for explicitly, comtrade is skipped with the reason and the others proceed.
    with serving(imts) as server:
        result = run_etl("refresh", "--years", "2023-2023", env=environment(tmp_path, server.url))
    assert "comtrade: skipped (COMTRADE_API_KEY not set)" in result.stderr


def test_a_refresh_killed_during_a_fetch_leaves_the_store_and_the_next_refresh_works(tmp_path: Path) -> None:
    """Killed with the own report saved in staging and the mirror reply pending."""
    env = environment(tmp_path, "http://127.0.0.1:9")
    assert run_etl("refresh", "--offline", env=env).returncode == 0
    before = published(tmp_path)

    def mirror_hangs(seen: Seen) -> Reply:
        if ".AZE." in seen.path:
            return Reply(body=MIRROR.encode(), headers=CSV, delay=60)
        return Reply(body=OWN.encode(), headers=CSV)

    with serving(mirror_hangs) as server:
        process = subprocess.Popen(
            [sys.executable, "-m", "etl", "refresh", "--source", "imf-sdmx"],
            cwd=REPO_ROOT,
            env=environment(tmp_path, server.url),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while len(server.requests) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(server.requests) == 2
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert published(tmp_path) == before
    base = tmp_path / "raw" / "imf_imts"
    assert [p.name for p in base.iterdir() if not p.name.startswith(".")] == []  # only a staging folder
    with serving(imts) as server:
        result = run_etl("refresh", "--source", "imf-sdmx", env=environment(tmp_path, server.url))
    assert result.returncode == 0, result.stderr
    assert published(tmp_path) != before
    assert [p.name for p in base.iterdir()] == [fetch_release_name()]  # the stale staging is gone
