"""Build small workbooks in the exact layout of the IMF DOTS Excel country tables (SOURCES.md 3.3)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

TITLES = {
    "Exports, FOB": "Exports, FOB to Partner Countries",
    "Imports, CIF": "Imports, CIF from Partner Countries",
}

Rows = Sequence[tuple[str | None, Sequence[Any]]]


def write_dots_workbook(
    path: Path,
    *,
    reporter: str = "Azerbaijan, Rep. of",
    years: Sequence[Any] = ("2018", "2019"),
    exports: Rows = (),
    imports: Rows = (),
    unit: str = "US Dollars, Millions",
    sheets: Sequence[str] = ("Exports, FOB", "Imports, CIF"),
) -> Path:
    """A workbook with column A empty, B2 title, B4 reporter, B5 unit, years (text) in row 7, data from row 8."""
    book = Workbook()
    book.remove(book.active)
    for name in sheets:
        sheet = book.create_sheet(name)
        sheet["B2"] = TITLES.get(name, name)
        sheet["B4"] = reporter
        sheet["B5"] = unit
        for offset, year in enumerate(years):
            sheet.cell(row=7, column=3 + offset, value=year)
        rows = exports if name.startswith("Exports") else imports
        for index, (label, values) in enumerate(rows):
            sheet.cell(row=8 + index, column=2, value=label)
            for offset, value in enumerate(values):
                if value is not None:
                    sheet.cell(row=8 + index, column=3 + offset, value=value)
    book.save(path)
    return path
