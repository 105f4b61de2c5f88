"""`python -m etl` as a user runs it: real subprocesses, real files, real store."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from etl import schema, store
from etl.refresh.snapshot import read_snapshot
from tests.conftest import REPO_ROOT
from tests.etl.dots_workbook import write_dots_workbook
from tests.helpers import etl_environment, run_etl


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Environment pointing the ETL at empty folders under tmp_path (with the shipped snapshot)."""
    return etl_environment(tmp_path)


def workbook(path: Path, **kwargs: object) -> Path:
    rows = kwargs.pop("exports", [("World", [100.0, 120.0]), ("Italy", [50.5, "60.25 e"])])
    return write_dots_workbook(path, exports=rows, imports=[("Italy", [1.5, 2.0])], **kwargs)  # type: ignore[arg-type]


def test_parse_writes_the_tidy_table_as_csv(tmp_path: Path, env: dict[str, str]) -> None:
    out = tmp_path / "out.csv"
    result = run_etl(
        "parse",
        "--source",
        "imf-dots-xlsx",
        "--output",
        str(out),
        str(workbook(tmp_path / "a.xlsx")),
        env=env,
    )
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(out, dtype={"period_start": str, "period_end": str})
    assert list(frame.columns) == [*schema.TRADE_FLOW_COLUMNS, schema.ORIGIN]
    italy = frame[(frame.partner == "ITA") & (frame.flow == "export")]
    assert list(italy.value_usd) == [50_500_000.0, 60_250_000.0]
    assert list(italy.status) == ["reported", "estimated"]
    assert len(frame) == 6


