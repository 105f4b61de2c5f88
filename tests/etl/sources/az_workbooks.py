"""Build small workbooks in the layout assumed for Azerbaijan's statistics and customs tables (SOURCES.md 5, 6):
a grid of cells per sheet (None = empty) and horizontal merges, written as real .xls (xlwt) or .xlsx (openpyxl)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlwt
from openpyxl import Workbook

from etl import schema
from etl.reference import Reference
from etl.sources import Parsed
from etl.validate import problems_in


@dataclass
class Sheet:
    name: str
    rows: Sequence[Sequence[Any]]
    # (row, first column, last column), 0-based: a group header merged over its columns (value in the first).
    merges: Sequence[tuple[int, int, int]] = field(default_factory=list)


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> Path:
    """Write `sheets` to `path`; the suffix (.xls or .xlsx) chooses the format."""
    if path.suffix == ".xls":
        book = xlwt.Workbook(encoding="utf-8")
        for sheet in sheets:
            target = book.add_sheet(sheet.name)
            merged = {(r, c): last for r, c, last in sheet.merges}
            for r, line in enumerate(sheet.rows):
                for c, value in enumerate(line):
                    if (r, c) in merged:
                        target.write_merge(r, r, c, merged[(r, c)], value)
                    elif value is not None:
                        target.write(r, c, value)
        book.save(str(path))
        return path
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        target = workbook.create_sheet(sheet.name)
        for r, line in enumerate(sheet.rows):
            for c, value in enumerate(line):
                if value is not None:
                    target.cell(row=r + 1, column=c + 1, value=value)
        for r, c, last in sheet.merges:
            target.merge_cells(start_row=r + 1, start_column=c + 1, end_row=r + 1, end_column=last + 1)
    workbook.save(path)
    return path


def checked_rows(
    parsed: Parsed, *, source: str, release: str
) -> list[tuple[str, str, str, str, float, str, str, str]]:
    """(partner, flow, start, end, value_usd, valuation, status, origin) sorted, after checking the columns that
    are the same on every row (source, reporter AZE, release) and that the rows pass validation."""
    frame = parsed.frame()
    assert list(frame.columns) == [*schema.TRADE_FLOW_COLUMNS, schema.ORIGIN]
    assert set(frame[schema.SOURCE]) <= {source}
    assert set(frame[schema.REPORTER]) <= {"AZE"}
    assert set(frame[schema.RELEASE]) <= {release}
    assert problems_in(frame, areas=Reference().areas()) == []
    return sorted(
        zip(
            frame.partner,
            frame.flow,
            frame.period_start,
            frame.period_end,
            frame.value_usd,
            frame.valuation,
            frame.status,
            frame.origin,
            strict=True,
        )
    )
