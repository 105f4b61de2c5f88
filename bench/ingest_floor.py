"""The floor of P3: the least an ingest of the IMF workbooks can do, as a script run in its own process.

`python -m bench.ingest_floor STORE.duckdb WORKBOOK...`: python-calamine reads both sheets of every workbook
(on all cores, as the refresh parses them), every filled cell under a year becomes a row (reporter and partner
as the workbook names them, flow, year, value in dollars, an "e" marking an estimate) with its provenance
(file, sheet, cell), and DuckDB writes both tables to a new file. No name lookup, no validation, no repeat
detection, no versioned publishing: what is left is reading and writing the same rows. Run as a child process
so that the interpreter's start and its imports count, as they do for `python -m etl refresh`.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

# The layout of SOURCES.md 3.3, spelled here so the floor reads no code of the refresh it is measured against.
SHEETS = {"Exports, FOB": "export", "Imports, CIF": "import"}
REPORTER_CELL = (3, 1)
YEAR_ROW = 6
FIRST_DATA_ROW = 7
SCALE = 1e6  # millions of US dollars

Columns = dict[str, list[Any]]


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read(path: str) -> Columns:
    """Every filled cell under a year of one workbook's two sheets, with where it came from."""
    from python_calamine import CalamineWorkbook

    out: Columns = {name: [] for name in ("reporter", "partner", "flow", "year", "value", "status", "origin")}
    workbook = CalamineWorkbook.from_path(path)
    name = Path(path).name
    for sheet, flow in SHEETS.items():
        cells = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        reporter = cells[REPORTER_CELL[0]][REPORTER_CELL[1]]
        years = {c: str(v)[:4] for c, v in enumerate(cells[YEAR_ROW]) if c >= 2 and v not in ("", None)}
        for r, row in enumerate(cells[FIRST_DATA_ROW:], start=FIRST_DATA_ROW):
            partner = row[1] if len(row) > 1 else ""
            if partner in ("", None):
                continue
            for c, year in years.items():
                value = row[c] if c < len(row) else ""
                if value in ("", None):
                    continue
                estimated = isinstance(value, str) and value.rstrip().endswith(" e")
                text = str(value).replace(",", "").strip().removesuffix(" e")
                number = float(value) if isinstance(value, (int, float)) else float(text)
                out["reporter"].append(reporter)
                out["partner"].append(partner)
                out["flow"].append(flow)
                out["year"].append(year)
                out["value"].append(number * SCALE)
                out["status"].append("estimated" if estimated else "reported")
                out["origin"].append(f"{name}!'{sheet}'!{_column(c)}{r + 1}")
    return out


def main(argv: list[str]) -> int:
    import duckdb
    import pyarrow as pa

    target, files = Path(argv[0]), argv[1:]
    merged: Columns = {}
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for part in pool.map(read, files, chunksize=4):
            for key, values in part.items():
                merged.setdefault(key, []).extend(values)
    table = pa.table(merged)
    with duckdb.connect(str(target)) as con:
        con.register("cells", table)
        con.execute(
            "CREATE TABLE trade_flows AS SELECT 'imf_dots' AS source, reporter, partner, flow, "
            "year || '-01' AS period_start, year || '-12' AS period_end, value AS value_usd, "
            "CASE flow WHEN 'export' THEN 'FOB' ELSE 'CIF' END AS valuation, status, '2022' AS release FROM cells"
        )
        con.execute(
            "CREATE TABLE provenance AS SELECT 'imf_dots' AS source, reporter, partner, flow, "
            "year || '-01' AS period_start, year || '-12' AS period_end, origin FROM cells"
        )
        con.execute("CHECKPOINT")
        rows = con.execute("SELECT count(*) FROM trade_flows").fetchone()
    print(rows[0] if rows else 0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
