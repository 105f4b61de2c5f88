"""Faults mid-refresh: `python -m etl refresh` SIGKILLed at every named checkpoint of publishing, a full disk
and a read-only data folder. The published store must always be the complete old or the complete new
version, the next refresh must succeed, and the dashboard must answer every request meanwhile.

Kill points are `etl.faults.checkpoint(name)` calls in `etl/store.py`; `TRADE_KILL_AT=name` makes the child
SIGKILL itself there (a real kill: no cleanup code runs). A point the refresh never reaches fails the test.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pandas as pd
import pytest

from dashboard.app import create_app
from dashboard.settings import Settings as DashboardSettings
from etl import schema, store
from etl.refresh.orchestration import refresh
from etl.settings import Settings
from tests.conftest import REPO_ROOT
from tests.helpers import run_etl
from tests.reliability.counts import LONG, add, record
from tests.reliability.malformed import valid_dots
from tests.serving import kpi_request, served

TABLES = (schema.TRADE_FLOWS, schema.PROVENANCE, schema.AREAS, schema.SOURCES, schema.RELEASES)
KILL_POINTS = (
    "publish:start",
    "publish:sorted",
    "duckdb:opened",
    *(f"duckdb:created:{t}" for t in TABLES),
    *(f"duckdb:inserted:{t}" for t in TABLES),
    "duckdb:checkpointed",
    "publish:written",
    "publish:synced",
    "publish:renamed",
    "parquet:written",
    "publish:parquet",
    "pointer:opened",
    "pointer:written",
    "pointer:synced",
    "pointer:replaced",
    "publish:switched",
    "cleanup:unlinked",
    "publish:cleaned",
)
# The quick suite (CI) kills at every other point, at both sides of the pointer switch and at the last, so it
# keeps to its 6 minutes on 2 cores; RELIABILITY=long kills at every one.
SWITCH = ("pointer:synced", "pointer:replaced")
CHOSEN_POINTS = (
    KILL_POINTS
    if LONG
    else tuple(p for p in KILL_POINTS if p in {*KILL_POINTS[::2], *SWITCH, KILL_POINTS[-1]})
)
NEW_EXPORTS = [("World", [100.0, 130.0]), ("Italy", [55.0, 70.0]), ("Turkey", [10.0, 14.0])]


def _settings(root: Path) -> Settings:
    snapshot = root / "snapshot"
    snapshot.mkdir(parents=True, exist_ok=True)  # no shipped snapshot: a small, fast store
    return Settings(
        store_dir=root / "store",
        raw_dir=root / "raw",
        snapshot_dir=snapshot,
        reference_dir=REPO_ROOT / "data" / "reference",
    )


def _env(root: Path, **extra: str) -> dict[str, str]:
    settings = _settings(root)
    return os.environ | {
        "TRADE_STORE_DIR": str(settings.store_dir),
        "TRADE_RAW_DIR": str(settings.raw_dir),
        "TRADE_SNAPSHOT_DIR": str(settings.snapshot_dir),
        **extra,
    }


def _refresh_command(new_input: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "etl",
        "refresh",
        "--offline",
        "--input",
        str(new_input),
        "--release",
        "2023",
    ]


_OLD_TEMPLATES: dict[Path, Path] = {}


def _publish_old(root: Path, old_input: Path) -> None:
    """Two versions of the old data (so the next publish also removes one: the cleanup kill point).

    Published once per input and copied afterwards: the copy is the same files, much faster than a refresh.
    """
    template = _OLD_TEMPLATES.get(old_input)
    if template is None:
        template = old_input.with_name(f"{old_input.stem}-published")
        for _ in range(2):
            refresh(_settings(template), inputs=[old_input], release="2022")
        _OLD_TEMPLATES[old_input] = template
    shutil.copytree(template, root, symlinks=True, dirs_exist_ok=True)


def _published(root: Path) -> dict[str, pd.DataFrame]:
    """Every table of the version CURRENT names, read with DuckDB (fails if the file is not complete)."""
    path = store.current_store_path(root / "store")
    assert path is not None, "nothing is published"
    return {table: store.read_table(path, table) for table in TABLES}


def _same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> bool:
    # `releases` counts changes against the version before, which differs between runs; the data tables do not.
    return all(
        a[t].equals(b[t]) for t in (schema.TRADE_FLOWS, schema.PROVENANCE, schema.AREAS, schema.SOURCES)
    )


class Refresher:
    """Runs `python -m etl refresh` for a store root, optionally SIGKILLed at a checkpoint.

    Quick mode forks each run from a warm process (tests/reliability/refresh_forker.py); long mode starts a
    fresh interpreter per run, exactly as a user does. Either way the run is a real process, really killed.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._forker: subprocess.Popen[str] | None = None
        if not LONG:
            self._forker = subprocess.Popen(
                [sys.executable, "-m", "tests.reliability.refresh_forker"],
                cwd=REPO_ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            assert self._forker.stdout is not None
            assert json.loads(self._forker.stdout.readline()) == {"ready": True}

    def run(self, root: Path, new_input: Path, *, kill_at: str = "") -> tuple[int | None, int | None, str]:
        """(exit code, signal number, stderr) of one refresh of `root` with `new_input`."""
        argv = _refresh_command(new_input)[3:]  # after `python -m etl`
        if self._forker is None:
            env = _env(root, TRADE_KILL_AT=kill_at) if kill_at else _env(root)
            done = run_etl(*argv, env=env, timeout=120)
            code = done.returncode
            return (code, None, done.stderr) if code >= 0 else (None, -code, done.stderr)
        assert self._forker.stdin is not None and self._forker.stdout is not None
        request = {"argv": argv, "env": _env(root), "kill_at": kill_at}
        with self._lock:
            self._forker.stdin.write(json.dumps(request) + "\n")
            self._forker.stdin.flush()
            reply = json.loads(self._forker.stdout.readline())
        return reply["exit"], reply["signal"], reply["stderr"]

    def close(self) -> None:
        if self._forker is not None:
            assert self._forker.stdin is not None
            self._forker.stdin.close()
            self._forker.wait(timeout=30)


@pytest.fixture(scope="module")
def refresher() -> Iterator[Refresher]:
    runner = Refresher()
    try:
        yield runner
    finally:
        runner.close()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("fault-inputs")
    return valid_dots(folder / "DOTS_old.xlsx"), valid_dots(folder / "DOTS_new.xlsx", exports=NEW_EXPORTS)


@pytest.fixture(scope="module")
def versions(
    inputs: tuple[Path, Path], refresher: Refresher, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, pd.DataFrame]]:
    """The complete old and new versions, from an undisturbed run."""
    root = tmp_path_factory.mktemp("fault-reference")
    old_input, new_input = inputs
    _publish_old(root, old_input)
    old = _published(root)
    code, _, stderr = refresher.run(root, new_input)
    assert code == 0, stderr
    new = _published(root)
    assert not _same(old, new)
    return {"old": old, "new": new}


