"""IMF Direction of Trade Statistics (DOTS): the Excel country tables exported from the IMF data portal.

One workbook per reporting economy, sheets `Exports, FOB` and `Imports, CIF`, layout and traps in SOURCES.md 3.3:
title in B2, reporter (IMF long name) in B4, unit in B5, years as text from C7, then one partner per row from
row 8 (name in B, values in C…). Values are millions of US dollars; an empty cell is missing; `"5.46 e"` is an
IMF estimate; the first data row repeats a later one.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from python_calamine import CalamineWorkbook

from etl import schema
from etl.http import FetchError
from etl.problems import Problem
from etl.reference import Reference
from etl.sources import CodedRows, Parsed, column_letter, source_info

INFO = source_info("imf_dots")  # data/reference/sources.csv

# The release of the shipped collection: the IMF portal's country tables as archived in 2022 (data to 2020).
# The workbooks carry no date of their own, so the vintage is named here and recorded with the snapshot.
DEFAULT_RELEASE = "2022"

# Column map held as data: sheet name -> (flow as the reporter declares it, valuation, expected title).
SHEETS: dict[str, tuple[str, str, str]] = {
    "Exports, FOB": ("export", "FOB", "Exports, FOB to Partner Countries"),
    "Imports, CIF": ("import", "CIF", "Imports, CIF from Partner Countries"),
}
FLOW_MAP = {sheet: (flow, valuation) for sheet, (flow, valuation, _) in SHEETS.items()}
# Cells of the layout, 0-based (row, column): B2 title, B4 reporter, B5 unit, row 7 years, data from row 8.
TITLE_CELL = (1, 1)
REPORTER_CELL = (3, 1)
UNIT_CELL = (4, 1)
YEAR_ROW = 6
FIRST_DATA_ROW = 7
LABEL_COLUMN = 1
FIRST_VALUE_COLUMN = 2
UNIT_SCALE: dict[str, float] = {"US Dollars, Millions": 1e6, "US Dollars, Thousands": 1e3, "US Dollars": 1.0}

_YEAR = re.compile(r"^\s*(\d{4})(?:\.0)?\s*$")
# A number as text: optional thousands separators, optional decimals or exponent, optional IMF estimate marker.
# Only a trailing " e" is the marker; "3e-05" is a number in scientific notation (SOURCES.md 3.3).
_NUMBER_TEXT = re.compile(
    r"^\s*(?P<number>-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?)(?P<estimate>\s+e)?\s*$"
)

FILE_PATTERNS = ("*.xlsx",)
# `parse` is pure and needs only its file: `etl.refresh.parse.parse_files` may read many workbooks in parallel
# processes (the 235 workbooks of a world build).
PARALLEL_PARSE = True
# Nothing to check across this source's published rows beyond validation.
published_warnings = None


def fetch(**_: object) -> list[Path]:
    """The IMF retired the portal that produced these tables: there is nothing to download."""
    raise FetchError(
        INFO.source,
        "none",
        "the IMF data portal that exported these workbooks was retired in 2025; there is no live service",
        "Give saved workbooks with --input FILE..., or refresh the live IMF data with --source imf-sdmx",
    )


def parse(path: Path, *, release: str, reference: Reference) -> Parsed:
    """Every figure of one DOTS workbook as tidy rows, or the problems that stop it being read.

    Values become full US dollars; empty cells give no row; `"5.46 e"` gives status `estimated`.
    """
    result = Parsed()
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet_names = list(workbook.sheet_names)
    except BaseException as exc:  # calamine raises several types (and panics) for corrupt or non-xlsx input
        if not _is_reader_failure(exc):
            raise
        result.problems.append(
            Problem(path.name, f"not a readable Excel workbook ({type(exc).__name__}: {exc})")
        )
        return result
    missing = [name for name in SHEETS if name not in sheet_names]
    if missing:
        result.problems.append(
            Problem(
                path.name,
                f"missing sheet(s) {', '.join(repr(m) for m in missing)}; sheets present: "
                f"{', '.join(repr(s) for s in sheet_names) or 'none'}",
            )
        )
    for sheet_name in SHEETS:
        if sheet_name in sheet_names:
            try:
                cells = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            except BaseException as exc:
                if not _is_reader_failure(exc):
                    raise
                result.problems.append(
                    Problem(
                        path.name, f"sheet cannot be read ({type(exc).__name__}: {exc})", sheet=sheet_name
                    )
                )
                continue
            result.extend(
                _parse_sheet(cells, file=path.name, sheet=sheet_name, release=release, ref=reference)
            )
    return result


def _is_reader_failure(exc: BaseException) -> bool:
    """True for an error reading the file. calamine is Rust: on some truncated .xls files it panics, and pyo3
    turns the panic into a PanicException, which derives from BaseException, not Exception (found by
    tests/reliability/test_bad_input.py). A panic while reading is a corrupt file and is reported like any
    other read error; KeyboardInterrupt and SystemExit still pass."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _cell(cells: list[list[Any]], row: int, column: int) -> Any:
    if row < len(cells) and column < len(cells[row]):
        return cells[row][column]
    return None


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse_sheet(cells: list[list[Any]], *, file: str, sheet: str, release: str, ref: Reference) -> Parsed:
    result = Parsed()
    flow, valuation, expected_title = SHEETS[sheet]

    def problem(message: str, row: int | None = None, column: int | None = None, value: Any = None) -> None:
        cell = _address(row, column) if row is not None and column is not None else ""
        shown = "" if value is None else str(value)[:80]
        result.problems.append(Problem(file, message, sheet=sheet, cell=cell, value=shown))

    title = _cell(cells, *TITLE_CELL)
    if not isinstance(title, str) or title.strip() != expected_title:
        problem(f"title should read {expected_title!r}", *TITLE_CELL, value=title)
    unit = _cell(cells, *UNIT_CELL)
    scale = UNIT_SCALE.get(unit.strip()) if isinstance(unit, str) else None
    if scale is None:
        problem(f"unit not understood; expected one of {', '.join(UNIT_SCALE)}", *UNIT_CELL, value=unit)
    reporter_label = _cell(cells, *REPORTER_CELL)
    reporter = ref.code_for(reporter_label) if isinstance(reporter_label, str) else None
    if reporter is None:
        problem(
            "unknown reporter name; add it to data/reference/imf_names.csv",
            *REPORTER_CELL,
            value=reporter_label,
        )

    years: dict[int, str] = {}
    header = cells[YEAR_ROW] if len(cells) > YEAR_ROW else []
    for column in range(FIRST_VALUE_COLUMN, len(header)):
        text = header[column]
        if _is_empty(text):
            continue
        match = _YEAR.match(str(text))
        if match is None:
            problem("year header should be a four-digit year", YEAR_ROW, column, text)
        else:
            years[column] = match.group(1)
    if not years:
        problem("no year headers found in row 7", YEAR_ROW, FIRST_VALUE_COLUMN)
    if result.problems:
        return result  # without a reporter, unit and years no figure can be placed

    assert reporter is not None and scale is not None
    rows = _rectangle(cells[FIRST_DATA_ROW:], width=max(len(header), FIRST_VALUE_COLUMN))
    if not len(rows):
        return result
    values = rows[:, FIRST_VALUE_COLUMN:]
    filled = ~_empty_mask(values)
    year_columns = np.array([FIRST_VALUE_COLUMN + i in years for i in range(values.shape[1])], dtype=bool)
    for r, c in zip(*np.nonzero(filled & ~year_columns), strict=True):
        problem(
            "value in a column without a year header",
            FIRST_DATA_ROW + r,
            FIRST_VALUE_COLUMN + c,
            values[r, c],
        )

    # Rows: partner names, headings, duplicates (a few hundred per sheet, so plain Python).
    row_has_value: list[bool] = np.asarray(filled.any(axis=1), dtype=bool).tolist()
    partner_of_row: dict[int, str] = {}
    seen: dict[str, int] = {}
    for r in range(len(rows)):
        row = FIRST_DATA_ROW + r
        label = rows[r, LABEL_COLUMN]
        if _is_empty(label):
            if row_has_value[r]:
                problem("values in a row without a partner name", row, LABEL_COLUMN)
            continue
        label = str(label).strip()
        if ref.is_heading(label):
            if row_has_value[r]:
                column = int(np.flatnonzero(filled[r])[0])
                problem(
                    f"section heading {label!r} carries values",
                    row,
                    FIRST_VALUE_COLUMN + column,
                    values[r, column],
                )
            continue
        if label in seen:
            first = seen[label]
            differing = [i for i in range(values.shape[1]) if _at(values[first], i) != _at(values[r], i)]
            if differing:
                i = differing[0]
                problem(
                    f"conflicting duplicate rows for {label!r}: row {FIRST_DATA_ROW + first + 1} has "
                    f"{_at(values[first], i)!r} where row {row + 1} has {_at(values[r], i)!r}",
                    row,
                    FIRST_VALUE_COLUMN + i,
                )
                continue
            # Identical twin (the repeated first "Australia" row): keep the later one, at its regular place.
            partner_of_row.pop(first, None)
        seen[label] = r
        partner = ref.code_for(label)
        if partner is None:
            problem("unknown partner name; add it to data/reference/imf_names.csv", row, LABEL_COLUMN, label)
            continue
        partner_of_row[r] = partner

    # Cells: every filled cell of a kept row under a year, converted in bulk; text cells one by one.
    keep = np.zeros(len(rows), dtype=bool)
    keep[list(partner_of_row)] = True
    at_r, at_c = np.nonzero(filled & keep[:, None] & year_columns[None, :])
    raw = values[at_r, at_c]
    numbers = np.zeros(len(raw), dtype="float64")
    status = np.zeros(len(raw), dtype=np.int8)  # index into _STATUS_TEXT
    good = np.ones(len(raw), dtype=bool)
    kinds = _types(raw) if len(raw) else np.array([], dtype=object)
    # Elementwise comparison of each cell's exact type (bool, a subclass of int, must not count as a number).
    plain = (kinds == float) | (kinds == int)  # noqa: E721
    numbers[plain] = raw[plain].astype("float64")
    done = plain & np.isfinite(numbers)
    text = np.flatnonzero(kinds == str)  # noqa: E721
    if len(text):
        done[text] = _text_numbers(raw[text], numbers=numbers, status=status, at=text)
    for k in np.flatnonzero(~done).tolist():
        number, cell_status, error = _number(raw[k])
        if error:
            good[k] = False
            problem(error, FIRST_DATA_ROW + int(at_r[k]), FIRST_VALUE_COLUMN + int(at_c[k]), raw[k])
        else:
            numbers[k], status[k] = number, _STATUS_TEXT.index(cell_status)
    at_r, at_c, numbers, status = at_r[good], at_c[good], numbers[good], status[good]
    year_of = [years.get(FIRST_VALUE_COLUMN + i, "") for i in range(values.shape[1])]
    letters = pa.array([column_letter(FIRST_VALUE_COLUMN + i) for i in range(values.shape[1])], pa.string())
    row_numbers = pa.array([str(FIRST_DATA_ROW + r + 1) for r in range(len(rows))], pa.string())
    # "file!'sheet'!C8" for every figure, joined by Arrow rather than one Python f-string per cell.
    origins = pc.binary_join_element_wise(
        pa.scalar(f"{file}!'{sheet}'!"), letters.take(at_c), row_numbers.take(at_r), ""
    )
    count = len(at_r)
    constant = np.zeros(count, dtype=np.int8)
    result.coded.append(
        CodedRows(
            codes={
                schema.SOURCE: (constant, (INFO.source,)),
                schema.REPORTER: (constant, (reporter,)),
                schema.PARTNER: _coded(at_r, [partner_of_row.get(r, "") for r in range(len(rows))]),
                schema.FLOW: (constant, (flow,)),
                schema.PERIOD_START: _coded(at_c, [f"{y}-01" for y in year_of]),
                schema.PERIOD_END: _coded(at_c, [f"{y}-12" for y in year_of]),
                schema.VALUATION: (constant, (valuation,)),
                schema.STATUS: (status, _STATUS_TEXT),
                schema.RELEASE: (constant, (release,)),
            },
            # Cents are the finest unit a dollar figure needs; rounding also removes float noise from the
            # millions -> dollars multiplication, so reruns compare equal.
            values=np.round(numbers * scale, 2),
            origins=origins,
        )
    )
    return result


