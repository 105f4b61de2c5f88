"""Reading the by-country tables of Azerbaijan's State Statistical Committee and State Customs Committee.

Both offices publish the same kind of sheet (SOURCES.md 5 and 6; **no real file was seen, so the layout is an
assumption**): a title block, a units line ("thousand USD" / "min ABŞ dolları"), a header row whose first
labelled cell names the country column ("Countries" / "Ölkələr"), possibly one or two sub-header rows (years under
flows or flows under years, group cells merged over their columns), one row per partner, footnotes below.
Nothing here trusts a fixed cell position: the header row, the unit line and the columns are found by their words.

This module holds what both sources share: finding the table (`locate`), reading the figures of the columns a
source has interpreted (`read_figures`), checking the published derived columns (turnover, balance, shares)
against the stored ones (`derived_problems`) and turning figures into tidy rows (`tidy_rows`).
Source-specific meaning (which period a column holds) lives in `stat_az` and `customs_az`.

(Over 400 lines: one unverified layout read without fixed cells, so finding, checking and reading stay together.)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from etl import schema
from etl.problems import Problem
from etl.reference import Reference
from etl.sources import RAW_COLUMNS, Parsed, column_letter, empty_rows
from etl.sources.isolated import workbook_sheets

REPORTER = "AZE"
# Both committees value exports FOB and imports CIF (their own convention, as in IMF DOTS).
VALUATION = {"export": "FOB", "import": "CIF"}
STORED_FLOWS = ("export", "import")

# Header words, matched on folded text (see `folded`). The country column's header must be one of these exactly
# (a title such as "Ölkələr üzrə xarici ticarət" must not be taken for it).
COUNTRY_HEADERS = frozenset(
    {
        "countries",
        "country",
        "partner countries",
        "countries and groups of countries",
        "ölkələr",
        "ölkə",
        "ölkələrin adı",
        "tərəfdaş ölkələr",
        "ölkələr və ölkə qrupları",
    }
)
# Words naming a flow in a column header, sheet name or title. Turnover and balance are derived (never stored)
# but checked against export and import.
FLOW_WORDS: dict[str, tuple[str, ...]] = {
    "export": ("export", "ixrac"),
    "import": ("import", "idxal"),
    "turnover": ("turnover", "dövriyyə"),
    "balance": ("balance", "saldo"),
}
# The header words of the stored flows -> (flow, valuation): the form of `SourceModule.FLOW_MAP`.
FLOW_MAP = {word: (flow, VALUATION[flow]) for flow in STORED_FLOWS for word in FLOW_WORDS[flow]}
SHARE_WORDS = ("share", "xüsusi çəki", "payı")
# Rows that introduce a list ("of which:") and name no partner; they must carry no figures.
HEADINGS = frozenset({"o cümlədən", "ondan", "including", "of which", "incl."})

# Cell conventions of the Statistical Committee (SOURCES.md 5): "-" not applicable and "..." missing give no row;
# "0.0" (negligible: less than half the last digit shown) is kept as the published number 0.0; "*" marks an
# estimate.
NOT_APPLICABLE = frozenset({"-", "–", "—"})
MISSING = frozenset({"...", "…", ".."})
ESTIMATE_MARK = "*"

_CURRENCY = re.compile(r"usd|dollar|dolları")
_SCALES: tuple[tuple[re.Pattern[str], float, str], ...] = (
    (re.compile(r"\b(billion|billions|milyard|mlrd)\b"), 1e9, "billion"),
    (re.compile(r"\b(million|millions|mln|milyon)\b"), 1e6, "million"),
    (re.compile(r"\b(thousand|thousands|thous|thsd|min)\b"), 1e3, "thousand"),
)
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
_YEAR_TEXT = re.compile(r"^(19\d\d|20\d\d)(\.0)?\s*\*?$")
# A number as text: thousands separated by commas or spaces with a decimal point, or a decimal comma
# ("1 234,5", "12,5"); "1,234" (three digits after the only comma) is read as thousands.
_POINT_NUMBER = re.compile(r"^\d{1,3}(?:[, \u00a0]\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_COMMA_NUMBER = re.compile(r"^\d{1,3}(?:[ \u00a0]\d{3})+,\d+$|^\d+,(?:\d{1,2}|\d{4,})$")
_FOOTNOTE_MARKS = re.compile(r"[\s*¹²³⁴⁵⁶⁷⁸⁹⁰]+$|\s*\d\)$")


def folded(text: str) -> str:
    """Text for matching: NFC, case-folded, the dot of a capital İ dropped, spaces collapsed."""
    text = unicodedata.normalize("NFC", text).casefold().replace("\u0307", "")
    return " ".join(text.replace("\u00a0", " ").split())


def address(row: int, column: int) -> str:
    return f"{column_letter(column)}{row + 1}"


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def flows_named(text: str) -> list[str]:
    """Every flow whose word occurs in `text` (folded), in FLOW_WORDS order."""
    words = folded(text)
    return [flow for flow, names in FLOW_WORDS.items() if any(name in words for name in names)]


@lru_cache(maxsize=8)
def _az_names(directory: Path) -> dict[str, str]:
    names: dict[str, str] = {}
    for file in ("names_az.csv", "names_az_en.csv"):
        table = pd.read_csv(directory / file, comment="#", dtype=str, keep_default_na=False)
        for name, code in zip(table["name"], table["code"], strict=True):
            names[folded(name)] = code.strip()
    return names


def partner_code(label: str, reference: Reference) -> str | None:
    """Code for a partner label: the Azerbaijani offices' names (data/reference/names_az*.csv), then ISO/IMF."""
    names = _az_names(reference.directory)
    return names.get(folded(label)) or reference.code_for(label)


