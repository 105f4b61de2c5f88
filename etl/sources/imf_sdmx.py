"""IMF International Trade in Goods by partner (IMTS, successor of DOTS) through the SDMX 3.0 data API.

Layout and traps in SOURCES.md 3.2. `fetch` asks dataflow `IMF.STA/IMTS` for keys
`{COUNTRY}.{INDICATOR}.{COUNTERPART_COUNTRY}.{FREQUENCY}`: the reporter's own report against every counterpart
(`AZE.XG_FOB_USD+MG_CIF_USD..A+M`) and, with `selection.mirror`, every economy's report of its trade with the
reporter (`.XG_FOB_USD+MG_CIF_USD.AZE.A+M`). Replies come as SDMX-CSV 2.0 (default) or SDMX-ML 3.0
StructureSpecificData; `parse` reads both.

The SCALE trap: series carry `SCALE="6"` (millions) but OBS_VALUE is already in plain US dollars — USA's exports
to the World in 2023 are 2019551635133 here, while the retired CompactData API gave 2019551.635133 with
UNIT_MULT 6 for the same figure. Multiplying again would inflate every value a million times, so SCALE is read
past, never applied.

Codes: COUNTRY / COUNTERPART_COUNTRY are ISO alpha-3 (checked against the reference areas; former economies
SUN, YUG, CSK, DDR, SCG, ANT as in former_economies.csv); IMF aggregates (`G001` World, `G998` EU, other `G…`,
`GX…`, `TX…`) are mapped by data/reference/imf_area_codes.csv, and an aggregate not listed there is a problem.

(Over 400 lines: two reply formats (SDMX-CSV and SDMX-ML) of one dataflow, read into the same rows, and its fetch.)
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pycountry
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import fromstring as xml_from_bytes

from etl import schema
from etl.http import Client, FetchError, Policy
from etl.problems import Problem
from etl.raw import download
from etl.reference import Reference
from etl.sources import RAW_COLUMNS, Parsed, Progress, Selection, source_info

if TYPE_CHECKING:  # httpx is imported by etl.http when a request is made
    import httpx

# An XML element as defusedxml returns it (the stdlib class; imported from nowhere else so that no parser
# here can reach the unsafe stdlib XML reader by accident).
Element = Any

INFO = source_info("imf_imts")  # data/reference/sources.csv

# Files given with --input carry no vintage of their own; this names them until the user gives --release.
DEFAULT_RELEASE = "manual"
FILE_PATTERNS = ("*.csv", "*.xml")
# Files are read one after the other (reading in worker processes was measured for the IMF workbooks only).
PARALLEL_PARSE = False
# Nothing to check across this source's published rows beyond validation.
published_warnings = None

BASE_URL = "https://api.imf.org/external/sdmx/3.0"
URL_ENV = "TRADE_IMF_SDMX_URL"  # tests point this at a server on 127.0.0.1
KEY_ENV = "IMF_API_KEY"  # optional; sent as a header, never in the URL, a log or the manifest
KEY_HEADER = "Ocp-Apim-Subscription-Key"
FORMAT_ENV = "TRADE_IMF_SDMX_FORMAT"  # csv (default) or xml
DATA_PATH = "data/dataflow/IMF.STA/IMTS/+"  # "+" = the latest version of the dataflow
# Reply formats by Accept header (SOURCES.md 3.2): name -> (Accept, saved file extension).
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("application/vnd.sdmx.data+csv;version=2.0.0", "csv"),
    "xml": ("application/xml", "xml"),
}
# The IMF documents no rate limit for this API; the old one allowed 10 requests per 5 s, so stay under that.
DEFAULT_POLICY = Policy(min_interval=0.5)
ADVICE = {
    401: f"The IMF API refused the key in {KEY_ENV}; check it, or unset it (IMTS is open without a key)",
    403: f"The IMF API refused access; check the key in {KEY_ENV} or try again later",
    404: "The IMF API found no series for this key; check the reporter codes and years of the selection",
}

# Indicator map held as data: INDICATOR -> (flow as the reporter declares it, valuation).
INDICATORS: dict[str, tuple[str, str]] = {
    "XG_FOB_USD": ("export", "FOB"),
    "MG_CIF_USD": ("import", "CIF"),
}
FLOW_MAP = INDICATORS
# Trade balance = exports - imports: a derived number, computed in the query layer only (DESIGN.md habit 6),
# so its series give no row. Listed so that it is skipped knowingly rather than reported as unknown.
SKIPPED_INDICATORS = frozenset({"TBG_USD"})
REQUESTED_INDICATORS = tuple(INDICATORS)

# Observation status (SDMX code list CL_OBS_STATUS) -> tidy status; absent means reported. IMTS was not seen
# sending it (SOURCES.md 3.2), so any other code is a problem rather than a guess.
OBS_STATUS: dict[str, str] = {"": "reported", "A": "reported", "E": "estimated", "P": "provisional"}

COUNTRY, INDICATOR, COUNTERPART, FREQUENCY = "COUNTRY", "INDICATOR", "COUNTERPART_COUNTRY", "FREQUENCY"
TIME_PERIOD, OBS_VALUE, STATUS_ATTRIBUTE, ACTION = "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "ACTION"
REQUIRED_FIELDS = (COUNTRY, INDICATOR, COUNTERPART, TIME_PERIOD, OBS_VALUE)
AREA_CODES_FILE = "imf_area_codes.csv"

# Missing observations: SDMX writes NaN, some exports leave the cell empty. No row, no problem.
MISSING_VALUES = frozenset({"", "nan", "na"})
# A plain decimal number (no thousands separators, no underscores, which float() would accept).
_NUMBER = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$")
# SDMX reporting periods: 2023, 2023-A1, 2023-S1, 2023-Q1, 2023-M01, and the ISO month 2023-01.
_PERIOD = re.compile(r"^(\d{4})(?:-(?:A1|(S)([12])|(Q)([1-4])|M?(\d{2})))?$")


# ---------------------------------------------------------------------------------------------------------------
# Shared with imf_compact_json: periods, numbers and IMF area codes.


@lru_cache(maxsize=8192)  # a reply repeats the same few hundred periods for every partner
def period_range(text: str) -> tuple[str, str, str] | None:
    """(period_start, period_end, frequency A/S/Q/M) for an SDMX period such as "2023", "2023-Q1", "2023-M01"
    or "2023-01"; None when the text is no period."""
    match = _PERIOD.match(text.strip())
    if match is None:
        return None
    year, semester, half, quarter, number, month = match.groups()
    if semester:
        first = 6 * (int(half) - 1) + 1
        return f"{year}-{first:02d}", f"{year}-{first + 5:02d}", "S"
    if quarter:
        first = 3 * (int(number) - 1) + 1
        return f"{year}-{first:02d}", f"{year}-{first + 2:02d}", "Q"
    if month is not None:
        if not 1 <= int(month) <= 12:
            return None
        return f"{year}-{month}", f"{year}-{month}", "M"
    return f"{year}-01", f"{year}-12", "A"


def number_or_problem(text: str) -> tuple[Decimal | None, str]:
    """(value, "") for a number, (None, "") for a missing value, (None, message) for anything else."""
    text = text.strip()
    if text.casefold() in MISSING_VALUES:
        return None, ""
    if not _NUMBER.match(text):
        return None, "not a number"
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        return None, "not a number"
    if not value.is_finite():
        return None, "not a finite number"
    return value, ""


def dollars(value: Decimal) -> float:
    """Full US dollars as a float, to the cent (exact decimal arithmetic, so reruns compare equal)."""
    if value.adjusted() >= 15:
        # A float holds no cents at this size, and rounding would need more digits than the decimal context has;
        # such a figure is absurd anyway and etl/validate.py reports it with its place.
        return float(value)
    return float(round(value, 2))


@dataclass
class AreaCodes:
    """IMF area code -> tidy code: ISO codes checked against the reference areas, IMF aggregates from
    data/reference/imf_area_codes.csv. `service` is "sdmx3" (alpha-3 codes) or "compact" (alpha-2 codes)."""

    reference: Reference
    service: str
    _cache: dict[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        table = pd.read_csv(
            self.reference.directory / AREA_CODES_FILE,
            comment="#",
            dtype=str,
            keep_default_na=False,
            skipinitialspace=True,
        )
        table = table[table["service"].str.strip() == self.service]
        self.mapped = dict(zip(table["imf_code"].str.strip(), table["code"].str.strip(), strict=True))
        areas = self.reference.areas()
        self.all_codes = frozenset(areas[schema.CODE])
        self.economies = frozenset(areas.loc[areas[schema.KIND].isin(("country", "historical")), schema.CODE])
        wrong = sorted(f"{k}->{v}" for k, v in self.mapped.items() if v not in self.all_codes)
        if wrong:
            raise ValueError(f"{AREA_CODES_FILE} maps to codes unknown in data/reference: {', '.join(wrong)}")

    def code(self, imf_code: str) -> str | None:
        if imf_code not in self._cache:
            self._cache[imf_code] = self._resolve(imf_code)
        return self._cache[imf_code]

    def _resolve(self, imf_code: str) -> str | None:
        if imf_code in self.mapped:
            return self.mapped[imf_code]
        if self.service == "compact":
            if len(imf_code) != 2 or not imf_code.isalpha() or not imf_code.isupper():
                return None
            country = pycountry.countries.get(alpha_2=imf_code)
            return None if country is None else str(country.alpha_3)
        return imf_code if imf_code in self.economies else None


@lru_cache(maxsize=8)
def area_codes(reference: Reference, service: str) -> AreaCodes:
    """The code table of one reference folder, built once per process (the areas table takes ~0.1 s)."""
    return AreaCodes(reference, service)


def is_imf_aggregate(imf_code: str) -> bool:
    """An IMF aggregate code (G001, G163, GX…, TX…): no ISO 3166 code has a digit or more than 3 letters.
    Only G001 (World) and G998 (EU) are documented (SOURCES.md 3.2), so the others cannot be named here."""
    return bool(re.fullmatch(r"(?:G\d{3}|GX\w+|TX\w+)", imf_code))


def unknown_area_message(field_name: str, count: int) -> str:
    times = f"in {count} observations, first here" if count > 1 else "in 1 observation"
    return (
        f"unknown IMF area code in {field_name} ({times}): not an ISO 3166 code known to data/reference nor "
        f"listed in data/reference/{AREA_CODES_FILE} (add an IMF aggregate there with its group code)"
    )


def status_or_problem(code: str) -> tuple[str, str]:
    if not code:
        return "reported", ""
    status = OBS_STATUS.get(code.strip().upper())
    if status is None:
        return (
            "",
            f"observation status not understood; expected one of {', '.join(c for c in OBS_STATUS if c)}",
        )
    return status, ""


# ---------------------------------------------------------------------------------------------------------------
# Rows


@dataclass
class Rows:
    """Tidy rows collected one observation at a time, and the problems met on the way."""

    file: str
    release: str
    source: str
    problems: list[Problem] = field(default_factory=list)
    columns: dict[str, list[object]] = field(default_factory=lambda: {c: [] for c in RAW_COLUMNS})
    # (field, IMF code) -> first place and count: an unknown aggregate is reported once per file, not per figure.
    unknown_places: dict[tuple[str, str], str] = field(default_factory=dict)
    unknown_counts: dict[tuple[str, str], int] = field(default_factory=dict)

    def unknown_area(self, field_name: str, imf_code: str, place: str) -> None:
        key = (field_name, imf_code)
        self.unknown_places.setdefault(key, place)
        self.unknown_counts[key] = self.unknown_counts.get(key, 0) + 1

    def problem(self, message: str, place: str = "", value: object = None) -> None:
        shown = "" if value is None else str(value)[:80]
        self.problems.append(Problem(self.file, message, cell=place, value=shown))

    def add(
        self,
        *,
        reporter: str,
        partner: str,
        flow: str,
        period: tuple[str, str],
        value: float,
        valuation: str,
        status: str,
        origin: str,
    ) -> None:
        columns = self.columns
        columns[schema.REPORTER].append(reporter)
        columns[schema.PARTNER].append(partner)
        columns[schema.FLOW].append(flow)
        columns[schema.PERIOD_START].append(period[0])
        columns[schema.PERIOD_END].append(period[1])
        columns[schema.VALUE_USD].append(value)
        columns[schema.VALUATION].append(valuation)
        columns[schema.STATUS].append(status)
        columns[schema.ORIGIN].append(origin)

    def parsed(self) -> Parsed:
        result = Parsed(problems=list(self.problems))
        skipped: dict[str, int] = {}
        for (field_name, imf_code), place in self.unknown_places.items():
            count = self.unknown_counts[(field_name, imf_code)]
            if is_imf_aggregate(imf_code):
                skipped[imf_code] = skipped.get(imf_code, 0) + count
                continue
            message = unknown_area_message(field_name, count)
            result.problems.append(Problem(self.file, message, cell=place, value=imf_code))
        if skipped:
            listed = ", ".join(f"{code} ({n})" for code, n in sorted(skipped.items()))
            result.notes.append(
                f"{self.file}: IMF aggregates not listed in data/reference/{AREA_CODES_FILE} were skipped "
                f"(aggregates are shown from their own rows, never summed; add a code there to keep it): {listed}"
            )
        if self.columns[schema.ORIGIN]:
            count = len(self.columns[schema.ORIGIN])
            columns = self.columns | {
                schema.SOURCE: [self.source] * count,
                schema.RELEASE: [self.release] * count,
            }
            frame = pd.DataFrame(columns, columns=list(RAW_COLUMNS))
            result.frames.append(frame.astype({schema.VALUE_USD: "float64"}))
        return result


@dataclass
class Observation:
    """The fields of one observation as the reply gives them (code columns or XML attributes)."""

    fields: Mapping[str, str]
    place: str  # where it is, for problems: "row 12" or "Series[3]/Obs[2]"


def add_observation(rows: Rows, observation: Observation, *, areas: AreaCodes) -> None:
    """One SDMX observation -> at most one tidy row; every defect becomes a problem at its place."""
    fields, place = observation.fields, observation.place
    missing = [name for name in REQUIRED_FIELDS if not fields.get(name, "").strip()]
    if OBS_VALUE in missing and len(missing) == 1:
        return  # an observation without a value is no figure
    if missing:
        rows.problem(f"missing {', '.join(missing)}", place)
        return
    action = fields.get(ACTION, "").strip().upper()
    if action == "D":
        rows.problem("a deletion (ACTION D) where figures belong; fetch again without history", place)
        return
    indicator = _code(fields[INDICATOR])
    if indicator in SKIPPED_INDICATORS:
        return
    if indicator not in INDICATORS:
        rows.problem(
            f"indicator not understood; expected {', '.join(INDICATORS)} (TBG_USD, the balance, is skipped)",
            place,
            indicator,
        )
        return
    flow, valuation = INDICATORS[indicator]
    value, error = number_or_problem(fields[OBS_VALUE])
    if error:
        rows.problem(f"{OBS_VALUE} {error}", place, fields[OBS_VALUE])
        return
    if value is None:
        return
    period_text = fields[TIME_PERIOD].strip()
    period = period_range(period_text)
    if period is None:
        rows.problem(f"{TIME_PERIOD} is not a period such as 2023, 2023-Q1 or 2023-M01", place, period_text)
        return
    frequency = _code(fields.get(FREQUENCY, ""))
    if frequency and frequency != period[2]:
        rows.problem(f"{TIME_PERIOD} does not match FREQUENCY {frequency}", place, period_text)
        return
    status, error = status_or_problem(fields.get(STATUS_ATTRIBUTE, ""))
    if error:
        rows.problem(error, place, fields.get(STATUS_ATTRIBUTE))
        return
    codes = []
    for name in (COUNTRY, COUNTERPART):
        imf_code = _code(fields[name])
        code = areas.code(imf_code)
        if code is None:
            rows.unknown_area(name, imf_code, place)
            return
        codes.append(code)
    reporter, partner = codes
    if value < 0 and reporter in areas.economies:
        rows.problem("negative value for a country's trade", place, fields[OBS_VALUE])
        return
    rows.add(
        reporter=reporter,
        partner=partner,
        flow=flow,
        period=(period[0], period[1]),
        value=dollars(value),  # already full dollars: SCALE is not applied (see the module docstring)
        valuation=valuation,
        status=status,
        origin=f"{rows.file}#{place}",
    )


def _code(text: str) -> str:
    """A code from a code column; SDMX-CSV with labels writes "AZE: Azerbaijan, Rep. of"."""
    if ": " in text:
        text = text.split(": ", 1)[0]
    return text.strip()


# ---------------------------------------------------------------------------------------------------------------
# parse


def parse(path: Path, *, release: str, reference: Reference) -> Parsed:
    """Every observation of one saved IMTS reply (SDMX-CSV or SDMX-ML StructureSpecificData) as tidy rows.

    Values are full US dollars as given (SCALE is not applied); missing values give no row; the balance
    indicator TBG_USD gives no row. Problems name the CSV row (header = row 1) or the XML Series/Obs.
    """
    rows = Rows(file=path.name, release=release, source=INFO.source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        rows.problem(f"cannot be read ({exc.strerror or exc})")
        return rows.parsed()
    areas = area_codes(reference, "sdmx3")
    if not data.strip():
        rows.problem("the file is empty: not an SDMX reply")
    elif data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        _parse_xml(data, rows=rows, areas=areas)
    else:
        _parse_csv(data, rows=rows, areas=areas)
    return rows.parsed()


def _parse_csv(data: bytes, *, rows: Rows, areas: AreaCodes) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        rows.problem(f"not UTF-8 text (bad byte at offset {exc.start}); not an SDMX-CSV reply")
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        # Headers with labels read "COUNTRY: Country"; only the id counts.
        names = [_code(name) for name in header]
        missing = [name for name in REQUIRED_FIELDS if name not in names]
        if missing:
            rows.problem(
                f"not an SDMX-CSV reply of IMTS: missing column(s) {', '.join(missing)}; "
                f"columns present: {', '.join(header) or 'none'}",
                "row 1",
            )
            return
        position = {name: i for i, name in enumerate(names)}
        for number, record in enumerate(reader, start=2):
            if not record or (len(record) == 1 and not record[0].strip()):
                continue
            if len(record) != len(header):
                rows.problem(
                    f"row has {len(record)} fields where the header has {len(header)} "
                    "(the file may be cut short)",
                    f"row {number}",
                )
                continue
            fields = {name: record[i] for name, i in position.items()}
            add_observation(rows, Observation(fields, f"row {number}"), areas=areas)
    except csv.Error as exc:
        rows.problem(f"not readable as CSV ({exc})", f"line {reader.line_num}")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attributes(element: Element) -> dict[str, str]:
    return {_local(k): v for k, v in element.attrib.items()}


def _parse_xml(data: bytes, *, rows: Rows, areas: AreaCodes) -> None:
    try:
        # No SDMX message has a DTD; refusing any DTD also refuses entity-expansion bombs and external entities.
        root = xml_from_bytes(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        rows.problem(
            "refused: the XML declares a document type or entities, which no SDMX reply does and which can "
            f"expand without limit (an 'XML bomb') ({type(exc).__name__})"
        )
        return
    except ParseError as exc:
        line, column = exc.position
        rows.problem(
            f"not well-formed XML (the file may be cut short): {exc}", f"line {line}, column {column}"
        )
        return
    kind = _local(root.tag)
    if kind == "Error":
        text = " ".join(t.strip() for t in root.itertext() if t.strip())
        rows.problem(f"the file is an SDMX error message, not data: {text[:200]}")
        return
    if kind != "StructureSpecificData":
        rows.problem(
            f"not an SDMX-ML StructureSpecificData message (root element {kind!r}); "
            "ask the API with Accept: application/xml"
        )
        return
    series_number = 0
    loose_number = 0
    for number, dataset in enumerate((e for e in root.iter() if _local(e.tag) == "DataSet"), start=1):
        dataset_fields = _attributes(dataset)
        if dataset_fields.get("action", "").strip().lower() == "delete":
            rows.problem(
                "a deletion data set (action=Delete) where figures belong; fetch again without history",
                f"DataSet[{number}]",
            )
            continue
        for child in dataset:
            name = _local(child.tag)
            if name == "Series":
                series_number += 1
                series_fields = dataset_fields | _attributes(child)
                obs_number = 0
                for obs in child:
                    if _local(obs.tag) != "Obs":
                        continue
                    obs_number += 1
                    fields = series_fields | _attributes(obs)
                    place = f"Series[{series_number}]/Obs[{obs_number}]"
                    add_observation(rows, Observation(fields, place), areas=areas)
            elif name == "Obs":  # dimensionAtObservation=AllDimensions: flat observations
                loose_number += 1
                fields = dataset_fields | _attributes(child)
                add_observation(rows, Observation(fields, f"Obs[{loose_number}]"), areas=areas)
            # Group elements carry INDICATOR-level attributes (UNIT, TRADE_FLOW, VALUATION): nothing to read.


# ---------------------------------------------------------------------------------------------------------------
# fetch


def series_keys(selection: Selection) -> list[tuple[str, str]]:
    """(file stem, SDMX key) for each request of a selection: own reports, then mirror reports."""
    indicators = "+".join(REQUESTED_INDICATORS)
    frequencies = "+".join(selection.frequencies)
    keys = [(f"imts_{r}_own", f"{r}.{indicators}..{frequencies}") for r in selection.reporters]
    if selection.mirror:
        keys += [(f"imts_{r}_mirror", f".{indicators}.{r}.{frequencies}") for r in selection.reporters]
    return keys


def query_parameters(selection: Selection) -> dict[str, str]:
    return {
        "c[TIME_PERIOD]": f"ge:{selection.first_year}-01-01+le:{selection.last_year}-12-31",
        "dimensionAtObservation": "TIME_PERIOD",
        "detail": "full",
        "includeHistory": "false",
    }


def _check_selection(selection: Selection) -> None:
    bad = [r for r in selection.reporters if not re.fullmatch(r"[A-Z]{3}", r)]
    problem = ""
    if not selection.reporters:
        problem = "no reporter selected"
    elif bad:
        problem = f"reporters must be ISO alpha-3 codes such as AZE, not {', '.join(map(repr, bad))}"
    elif not selection.frequencies or set(selection.frequencies) - {"A", "Q", "M"}:
        problem = f"frequencies must be among A, Q, M, not {selection.frequencies!r}"
    elif selection.first_year > selection.last_year:
        problem = f"first year {selection.first_year} is after last year {selection.last_year}"
    if problem:
        raise FetchError(INFO.source, "none", problem, "Correct the selection; nothing was fetched")


def fetch(
    *,
    raw_dir: Path,
    release: str,
    selection: Selection,
    environ: Mapping[str, str],
    transport: httpx.BaseTransport | None = None,
    policy: Policy | None = None,
    progress: Progress | None = None,
    reply_format: str | None = None,
) -> list[Path]:
    """Ask the IMF SDMX 3.0 API for the selection and save each reply untouched under
    `raw_dir/imf_imts/<release>/` (one file per request, with a manifest); nothing is kept unless every request
    succeeds. `reply_format` ("csv" or "xml"; default from TRADE_IMF_SDMX_FORMAT, else csv) picks the Accept
    header. Raises `FetchError` saying what failed and what to do."""
    _check_selection(selection)
    chosen = (reply_format or environ.get(FORMAT_ENV) or "csv").strip().lower()
    if chosen not in FORMATS:
        raise FetchError(
            INFO.source,
            "none",
            f"reply format {chosen!r} not known",
            f"Set {FORMAT_ENV} to one of {', '.join(FORMATS)}; nothing was fetched",
        )
    accept, extension = FORMATS[chosen]
    headers = {"Accept": accept}
    key = environ.get(KEY_ENV, "").strip()
    if key:
        headers[KEY_HEADER] = key
    base = environ.get(URL_ENV, BASE_URL).rstrip("/")
    params = query_parameters(selection)
    done: Callable[[str], None] = progress or (lambda _: None)
    info = {
        "title": INFO.title,
        "url": INFO.url,
        "licence": INFO.licence,
        "format": accept,
        "selection": _describe(selection),
    }
    with (
        Client(
            INFO.source, policy=policy or DEFAULT_POLICY, transport=transport, headers=headers, advice=ADVICE
        ) as client,
        download(raw_dir, source=INFO.source, release=release, info=info) as saved,
    ):
        for stem, series_key in series_keys(selection):
            reply = client.get(f"{base}/{DATA_PATH}/{series_key}", params=params)
            saved.save(
                f"{stem}.{extension}",
                reply.content,
                url=reply.url,
                status=reply.status,
                fetched_at=reply.fetched_at,
                content_type=reply.content_type,
                attempts=reply.attempts,
            )
            done(stem)
    return [saved.final / p.name for p in saved.files]


def _describe(selection: Selection) -> str:
    mirror = " and their partners' mirror reports" if selection.mirror else ""
    return (
        f"reporters {', '.join(selection.reporters)}{mirror}, {selection.first_year}-{selection.last_year}, "
        f"frequencies {'+'.join(selection.frequencies)}"
    )