def test_a_refresh_killed_at_any_checkpoint_leaves_old_or_new_and_the_next_succeeds(
    inputs: tuple[Path, Path],
    refresher: Refresher,
    versions: dict[str, dict[str, pd.DataFrame]],
    tmp_path: Path,
) -> None:
    old_input, new_input = inputs

    def kill_at(point: str) -> tuple[str, str]:
        root = tmp_path / point.replace(":", "-")
        _publish_old(root, old_input)
        code, killed_by, stderr = refresher.run(root, new_input, kill_at=point)
        if killed_by != signal.SIGKILL:
            return point, f"not killed (exit {code}): the point was never reached\n{stderr}"
        published = _published(root)
        seen = (
            "old" if _same(published, versions["old"]) else "new" if _same(published, versions["new"]) else ""
        )
        if not seen:
            return point, "the published store is neither the complete old nor the complete new version"
        code, _, stderr = refresher.run(root, new_input)
        if code != 0:
            return point, f"the next refresh failed: {stderr}"
        if not _same(_published(root), versions["new"]):
            return point, "the next refresh did not publish the new version"
        leftovers = sorted(p.name for p in (root / "store").glob(".tmp-*"))
        if leftovers:
            return point, f"scratch files left after the next refresh: {leftovers}"
        return point, seen

    with ThreadPoolExecutor(max_workers=2 if LONG else 1) as pool:
        outcomes = dict(pool.map(kill_at, CHOSEN_POINTS))
    failures = {p: o for p, o in outcomes.items() if o not in ("old", "new")}
    record(
        "faults",
        **{
            "kill points": len(CHOSEN_POINTS),
            "left old": sum(o == "old" for o in outcomes.values()),
            "left new": sum(o == "new" for o in outcomes.values()),
            "next refresh ok": len(CHOSEN_POINTS) - len(failures),
            "failures": len(failures),
        },
    )
    assert len(KILL_POINTS) >= 20
    assert failures == {}
    # The pointer switch is the line between the two: before it the old version, after it the new.
    assert outcomes["pointer:synced"] == "old" and outcomes["pointer:replaced"] == "new"


