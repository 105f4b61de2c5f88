"""Publishing is atomic: a failed or killed publish leaves the published store exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from etl import schema, store
from tests.conftest import REPO_ROOT


def tables(value: float, *, partners: int = 3) -> store.StoreTables:
    codes = ["ITA", "TUR", "RUS", "CHN", "DEU", "ISR", "GEO", "UKR"][:partners]
    flows = pd.DataFrame(
        {
            "source": "imf_dots",
            "reporter": "AZE",
            "partner": codes,
            "flow": "export",
            "period_start": "2019-01",
            "period_end": "2019-12",
            "value_usd": [value + i for i in range(len(codes))],
            "valuation": "FOB",
            "status": "reported",
            "release": "2022",
        }
    )
    provenance = flows[list(schema.KEY_COLUMNS)].assign(origin="t.xlsx!'Exports, FOB'!C8")
    areas = pd.DataFrame({"code": ["AZE", *codes], "name": ["Azerbaijan", *codes], "kind": "country"})
    sources = pd.DataFrame([dict.fromkeys(schema.SOURCE_COLUMNS, "x") | {"source": "imf_dots"}])
    releases = pd.DataFrame(
        [dict.fromkeys(schema.RELEASE_COLUMNS, 0) | {"source": "imf_dots", "release": "2022"}]
    )
    return store.StoreTables(flows, provenance, areas, sources, releases)


def test_nothing_published_reads_as_none(tmp_path: Path) -> None:
    assert store.current_store_path(tmp_path) is None
    assert store.read_published(tmp_path, schema.TRADE_FLOWS) is None


def test_publish_switches_to_the_new_version_and_keeps_one_previous(tmp_path: Path) -> None:
    first = store.publish(tables(1.0), store_dir=tmp_path)
    second = store.publish(tables(2.0), store_dir=tmp_path)
    third = store.publish(tables(3.0), store_dir=tmp_path)
    assert store.current_store_path(tmp_path) == third.path
    assert [p.name for p in store.versions(tmp_path)] == [second.path.name, third.path.name]
    assert not first.path.exists()
    published = store.read_published(tmp_path, schema.TRADE_FLOWS)
    assert published is not None and list(published["value_usd"]) == [3.0, 5.0, 4.0]  # ITA, RUS, TUR
    assert (tmp_path / f"trade-{third.version}.parquet").is_file()


def test_a_failure_while_publishing_leaves_the_old_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = store.publish(tables(1.0), store_dir=tmp_path)
    before = sorted(os.listdir(tmp_path))

    def broken(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(store, "_switch_pointer", broken)
    with pytest.raises(OSError, match="disk full"):
        store.publish(tables(2.0), store_dir=tmp_path)
    assert store.current_store_path(tmp_path) == old.path
    assert sorted(os.listdir(tmp_path)) == before
    published = store.read_published(tmp_path, schema.TRADE_FLOWS)
    assert published is not None and published["value_usd"].min() == 1.0


def test_rerunning_over_the_same_input_gives_identical_tables(tmp_path: Path) -> None:
    store.publish(tables(1.0), store_dir=tmp_path / "a")
    store.publish(tables(1.0), store_dir=tmp_path / "b")
    for table in (schema.TRADE_FLOWS, schema.PROVENANCE, schema.AREAS, schema.SOURCES, schema.RELEASES):
        a = store.read_published(tmp_path / "a", table)
        b = store.read_published(tmp_path / "b", table)
        assert a is not None and b is not None
        pd.testing.assert_frame_equal(a, b)


def test_a_pointer_to_a_missing_version_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "CURRENT").write_text("trade-20260101T000000000000Z-0000abcd.duckdb\n")
    with pytest.raises(store.StoreError, match="does not exist; rerun"):
        store.current_store_path(tmp_path)
    (tmp_path / "CURRENT").write_text("../../etc/passwd\n")
    with pytest.raises(store.StoreError, match="not a store version"):
        store.current_store_path(tmp_path)


PUBLISH_FOREVER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from etl import store
    from tests.etl.test_store import tables
    target = Path(sys.argv[1])
    i = 0
    while True:
        store.publish(tables(float(i % 2), partners=8), store_dir=target)
        print("published", i, flush=True)
        i += 1
    """
)


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.15, 0.3, 0.6])
def test_a_killed_publish_leaves_a_complete_version(tmp_path: Path, delay: float) -> None:
    script = tmp_path / "publish_forever.py"
    script.write_text(PUBLISH_FOREVER.format(root=str(REPO_ROOT)))
    target = tmp_path / "store"
    store.publish(tables(0.0, partners=8), store_dir=target)
    process = subprocess.Popen([sys.executable, str(script), str(target)], stdout=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.readline()  # at least one publish has completed: the kill lands mid-way through a later one
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    published = store.read_published(target, schema.TRADE_FLOWS)
    assert published is not None and len(published) == 8
    # Exactly one complete version: tables(0.0) or tables(1.0), never a mixture or a partial table.
    assert set(published["value_usd"]) in ({float(i) for i in range(8)}, {float(i) + 1 for i in range(8)})
    # The next publish succeeds and removes any leftovers of the killed one.
    store.publish(tables(5.0, partners=8), store_dir=target)
    assert not list(target.glob(".tmp-*"))
    again = store.read_published(target, schema.TRADE_FLOWS)
    assert again is not None and again["value_usd"].min() == 5.0


def test_columns_of_the_same_rows_are_sorted_once_and_both_tables_come_out_in_stored_order() -> None:
    """publish sorts trade_flows and provenance, two column selections of the same rows, once (bench P3)."""
    import numpy as np
    import pyarrow as pa

    from etl.refresh.frames import compact

    rng = np.random.default_rng(3)
    n = 400
    rows = pd.DataFrame(
        {
            schema.SOURCE: rng.choice(["imf_dots", "comtrade"], n),
            schema.REPORTER: rng.choice(["AZE", "ITA", "TUR", "RUS"], n),
            schema.PARTNER: rng.choice(["ITA", "AZE", "W00", "DEU"], n),
            schema.FLOW: rng.choice(["export", "import"], n),
            schema.PERIOD_START: [f"{y}-01" for y in rng.integers(2000, 2020, n)],
            schema.VALUE_USD: rng.uniform(1, 1e9, n),
            schema.VALUATION: "FOB",
            schema.STATUS: "reported",
            schema.RELEASE: "2024",
            schema.ORIGIN: [f"f.xlsx!'s'!A{i}" for i in range(n)],
        }
    )
    rows[schema.PERIOD_END] = rows[schema.PERIOD_START].str[:4] + "-12"
    frame = compact(rows)
    sorts: list[store._Sort] = []
    flows = store._incoming(frame.loc[:, list(schema.TRADE_FLOW_COLUMNS)], schema.TRADE_FLOWS, sorts=sorts)
    origins = store._incoming(frame.loc[:, list(schema.PROVENANCE_COLUMNS)], schema.PROVENANCE, sorts=sorts)
    assert len(sorts) == 1 and flows.presorted and origins.presorted
    expected = rows.sort_values(list(schema.SORT_COLUMNS), kind="stable").reset_index(drop=True)
    assert isinstance(flows.rows, pa.Table) and isinstance(origins.rows, pa.Table)
    got = origins.rows.to_pandas().astype(str)
    pd.testing.assert_frame_equal(got, expected[list(schema.PROVENANCE_COLUMNS)].astype(str))
    assert flows.rows.column(schema.VALUE_USD).to_pylist() == expected[schema.VALUE_USD].tolist()
    # Other rows with the same categories are sorted on their own.
    other = compact(rows.sample(frac=1, random_state=1).reset_index(drop=True))
    store._incoming(other.loc[:, list(schema.PROVENANCE_COLUMNS)], schema.PROVENANCE, sorts=sorts)
    assert len(sorts) == 2
