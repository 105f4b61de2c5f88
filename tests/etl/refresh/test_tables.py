"""The tables of a publication: rows sorted from categorical codes exactly as DuckDB sorts text, and a version
digest that follows the content, not the row order."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from etl import schema, store
from etl.reference import Reference
from etl.refresh.frames import COMPACT_COLUMNS
from etl.refresh.tables import build_tables

REFERENCE = Reference()


def flows(order: list[int]) -> pd.DataFrame:
    rows = [
        ("TUR", "AZE", "import", "2019-01", 4.0),
        ("AZE", "TUR", "export", "2019-01", 3.0),
        ("AZE", "ITA", "import", "2018-01", 2.0),
        ("AZE", "ITA", "export", "2019-01", 1.0),
        ("AZE", "ITA", "export", "2018-01", 0.5),
    ]
    picked = [rows[i] for i in order]
    return pd.DataFrame(
        {
            "source": "imf_dots",
            "reporter": [r[0] for r in picked],
            "partner": [r[1] for r in picked],
            "flow": [r[2] for r in picked],
            "period_start": [r[3] for r in picked],
            "period_end": [r[3][:4] + "-12" for r in picked],
            "value_usd": [r[4] for r in picked],
            "valuation": ["FOB" if r[2] == "export" else "CIF" for r in picked],
            "status": "reported",
            "release": "2022",
            "origin": [f"f.xlsx!'S'!C{10 + i}" for i in order],
        }
    )


@pytest.mark.parametrize(
    "compact", [True, False], ids=["categorical, sorted from codes", "text, sorted by DuckDB"]
)
def test_published_rows_are_in_reporter_partner_flow_period_order(tmp_path: Path, compact: bool) -> None:
    frame = flows([2, 0, 4, 1, 3])
    if compact:
        frame = frame.astype({c: "category" for c in COMPACT_COLUMNS})
    tables = build_tables(frame, reference=REFERENCE, previous=None, read_from={})
    publication = store.publish(tables, store_dir=tmp_path)
    with duckdb.connect(str(publication.path), read_only=True) as con:
        stored = con.execute(
            "SELECT reporter, partner, flow, period_start, value_usd FROM trade_flows"
        ).fetchall()
        origins = [o for (o,) in con.execute("SELECT origin FROM provenance").fetchall()]
        types = {name: kind for name, kind, *_ in con.execute("DESCRIBE trade_flows").fetchall()}
        releases = con.execute(
            "SELECT source, release, rows, rows_added, rows_removed FROM releases"
        ).fetchall()
    assert stored == [
        ("AZE", "ITA", "export", "2018-01", 0.5),
        ("AZE", "ITA", "export", "2019-01", 1.0),
        ("AZE", "ITA", "import", "2018-01", 2.0),
        ("AZE", "TUR", "export", "2019-01", 3.0),
        ("TUR", "AZE", "import", "2019-01", 4.0),
    ]
    assert origins == [f"f.xlsx!'S'!C{10 + i}" for i in (4, 3, 2, 1, 0)]
    assert types == {c: ("DOUBLE" if c == schema.VALUE_USD else "VARCHAR") for c in schema.TRADE_FLOW_COLUMNS}
    assert releases == [("imf_dots", "2022", 5, 5, 0)]
    parquet = pq.read_table(tmp_path / f"trade-{publication.version}.parquet")
    assert parquet.column_names == list(schema.TRADE_FLOW_COLUMNS)
    assert parquet.column("value_usd").to_pylist() == [0.5, 1.0, 2.0, 3.0, 4.0]
    assert {str(t) for t in parquet.schema.types} == {"string", "double"}


def test_the_version_digest_follows_the_content_not_the_row_order(tmp_path: Path) -> None:
    first = store.publish(
        build_tables(flows([0, 1, 2, 3, 4]), reference=REFERENCE, previous=None), store_dir=tmp_path
    )
    shuffled = store.publish(
        build_tables(flows([4, 2, 0, 3, 1]), reference=REFERENCE, previous=None), store_dir=tmp_path
    )
    changed = flows([0, 1, 2, 3, 4]).assign(value_usd=[4.0, 3.0, 2.0, 1.0, 0.75])
    other = store.publish(build_tables(changed, reference=REFERENCE, previous=None), store_dir=tmp_path)
    digest = {p.version.rsplit("-", 1)[1] for p in (first, shuffled)}
    assert len(digest) == 1 and other.version.rsplit("-", 1)[1] not in digest