_STATUS_TEXT = ("reported", "estimated")  # index = the status code given to a cell below


def _coded(index: np.ndarray, labels: list[str]) -> tuple[np.ndarray, tuple[str, ...]]:
    """(codes, labels) giving `labels[index]` for each row, keeping only the labels some row uses."""
    used, codes = np.unique(index, return_inverse=True)
    return codes.astype(np.int32), tuple(labels[i] for i in used.tolist())


def _address(row: int, column: int) -> str:
    return f"{column_letter(column)}{row + 1}"


def _rectangle(lines: list[list[Any]], *, width: int) -> np.ndarray:
    """Rows of cells as a 2-D object array, short rows padded with None."""
    width = max([width, *(len(line) for line in lines)])
    block = np.full((len(lines), width), None, dtype=object)
    for r, line in enumerate(lines):
        block[r, : len(line)] = line
    return block


_types = np.frompyfunc(type, 1, 1)
_is_blank = np.frompyfunc(lambda v: v is None or (isinstance(v, str) and not v.strip()), 1, 1)


def _empty_mask(values: np.ndarray) -> np.ndarray:
    """True where a cell is empty: None, or text of only spaces."""
    kinds = _types(values)
    mask = (kinds == type(None)) | (values == "")  # noqa: E721 - elementwise; calamine gives "" when empty
    text = (kinds == str) & ~mask  # noqa: E721
    if text.any():
        mask[text] = _is_blank(values[text]).astype(bool)
    return mask.astype(bool)


