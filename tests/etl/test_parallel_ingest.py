"""The fast ingest path: workbooks read by parallel processes, compact frames, rows sorted from categorical codes.

Each path must give exactly what the plain one-file-after-another, pandas-sorted path gives.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from etl import pipeline, schema, store
from etl.problems import Problem
from etl.reference import Reference
from etl.rows import duplicated_rows
from etl.sources import Parsed, imf_dots_excel
from tests.etl.dots_workbook import write_dots_workbook

REFERENCE = Reference()


def workbooks(folder: Path) -> list[Path]:
    """Five workbooks: two reporters, an identical copy (repeats), one with an unknown partner, one corrupt."""
    aze = write_dots_workbook(
        folder / "DOTS_13.xlsx",
        exports=[("Italy", [5638.6466, "5.46 e"]), ("World", [19458.6325, 19635.7486])],
        imports=[("Türkiye, Rep. of", [371.8144, None])],
    )
    ita = write_dots_workbook(
        folder / "DOTS_2.xlsx",
        reporter="Italy",
        exports=[("Azerbaijan, Rep. of", [400.5, 401.25])],
        imports=[("Azerbaijan, Rep. of", [6000.0, "6,100.5 e"])],
    )
    copy = folder / "DOTS_14.xlsx"
    copy.write_bytes(aze.read_bytes())
    unknown = write_dots_workbook(folder / "DOTS_7.xlsx", reporter="Italy", exports=[("Atlantis", [1, 2])])
    corrupt = folder / "DOTS_9.xlsx"
    corrupt.write_bytes(b"not a workbook at all")
    return [aze, ita, copy, unknown, corrupt]


def test_parallel_parsing_gives_exactly_the_serial_result(tmp_path: Path) -> None:
    paths = workbooks(tmp_path)
    results = {
        workers: pipeline.parse_files(
            paths, source="imf-dots-xlsx", release="2022", reference=REFERENCE, workers=workers
        )
        for workers in (1, 2)
    }
    serial, parallel = results[1], results[2]
    pd.testing.assert_frame_equal(serial.frame, parallel.frame)
    assert serial.problems == parallel.problems
    assert serial.notes == parallel.notes == ["5 figures repeated identically in DOTS_14.xlsx were kept once"]
    assert sorted((p.file, p.cell, p.message.split(";")[0]) for p in parallel.problems) == [
        ("DOTS_7.xlsx", "B8", "unknown partner name"),
        (
            "DOTS_9.xlsx",
            "",
            "not a readable Excel workbook (ZipError: invalid Zip archive: Could not find EOCD)",
        ),
    ]
    frame = parallel.frame.sort_values(schema.ORIGIN).reset_index(drop=True)
    assert len(frame) == 9  # 5 from DOTS_13 (its copy dropped), 4 from DOTS_2
    italy = frame[frame[schema.ORIGIN] == "DOTS_13.xlsx!'Exports, FOB'!D8"].iloc[0]
    assert (
        italy[schema.PARTNER],
        italy[schema.PERIOD_START],
        italy[schema.VALUE_USD],
        italy[schema.STATUS],
    ) == (
        "ITA",
        "2019-01",
        5_460_000.0,
        "estimated",
    )
    azerbaijan = frame[frame[schema.ORIGIN] == "DOTS_2.xlsx!'Imports, CIF'!D8"].iloc[0]
    assert (azerbaijan[schema.REPORTER], azerbaijan[schema.VALUE_USD]) == ("ITA", 6_100_500_000.0)
    # Compact columns: categories in sorted order, so sorting by a column sorts by its text.
    for column in pipeline.COMPACT_COLUMNS:
        categories = list(parallel.frame[column].cat.categories)
        assert categories == sorted(categories), column
    assert list(parallel.frame[schema.PARTNER].cat.categories) == ["AZE", "ITA", "TUR", "WLD"]


def test_a_reader_crash_in_a_worker_names_the_file_and_keeps_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged file can make the Excel reader abort its whole process; the forked workers inherit this
    stand-in, which dies like that on one file."""
    paths = workbooks(tmp_path)[:2]
    crash = tmp_path / "DOTS_99.xlsx"
    crash.write_bytes(paths[0].read_bytes())
    real_parse = imf_dots_excel.parse

    def parse_or_die(path: Path, *, release: str, reference: Reference) -> Parsed:
        if path.name == crash.name:
            os._exit(134)  # what an abort in the Rust reader does to the process
        return real_parse(path, release=release, reference=reference)

    monkeypatch.setattr(imf_dots_excel, "parse", parse_or_die)
    parsed = pipeline.parse_files(
        [crash, *paths], source="imf-dots-xlsx", release="2022", reference=REFERENCE, workers=2
    )
    assert parsed.problems == [
        Problem("DOTS_99.xlsx", "the reader crashed on this file (its process died); the file is damaged")
    ]
    assert sorted(set(parsed.frame[schema.REPORTER])) == ["AZE", "ITA"]
    assert len(parsed.frame) == 9


def test_duplicated_rows_agrees_with_pandas() -> None:
    frame = pd.DataFrame(
        {
            "code": pd.Categorical(["a", "b", "a", None, None, "b", "a"], categories=["a", "b", "c"]),
            "value": [1.0, 2.0, 1.0, np.nan, np.nan, 2.5, 1.0],
            "text": ["x", "y", "x", "z", "z", "y", "w"],
        }
    )
    for columns in (["code"], ["code", "value"], ["code", "value", "text"], ["value", "text"]):
        for keep in ("first", "last", False):
            expected = frame.duplicated(columns, keep=keep).to_numpy()
            assert duplicated_rows(frame, columns, keep=keep).tolist() == expected.tolist(), (columns, keep)
    assert duplicated_rows(frame, ["code", "value"], keep=False).tolist() == [
        True,
        False,
        True,
        True,
        True,
        False,
        True,
    ]


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
        frame = frame.astype({c: "category" for c in pipeline.COMPACT_COLUMNS})
    tables = pipeline.build_tables(frame, reference=REFERENCE, previous=None, read_from={})
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
        pipeline.build_tables(flows([0, 1, 2, 3, 4]), reference=REFERENCE, previous=None), store_dir=tmp_path
    )
    shuffled = store.publish(
        pipeline.build_tables(flows([4, 2, 0, 3, 1]), reference=REFERENCE, previous=None), store_dir=tmp_path
    )
    changed = flows([0, 1, 2, 3, 4]).assign(value_usd=[4.0, 3.0, 2.0, 1.0, 0.75])
    other = store.publish(
        pipeline.build_tables(changed, reference=REFERENCE, previous=None), store_dir=tmp_path
    )
    digest = {p.version.rsplit("-", 1)[1] for p in (first, shuffled)}
    assert len(digest) == 1 and other.version.rsplit("-", 1)[1] not in digest
