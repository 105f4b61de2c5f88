"""UN Comtrade, current API (v1, "Comtrade Plus"): headline goods totals by reporter, partner and flow.

Layout and traps in SOURCES.md section 1. A reply is a JSON object `{"elapsedTime", "count", "data": [...],
"error"}` (pretty or compact); each record has 47 keys. Only records with `cmdCode` TOTAL, `partner2Code` 0,
`customsCode` C00 and `motCode` 0 are headline totals: every other record is a breakdown that would double-count,
so it is left out (counted in a note), never summed. `flowCode` X is an export (FOB), M an import (CIF); other
flows (re-exports RX, re-imports RM, ...) are not totals and are left out with a note. `refMonth` 52 marks annual
data (`period` "2019"), 1-12 a month (`period` "201907"). Codes are UN M49 numbers (World = 0): mapped to ISO
alpha-3 with `data/reference/comtrade_areas.csv` first (Comtrade codes that differ from ISO numeric, former
economies, unattributed areas), then pycountry's ISO numeric. Values are plain US dollars (not thousands).

`fetch` needs a key (`COMTRADE_API_KEY`, sent as the `Ocp-Apim-Subscription-Key` header, never in a URL, a log or
the manifest) and keeps to one request per 6 s, as the free tier requires.

(Over 400 lines: the parser, the request planner and the area-code resolution of one API, which change together.)
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pycountry

from etl import raw, schema
from etl.http import Client, FetchError, Policy
from etl.problems import Problem
from etl.reference import REFERENCE_DIR, Reference
from etl.sources import RAW_COLUMNS, Parsed, Progress, Selection, source_info

if TYPE_CHECKING:  # httpx is imported by etl.http when a request is made
    import httpx

INFO = source_info("comtrade")  # data/reference/sources.csv

# The release of replies a user saved by hand and gives with --input (fetched replies are named by their date).
DEFAULT_RELEASE = "saved"
# Saved replies; the release folder's manifest.json is skipped by `parse`.
FILE_PATTERNS = ("*.json",)
# Files are read one after the other (reading in worker processes was measured for the IMF workbooks only).
PARALLEL_PARSE = False
# Nothing to check across this source's published rows beyond validation.
published_warnings = None

BASE_URL = "https://comtradeapi.un.org"
URL_ENV = "TRADE_COMTRADE_URL"
KEY_ENV = "COMTRADE_API_KEY"
KEY_HEADER = "Ocp-Apim-Subscription-Key"
AREA_CODES_FILE = "comtrade_areas.csv"

KEY_ADVICE = (
    "Get a free key at https://comtradedeveloper.un.org (sign in, subscribe to the free 'comtrade - v1' product: "
    "500 calls a day, 100,000 records a call), then set it in the environment: export COMTRADE_API_KEY=<your key> "
    "(it is read only from the environment and never written to a log, URL or manifest)"
)
ADVICE = {
    401: f"The UN Comtrade API key is missing or invalid. {KEY_ADVICE}",
    403: "The key's daily quota (500 calls on the free tier) may be used up, or the key lacks this product; "
    "try again tomorrow or check the subscription at https://comtradedeveloper.un.org",
}
# Comtrade asks free-tier users for at most one request every 6 seconds (comtradr throttles the same way).
DEFAULT_POLICY = Policy(min_interval=6.0)
ROW_CAP = 100_000  # records per call on the free tier: a reply this long is probably cut
MAX_URL_LENGTH = 4095  # longer URLs are refused (comtradr aborts above this)
YEARS_PER_CALL = 5  # annual periods per request
MONTHS_PER_CALL = 12  # monthly periods per request: one year

# A record is a headline total only with these values (SOURCES.md 1.1); anything else is a breakdown.
TOTAL_DIMENSIONS: dict[str, str] = {
    "cmdCode": "TOTAL",
    "partner2Code": "0",
    "customsCode": "C00",
    "motCode": "0",
}
ANNUAL_REF_MONTH = 52
# flowCode -> (flow as the reporter declares it, the value field of its own valuation, that valuation).
FLOW_CODES: dict[str, tuple[str, str, str]] = {
    "X": ("export", "fobvalue", "FOB"),
    "M": ("import", "cifvalue", "CIF"),
}
FLOW_MAP = {code: (flow, valuation) for code, (flow, _, valuation) in FLOW_CODES.items()}
REQUIRED_FIELDS = ("reporterCode", "partnerCode", "flowCode", "period", *TOTAL_DIMENSIONS)
_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^\d{4}(0[1-9]|1[0-2])$")


# --- codes -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaCodes:
    """Comtrade's numeric reporter/partner codes <-> ISO alpha-3 (or group codes), as held in the data file."""

    by_code: Mapping[int, str]  # read: Comtrade code -> tidy code
    for_request: Mapping[str, int]  # ask: tidy code -> the Comtrade code the API expects

    def iso_for(self, code: int) -> str | None:
        """The tidy code for a Comtrade code: the data file first, then ISO 3166-1 numeric; None if unknown."""
        if code in self.by_code:
            return self.by_code[code]
        country = pycountry.countries.get(numeric=f"{code:03d}") if 0 <= code <= 999 else None
        return country.alpha_3 if country is not None else None

    def code_for(self, iso3: str) -> int | None:
        """The Comtrade code to ask for an economy given by ISO alpha-3 (or group code); None if unknown."""
        if iso3 in self.for_request:
            return self.for_request[iso3]
        country = pycountry.countries.get(alpha_3=iso3)
        return int(country.numeric) if country is not None else None


