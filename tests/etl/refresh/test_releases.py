"""Releases and revisions: what each refresh changed, recomputed by hand from tiny frames, and `etl diff`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl import cli, schema, store
from etl.refresh.releases import release_changes
from tests.etl.dots_workbook import write_dots_workbook

M = 1_000_000.0


def rows(*records: tuple[str, str, int, float], release: str = "r1") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                schema.SOURCE: "imf_dots",
                schema.REPORTER: "AZE",
                schema.PARTNER: partner,
                schema.FLOW: flow,
                schema.PERIOD_START: f"{year}-01",
                schema.PERIOD_END: f"{year}-12",
                schema.VALUE_USD: value,
                schema.VALUATION: "FOB" if flow == "export" else "CIF",
                schema.STATUS: "reported",
                schema.RELEASE: release,
            }
            for partner, flow, year, value in records
        ],
        columns=list(schema.TRADE_FLOW_COLUMNS),
    )


def test_release_counts_added_removed_revised_and_lists_the_largest_revisions() -> None:
    previous = rows(
        ("ITA", "export", 2019, 100 * M), ("TUR", "export", 2019, 50 * M), ("RUS", "import", 2019, 7 * M)
    )
    current = rows(
        ("ITA", "export", 2019, 130 * M),  # revised +30 M
        ("TUR", "export", 2019, 45 * M),  # revised -5 M
        ("GEO", "export", 2019, 1 * M),  # added; RUS import removed
        release="r2",
    )
    releases, revisions = release_changes(current, previous, read_from={("imf_dots", "r2"): "x.xlsx"})
    assert releases.to_dict("records") == [
        {
            "source": "imf_dots",
            "release": "r2",
            "description": "Direction of Trade Statistics (DOTS), country tables (Excel export), release r2",
            "rows": 3,
            "rows_added": 1,
            "rows_removed": 1,
            "rows_revised": 2,
            "inputs": "x.xlsx",
        }
    ]
    assert list(revisions[schema.PARTNER]) == ["ITA", "TUR"]  # largest absolute change first
    assert list(revisions[schema.VALUE_BEFORE]) == [100 * M, 50 * M]
    assert list(revisions[schema.VALUE_USD]) == [130 * M, 45 * M]
    assert list(revisions[schema.CHANGE_USD]) == [30 * M, -5 * M]


def test_an_untouched_release_keeps_the_counts_recorded_when_it_arrived() -> None:
    first = rows(("ITA", "export", 2019, 100 * M))
    recorded = pd.DataFrame(
        [
            {
                "source": "imf_dots",
                "release": "r1",
                "description": "d",
                "rows": 1,
                "rows_added": 1,
                "rows_removed": 0,
                "rows_revised": 0,
                "inputs": "snapshot",
            }
        ]
    )
    releases, revisions = release_changes(first, first, read_from={}, previous_releases=recorded)
    assert releases[["rows_added", "rows_removed", "rows_revised", "inputs"]].to_dict("records") == [
        {"rows_added": 1, "rows_removed": 0, "rows_revised": 0, "inputs": "snapshot"}
    ]
    assert revisions.empty


def test_diff_prints_the_revision_a_new_release_brought(tmp_path: Path, capsys) -> None:
    env = {
        "TRADE_STORE_DIR": str(tmp_path / "store"),
        "TRADE_RAW_DIR": str(tmp_path / "raw"),
        "TRADE_SNAPSHOT_DIR": str(tmp_path / "no-snapshot"),
    }
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_dots_workbook(tmp_path / "a" / "DOTS_13.xlsx", exports=[("Italy", [50.0, 60.0])])
    second = write_dots_workbook(tmp_path / "b" / "DOTS_13.xlsx", exports=[("Italy", [50.0, 66.5])])
    assert cli.main(["refresh", "--input", str(first), "--release", "2022"], environ=env) == 0
    assert cli.main(["refresh", "--input", str(second), "--release", "2023"], environ=env) == 0
    capsys.readouterr()
    assert cli.main(["diff"], environ=env) == 0
    out = capsys.readouterr().out
    assert "release 2023: 2 rows; 0 added, 0 removed, 1 revised" in out
    assert "60,000,000" in out and "66,500,000" in out and "+6,500,000 (+10.8%)" in out
    published = store.read_published(Path(env["TRADE_STORE_DIR"]), schema.REVISIONS)
    assert published is not None and published[schema.CHANGE_USD].tolist() == [6_500_000.0]
    # Saved raw releases are listed by `status`.
    assert cli.main(["status"], environ=env) == 0
    assert "saved raw releases of imf-dots-xlsx: 2022 (1 files), 2023 (1 files)" in capsys.readouterr().out
