"""UN Comtrade, legacy API and legacy web download (retired): saved replies and CSV files still found in old work.

(About 400 lines: two layouts of one retired source, read into the same rows.)

Two layouts (SOURCES.md 2.1 and 2.2):
- JSON of `comtrade.un.org/api/get`: `{"validation": {...}, "dataset": [...]}`; `validation.count.value` larger
  than the dataset means the reply was cut (the guest limit) and is a problem, not a partial table.
- The 35-column "Get data" CSV, flow column headed `TradeFlow Code` (or `Trade Flow Code` in older
  documentation), value in `TradeValueUS`; every cell is read as text so codes keep their leading zeros.

Flows (`rgCode` / `TradeFlow Code`): 1 import, 2 export; 3 re-export and 4 re-import are kept apart: not stored as
export or import totals, only counted in a note. Only `cmdCode`/`Commodity Code` TOTAL rows (with no second-partner,
customs or transport breakdown) are totals. World is code 0 (ISO "WLD"); codes map to ISO alpha-3 as in
`etl.sources.comtrade` (data/reference/comtrade_areas.csv, then ISO numeric). Values are US dollars. The legacy
`estCode`/`Flag` marks estimated quantities and weights, not values, so every value is `reported`.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from etl import raw, schema
from etl.http import FetchError
from etl.problems import Problem
from etl.reference import Reference
from etl.sources import RAW_COLUMNS, Parsed, source_info
from etl.sources.comtrade import AreaCodes, area_codes, is_number, load_json, resolve_area

INFO = source_info("comtrade_legacy")  # data/reference/sources.csv

DEFAULT_RELEASE = "saved"
FILE_PATTERNS = ("*.json", "*.csv")
# Files are read one after the other (reading in worker processes was measured for the IMF workbooks only).
PARALLEL_PARSE = False
# Nothing to check across this source's published rows beyond validation.
published_warnings = None

# rgCode / TradeFlow Code -> (flow, its usual valuation); 3 and 4 are sub-flows kept out of the totals.
FLOW_CODES: dict[str, tuple[str, str]] = {"1": ("import", "CIF"), "2": ("export", "FOB")}
FLOW_MAP = FLOW_CODES
SUB_FLOWS: dict[str, str] = {"3": "re-export", "4": "re-import"}
TOTAL_COMMODITY = "TOTAL"

JSON_REQUIRED = ("rgCode", "rtCode", "ptCode", "period", "cmdCode", "TradeValue")
# CSV header names: the flow column has two spellings (the download's and older documentation's).
FLOW_COLUMNS = ("TradeFlow Code", "Trade Flow Code")
CSV_REQUIRED = ("Period", "Reporter Code", "Partner Code", "Commodity Code", "TradeValueUS")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


def fetch(**_: object) -> list[Path]:
    """The legacy API is retired: there is nothing to download."""
    raise FetchError(
        INFO.source,
        "none",
        "the legacy UN Comtrade API (comtrade.un.org/api/get) is retired; there is no live service",
        "Give saved legacy replies or 'Get data' CSV files with --input FILE..., or fetch the current API with "
        "--source comtrade",
    )


def parse(path: Path, *, release: str, reference: Reference) -> Parsed:
    """Every export/import total of one saved legacy JSON reply or legacy CSV download as tidy rows.

    Rows: imports CIF and exports FOB (unless the record's own CIF/FOB columns show the other valuation), in
    US dollars, status `reported`; origin `file#dataset[i]` (JSON) or `file#row N` (CSV, header = row 1).
    """
    result = Parsed()
    if path.name == raw.MANIFEST:  # the release folder's own record of its files, not a reply
        return result
    try:
        head = path.read_bytes()[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as exc:
        result.problems.append(Problem(path.name, f"cannot be read ({exc.strerror or exc})"))
        return result
    codes = area_codes(reference.directory)
    if path.suffix.lower() == ".json" or (path.suffix.lower() != ".csv" and head.startswith(b"{")):
        return _parse_json(path, release=release, codes=codes)
    return _parse_csv(path, release=release, codes=codes)


class _Rows:
    """Rows and notes collected while reading one file."""

    def __init__(self, file: str, release: str) -> None:
        self.file = file
        self.release = release
        self.result = Parsed()
        self.rows: list[dict[str, Any]] = []
        self.breakdowns = 0
        self.sub_flows: Counter[str] = Counter()

    def problem(self, place: str, message: str, *, value: Any = None) -> None:
        shown = "" if value is None else str(value)[:80]
        self.result.problems.append(Problem(self.file, message, cell=place, value=shown))

    def add(self, *, reporter: str, partner: str, flow: str, period: tuple[str, str], value: float,
            valuation: str, origin: str) -> None:  # fmt: skip
        self.rows.append(
            {
                schema.SOURCE: INFO.source,
                schema.REPORTER: reporter,
                schema.PARTNER: partner,
                schema.FLOW: flow,
                schema.PERIOD_START: period[0],
                schema.PERIOD_END: period[1],
                schema.VALUE_USD: value,
                schema.VALUATION: valuation,
                schema.STATUS: "reported",
                schema.RELEASE: self.release,
                schema.ORIGIN: origin,
            }
        )

    def parsed(self) -> Parsed:
        if self.rows:
            frame = pd.DataFrame(self.rows, columns=list(RAW_COLUMNS))
            self.result.frames.append(frame.astype({schema.VALUE_USD: "float64"}))
        if self.breakdowns:
            self.result.notes.append(
                f"{self.file}: {self.breakdowns:,} record(s) that are not headline totals (a commodity, "
                "second-partner, customs or transport breakdown) left out, never summed"
            )
        if self.sub_flows:
            listed = ", ".join(f"{SUB_FLOWS[code]} x{n:,}" for code, n in sorted(self.sub_flows.items()))
            self.result.notes.append(
                f"{self.file}: {sum(self.sub_flows.values()):,} record(s) of re-exports/re-imports ({listed}) kept "
                "apart: not stored as export or import totals"
            )
        return self.result


def _text(value: Any) -> str:
    """A code as text: JSON numbers without a decimal point, strings stripped (leading zeros kept)."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _period(text: str, year: str) -> tuple[tuple[str, str] | None, str]:
    """((start, end), error) for a legacy period: 2014 (a year) or 201401 (a month), checked against the year."""
    if re.fullmatch(r"\d{4}", text):
        span = (f"{text}-01", f"{text}-12")
    elif re.fullmatch(r"\d{4}(0[1-9]|1[0-2])", text):
        span = (f"{text[:4]}-{text[4:]}", f"{text[:4]}-{text[4:]}")
    else:
        return None, "period should be a year (YYYY) or a month (YYYYMM)"
    if year and year != text[:4]:
        return None, f"period {text} disagrees with the year {year}"
    return span, ""


def _valuation(flow_code: str, value: float, *, cif: Any, fob: Any) -> str:
    """The flow's usual valuation, unless the record's own columns show the value is the other one."""
    usual = FLOW_CODES[flow_code][1]
    cif_value, fob_value = _number(cif), _number(fob)
    if usual == "CIF" and cif_value is None and fob_value == value:
        return "FOB"
    if usual == "FOB" and fob_value is None and cif_value == value:
        return "CIF"
    return usual


def _number(value: Any) -> float | None:
    if is_number(value):
        return float(value)
    if isinstance(value, str) and _NUMBER.match(value.strip()):
        return float(value.strip())
    return None


def _placer(prefix: str) -> Callable[[str], str]:
    """Names a field of one record: `dataset[3].rtCode` or `row 5, column Reporter Code`."""
    return lambda field: f"{prefix}{field}"


# --- JSON ---------------------------------------------------------------------------------------------------


def _parse_json(path: Path, *, release: str, codes: AreaCodes) -> Parsed:
    collected = _Rows(path.name, release)
    body = load_json(path, collected.result)
    if body is None and collected.result.problems:
        return collected.result
    if not isinstance(body, dict) or "dataset" not in body:
        found = ", ".join(sorted(map(str, body))) if isinstance(body, dict) else type(body).__name__
        collected.problem(
            "", f"not a legacy Comtrade reply: expected `validation` and `dataset` (found {found})"
        )
        return collected.result
    dataset = body["dataset"]
    if not isinstance(dataset, list):
        collected.problem("dataset", f"`dataset` should be a list, found {type(dataset).__name__}")
        return collected.result
    validation = body.get("validation")
    if isinstance(validation, dict):
        status = validation.get("status")
        name = status.get("name") if isinstance(status, dict) else None
        if name not in (None, "Ok"):
            message = validation.get("message")
            collected.problem(
                "validation.status.name",
                f"the reply's status is {name!r}, not 'Ok'" + (f": {message}" if message else ""),
            )
        count = validation.get("count")
        count_value = count.get("value") if isinstance(count, dict) else None
        if isinstance(count_value, int | float) and is_number(count_value) and count_value > len(dataset):
            collected.problem(
                "validation.count.value",
                f"truncated reply: the service counted {count_value:,} records but `dataset` holds "
                f"{len(dataset):,}; ask again with a larger `max` or fewer periods",
            )
    for i, record in enumerate(dataset):
        place = f"dataset[{i}]"
        if not isinstance(record, dict):
            collected.problem(place, f"a record should be a JSON object, found {type(record).__name__}")
            continue
        missing = [f for f in JSON_REQUIRED if f not in record]
        if missing:
            collected.problem(place, f"record lacks field(s) {', '.join(missing)}")
            continue
        breakdown = (
            _text(record["cmdCode"]) != TOTAL_COMMODITY
            or _text(record.get("ptCode2")) not in ("", "0")
            or _text(record.get("cstCode")) not in ("", "C00")
            or _text(record.get("motCode")) not in ("", "0")
        )
        _row(
            collected,
            place=place,
            origin=f"{path.name}#{place}",
            breakdown=breakdown,
            flow_code=_text(record["rgCode"]),
            period_text=_text(record["period"]),
            year=_text(record.get("yr")),
            areas=(
                ("reporter", record["rtCode"], record.get("rt3ISO"), record.get("rtTitle"), "rtCode"),
                ("partner", record["ptCode"], record.get("pt3ISO"), record.get("ptTitle"), "ptCode"),
            ),
            value=record["TradeValue"],
            fields=("rgCode", "period", "TradeValue"),
            cif=record.get("CIFValue"),
            fob=record.get("FOBValue"),
            codes=codes,
            field_place=_placer(f"{place}."),
        )
    return collected.parsed()


def _row(
    collected: _Rows,
    *,
    place: str,
    origin: str,
    breakdown: bool,
    flow_code: str,
    period_text: str,
    year: str,
    areas: tuple[tuple[str, Any, Any, Any, str], ...],
    value: Any,
    fields: tuple[str, str, str],
    cif: Any,
    fob: Any,
    codes: AreaCodes,
    field_place: Callable[[str], str],
) -> None:
    """One record of either layout: a tidy row, a note count, or problems naming its fields (`fields`: the
    layout's names of the flow, period and value fields)."""
    flow_field, period_field, value_field = fields
    if breakdown:
        collected.breakdowns += 1
        return
    if flow_code in SUB_FLOWS:
        collected.sub_flows[flow_code] += 1
        return
    ok = True
    if flow_code not in FLOW_CODES:
        collected.problem(
            field_place(flow_field),
            "unknown trade flow code (1 import, 2 export, 3 re-export, 4 re-import)",
            value=flow_code,
        )
        ok = False
    period, error = _period(period_text, year)
    if error:
        collected.problem(field_place(period_field), error, value=period_text)
        ok = False
    found: dict[str, str] = {}
    for role, code_value, iso, label, field in areas:
        code, error = resolve_area(codes, code_value, iso_given=iso, label=label, role=role)
        if error:
            collected.problem(field_place(field), error, value=code_value)
            ok = False
        else:
            assert code is not None
            found[role] = code
    number = _number(value)
    if number is None:
        message = f"{value_field} is empty" if _text(value) == "" else f"{value_field} is not a number"
        collected.problem(field_place(value_field), message, value=value)
        ok = False
    if not ok:
        return
    assert period is not None and number is not None
    collected.add(
        reporter=found["reporter"],
        partner=found["partner"],
        flow=FLOW_CODES[flow_code][0],
        period=period,
        value=number,
        valuation=_valuation(flow_code, number, cif=cif, fob=fob),
        origin=origin,
    )


# --- CSV ----------------------------------------------------------------------------------------------------


def _parse_csv(path: Path, *, release: str, codes: AreaCodes) -> Parsed:
    collected = _Rows(path.name, release)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # older web downloads; only codes and numbers are used
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:  # e.g. a field longer than the csv module accepts: not this download's format
        collected.problem("", f"not a readable CSV file ({exc})")
        return collected.result
    if not lines or not any(cell.strip() for cell in lines[0]):
        collected.problem("row 1", "empty file: no header row")
        return collected.result
    header = [cell.strip() for cell in lines[0]]
    flow_column = next((c for c in FLOW_COLUMNS if c in header), None)
    missing = [c for c in CSV_REQUIRED if c not in header]
    if flow_column is None:
        missing.insert(0, " or ".join(repr(c) for c in FLOW_COLUMNS))
    if missing:
        collected.problem(
            "row 1",
            f"not a legacy Comtrade 'Get data' CSV: missing column(s) {', '.join(missing)}; "
            f"header is {', '.join(header[:12])}{'…' if len(header) > 12 else ''}",
        )
        return collected.result
    assert flow_column is not None
    index = {name: position for position, name in reversed(list(enumerate(header)))}

    for number, cells in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        place = f"row {number}"
        if len(cells) != len(header):
            collected.problem(place, f"the row has {len(cells)} fields where the header has {len(header)}")
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            return cells[index[name]].strip() if name in index else ""

        breakdown = (
            cell("Commodity Code") != TOTAL_COMMODITY
            or cell("2nd Partner Code") not in ("", "0")
            or cell("Customs Proc. Code") not in ("", "C00")
            or cell("Mode of Transport Code") not in ("", "0")
        )
        _row(
            collected,
            place=place,
            origin=f"{path.name}#{place}",
            breakdown=breakdown,
            flow_code=cell(flow_column),
            period_text=cell("Period"),
            year=cell("Year"),
            areas=(
                ("reporter", cell("Reporter Code"), cell("Reporter ISO"), cell("Reporter"), "Reporter Code"),
                ("partner", cell("Partner Code"), cell("Partner ISO"), cell("Partner"), "Partner Code"),
            ),
            value=cell("TradeValueUS"),
            fields=(flow_column, "Period", "TradeValueUS"),
            cif=cell("CIF TradeValue") or None,
            fob=cell("FOB Trade Value (US$)") or None,
            codes=codes,
            field_place=_placer(f"{place}, column "),
        )
    return collected.parsed()