def _at(values: list[Any], index: int) -> Any:
    value = values[index] if index < len(values) else None
    return None if _is_empty(value) else value


_ESTIMATED = _STATUS_TEXT.index("estimated")


def _text_numbers(
    texts: np.ndarray, *, numbers: np.ndarray, status: np.ndarray, at: np.ndarray
) -> np.ndarray:
    """Convert the text cells `texts` (e.g. "1,234.5 e") in bulk, writing each result into `numbers` and
    `status` at its index in `at`; True where a cell was converted.

    Arrow's regular expressions (RE2) know only ASCII digits and spaces, a subset of what `_NUMBER_TEXT`
    accepts in Python, so a cell they match is read exactly as `_number` reads it; every other cell (and any
    error) is left False for `_number`, which then gives the same value or names the problem.
    """
    try:
        parts = pc.extract_regex(pa.array(texts.tolist(), pa.string()), _NUMBER_TEXT.pattern)
        matched = np.asarray(parts.is_valid())
        if not matched.any():
            return matched
        parts = parts.filter(pa.array(matched))
        values = pc.cast(pc.replace_substring(parts.field("number"), ",", ""), pa.float64()).to_numpy()
        estimated = np.asarray(pc.greater(pc.utf8_length(parts.field("estimate")), 0))
    except (pa.ArrowException, ValueError):
        return np.zeros(len(texts), dtype=bool)
    finite = np.isfinite(values)
    where = at[matched][finite]
    numbers[where] = values[finite]
    status[where[estimated[finite]]] = _ESTIMATED
    converted = np.zeros(len(texts), dtype=bool)
    converted[np.flatnonzero(matched)[finite]] = True
    return converted


def _number(raw: Any) -> tuple[float, str, str]:
    """(value, status, error) for one cell: a float, or text such as "1,234.5 e"."""
    if isinstance(raw, bool):
        return 0.0, "", "a true/false cell where a number belongs"
    if isinstance(raw, int | float):
        number, status = float(raw), "reported"
    elif isinstance(raw, str):
        match = _NUMBER_TEXT.match(raw)
        if match is None:
            return 0.0, "", "not a number"
        number = float(match.group("number").replace(",", ""))
        status = "estimated" if match.group("estimate") else "reported"
    else:
        return 0.0, "", f"unexpected cell type {type(raw).__name__}"
    if number != number or number in (float("inf"), float("-inf")):
        return 0.0, "", "not a finite number"
    return number, status, ""