def clean_label(value: Any) -> str:
    """A row label without footnote marks ("Rusiya¹", "Italy*", "Total 1)") and surrounding spaces."""
    return _FOOTNOTE_MARKS.sub("", str(value)).strip()


@dataclass(frozen=True)
class Column:
    """One column right of the country column, with its header texts (group cells spread over their span)."""

    index: int
    texts: tuple[str, ...]
    header_cell: str  # where its own (lowest non-empty) header text is

    @property
    def text(self) -> str:
        return " ".join(t for t in self.texts if t)

    @property
    def flows(self) -> list[str]:
        return flows_named(self.text)

    @property
    def years(self) -> list[int]:
        return sorted({int(y) for y in _YEAR.findall(self.text)})

    @property
    def is_percent(self) -> bool:
        return "%" in self.text or self.is_share

    @property
    def is_share(self) -> bool:
        words = folded(self.text)
        return any(word in words for word in SHARE_WORDS)


@dataclass
class Table:
    """Where a sheet's table is: header rows, country column, unit scale, title text and columns."""

    sheet: str
    cells: list[list[Any]]
    header_row: int
    last_header_row: int
    country_column: int
    scale: float | None  # US dollars per unit of the table's figures; None when no single unit line was found
    title: str  # every text above the header row, joined
    columns: list[Column] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    """What one value column holds: a flow (stored or derived) over a period, or shares (%) of a flow."""

    flow: str  # export, import, turnover, balance
    start: str  # YYYY-MM
    end: str
    share: bool = False


@dataclass(frozen=True)
class Figure:
    """One published number, in the table's unit, and where it was."""

    partner: str
    target: Target
    number: float
    decimals: int  # digits after the decimal point as published: the rounding of the figure
    status: str
    scale: float  # the sheet's unit in US dollars (1e3 for thousand USD)
    sheet: str
    row: int
    column: int

    @property
    def dollars(self) -> float:
        return self.number * self.scale


def sheets_of(path: Path, problems: list[Problem]) -> list[tuple[str, list[list[Any]]]]:
    """(sheet name, cells) of every sheet of an .xls or .xlsx workbook; a problem if it cannot be read.

    Read in a child process (etl/sources/isolated.py): a damaged .xls can crash the Excel reader itself."""
    read, error = workbook_sheets(path)
    if error is None and not read:
        error = "it has no sheets; the file is damaged"
    if error is not None:
        problems.append(Problem(path.name, f"not a readable Excel workbook ({error})"))
        return []
    sheets = []
    for name, cells in read:
        if isinstance(cells, str):
            problems.append(Problem(path.name, f"sheet cannot be read ({cells})", sheet=name))
            continue
        sheets.append((name, cells))
    return sheets