def _unshared(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`script` run by sh in a private mount namespace: its mounts vanish with it and never touch the host."""
    return subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-ec", script],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def _can_mount() -> str:
    if shutil.which("unshare") is None:
        return "unshare is not installed"
    probe = subprocess.run(
        ["unshare", "--mount", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
        text=True,
    )
    return "" if probe.returncode == 0 else f"mounting is not permitted here: {probe.stderr.strip()}"


def _check_failure_left_old(
    root: Path, result: subprocess.CompletedProcess[str], old: dict[str, pd.DataFrame]
) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("error:"), result.stderr  # a clear error, not "internal error"
    assert _same(_published(root), old)


def test_a_full_disk_fails_clearly_and_keeps_the_old_version(
    inputs: tuple[Path, Path], versions: dict[str, dict[str, pd.DataFrame]], tmp_path: Path
) -> None:
    """A store folder on a tmpfs that the old version nearly fills: the new version cannot be written."""
    reason = _can_mount()
    if reason:
        pytest.skip(reason)
    old_input, new_input = inputs
    root = tmp_path / "full"
    _publish_old(root, old_input)
    store_dir = root / "store"
    saved = tmp_path / "saved-store"
    shutil.copytree(store_dir, saved)
    used = sum(p.stat().st_size for p in saved.iterdir())
    command = " ".join(f"'{part}'" for part in _refresh_command(new_input))
    script = (
        f"mount -t tmpfs -o size={used + 64 * 1024} tmpfs '{store_dir}'\n"
        f"cp -a '{saved}/.' '{store_dir}/'\n"
        f"{command} && exit 0 || status=$?\n"
        f"rm -rf '{tmp_path}/after' && cp -a '{store_dir}' '{tmp_path}/after'\n"
        "exit $status\n"
    )
    result = _unshared(script, _env(root))
    shutil.rmtree(store_dir)
    shutil.copytree(tmp_path / "after", store_dir)
    _check_failure_left_old(root, result, versions["old"])
    print(f"full disk: {result.stderr.strip()}")
    assert "No space left" in result.stderr or "space" in result.stderr.lower(), result.stderr
    again = subprocess.run(
        _refresh_command(new_input),
        cwd=REPO_ROOT,
        env=_env(root),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    assert _same(_published(root), versions["new"])
    add("faults", "full disk runs")


def test_a_file_size_limit_fails_clearly_and_keeps_the_old_version(
    inputs: tuple[Path, Path], versions: dict[str, dict[str, pd.DataFrame]], tmp_path: Path
) -> None:
    """The same without mounting: RLIMIT_FSIZE makes every write past 64 KB fail with EFBIG."""
    import resource

    old_input, new_input = inputs
    root = tmp_path / "fsize"
    _publish_old(root, old_input)

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write (EFBIG) instead of killing the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    result = subprocess.run(
        _refresh_command(new_input),
        cwd=REPO_ROOT,
        env=_env(root),
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit,
    )
    _check_failure_left_old(root, result, versions["old"])
    print(f"file size limit: {result.stderr.strip()}")
    add("faults", "file size limit runs")


def test_a_read_only_store_folder_fails_clearly_and_keeps_the_old_version(
    inputs: tuple[Path, Path], versions: dict[str, dict[str, pd.DataFrame]], tmp_path: Path
) -> None:
    """We run as root, which chmod does not stop: a read-only bind mount does (in a private namespace)."""
    reason = _can_mount()
    if reason:
        pytest.skip(reason)
    old_input, new_input = inputs
    root = tmp_path / "readonly"
    _publish_old(root, old_input)
    store_dir = root / "store"
    command = " ".join(f"'{part}'" for part in _refresh_command(new_input))
    script = (
        f"mount --bind '{store_dir}' '{store_dir}'\n"
        f"mount -o remount,bind,ro '{store_dir}'\n"
        f"if touch '{store_dir}/probe' 2>/dev/null; then echo 'the folder is writable' >&2; exit 3; fi\n"
        f"{command}\n"
    )
    result = _unshared(script, _env(root))
    _check_failure_left_old(root, result, versions["old"])
    print(f"read-only: {result.stderr.strip()}")
    assert "Read-only file system" in result.stderr, result.stderr
    add("faults", "read-only folder runs")


def test_the_dashboard_answers_every_request_while_refreshes_publish_and_die(
    inputs: tuple[Path, Path], refresher: Refresher, tmp_path: Path
) -> None:
    old_input, new_input = inputs
    root = tmp_path / "serving"
    _publish_old(root, old_input)
    app = create_app(DashboardSettings(store_dir=root / "store"))
    stop = threading.Event()
    results: list[int | str] = []

    def hammer(base: str) -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            while not stop.is_set():
                try:
                    reply = client.post("/_dash-update-component", json=kpi_request(year=2019))
                    results.append(reply.status_code)
                except httpx.HTTPError as exc:
                    results.append(f"{type(exc).__name__}: {exc}")

    with served(app) as base:
        workers = [threading.Thread(target=hammer, args=(base,)) for _ in range(2)]
        for worker in workers:
            worker.start()
        try:
            for point in (
                "duckdb:inserted:trade_flows",
                "pointer:replaced",
                "",
                "publish:renamed",
                "",
                "",
                "",
            ):
                refresher.run(root, new_input, kill_at=point)
        finally:
            stop.set()
            for worker in workers:
                worker.join(timeout=30)
    errors = [r for r in results if r != 200]
    record("faults", **{"requests during publishes": len(results), "request errors": len(errors)})
    assert len(results) > 50
    assert errors == []