@lru_cache(maxsize=4)
def area_codes(directory: Path = REFERENCE_DIR) -> AreaCodes:
    """The code map of `directory/comtrade_areas.csv` (columns code, iso3, request, name, note)."""
    table = pd.read_csv(
        directory / AREA_CODES_FILE, comment="#", dtype=str, keep_default_na=False, skipinitialspace=True
    )
    by_code = {int(code): iso3.strip() for code, iso3 in zip(table["code"], table["iso3"], strict=True)}
    requested = table[table["request"].str.strip() == "yes"]
    for_request = {
        iso3.strip(): int(code) for code, iso3 in zip(requested["code"], requested["iso3"], strict=True)
    }
    return AreaCodes(by_code=by_code, for_request=for_request)


ISO_ALPHA3 = frozenset(c.alpha_3 for c in pycountry.countries)


def code_number(value: Any) -> int | None:
    """A numeric code given as a JSON number or as text ("31", "031"); None if it is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    # ASCII digits only: str.isdigit() also accepts '²' or '٣', which int() rejects or reads as another number.
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdecimal():
        return int(value.strip())
    return None


def resolve_area(
    codes: AreaCodes, value: Any, *, iso_given: Any, label: Any, role: str
) -> tuple[str | None, str]:
    """(tidy code, error) for a reporter or partner code; the record's own ISO field is cross-checked when both
    are ISO country codes, so a wrong line in the data file cannot pass unnoticed."""
    number = code_number(value)
    if number is None:
        return None, f"{role} code is not a number"
    code = codes.iso_for(number)
    if code is None:
        named = f" ({label!r})" if isinstance(label, str) and label else ""
        return None, (
            f"unknown {role} code {number}{named}; add it to data/reference/{AREA_CODES_FILE} with its ISO "
            "alpha-3 or group code"
        )
    if isinstance(iso_given, str) and iso_given in ISO_ALPHA3 and code in ISO_ALPHA3 and iso_given != code:
        return None, (
            f"{role} code {number} means {code} (data/reference/{AREA_CODES_FILE} or ISO numeric) but the record "
            f"says {iso_given!r}"
        )
    return code, ""


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def origin_base(path: Path) -> str:
    """Where a saved reply came from: its request URL (already redacted) from the raw manifest beside it, or
    the file name for a file given by hand."""
    manifest_path = path.parent / raw.MANIFEST
    if manifest_path.is_file() and path.name != raw.MANIFEST:
        try:
            entry = raw.read_manifest(path.parent)["files"].get(path.name)
        except (ValueError, AttributeError):
            entry = None
        if isinstance(entry, dict) and isinstance(entry.get("url"), str) and entry["url"]:
            return str(entry["url"])
    return path.name


def load_json(path: Path, result: Parsed) -> Any:
    """The JSON document in `path`, or None with a problem saying why it cannot be read."""
    try:
        text = path.read_bytes()
    except OSError as exc:
        result.problems.append(Problem(path.name, f"cannot be read ({exc.strerror or exc})"))
        return None
    try:
        return json.loads(text)
    except UnicodeDecodeError as exc:
        result.problems.append(Problem(path.name, f"not UTF-8 text, so not a JSON reply ({exc.reason})"))
    except json.JSONDecodeError as exc:
        result.problems.append(
            Problem(path.name, f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")
        )
    except RecursionError:
        result.problems.append(Problem(path.name, "not a usable JSON reply: nested too deeply to read"))
    return None


# --- parse -------------------------------------------------------------------------------------------------


def parse(path: Path, *, release: str, reference: Reference) -> Parsed:
    """Every headline total of one saved v1 reply as tidy rows, plus notes on the records left out.

    Rows: exports FOB (`fobvalue`, else `cifvalue` as CIF, else `primaryValue`), imports CIF (`cifvalue`, else
    `fobvalue` as FOB, else `primaryValue`), in plain US dollars; status `estimated` where `isReported` is false.
    Origin: the request URL (from the raw manifest, secrets redacted) or the file name, plus `#data[i]`.
    An error reply, a reply without `data` or one cut at the row cap gives a problem, not rows.
    """
    result = Parsed()
    if path.name == raw.MANIFEST:  # the release folder's own record of its files, not a reply
        return result
    body = load_json(path, result)
    if body is None and result.problems:
        return result
    if not isinstance(body, dict):
        result.problems.append(
            Problem(path.name, f"expected a JSON object with `data`, found {type(body).__name__}")
        )
        return result
    error = body.get("error")
    if error not in (None, ""):
        result.problems.append(
            Problem(
                path.name, "the reply reports an error instead of data", cell="error", value=str(error)[:200]
            )
        )
        return result
    if "data" not in body:
        keys = ", ".join(sorted(map(str, body))) or "none"
        result.problems.append(
            Problem(path.name, f"no `data` list in the reply (keys: {keys}); was it an error reply?")
        )
        return result
    records = body["data"]
    if not isinstance(records, list):
        result.problems.append(
            Problem(path.name, f"`data` should be a list, found {type(records).__name__}", cell="data")
        )
        return result
    count = body.get("count")
    if is_number(count) and count != len(records):
        result.problems.append(
            Problem(
                path.name,
                f"truncated reply: `count` says {count:,} records but `data` holds {len(records):,}; "
                "narrow the request (fewer periods per call)",
                cell="count",
            )
        )
    if len(records) >= ROW_CAP:
        result.problems.append(
            Problem(
                path.name,
                f"the reply holds {len(records):,} records, the API's cap per call, so it is probably cut; "
                "narrow the request (fewer periods per call)",
                cell="data",
            )
        )
    result.extend(
        _records(records, file=path.name, origin=origin_base(path), release=release, reference=reference)
    )
    return result


def _records(records: list[Any], *, file: str, origin: str, release: str, reference: Reference) -> Parsed:
    result = Parsed()
    codes = area_codes(reference.directory)
    rows: list[dict[str, Any]] = []
    breakdowns = 0
    other_flows: Counter[str] = Counter()

    def problem(index: int, message: str, *, field: str = "", value: Any = None) -> None:
        cell = f"data[{index}]" + (f".{field}" if field else "")
        result.problems.append(
            Problem(file, message, cell=cell, value="" if value is None else str(value)[:80])
        )

    for i, record in enumerate(records):
        if not isinstance(record, dict):
            problem(i, f"a record should be a JSON object, found {type(record).__name__}")
            continue
        missing = [f for f in REQUIRED_FIELDS if f not in record]
        if missing:
            problem(i, f"record lacks field(s) {', '.join(missing)}")
            continue
        if any(str(record[f]).strip() != total for f, total in TOTAL_DIMENSIONS.items()):
            breakdowns += 1
            continue
        flow_code = str(record["flowCode"]).strip()
        if flow_code not in FLOW_CODES:
            other_flows[flow_code] += 1
            continue
        flow, own_field, own_valuation = FLOW_CODES[flow_code]
        ok = True
        period, error = _period(record)
        if error:
            problem(i, error, field="period", value=record.get("period"))
            ok = False
        areas = {}
        for role, prefix in (("reporter", "reporter"), ("partner", "partner")):
            code, error = resolve_area(
                codes,
                record[f"{prefix}Code"],
                iso_given=record.get(f"{prefix}ISO"),
                label=record.get(f"{prefix}Desc"),
                role=role,
            )
            if error:
                problem(i, error, field=f"{prefix}Code", value=record[f"{prefix}Code"])
                ok = False
            areas[role] = code
        value, valuation, error, field = _value(record, own_field=own_field, own_valuation=own_valuation)
        if error:
            problem(i, error, field=field, value=record.get(field) if field else None)
            ok = False
        status, error = _status(record.get("isReported"))
        if error:
            problem(i, error, field="isReported", value=record.get("isReported"))
            ok = False
        if not ok:
            continue
        assert period is not None
        rows.append(
            {
                schema.SOURCE: INFO.source,
                schema.REPORTER: areas["reporter"],
                schema.PARTNER: areas["partner"],
                schema.FLOW: flow,
                schema.PERIOD_START: period[0],
                schema.PERIOD_END: period[1],
                schema.VALUE_USD: value,
                schema.VALUATION: valuation,
                schema.STATUS: status,
                schema.RELEASE: release,
                schema.ORIGIN: f"{origin}#data[{i}]",
            }
        )
    if rows:
        frame = pd.DataFrame(rows, columns=list(RAW_COLUMNS))
        result.frames.append(frame.astype({schema.VALUE_USD: "float64"}))
    if breakdowns:
        result.notes.append(
            f"{file}: {breakdowns:,} record(s) that are not headline totals (a commodity, second-partner, "
            "customs-procedure or transport breakdown) left out, never summed"
        )
    if other_flows:
        listed = ", ".join(f"{code or '(empty)'} x{n:,}" for code, n in sorted(other_flows.items()))
        result.notes.append(
            f"{file}: {sum(other_flows.values()):,} record(s) of other flows ({listed}) left out: re-exports, "
            "re-imports and other sub-flows are not export/import totals"
        )
    return result


def _period(record: dict[str, Any]) -> tuple[tuple[str, str] | None, str]:
    """((period_start, period_end), error) from `period` ("2019" or "201907"), checked against refYear/refMonth."""
    period = record.get("period")
    text = str(period).strip() if isinstance(period, str | int) and not isinstance(period, bool) else ""
    ref_month = record.get("refMonth")
    ref_year = record.get("refYear")
    if _YEAR.match(text):
        if ref_month is not None and ref_month != ANNUAL_REF_MONTH:
            return None, f"period {text} is a year but refMonth is {ref_month!r} (52 marks annual data)"
        span = (f"{text}-01", f"{text}-12")
    elif _MONTH.match(text):
        if ref_month is not None and ref_month != int(text[4:]):
            return None, f"period {text} is month {int(text[4:])} but refMonth is {ref_month!r}"
        span = (f"{text[:4]}-{text[4:]}",) * 2
    else:
        return None, "period should be a year (YYYY) or a month (YYYYMM)"
    if ref_year is not None and str(ref_year) != text[:4]:
        return None, f"period {text} disagrees with refYear {ref_year!r}"
    return (span[0], span[1]), ""


def _value(record: dict[str, Any], *, own_field: str, own_valuation: str) -> tuple[float, str, str, str]:
    """(value, valuation, error, field): the flow's own valuation first, then the other one as declared, then
    `primaryValue` (whichever the reporter supplied, taken as the flow's usual valuation)."""
    other_field, other_valuation = ("cifvalue", "CIF") if own_field == "fobvalue" else ("fobvalue", "FOB")
    for field, valuation in (
        (own_field, own_valuation),
        (other_field, other_valuation),
        ("primaryValue", own_valuation),
    ):
        value = record.get(field)
        if value is None:
            continue
        if not is_number(value):
            return 0.0, "", f"{field} is not a finite number", field
        return float(value), valuation, "", field
    return 0.0, "", f"no value: {own_field}, {other_field} and primaryValue are all empty", ""


def _status(value: Any) -> tuple[str, str]:
    if value is None or value is True or value in (1, "true", "True"):
        return "reported", ""
    if value is False or value in (0, "false", "False"):
        return "estimated", ""
    return "", "isReported should be true or false"


# --- fetch -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One call of the data endpoint: the file its reply is saved as, and its query parameters."""

    name: str
    url: str
    params: dict[str, str]


def planned_requests(selection: Selection, *, base: str, codes: AreaCodes) -> list[Request]:
    """The calls that cover `selection`: per frequency and period chunk, the reporters' own reports (every
    partner) and, with `selection.mirror`, every reporter's report of its trade with them."""
    reporter_codes = []
    for iso3 in selection.reporters:
        code = codes.code_for(iso3)
        if code is None:
            raise FetchError(
                INFO.source,
                "none",
                f"no UN Comtrade code for reporter {iso3!r}",
                f"Give an ISO 3166 alpha-3 code, or add the economy to data/reference/{AREA_CODES_FILE}",
            )
        reporter_codes.append(str(code))
    joined = ",".join(reporter_codes)
    who = "_".join(selection.reporters)
    requests = []
    for freq in selection.frequencies:
        if freq not in ("A", "M"):
            raise FetchError(INFO.source, "none", f"frequency {freq!r} is not A or M", "Use A or M")
        for periods in _period_chunks(freq, selection.first_year, selection.last_year):
            span = (
                periods[0][:4] if periods[0][:4] == periods[-1][:4] else f"{periods[0][:4]}-{periods[-1][:4]}"
            )
            sides = [("own", {"reporterCode": joined})]
            if selection.mirror:
                sides.append(("mirror", {"partnerCode": joined}))
            for side, who_params in sides:
                params = {
                    **who_params,
                    "period": ",".join(periods),
                    "cmdCode": "TOTAL",
                    "flowCode": "X,M",
                    "partner2Code": "0",
                    "customsCode": "C00",
                    "motCode": "0",
                    "includeDesc": "TRUE",
                }
                url = f"{base}/data/v1/get/C/{freq}/HS"
                import httpx

                full = str(httpx.URL(url, params=params))
                if len(full) >= MAX_URL_LENGTH:
                    raise FetchError(
                        INFO.source,
                        full[:200] + "…",
                        f"the request URL is {len(full):,} characters long, over the {MAX_URL_LENGTH:,} the API takes",
                        "Ask for fewer reporters at once",
                    )
                requests.append(
                    Request(name=f"comtrade-{freq}-{who}-{side}-{span}.json", url=url, params=params)
                )
    return requests


def _period_chunks(freq: str, first: int, last: int) -> list[list[str]]:
    years = [str(y) for y in range(first, last + 1)]
    if freq == "A":
        return [years[i : i + YEARS_PER_CALL] for i in range(0, len(years), YEARS_PER_CALL)]
    months = [f"{y}{m:02d}" for y in years for m in range(1, 13)]
    return [months[i : i + MONTHS_PER_CALL] for i in range(0, len(months), MONTHS_PER_CALL)]


def checked_reply(content: bytes, *, request: str) -> dict[str, Any]:
    """The decoded reply, or a `FetchError` when it is not JSON, reports an error, lacks `data` or is cut."""
    try:
        body = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise FetchError(
            INFO.source,
            request,
            f"the reply is not valid JSON ({exc})",
            "The service may be having trouble; try again later. Nothing was saved or published",
        ) from exc
    if not isinstance(body, dict):
        raise FetchError(
            INFO.source, request, "the reply is not a JSON object", "Nothing was saved or published"
        )
    if body.get("error") not in (None, ""):
        raise FetchError(
            INFO.source,
            request,
            f"the service reported an error: {str(body['error'])[:300]}",
            "Check the request; nothing was saved or published",
        )
    records = body.get("data")
    if not isinstance(records, list):
        keys = ", ".join(sorted(map(str, body))) or "none"
        raise FetchError(
            INFO.source,
            request,
            f"the reply has no `data` list (keys: {keys})",
            "Nothing was saved or published",
        )
    count = body.get("count")
    if (is_number(count) and count != len(records)) or len(records) >= ROW_CAP:
        raise FetchError(
            INFO.source,
            request,
            f"truncated reply: `count` says {count!r} records, `data` holds {len(records):,} "
            f"(the API returns at most {ROW_CAP:,} per call)",
            "Narrow the request (fewer periods or reporters per call); nothing was saved or published",
        )
    return body


def fetch(
    *,
    raw_dir: Path,
    release: str,
    selection: Selection,
    environ: Mapping[str, str],
    transport: httpx.BaseTransport | None = None,
    policy: Policy | None = None,
    progress: Progress | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> list[Path]:
    """Ask the v1 data endpoint for `selection` and save every reply untouched in `raw_dir/comtrade/<release>/`.

    Raises `FetchError` (and saves nothing) without a key, on HTTP errors after retries, and on replies that are
    not JSON, report an error, lack `data` or are truncated. `sleep`/`clock` are injected by tests.
    """
    key = environ.get(KEY_ENV, "").strip()
    if not key:
        raise FetchError(INFO.source, "none", f"no UN Comtrade API key: {KEY_ENV} is not set", KEY_ADVICE)
    base = (environ.get(URL_ENV) or BASE_URL).rstrip("/")
    requests = planned_requests(selection, base=base, codes=area_codes())
    info = {"licence": INFO.licence, "url": INFO.url, "title": INFO.title}
    with (
        Client(
            INFO.source,
            policy=policy or DEFAULT_POLICY,
            headers={KEY_HEADER: key},
            advice=ADVICE,
            transport=transport,
            sleep=sleep,
            clock=clock,
        ) as client,
        raw.download(raw_dir, source=INFO.source, release=release, info=info) as saved,
    ):
        for request in requests:
            reply = client.get(request.url, params=request.params)
            body = checked_reply(reply.content, request=reply.url)
            saved.save(
                request.name,
                reply.content,
                url=reply.url,
                status=reply.status,
                fetched_at=reply.fetched_at,
                records=len(body["data"]),
            )
            if progress is not None:
                progress(request.name)
    return [saved.final / p.name for p in saved.files]