def _cell(cells: list[list[Any]], row: int, column: int) -> Any:
    if 0 <= row < len(cells) and 0 <= column < len(cells[row]):
        return cells[row][column]
    return None


def _text(value: Any) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _has_numbers(cells: list[list[Any]]) -> bool:
    return any(isinstance(v, int | float) and not isinstance(v, bool) for line in cells for v in line)


def locate(cells: list[list[Any]], *, file: str, sheet: str, problems: list[Problem]) -> Table | None:
    """The table of one sheet, or None with the reason in `problems`.

    A sheet with no country-column header and no number anywhere (a notes sheet) is skipped silently. Without
    one clear unit line the table is still returned, with `scale` None and the problem listed, so that the rest
    of the sheet is checked too; its figures must not be stored.
    """

    def problem(message: str, cell: str = "", value: Any = None) -> None:
        shown = "" if value is None else str(value)[:80]
        problems.append(Problem(file, message, sheet=sheet, cell=cell, value=shown))

    header_row = country_column = -1
    for r, line in enumerate(cells):
        for c, value in enumerate(line):
            if isinstance(value, str) and folded(clean_label(value).rstrip(":")) in COUNTRY_HEADERS:
                header_row, country_column = r, c
                break
        if header_row >= 0:
            break
    if header_row < 0:
        if _has_numbers(cells):
            problem(
                "no header row naming the country column (expected a cell reading one of "
                f"{', '.join(sorted(repr(h) for h in ('Countries', 'Ölkələr', 'Country', 'Ölkə')))})"
            )
        return None

    # Sub-header rows: the country cell empty (or merged from above) and every other filled cell a header word
    # or a year, never a figure.
    last_header_row = header_row
    while last_header_row + 1 < len(cells) and last_header_row - header_row < 2:
        line = cells[last_header_row + 1]
        if not is_blank(_cell(cells, last_header_row + 1, country_column)):
            break
        filled = [v for v in line[country_column + 1 :] if not is_blank(v)]
        if not filled or not all(_is_header_value(v) for v in filled):
            break
        last_header_row += 1

    title_lines = [
        " ".join(_text(v) for v in cells[r] if not is_blank(v)) for r in range(header_row) if r < len(cells)
    ]
    title = " ".join(t for t in title_lines if t)

    scales: dict[float, tuple[str, str]] = {}
    for r in range(last_header_row + 1):
        for c, value in enumerate(cells[r]):
            if isinstance(value, str) and _CURRENCY.search(folded(value)):
                scale = _scale_of(folded(value))
                scales.setdefault(scale, (address(r, c), value))
    if len(scales) > 1:
        shown = "; ".join(f"{cell}: {text!r}" for cell, text in scales.values())
        problem(f"conflicting unit lines ({shown})")
    elif not scales:
        problem(
            f"no unit line above the table (looked for US dollars, e.g. 'thousand USD' / 'min ABŞ dolları', "
            f"in rows 1-{last_header_row + 1}); the figures cannot be scaled without it"
        )

    width = max((len(cells[r]) for r in range(header_row, last_header_row + 1)), default=0)
    columns = []
    for c in range(country_column + 1, width):
        own_texts = [_text(_cell(cells, r, c)) for r in range(header_row, last_header_row + 1)]
        labelled = [i for i, text in enumerate(own_texts) if text]
        if not labelled:
            # A spacer: no header of its own, so no group header spreads over it either.
            columns.append(Column(index=c, texts=tuple(own_texts), header_cell=address(header_row, c)))
            continue
        texts = [
            # A group header merged over several columns sits in its first column only.
            text or (_spread(cells, header_row + i, c, start=country_column + 1) if i < labelled[-1] else "")
            for i, text in enumerate(own_texts)
        ]
        own = address(header_row + labelled[-1], c)
        columns.append(Column(index=c, texts=tuple(texts), header_cell=own))
    return Table(
        sheet=sheet,
        cells=cells,
        header_row=header_row,
        last_header_row=last_header_row,
        country_column=country_column,
        scale=next(iter(scales)) if len(scales) == 1 else None,
        title=title,
        columns=columns,
    )


