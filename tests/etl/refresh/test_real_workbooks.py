"""The 235 real IMF DOTS workbooks in ../shared: the whole world builds, and known figures come out exactly."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl import schema
from etl.refresh.frames import canonical_with_origin
from etl.refresh.orchestration import refresh
from etl.refresh.snapshot import SNAPSHOT_FOCUS, focus_rows, read_snapshot
from etl.settings import Settings
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def world(shared_dots: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """A store built from every workbook, as `python -m etl refresh --input …/*.xlsx` builds it."""
    base = tmp_path_factory.mktemp("world")
    settings = Settings(
        store_dir=base / "store",
        raw_dir=base / "raw",
        snapshot_dir=REPO_ROOT / "data" / "snapshot",
        reference_dir=REPO_ROOT / "data" / "reference",
    )
    started = time.perf_counter()
    report = refresh(settings, inputs=sorted(shared_dots.glob("DOTS_*.xlsx")))
    elapsed = time.perf_counter() - started
    print(f"\nworld store: {report.publication.trade_flow_rows:,} rows from 235 workbooks in {elapsed:.1f} s")
    return report.publication.path, elapsed


def query(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def value(path: Path, reporter: str, partner: str, flow: str, year: int) -> float:
    rows = query(
        path,
        "SELECT value_usd FROM trade_flows WHERE reporter = ? AND partner = ? AND flow = ? AND period_start = ?",
        reporter,
        partner,
        flow,
        f"{year}-01",
    )
    assert len(rows) == 1, rows
    return float(rows[0][0])  # type: ignore[arg-type]


def test_azerbaijan_italy_2019_matches_the_workbook(world: tuple[Path, float]) -> None:
    path, _ = world
    assert value(path, "AZE", "ITA", "export", 2019) == pytest.approx(5_638_646_600, abs=100)
    assert value(path, "AZE", "ITA", "import", 2019) == pytest.approx(371_814_400, abs=100)
    origin = query(
        path,
        "SELECT origin FROM provenance WHERE reporter='AZE' AND partner='ITA' AND flow='export' AND period_start='2019-01'",
    )
    assert origin == [("DOTS_13.xlsx!'Exports, FOB'!AD22",)]


def test_azerbaijan_trades_with_at_least_150_countries(world: tuple[Path, float]) -> None:
    path, _ = world
    [(count,)] = query(
        path,
        "SELECT count(DISTINCT partner) FROM trade_flows t JOIN areas a ON a.code = t.partner "
        "WHERE t.reporter = 'AZE' AND a.kind = 'country'",
    )
    assert int(count) >= 150  # type: ignore[call-overload]


def test_partners_report_their_trade_with_azerbaijan(world: tuple[Path, float]) -> None:
    path, _ = world
    assert value(path, "ITA", "AZE", "import", 2019) > 0  # Italy's own report: the mirror view
    [(reporters,)] = query(path, "SELECT count(DISTINCT reporter) FROM trade_flows WHERE partner = 'AZE'")
    assert int(reporters) >= 200  # type: ignore[call-overload]
    # Pipeline partners disagree: Azerbaijan's exports to Türkiye are far above Türkiye's imports from it.
    assert value(path, "AZE", "TUR", "export", 2019) > 5 * value(path, "TUR", "AZE", "import", 2019)


def test_every_reporter_of_the_world_is_in_the_store(world: tuple[Path, float]) -> None:
    path, _ = world
    [(reporters,)] = query(path, "SELECT count(DISTINCT reporter) FROM trade_flows")
    # 235 workbooks, two of which (DOTS_143, DOTS_144) are copies of Nicaragua's table.
    assert int(reporters) == 234  # type: ignore[call-overload]
    [(groups,)] = query(
        path,
        "SELECT count(DISTINCT reporter) FROM trade_flows t JOIN areas a ON a.code = t.reporter WHERE a.kind='group'",
    )
    assert int(groups) == 15  # type: ignore[call-overload]


def focus_table(path: Path, table: str) -> pd.DataFrame:
    """`etl.store.read_table(path, table)` (same `SELECT *`, columns, dtypes, order) of the focus rows only:
    DuckDB filters the world's millions of rows instead of pandas, ~8 s less."""
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(
            f'SELECT * FROM "{table}" WHERE {schema.REPORTER} = ? OR {schema.PARTNER} = ?',
            [SNAPSHOT_FOCUS, SNAPSHOT_FOCUS],
        ).df()


def test_the_shipped_snapshot_is_what_the_etl_produces(world: tuple[Path, float]) -> None:
    path, _ = world
    # Both tables filtered alike on key columns, so the merge pairs the same rows; focus_rows and
    # canonical_with_origin still run, as in write_snapshot, so the comparison is unchanged.
    flows = focus_table(path, schema.TRADE_FLOWS)
    provenance = focus_table(path, schema.PROVENANCE)
    rebuilt = canonical_with_origin(
        focus_rows(flows.merge(provenance, on=list(schema.KEY_COLUMNS)), SNAPSHOT_FOCUS)
    )
    shipped, manifest = read_snapshot(REPO_ROOT / "data" / "snapshot")
    assert manifest["rows"] == len(shipped) == len(rebuilt)
    pd.testing.assert_frame_equal(shipped, rebuilt, check_dtype=False)
