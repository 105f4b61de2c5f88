"""Property-based tests (hypothesis) for the DOTS parser and `etl/validate.py`.

The parser: for any grid of cells (numbers, numbers as text with thousands separators and the IMF estimate
marker, junk text, empty cells) every figure comes back exactly once in full dollars with the right status, and
every junk cell is reported at its exact address; nothing escapes as an exception. Validation: any valid tidy
frame has no problem; one defect injected anywhere is reported at that row's origin; arbitrary garbage in any
column never raises.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from etl import schema
from etl.reference import Reference
from etl.settings import REPO_ROOT
from etl.sources import imf_dots_excel
from etl.validate import problems_in
from tests.etl.dots_workbook import write_dots_workbook
from tests.reliability.counts import LONG, add

REFERENCE = Reference(REPO_ROOT / "data" / "reference")
AREAS = REFERENCE.areas()
EXAMPLES = 200 if LONG else 15
PARTNERS = ("Italy", "Turkey", "Germany", "France", "China, P.R.: Mainland", "World")
CODES = {
    "Italy": "ITA",
    "Turkey": "TUR",
    "Germany": "DEU",
    "France": "FRA",
    "China, P.R.: Mainland": "CHN",
    "World": "WLD",
}

cents = st.integers(min_value=0, max_value=10**9).map(lambda n: n / 100)  # millions with two decimals
number_cell = st.one_of(
    cents.map(lambda v: ("number", v, v, "reported")),
    cents.map(lambda v: ("text", f"{v:.2f}", v, "reported")),
    cents.map(lambda v: ("text", f"{v:,.2f}", v, "reported")),
    cents.map(lambda v: ("text", f"{v:.2f} e", v, "estimated")),
    cents.map(lambda v: ("text", f"  {v:,.2f} e ", v, "estimated")),
)
junk_cell = st.text(alphabet="abcdfgxyz!?#%/ ", min_size=1, max_size=12).filter(lambda t: t.strip() != "")
cell = st.one_of(
    st.just(("empty", None, None, None)),
    number_cell,
    junk_cell.map(lambda t: ("junk", t, None, None)),
)


@st.composite
def grids(draw: st.DrawFn) -> tuple[list[str], list[str], list[list[tuple[str, Any, Any, Any]]]]:
    years = draw(st.lists(st.integers(1960, 2030).map(str), min_size=1, max_size=5, unique=True))
    partners = draw(st.lists(st.sampled_from(PARTNERS), min_size=1, max_size=len(PARTNERS), unique=True))
    rows = [[draw(cell) for _ in years] for _ in partners]
    return years, partners, rows


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grid=grids())
def test_dots_parser_reads_every_cell_exactly_or_names_it(grid: Any, tmp_path: Path) -> None:
    years, partners, rows = grid
    path = write_dots_workbook(
        tmp_path / "DOTS_prop.xlsx",
        years=years,
        exports=[(partner, [c[1] for c in cells]) for partner, cells in zip(partners, rows, strict=True)],
        imports=[],
    )
    parsed = imf_dots_excel.parse(path, release="2022", reference=REFERENCE)
    frame = parsed.frame()
    expected_rows = {}
    expected_problems = set()
    for r, (partner, cells) in enumerate(zip(partners, rows, strict=True)):
        for c, (kind, _written, value, status) in enumerate(cells):
            address = f"{get_column_letter(3 + c)}{8 + r}"
            if kind in ("number", "text"):
                expected_rows[(CODES[partner], years[c])] = (round(value * 1e6, 2), status, address)
            elif kind == "junk":
                expected_problems.add(("Exports, FOB", address))
    got_problems = {(p.sheet, p.cell) for p in parsed.problems}
    assert got_problems == expected_problems
    assert all(p.file == "DOTS_prop.xlsx" and p.message == "not a number" for p in parsed.problems)
    got_rows = {
        (p, s[:4]): (v, st_, o.rsplit("!", 1)[1])
        for p, s, v, st_, o in zip(
            frame[schema.PARTNER],
            frame[schema.PERIOD_START],
            frame[schema.VALUE_USD],
            frame[schema.STATUS],
            frame[schema.ORIGIN],
            strict=True,
        )
    }
    assert len(frame) == len(got_rows)  # every figure exactly once
    assert got_rows == expected_rows
    add("properties", "DOTS workbooks generated")


KNOWN_COUNTRIES = ("AZE", "ITA", "TUR", "DEU", "FRA", "CHN", "USA", "RUS")


@st.composite
def tidy_frames(draw: st.DrawFn) -> pd.DataFrame:
    keys = draw(
        st.lists(
            st.tuples(
                st.sampled_from(KNOWN_COUNTRIES),
                st.sampled_from((*KNOWN_COUNTRIES, "WLD", "EUU")),
                st.sampled_from(schema.FLOWS),
                st.integers(1960, 2030),
            ),
            min_size=1,
            max_size=40,
            unique=True,
        )
    )
    values = draw(st.lists(st.floats(0, 1e13, allow_nan=False), min_size=len(keys), max_size=len(keys)))
    statuses = draw(st.lists(st.sampled_from(schema.STATUSES), min_size=len(keys), max_size=len(keys)))
    return pd.DataFrame(
        {
            schema.SOURCE: "imf_dots",
            schema.REPORTER: [k[0] for k in keys],
            schema.PARTNER: [k[1] for k in keys],
            schema.FLOW: [k[2] for k in keys],
            schema.PERIOD_START: [f"{k[3]}-01" for k in keys],
            schema.PERIOD_END: [f"{k[3]}-12" for k in keys],
            schema.VALUE_USD: values,
            schema.VALUATION: ["FOB" if k[2] == "export" else "CIF" for k in keys],
            schema.STATUS: statuses,
            schema.RELEASE: "2022",
            schema.ORIGIN: [f"DOTS_{i}.xlsx!'Exports, FOB'!C{i + 8}" for i in range(len(keys))],
        }
    )


DEFECTS: dict[str, tuple[str, Any]] = {
    "negative": (schema.VALUE_USD, -1.0),
    "nan": (schema.VALUE_USD, float("nan")),
    "inf": (schema.VALUE_USD, float("inf")),
    "absurd": (schema.VALUE_USD, 5e14),
    "text value": (schema.VALUE_USD, "12"),
    "flow": (schema.FLOW, "re-export"),
    "valuation": (schema.VALUATION, "FAS"),
    "status": (schema.STATUS, "guessed"),
    "period": (schema.PERIOD_START, "2019-13"),
    "period order": (schema.PERIOD_START, "2999-01"),
    "reporter": (schema.REPORTER, "XXX"),
    "partner": (schema.PARTNER, "'; DROP TABLE areas; --"),
    "release": (schema.RELEASE, ""),
}


@settings(max_examples=EXAMPLES * 4, deadline=None)
@given(frame=tidy_frames(), defect=st.sampled_from(sorted(DEFECTS)), data=st.data())
def test_validation_reports_one_injected_defect_at_its_row(
    frame: pd.DataFrame, defect: str, data: Any
) -> None:
    assert problems_in(frame, areas=AREAS) == []
    row = data.draw(st.integers(0, len(frame) - 1))
    column, value = DEFECTS[defect]
    broken = frame.astype({column: "object"})
    broken.at[row, column] = value
    problems = problems_in(broken, areas=AREAS)
    origin = frame[schema.ORIGIN].iloc[row]
    file, sheet, cell_address = origin.split("!")
    assert any((p.file, p.sheet, p.cell) == (file, sheet.strip("'"), cell_address) for p in problems), (
        problems
    )
    add("properties", "tidy frames validated")


@settings(max_examples=EXAMPLES * 2, deadline=None)
@given(
    frame=tidy_frames(),
    column=st.sampled_from([*schema.TRADE_FLOW_COLUMNS, schema.ORIGIN]),
    garbage=st.lists(
        st.one_of(
            st.none(),
            st.text(max_size=30),
            st.floats(),
            st.integers(-(2**70), 2**70),
            st.booleans(),
            st.binary(max_size=8),
        ),
        min_size=1,
        max_size=40,
    ),
)
def test_validation_never_raises_on_garbage(frame: pd.DataFrame, column: str, garbage: list[Any]) -> None:
    broken = frame.astype({column: "object"})
    values = np.empty(len(broken), dtype=object)
    for i in range(len(broken)):
        values[i] = garbage[i % len(garbage)]
    broken[column] = values
    problems = problems_in(broken, areas=AREAS)
    assert all(isinstance(str(p), str) for p in problems)
    add("properties", "garbage frames validated")