def test_a_corrupt_workbook_fails_in_one_paragraph_without_traceback(
    tmp_path: Path, env: dict[str, str]
) -> None:
    bad = tmp_path / "DOTS_99.xlsx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    renamed = workbook(tmp_path / "renamed.xlsx", sheets=("Exports, FOB", "Imports CIF"))
    result = run_etl(
        "parse",
        "--source",
        "imf-dots-xlsx",
        "--output",
        str(tmp_path / "o.csv"),
        str(bad),
        str(renamed),
        env=env,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "DOTS_99.xlsx: not a readable Excel workbook" in result.stderr
    assert (
        "renamed.xlsx: missing sheet(s) 'Imports, CIF'; sheets present: 'Exports, FOB', 'Imports CIF'"
        in result.stderr
    )
    assert not (tmp_path / "o.csv").exists()


def test_refresh_publishes_the_snapshot_then_a_bad_input_changes_nothing(
    tmp_path: Path, env: dict[str, str]
) -> None:
    first = run_etl("refresh", "--offline", env=env)
    assert first.returncode == 0, first.stderr
    store_dir = tmp_path / "store"
    published = store.current_store_path(store_dir)
    assert published is not None
    shipped, _ = read_snapshot(REPO_ROOT / "data" / "snapshot")
    flows = store.read_table(published, schema.TRADE_FLOWS)
    assert len(flows) == len(shipped)

    again = run_etl("refresh", "--offline", "--if-missing", env=env)
    assert again.returncode == 0 and store.current_store_path(store_dir) == published

    bad = workbook(tmp_path / "bad.xlsx", exports=[("Italy", [-5.0, 1.0]), ("Narnia", [1.0, 1.0])])
    failed = run_etl("refresh", "--offline", "--input", str(bad), env=env)
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    assert "bad.xlsx, sheet 'Exports, FOB', C8: negative value for a country's trade" in failed.stderr
    assert "unknown partner name" in failed.stderr and "Narnia" in failed.stderr
    assert "nothing was published" in failed.stderr
    assert store.current_store_path(store_dir) == published
    pd.testing.assert_frame_equal(store.read_table(published, schema.TRADE_FLOWS), flows)
    assert not (
        tmp_path / "raw" / "imf_dots"
    ).exists()  # a rejected file is not kept to fail the next refresh
    assert run_etl("refresh", "--offline", env=env).returncode == 0


def test_refresh_with_input_supersedes_snapshot_rows_and_records_the_release(
    tmp_path: Path, env: dict[str, str]
) -> None:
    assert run_etl("refresh", "--offline", env=env).returncode == 0
    update = workbook(tmp_path / "DOTS_13.xlsx", years=("2019", "2021"), exports=[("Italy", [1.0, 2.0])])
    result = run_etl("refresh", "--offline", "--input", str(update), "--release", "2026-11", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "raw" / "imf_dots" / "2026-11" / "DOTS_13.xlsx").is_file()
    assert (tmp_path / "raw" / "imf_dots" / "2026-11" / "manifest.json").is_file()
    published = store.read_published(tmp_path / "store", schema.TRADE_FLOWS)
    assert published is not None
    italy = published[
        (published.reporter == "AZE") & (published.partner == "ITA") & (published.flow == "export")
    ]
    by_year = dict(zip(italy.period_start, italy.value_usd, strict=True))
    assert by_year["2019-01"] == 1_000_000.0  # superseded by the newer file
    assert by_year["2021-01"] == 2_000_000.0  # added
    assert by_year["2018-01"] > 1e9  # kept from the snapshot
    releases = store.read_published(tmp_path / "store", schema.RELEASES)
    assert releases is not None
    newest = releases[releases.release == "2026-11"].iloc[0]
    assert newest.inputs == "--input (imf-dots-xlsx, release 2026-11): 1 file(s)"
    shipped = releases[releases.release == "2022"].iloc[0]
    assert shipped.inputs == "data/snapshot/trade_flows.parquet"
    # Italy exports and imports for 2019 (revised) and 2021 (added)
    assert (newest.rows, newest.rows_added, newest.rows_revised) == (4, 2, 2)


def test_export_and_status(tmp_path: Path, env: dict[str, str]) -> None:
    assert run_etl("refresh", "--offline", env=env).returncode == 0
    for fmt in ("csv", "parquet", "xlsx"):
        out = tmp_path / f"flows.{fmt}"
        result = run_etl("export", "--format", fmt, "--output", str(out), "--reporter", "ITA", env=env)
        assert result.returncode == 0, result.stderr
    csv = pd.read_csv(tmp_path / "flows.csv")
    assert set(csv.reporter) == {"ITA"} and set(csv.partner) == {"AZE"}
    assert len(pd.read_parquet(tmp_path / "flows.parquet")) == len(csv)
    sheet = openpyxl.load_workbook(tmp_path / "flows.xlsx").active
    assert sheet is not None and sheet.max_row == len(csv) + 1

    status = run_etl("status", env=env)
    assert status.returncode == 0
    assert "imf_dots" in status.stdout and "AZE" in status.stdout and "1992–2020" in status.stdout


def test_commands_fail_clearly_when_nothing_is_published(tmp_path: Path, env: dict[str, str]) -> None:
    for args in (("status",), ("export", "--format", "csv", "--output", str(tmp_path / "x.csv"))):
        result = run_etl(*args, env=env)
        assert result.returncode == 1
        assert "nothing is published" in result.stderr and "python -m etl refresh" in result.stderr
        assert "Traceback" not in result.stderr


def test_rerunning_refresh_gives_identical_tables(tmp_path: Path, env: dict[str, str]) -> None:
    assert run_etl("refresh", "--offline", env=env).returncode == 0
    first = store.current_store_path(tmp_path / "store")
    assert run_etl("refresh", "--offline", env=env).returncode == 0
    second = store.current_store_path(tmp_path / "store")
    assert first is not None and second is not None and first != second
    for table in (schema.TRADE_FLOWS, schema.PROVENANCE, schema.AREAS, schema.SOURCES):
        pd.testing.assert_frame_equal(store.read_table(first, table), store.read_table(second, table))
    # Same content, same digest in the version name; nothing was revised, and the release keeps the counts
    # recorded when it arrived (the snapshot's rows, all added by the first refresh).
    assert first.name.split("-")[-1] == second.name.split("-")[-1]
    pd.testing.assert_frame_equal(
        store.read_table(first, schema.RELEASES), store.read_table(second, schema.RELEASES)
    )
    releases = store.read_table(second, schema.RELEASES)
    assert (releases.rows_added.sum(), releases.rows_removed.sum(), releases.rows_revised.sum()) == (
        13_050,
        0,
        0,
    )
    assert store.read_table(second, schema.REVISIONS).empty


def test_debug_shows_the_traceback(tmp_path: Path, env: dict[str, str]) -> None:
    result = run_etl("--debug", "status", env=env)
    assert result.returncode != 0 and "Traceback" in result.stderr