def _spread(cells: list[list[Any]], row: int, column: int, *, start: int) -> str:
    """The group text over `column` in an upper header row: the nearest text to its left in that row."""
    for c in range(column - 1, start - 1, -1):
        text = _text(_cell(cells, row, c))
        if text:
            return text
    return ""


def _is_header_value(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return float(value).is_integer() and 1900 <= value <= 2100
    text = str(value).strip()
    return bool(text) and (_YEAR_TEXT.match(text) is not None or _parse_text_number(text) is None)


def _scale_of(words: str) -> float:
    for pattern, scale, _ in _SCALES:
        if pattern.search(words):
            return scale
    return 1.0


def _parse_text_number(text: str) -> tuple[float, int] | None:
    """(number, decimals) for a number written as text, or None."""
    text = text.strip()
    if _POINT_NUMBER.match(text):
        digits = text.replace(",", "").replace(" ", "").replace("\u00a0", "")
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        return float(digits), decimals
    if _COMMA_NUMBER.match(text):
        digits = text.replace(" ", "").replace("\u00a0", "").replace(",", ".")
        return float(digits), len(digits.split(".")[1])
    return None


def _decimals(number: float) -> int:
    text = repr(float(number))
    if "e" in text or "E" in text:
        return 9
    fraction = text.split(".")[1].rstrip("0") if "." in text else ""
    return len(fraction)


def cell_value(raw: Any) -> tuple[float | None, int, str, str]:
    """(number or None for no figure, decimals, status, error) of one value cell."""
    if isinstance(raw, bool):
        return None, 0, "", "a true/false cell where a number belongs"
    if isinstance(raw, int | float):
        number = float(raw)
        if number != number or number in (float("inf"), float("-inf")):
            return None, 0, "", "not a finite number"
        return number, _decimals(number), "reported", ""
    if not isinstance(raw, str):
        return None, 0, "", f"unexpected cell type {type(raw).__name__}"
    text = raw.strip()
    if text in NOT_APPLICABLE or text in MISSING:
        return None, 0, "", ""
    status = "reported"
    if text.startswith(ESTIMATE_MARK) or text.endswith(ESTIMATE_MARK):
        text = text.strip(ESTIMATE_MARK).strip()
        status = "estimated"
    negative = text.startswith(("-", "−"))
    parsed = _parse_text_number(text.lstrip("-−").strip() if negative else text)
    if parsed is None:
        return None, 0, "", "not a number"
    number, decimals = parsed
    return (-number if negative else number), decimals, status, ""


def read_figures(
    table: Table,
    targets: dict[int, Target],
    *,
    file: str,
    reference: Reference,
    problems: list[Problem],
) -> list[Figure]:
    """Every figure of the table's rows in the columns of `targets`; each bad cell or label is a problem.
    Without a unit (`table.scale` None) the figures are checked but come back empty.

    Rows run from below the header to the last row that has both a label and a filled value cell; what follows
    (notes, sources, legends) is ignored. Columns not in `targets` are ignored when the source interpreted them
    (`Column` in `table.columns`) but must be empty when they carry no header at all.
    """
    sheet = table.sheet
    cells = table.cells

    def problem(message: str, row: int, column: int, value: Any = None) -> None:
        shown = "" if value is None else _text(value)[:80]
        problems.append(Problem(file, message, sheet=sheet, cell=address(row, column), value=shown))

    headed = {column.index for column in table.columns if column.text}
    first = table.last_header_row + 1
    last = first - 1
    for r in range(first, len(cells)):
        label = _cell(cells, r, table.country_column)
        if not is_blank(label) and any(not is_blank(_cell(cells, r, c)) for c in headed):
            last = r
    figures: list[Figure] = []
    for r in range(first, last + 1):
        line = cells[r]
        filled = [c for c in range(table.country_column + 1, len(line)) if not is_blank(line[c])]
        for c in filled:
            if c not in headed:
                problem("value in a column without a header", r, c, line[c])
        label = _cell(cells, r, table.country_column)
        if is_blank(label):
            if any(c in headed for c in filled):
                problem("figures in a row without a country name", r, table.country_column)
            continue
        if not isinstance(label, str):
            problem("a country name should be text", r, table.country_column, label)
            continue
        name = clean_label(label)
        if folded(name.rstrip(":")) in HEADINGS:
            if filled:
                problem(f"heading {name!r} carries figures", r, filled[0], line[filled[0]])
            continue
        partner = partner_code(name, reference)
        if partner is None:
            problem(
                "unknown country or group name; add it with its ISO 3166 alpha-3 or group code to "
                "data/reference/names_az.csv (Azerbaijani) or names_az_en.csv (English)",
                r,
                table.country_column,
                name,
            )
            continue
        for c, target in targets.items():
            raw = _cell(cells, r, c)
            if is_blank(raw):
                continue
            number, decimals, status, error = cell_value(raw)
            if error:
                problem(error, r, c, raw)
                continue
            if number is None:
                continue
            if number < 0 and target.flow != "balance":
                problem(f"negative {target.flow} value: trade cannot be negative", r, c, raw)
                continue
            figures.append(
                Figure(
                    partner=partner,
                    target=target,
                    number=number,
                    decimals=decimals,
                    status=status,
                    scale=table.scale if table.scale is not None else float("nan"),
                    sheet=sheet,
                    row=r,
                    column=c,
                )
            )
    return figures if table.scale is not None else []


def _half_unit(figure: Figure) -> float:
    """Half the last published digit, in US dollars: how far rounding may have moved the figure."""
    return 0.5 * 10.0 ** (-figure.decimals) * figure.scale


def derived_problems(figures: Iterable[Figure], *, file: str) -> list[Problem]:
    """Turnover (export + import), balance (export - import) and shares (% of the total row) that disagree with
    the published export and import figures beyond the rounding of the figures involved.

    A missing export or import ("-" or "...") leaves its turnover and balance unchecked, as do shares when the
    table has no total row. Figures are compared in US dollars, so sheets may use different units.
    """
    problems: list[Problem] = []
    by_key: dict[tuple[str, str, str, str, bool], Figure] = {}
    for figure in figures:
        key = (
            figure.partner,
            figure.target.flow,
            figure.target.start,
            figure.target.end,
            figure.target.share,
        )
        by_key.setdefault(key, figure)

    def flagged(figure: Figure, message: str) -> None:
        problems.append(
            Problem(
                file,
                message,
                sheet=figure.sheet,
                cell=address(figure.row, figure.column),
                value=_shown(figure.number),
            )
        )

    derive: dict[str, Callable[[float, float], float]] = {
        "turnover": lambda e, i: e + i,
        "balance": lambda e, i: e - i,
    }
    for (partner, flow, start, end, share), figure in by_key.items():
        if share:
            base = by_key.get((partner, flow, start, end, False))
            total = by_key.get(("WLD", flow, start, end, False))
            if base is None or total is None or total.dollars == 0:
                continue
            expected = 100.0 * base.dollars / total.dollars
            # A share is a plain percentage (its scale is that of its sheet's unit line, so undo it).
            share_rounding = 0.5 * 10.0 ** (-figure.decimals)
            tolerance = share_rounding + 100.0 * (_half_unit(base) + _half_unit(total)) / total.dollars + 1e-9
            if abs(expected - figure.number) > tolerance:
                flagged(
                    figure,
                    f"share {_shown(figure.number)}% disagrees with {flow} "
                    f"{_shown(base.number)} / total {_shown(total.number)} = {expected:.4g}% "
                    f"(at {address(base.row, base.column)} and {address(total.row, total.column)})",
                )
            continue
        if flow not in derive:
            continue
        export = by_key.get((partner, "export", start, end, False))
        imported = by_key.get((partner, "import", start, end, False))
        if export is None or imported is None:
            continue
        expected = derive[flow](export.dollars, imported.dollars)
        tolerance = _half_unit(figure) + _half_unit(export) + _half_unit(imported)
        tolerance += 1e-9 * max(abs(figure.dollars), abs(expected), 1.0)
        if abs(expected - figure.dollars) > tolerance:
            sign = "+" if flow == "turnover" else "-"
            flagged(
                figure,
                f"{flow} {_shown(figure.number)} is not export {_shown(export.number)} {sign} import "
                f"{_shown(imported.number)} = {_shown(expected / figure.scale)} (export at {export.sheet}!"
                f"{address(export.row, export.column)}, import at {imported.sheet}!"
                f"{address(imported.row, imported.column)})",
            )
    return problems


def _shown(number: float) -> str:
    return f"{number:.10g}"


def tidy_rows(
    figures: Iterable[Figure],
    *,
    source: str,
    file: str,
    release: str,
) -> pd.DataFrame:
    """Tidy rows (plus `origin`) of the export and import figures, in full US dollars rounded to cents.

    Turnover, balance and shares are not stored (the query layer derives them).
    """
    stored = [f for f in figures if f.target.flow in STORED_FLOWS and not f.target.share]
    if not stored:
        return empty_rows()
    return pd.DataFrame(
        {
            schema.SOURCE: source,
            schema.REPORTER: REPORTER,
            schema.PARTNER: [f.partner for f in stored],
            schema.FLOW: [f.target.flow for f in stored],
            schema.PERIOD_START: [f.target.start for f in stored],
            schema.PERIOD_END: [f.target.end for f in stored],
            # Cents are the finest unit a dollar figure needs; rounding also removes float noise of the scaling.
            schema.VALUE_USD: [round(f.dollars, 2) for f in stored],
            schema.VALUATION: [VALUATION[f.target.flow] for f in stored],
            schema.STATUS: [f.status for f in stored],
            schema.RELEASE: release,
            schema.ORIGIN: [f"{file}!'{f.sheet}'!{address(f.row, f.column)}" for f in stored],
        },
        columns=list(RAW_COLUMNS),
    )


def headed_columns(
    table: Table,
    *,
    default_flow: str | None,
    no_flow: str,
    no_columns: str,
    file: str,
    problems: list[Problem],
) -> Iterator[tuple[Column, str, Callable[[str], None]]]:
    """Each headed figure column with its one flow and a function that reports a problem at its header.

    Growth-rate (%) columns are skipped; a header naming several flows, or none while the sheet gives no
    default, is a problem (`no_flow` says what was expected). A table with no headed column is the problem
    `no_columns`.
    """
    for column in table.columns:
        if not column.text or (column.is_percent and not column.is_share):
            continue

        def problem(message: str, column: Column = column) -> None:
            problems.append(
                Problem(file, message, sheet=table.sheet, cell=column.header_cell, value=column.text[:80])
            )

        flows = column.flows or ([default_flow] if default_flow else [])
        if len(flows) != 1:
            problem("column header names several flows" if flows else no_flow)
            continue
        yield column, flows[0], problem
    if not any(column.text for column in table.columns):
        problems.append(
            Problem(
                file,
                no_columns,
                sheet=table.sheet,
                cell=address(table.header_row, table.country_column),
            )
        )


def parse_workbook(
    path: Path,
    *,
    source: str,
    release: str,
    reference: Reference,
    targets: Callable[[Table, list[Problem]], dict[int, Target] | None],
) -> Parsed:
    """Every by-country table of one committee workbook as tidy rows (full US dollars), or the problems.

    The two committees' workbooks differ only in what a table's columns mean: `targets(table, problems)`
    says it (None: the table is skipped, its problem recorded). A workbook with sheets but no by-country
    table at all is a problem; so are derived figures that do not add up (`derived_problems`).
    """
    result = Parsed()
    problems = result.problems
    file = path.name
    figures: list[Figure] = []
    sheets = sheets_of(path, problems)
    found = 0
    for sheet, cells in sheets:
        table = locate(cells, file=file, sheet=sheet, problems=problems)
        if table is None:
            continue
        found += 1
        wanted = targets(table, problems)
        if wanted is None:
            continue
        figures.extend(read_figures(table, wanted, file=file, reference=reference, problems=problems))
    if sheets and not found and not problems:
        problems.append(
            Problem(file, "no sheet holds a by-country table (no 'Countries' / 'Ölkələr' header)")
        )
    problems.extend(derived_problems(figures, file=file))
    result.frames.append(tidy_rows(figures, source=source, file=file, release=release))
    return result
