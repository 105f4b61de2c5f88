"""What both Azerbaijani table parsers share: any grid of cells gives rows or placed problems, never an exception."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.reference import Reference
from etl.sources import customs_az, stat_az
from etl.validate import problems_in
from tests.etl.sources.az_workbooks import Sheet, write_workbook

REFERENCE = Reference()
WORDS = [
    "Countries",
    "Ölkələr",
    "Export",
    "İdxal",
    "Xarici ticarət dövriyyəsi",
    "Saldo",
    "2019",
    "2020",
    "share, %",
    "Growth, %",
    "thousand USD",
    "min ABŞ dolları",
    "ABŞ dolları",
    "million USD",
    "January–July 2020",
    "2020-ci ilin yanvar-iyun ayları",
    "iyul",
    "Cəmi",
    "Total",
    "Italy",
    "Rusiya",
    "o cümlədən:",
    "Atlantis",
    "...",
    "-",
    "*1.5",
    "2,5",
    "12,3abc",
    "",
]
CELLS = st.one_of(
    st.none(),
    st.sampled_from(WORDS),
    st.floats(min_value=-1e6, max_value=1e12, allow_nan=False),
    st.integers(min_value=1990, max_value=2030),
    st.booleans(),
)
GRIDS = st.lists(st.lists(CELLS, max_size=6), max_size=9)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid=GRIDS, title=st.sampled_from(["Sheet1", "İxrac", "yanvar-iyul 2020", "Import 2019"]))
def test_any_grid_gives_rows_or_placed_problems_never_an_exception(grid: list[list[Any]], title: str) -> None:
    check_parses(grid, title)


def check_parses(grid: list[list[Any]], title: str) -> None:
    """Both parsers read the grid without an exception; a clean parse validates."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_workbook(Path(folder) / "fuzz.xlsx", [Sheet(title, grid)])
        for module in (stat_az, customs_az):
            parsed = module.parse(path, release="r", reference=REFERENCE)
            assert all(p.file == "fuzz.xlsx" for p in parsed.problems)
            frame = parsed.frame()
            if not parsed.problems:
                # A clean parse validates, except that a partner listed twice is left to the duplicate check
                # and an implausible value (say 1e8 "million USD") to the plausibility check, which names
                # its cell.
                left = problems_in(frame, areas=REFERENCE.areas())
                assert all(
                    "duplicate key" in p.message or ("implausibly large" in p.message and p.cell)
                    for p in left
                ), left


HEADERS = st.sampled_from(
    ["Export", "İdxal", "Turnover", "Saldo", "2019", "2020", "share, %", "Growth, %", "Export 2020", "", "x"]
)
LABELS = st.sampled_from(
    ["Cəmi", "Total", "Italy", "Rusiya", "MDB ölkələri", "o cümlədən:", "Atlantis", "", "* note"]
)
VALUES = st.one_of(
    st.none(),
    st.sampled_from(["...", "-", "*1.5", "2,5", "0.0", "12,3abc", "1 234,5", "-3"]),
    st.floats(min_value=-10, max_value=1e9, allow_nan=False),
)
TABLES = st.tuples(
    st.sampled_from(["January–July 2020", "Foreign trade by countries", "2020-ci ilin yanvar ayı", ""]),
    st.sampled_from(["thousand USD", "min ABŞ dolları", "USD", "", "million USD"]),
    st.lists(HEADERS, min_size=1, max_size=5),
    st.lists(st.lists(HEADERS, max_size=5), max_size=1),
    st.lists(st.tuples(LABELS, st.lists(VALUES, max_size=6)), max_size=6),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=TABLES, title=st.sampled_from(["Sheet1", "İxrac", "yanvar-iyul 2020"]))
def test_tables_of_the_assumed_shape_give_rows_or_placed_problems(table: tuple[Any, ...], title: str) -> None:
    heading, unit, header, sub_headers, body = table
    grid: list[list[Any]] = [
        [heading],
        [None, unit],
        ["Ölkələr", *header],
        *[[None, *line] for line in sub_headers],
        *[[label, *values] for label, values in body],
    ]
    check_parses(grid, title)
