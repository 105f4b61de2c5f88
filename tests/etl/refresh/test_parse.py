"""The fast ingest path: workbooks read by parallel processes into compact frames.

Parallel reading must give exactly what reading one file after another gives.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from etl import schema
from etl.problems import Problem
from etl.reference import Reference
from etl.refresh.frames import COMPACT_COLUMNS
from etl.refresh.parse import parse_files
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
        workers: parse_files(
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
    for column in COMPACT_COLUMNS:
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
    parsed = parse_files(
        [crash, *paths], source="imf-dots-xlsx", release="2022", reference=REFERENCE, workers=2
    )
    assert parsed.problems == [
        Problem("DOTS_99.xlsx", "the reader crashed on this file (its process died); the file is damaged")
    ]
    assert sorted(set(parsed.frame[schema.REPORTER])) == ["AZE", "ITA"]
    assert len(parsed.frame) == 9
