"""Saved replies of the IMF's retired CompactData JSON API (dataservices.imf.org, Direction of Trade, SOURCES.md 3.1).

Body: `CompactData.DataSet.Series`, each series with `@FREQ`, `@REF_AREA`, `@INDICATOR`, `@COUNTERPART_AREA`,
`@UNIT_MULT`, `@TIME_FORMAT` and `Obs` entries `{"@TIME_PERIOD": "2020", "@OBS_VALUE": "233754.7771"}`. Traps:
numbers are strings; a single series or a single observation comes as an object instead of a one-element list;
`@UNIT_MULT` "6" means millions, so values ARE multiplied by 10^6 here (unlike the SDMX 3.0 API, whose OBS_VALUE
is already in dollars: see imf_sdmx). Areas are IMF 2-letter codes: ISO alpha-2 (turned into alpha-3 with
pycountry) plus aggregates listed in data/reference/imf_area_codes.csv (`W00` World; `B0` EU, an inferred
mapping — see that file).

The service was retired in 2025: `fetch` cannot download anything; give saved replies with --input.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from etl import schema
from etl.http import FetchError
from etl.problems import Problem
from etl.raw import MANIFEST
from etl.reference import Reference
from etl.sources import Parsed, source_info
from etl.sources.imf_sdmx import (
    AreaCodes,
    Rows,
    area_codes,
    dollars,
    number_or_problem,
    period_range,
    status_or_problem,
)

INFO = source_info("imf_dots_api")  # data/reference/sources.csv

# Saved replies carry no vintage of their own; this names them until the user gives --release.
DEFAULT_RELEASE = "manual"
FILE_PATTERNS = ("*.json",)
# Files are read one after the other (reading in worker processes was measured for the IMF workbooks only).
PARALLEL_PARSE = False
# Nothing to check across this source's published rows beyond validation.
published_warnings = None

# Indicator map held as data: INDICATOR -> (flow as the reporter declares it, valuation).
INDICATORS: dict[str, tuple[str, str]] = {
    "TXG_FOB_USD": ("export", "FOB"),
    "TMG_CIF_USD": ("import", "CIF"),
    "TMG_FOB_USD": ("import", "FOB"),  # the old bulk file's "Imports, FOB" (code unverified, SOURCES.md 3.1)
}
FLOW_MAP = INDICATORS
# The balance (exports - imports) is derived in the query layer only (DESIGN.md habit 6): no row.
SKIPPED_INDICATORS = frozenset({"TBG_USD"})
# @TIME_FORMAT (ISO 8601 durations) -> SDMX frequency; @FREQ is used when the format is absent.
TIME_FORMATS = {"P1Y": "A", "P3M": "Q", "P1M": "M"}
FREQUENCIES = frozenset(TIME_FORMATS.values())
REQUIRED_SERIES_FIELDS = ("@REF_AREA", "@INDICATOR", "@COUNTERPART_AREA")
MAX_UNIT_MULT = 12  # 10^12 is the largest scale a dollar series could sensibly use


def fetch(**_: object) -> list[Path]:
    """The CompactData service was retired in 2025: there is nothing to download."""
    raise FetchError(
        INFO.source,
        "none",
        "the IMF CompactData JSON service (dataservices.imf.org) was retired in 2025; there is no live service",
        "Give saved replies with --input FILE..., or refresh the live IMF data with --source imf-sdmx",
    )


def _entries(node: Any, path: str) -> Iterator[tuple[str, Any]]:
    """(JSON path, item) for a list, or for a single object given where a one-element list belongs."""
    if node is None:
        return
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield f"{path}[{index}]", item
    else:
        yield path, node


def parse(path: Path, *, release: str, reference: Reference) -> Parsed:
    """Every observation of one saved CompactData reply as tidy rows, in full US dollars (value × 10^UNIT_MULT).

    A reply without series gives no rows; missing values give no row; the balance TBG_USD gives no row.
    Problems and origins name the JSON path, e.g. `CompactData.DataSet.Series[2].Obs[0]`.
    """
    rows = Rows(file=path.name, release=release, source=INFO.source)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        rows.problem(f"cannot be read ({exc.strerror or exc})")
        return rows.parsed()
    except UnicodeDecodeError as exc:
        rows.problem(f"not UTF-8 text (bad byte at offset {exc.start}); not a CompactData JSON reply")
        return rows.parsed()
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        rows.problem(
            f"not valid JSON (the file may be cut short): {exc.msg}", f"line {exc.lineno}, column {exc.colno}"
        )
        return rows.parsed()
    except RecursionError:
        rows.problem("not a CompactData reply: JSON nested too deeply")
        return rows.parsed()
    if path.name == MANIFEST and isinstance(body, dict) and "files" in body and "CompactData" not in body:
        # The raw folder's own manifest matches FILE_PATTERNS ("*.json") too: it lists the replies, it is none.
        return rows.parsed()
    compact = body.get("CompactData") if isinstance(body, dict) else None
    if not isinstance(compact, dict):
        keys = ", ".join(list(map(str, body))[:8]) if isinstance(body, dict) else type(body).__name__
        rows.problem(
            f"not a CompactData reply: no CompactData object at the top (found: {keys or 'nothing'})"
        )
        return rows.parsed()
    dataset = compact.get("DataSet")
    if dataset is None:
        return rows.parsed()  # the service's answer when no series matched
    if not isinstance(dataset, dict):
        rows.problem("CompactData.DataSet should be an object", "CompactData.DataSet")
        return rows.parsed()
    areas = area_codes(reference, "compact")
    for series_path, series in _entries(dataset.get("Series"), "CompactData.DataSet.Series"):
        _parse_series(series, path=series_path, rows=rows, areas=areas)
    return _without_two_import_valuations(rows.parsed(), file=path.name)


def _parse_series(series: Any, *, path: str, rows: Rows, areas: AreaCodes) -> None:
    if not isinstance(series, dict):
        rows.problem("a series should be an object", path)
        return
    fields = {k: series.get(k) for k in REQUIRED_SERIES_FIELDS}
    missing = [k for k, v in fields.items() if not isinstance(v, str) or not v.strip()]
    if missing:
        rows.problem(f"series without {', '.join(missing)}", path)
        return
    indicator = str(series["@INDICATOR"]).strip()
    if indicator in SKIPPED_INDICATORS:
        return
    if indicator not in INDICATORS:
        rows.problem(
            f"indicator not understood; expected {', '.join(INDICATORS)} (TBG_USD, the balance, is skipped)",
            f"{path}.@INDICATOR",
            indicator,
        )
        return
    flow, valuation = INDICATORS[indicator]
    multiplier = series.get("@UNIT_MULT")
    scale_text = str(multiplier).strip() if isinstance(multiplier, str | int) else ""
    # ASCII digits only: str.isdigit() also accepts '²', which int() rejects.
    if not (scale_text.isascii() and scale_text.isdecimal()) or int(scale_text) > MAX_UNIT_MULT:
        rows.problem(
            '@UNIT_MULT should be a power of ten such as "6" (millions)', f"{path}.@UNIT_MULT", multiplier
        )
        return
    scale = int(scale_text)
    time_format = series.get("@TIME_FORMAT")
    frequency = TIME_FORMATS.get(str(time_format).strip()) if time_format is not None else None
    if time_format is None:
        frequency = str(series.get("@FREQ", "")).strip() or None  # checked against each period below
        if frequency is not None and frequency not in FREQUENCIES:
            rows.problem("@FREQ should be A, Q or M", f"{path}.@FREQ", frequency)
            return
    elif frequency is None:
        rows.problem(
            f"@TIME_FORMAT not understood; expected one of {', '.join(TIME_FORMATS)}",
            f"{path}.@TIME_FORMAT",
            time_format,
        )
        return
    codes = []
    for name in ("@REF_AREA", "@COUNTERPART_AREA"):
        imf_code = str(series[name]).strip()
        code = areas.code(imf_code)
        if code is None:
            rows.unknown_area(name, imf_code, f"{path}.{name}")
            return
        codes.append(code)
    reporter, partner = codes
    for obs_path, obs in _entries(series.get("Obs"), f"{path}.Obs"):
        if not isinstance(obs, dict):
            rows.problem("an observation should be an object", obs_path)
            continue
        raw_value = obs.get("@OBS_VALUE")
        if raw_value is None:
            continue  # no value, no figure
        if isinstance(raw_value, bool) or not isinstance(raw_value, str | int | float):
            rows.problem("@OBS_VALUE should be a number written as text", obs_path, raw_value)
            continue
        value, error = number_or_problem(str(raw_value))
        if error:
            rows.problem(f"@OBS_VALUE {error}", obs_path, raw_value)
            continue
        if value is None:
            continue
        period_text = str(obs.get("@TIME_PERIOD", "")).strip()
        period = period_range(period_text)
        if period is None:
            rows.problem(
                "@TIME_PERIOD is not a period such as 2020, 2020-01 or 2020-Q1", obs_path, period_text
            )
            continue
        if frequency is not None and period[2] != frequency:
            rows.problem(
                f"@TIME_PERIOD does not match the series frequency {frequency}"
                f"{f' ({time_format})' if time_format else ''}",
                obs_path,
                period_text,
            )
            continue
        status, error = status_or_problem(str(obs.get("@OBS_STATUS", "")))
        if error:
            rows.problem(error, obs_path, obs.get("@OBS_STATUS"))
            continue
        if value < 0 and reporter in areas.economies:
            rows.problem("negative value for a country's trade", obs_path, raw_value)
            continue
        rows.add(
            reporter=reporter,
            partner=partner,
            flow=flow,
            period=(period[0], period[1]),
            value=dollars(value.scaleb(scale)),
            valuation=valuation,
            status=status,
            origin=f"{rows.file}#{obs_path}",
        )


def _without_two_import_valuations(parsed: Parsed, *, file: str) -> Parsed:
    """Imports given both CIF (TMG_CIF_USD) and FOB (TMG_FOB_USD) for the same period cannot both be kept: the
    tidy key has no valuation. Neither is preferred silently: both are reported and left out."""
    frame = parsed.frame()
    if frame.empty:
        return parsed
    keys = [schema.REPORTER, schema.PARTNER, schema.FLOW, schema.PERIOD_START, schema.PERIOD_END]
    valuations = frame.groupby(keys)[schema.VALUATION].transform("nunique")
    clash = valuations > 1
    if not clash.any():
        return parsed
    for _, group in frame[clash].groupby(keys, sort=True):
        first, *others = list(group[schema.ORIGIN])
        parsed.problems.append(
            Problem(
                file,
                "imports given both CIF (TMG_CIF_USD) and FOB (TMG_FOB_USD) for the same partner and period; the "
                "tidy table keeps one valuation per figure, so give replies with only one of them "
                f"(also at {', '.join(o.split('#', 1)[1] for o in others)})",
                cell=first.split("#", 1)[1],
            )
        )
    return Parsed(frames=[frame[~clash].reset_index(drop=True)], problems=parsed.problems)
