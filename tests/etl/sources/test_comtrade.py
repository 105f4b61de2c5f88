"""UN Comtrade v1: the parser on replies written here in the exact layout (47-key records, pretty and compact
JSON), and `fetch` against a real HTTP server on 127.0.0.1 replaying recorded-format replies and faults."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import raw, store
from etl.http import FetchError, Policy
from etl.problems import Problem
from etl.reference import Reference
from etl.refresh.orchestration import refresh
from etl.settings import Settings
from etl.sources import Selection, comtrade
from etl.validate import problems_in
from tests.etl.replay_server import Reply, Seen, serving
from tests.helpers import etl_environment, run_etl

REFERENCE = Reference()
KEY = "0123456789abcdef0123456789abcdef"
TINY = Policy(connect_timeout=2.0, read_timeout=0.3, attempts=2, backoff_base=0.01, backoff_cap=5.0)

# The 47 keys of a v1 data record, in the API's order (SOURCES.md 1.2).
RECORD_KEYS = [
    "typeCode",
    "freqCode",
    "refPeriodId",
    "refYear",
    "refMonth",
    "period",
    "reporterCode",
    "reporterISO",
    "reporterDesc",
    "flowCode",
    "flowDesc",
    "partnerCode",
    "partnerISO",
    "partnerDesc",
    "partner2Code",
    "partner2ISO",
    "partner2Desc",
    "classificationCode",
    "classificationSearchCode",
    "isOriginalClassification",
    "cmdCode",
    "cmdDesc",
    "aggrLevel",
    "isLeaf",
    "customsCode",
    "customsDesc",
    "mosCode",
    "motCode",
    "motDesc",
    "qtyUnitCode",
    "qtyUnitAbbr",
    "qty",
    "isQtyEstimated",
    "altQtyUnitCode",
    "altQtyUnitAbbr",
    "altQty",
    "isAltQtyEstimated",
    "netWgt",
    "isNetWgtEstimated",
    "grossWgt",
    "isGrossWgtEstimated",
    "cifvalue",
    "fobvalue",
    "primaryValue",
    "legacyEstimationFlag",
    "isReported",
    "isAggregate",
]
AREAS = {
    0: ("W00", "World"),
    31: ("AZE", "Azerbaijan"),
    380: ("ITA", "Italy"),
    792: ("TUR", "Türkiye"),
    842: ("USA", "USA"),
    490: ("S19", "Other Asia, nes"),
    276: ("DEU", "Germany"),
    123: ("X99", "Nowhere"),
}


def record(
    *,
    reporter: int = 31,
    partner: int = 380,
    flow: str = "X",
    period: str = "2019",
    value: float | None = 1000.0,
    **changes: Any,
) -> dict[str, Any]:
    """One record exactly as the v1 API writes it, a headline total unless `changes` say otherwise."""
    monthly = len(period) == 6
    export = flow in ("X", "RX", "DX")
    fields: dict[str, Any] = {
        "typeCode": "C",
        "freqCode": "M" if monthly else "A",
        "refPeriodId": int(f"{period}01" if monthly else f"{period}0101") if period.isdigit() else 0,
        "refYear": int(period[:4]),
        "refMonth": int(period[4:]) if monthly else 52,
        "period": period,
        "reporterCode": reporter,
        "reporterISO": AREAS[reporter][0],
        "reporterDesc": AREAS[reporter][1],
        "flowCode": flow,
        "flowDesc": {"X": "Export", "M": "Import", "RX": "Re-export", "RM": "Re-import"}[flow],
        "partnerCode": partner,
        "partnerISO": AREAS[partner][0],
        "partnerDesc": AREAS[partner][1],
        "partner2Code": 0,
        "partner2ISO": "W00",
        "partner2Desc": "World",
        "classificationCode": "H5",
        "classificationSearchCode": "HS",
        "isOriginalClassification": True,
        "cmdCode": "TOTAL",
        "cmdDesc": "All Commodities",
        "aggrLevel": 0,
        "isLeaf": False,
        "customsCode": "C00",
        "customsDesc": "TOTAL CPC",
        "mosCode": "0",
        "motCode": 0,
        "motDesc": "TOTAL MOT",
        "qtyUnitCode": -1,
        "qtyUnitAbbr": "N/A",
        "qty": None,
        "isQtyEstimated": False,
        "altQtyUnitCode": -1,
        "altQtyUnitAbbr": "N/A",
        "altQty": None,
        "isAltQtyEstimated": False,
        "netWgt": None,
        "isNetWgtEstimated": False,
        "grossWgt": None,
        "isGrossWgtEstimated": False,
        "cifvalue": None if export else value,
        "fobvalue": value if export else None,
        "primaryValue": value,
        "legacyEstimationFlag": 0,
        "isReported": True,
        "isAggregate": True,
    }
    assert list(fields) == RECORD_KEYS and len(fields) == 47
    fields.update(changes)
    return fields


def reply(records: list[dict[str, Any]], *, count: int | None = None, pretty: bool = False) -> bytes:
    body = {
        "elapsedTime": "0.21 secs",
        "count": len(records) if count is None else count,
        "data": records,
        "error": "",
    }
    if pretty:
        return json.dumps(body, indent=2, ensure_ascii=False).encode()
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


GOOD_RECORDS = [
    record(partner=380, flow="X", value=5_638_646_600.123),  # 0: Italy, exports FOB
    record(partner=380, flow="M", value=371_814_400.5),  # 1: Italy, imports CIF
    record(partner=0, flow="X", value=19_635_748_600.0),  # 2: World is partner 0 / W00
    record(partner=792, flow="M", value=1_250_000.0, isReported=False),  # 3: estimated by UNSD
    record(partner=842, flow="X", value=7_000.0),  # 4: USA's Comtrade code 842
    record(partner=490, flow="X", value=12.25),  # 5: Other Asia, nes
    record(partner=276, flow="M", value=None, fobvalue=900.0, primaryValue=900.0),  # 6: imports declared FOB
    record(partner=380, flow="X", value=None, primaryValue=55.0),  # 7: only primaryValue
    record(partner=380, flow="X", period="201907", value=410_000_000.0),  # 8: a month
    record(partner=380, flow="X", cmdCode="27", value=5e9),  # 9: a chapter, not the total
    record(partner=380, flow="X", motCode=2100),  # 10: by sea only
    record(partner=380, flow="X", partner2Code=276, partner2ISO="DEU"),  # 11: a second-partner breakdown
    record(partner=380, flow="M", customsCode="C01"),  # 12: one customs procedure
    record(partner=380, flow="RX", value=3.0),  # 13: re-export
    record(partner=380, flow="RM", value=4.0),  # 14: re-import
    record(partner=0, flow="RX", value=5.0),  # 15: re-export
    record(reporter=792, partner=31, flow="M", value=411_000_000.0),  # 16: a mirror row: Türkiye reports
]
EXPECTED = [
    # reporter, partner, flow, start, end, value, valuation, status, record index
    ("AZE", "ITA", "export", "2019-01", "2019-12", 5_638_646_600.123, "FOB", "reported", 0),
    ("AZE", "ITA", "import", "2019-01", "2019-12", 371_814_400.5, "CIF", "reported", 1),
    ("AZE", "WLD", "export", "2019-01", "2019-12", 19_635_748_600.0, "FOB", "reported", 2),
    ("AZE", "TUR", "import", "2019-01", "2019-12", 1_250_000.0, "CIF", "estimated", 3),
    ("AZE", "USA", "export", "2019-01", "2019-12", 7_000.0, "FOB", "reported", 4),
    ("AZE", "XUA", "export", "2019-01", "2019-12", 12.25, "FOB", "reported", 5),
    ("AZE", "DEU", "import", "2019-01", "2019-12", 900.0, "FOB", "reported", 6),
    ("AZE", "ITA", "export", "2019-01", "2019-12", 55.0, "FOB", "reported", 7),
    ("AZE", "ITA", "export", "2019-07", "2019-07", 410_000_000.0, "FOB", "reported", 8),
    ("TUR", "AZE", "import", "2019-01", "2019-12", 411_000_000.0, "CIF", "reported", 16),
]
COLUMNS = ["reporter", "partner", "flow", "period_start", "period_end", "value_usd", "valuation", "status"]


def rows(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in frame[[*COLUMNS, "origin"]].itertuples(index=False)]


def expected_rows(origin: str, expected: list[tuple[Any, ...]] = EXPECTED) -> list[tuple[Any, ...]]:
    return [(*e[:8], f"{origin}#data[{e[8]}]") for e in expected]


def parse(path: Path) -> comtrade.Parsed:
    return comtrade.parse(path, release="2026-11-26", reference=REFERENCE)


@pytest.mark.parametrize("pretty", [True, False], ids=["pretty", "compact"])
def test_headline_totals_become_exact_tidy_rows(tmp_path: Path, pretty: bool) -> None:
    path = tmp_path / "aze-2019.json"
    path.write_bytes(reply(GOOD_RECORDS, pretty=pretty))
    parsed = parse(path)
    assert parsed.problems == []
    frame = parsed.frame()
    # A record with a duplicate key would be a problem: records 7 and 0 share one (both ITA exports 2019) ...
    assert rows(frame) == expected_rows("aze-2019.json")
    assert set(frame["source"]) == {"comtrade"}
    assert set(frame["release"]) == {"2026-11-26"}
    assert frame["value_usd"].dtype == "float64"
    assert parsed.notes == [
        "aze-2019.json: 4 record(s) that are not headline totals (a commodity, second-partner, customs-procedure "
        "or transport breakdown) left out, never summed",
        "aze-2019.json: 3 record(s) of other flows (RM x1, RX x2) left out: re-exports, re-imports and other "
        "sub-flows are not export/import totals",
    ]
    # ... which validation (what the refresh runs) reports, naming both records; nothing else is wrong.
    found = problems_in(frame, areas=REFERENCE.areas())
    assert [p.message for p in found] == [
        "duplicate key comtrade/AZE/ITA/export/2019-01/2019-12: also at aze-2019.json#data[7]"
    ]
    assert problems_in(frame.drop(index=7), areas=REFERENCE.areas()) == []


def test_pretty_and_compact_replies_give_identical_rows(tmp_path: Path) -> None:
    (tmp_path / "pretty.json").write_bytes(reply(GOOD_RECORDS[::-1], pretty=True))  # order is not stable
    (tmp_path / "compact.json").write_bytes(reply(GOOD_RECORDS))
    pretty = parse(tmp_path / "pretty.json").frame().drop(columns="origin")
    compact = parse(tmp_path / "compact.json").frame().drop(columns="origin")
    order = COLUMNS
    pd.testing.assert_frame_equal(
        pretty.sort_values(order).reset_index(drop=True), compact.sort_values(order).reset_index(drop=True)
    )


def test_origin_is_the_redacted_request_url_from_the_raw_manifest(tmp_path: Path) -> None:
    url = "http://127.0.0.1:1/data/v1/get/C/A/HS?reporterCode=31&period=2019&cmdCode=TOTAL"
    with raw.download(tmp_path, source="comtrade", release="2026-11-26", info={}) as saved:
        saved.save(
            "comtrade-A.json",
            reply(GOOD_RECORDS[:2]),
            url=url,
            status=200,
            fetched_at="2026-11-26T12:00:00+00:00",
        )
    parsed = parse(tmp_path / "comtrade" / "2026-11-26" / "comtrade-A.json")
    assert list(parsed.frame()["origin"]) == [f"{url}#data[0]", f"{url}#data[1]"]
    # The folder's manifest is no reply: it gives no rows and no problem.
    manifest = parse(tmp_path / "comtrade" / "2026-11-26" / "manifest.json")
    assert (manifest.frames, manifest.problems) == ([], [])


def test_an_empty_answer_gives_no_rows_and_no_problem(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text('{"elapsedTime":"0.1 secs","count":0,"data":[],"error":""}')
    parsed = parse(path)
    assert (len(parsed.frame()), parsed.problems, parsed.notes) == (0, [], [])


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            '{"count": 1, "data": [}',
            Problem("bad.json", "not valid JSON: Expecting value at line 1, column 23"),
        ),
        (
            b'{"data": ["\xff"]}',
            Problem("bad.json", "not UTF-8 text, so not a JSON reply (invalid start byte)"),
        ),
        ('[{"count": 0}]', Problem("bad.json", "expected a JSON object with `data`, found list")),
        (
            '{"elapsedTime":"0.02 secs","count":0,"data":[],"error":"Invalid period: 2019-01"}',
            Problem(
                "bad.json",
                "the reply reports an error instead of data",
                cell="error",
                value="Invalid period: 2019-01",
            ),
        ),
        (
            '{ "statusCode": 401, "message": "Access denied due to missing subscription key. Make sure to include '
            'subscription key when making requests to an API." }',
            Problem(
                "bad.json", "no `data` list in the reply (keys: message, statusCode); was it an error reply?"
            ),
        ),
        (
            '{"count": 3, "data": {"a": 1}, "error": ""}',
            Problem("bad.json", "`data` should be a list, found dict", cell="data"),
        ),
    ],
    ids=["malformed", "not-utf8", "list", "error", "401-body", "data-not-list"],
)
def test_broken_replies_give_exact_problems(tmp_path: Path, content: str | bytes, problem: Problem) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    parsed = parse(path)
    assert (parsed.problems, parsed.frames) == ([problem], [])


def test_a_reply_cut_at_the_row_limit_is_a_problem_naming_the_counts(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_bytes(reply(GOOD_RECORDS[:2], count=100_000))
    parsed = parse(path)
    assert parsed.problems == [
        Problem(
            "cut.json",
            "truncated reply: `count` says 100,000 records but `data` holds 2; narrow the request (fewer periods "
            "per call)",
            cell="count",
        )
    ]


def test_bad_records_give_problems_naming_the_record_and_field(tmp_path: Path) -> None:
    records = [
        record(partner=123),  # 0: a code that is neither in the data file nor ISO numeric
        record(period="2019-07"),  # 1
        record(period="2019", refMonth=7),  # 2
        record(period="201907", refMonth=8),  # 3
        record(value=None, fobvalue="12", primaryValue="12"),  # 4
        record(isReported="maybe"),  # 5
        record(
            reporter=31, reporterCode=381, reporterISO="FRA"
        ),  # 6: 381 is Italy (legacy), the record says France
        {k: v for k, v in record().items() if k != "motCode"},  # 7
        "not a record",  # 8
        record(value=None),  # 9
        record(period="2019", refYear=2018),  # 10
    ]
    path = tmp_path / "bad.json"
    path.write_bytes(reply(records))
    parsed = parse(path)
    assert parsed.frames == []
    assert parsed.problems == [
        Problem(
            "bad.json",
            "unknown partner code 123 ('Nowhere'); add it to data/reference/comtrade_areas.csv with its ISO "
            "alpha-3 or group code",
            cell="data[0].partnerCode",
            value="123",
        ),
        Problem(
            "bad.json",
            "period should be a year (YYYY) or a month (YYYYMM)",
            cell="data[1].period",
            value="2019-07",
        ),
        Problem(
            "bad.json",
            "period 2019 is a year but refMonth is 7 (52 marks annual data)",
            cell="data[2].period",
            value="2019",
        ),
        Problem(
            "bad.json", "period 201907 is month 7 but refMonth is 8", cell="data[3].period", value="201907"
        ),
        Problem("bad.json", "fobvalue is not a finite number", cell="data[4].fobvalue", value="12"),
        Problem("bad.json", "isReported should be true or false", cell="data[5].isReported", value="maybe"),
        Problem(
            "bad.json",
            "reporter code 381 means ITA (data/reference/comtrade_areas.csv or ISO numeric) but the record says 'FRA'",
            cell="data[6].reporterCode",
            value="381",
        ),
        Problem("bad.json", "record lacks field(s) motCode", cell="data[7]"),
        Problem("bad.json", "a record should be a JSON object, found str", cell="data[8]"),
        Problem("bad.json", "no value: fobvalue, cifvalue and primaryValue are all empty", cell="data[9]"),
        Problem("bad.json", "period 2019 disagrees with refYear 2018", cell="data[10].period", value="2019"),
    ]


def test_the_code_map_knows_comtrades_own_codes_and_asks_with_them() -> None:
    codes = comtrade.area_codes()
    assert [codes.iso_for(c) for c in (0, 31, 380, 381, 842, 840, 699, 757, 251, 579, 97, 810, 899, 490)] == [
        "WLD", "AZE", "ITA", "ITA", "USA", "USA", "IND", "CHE", "FRA", "NOR", "EUU", "SUN", "XNS", "XUA",
    ]  # fmt: skip
    assert codes.iso_for(123) is None
    assert [codes.code_for(c) for c in ("AZE", "ITA", "USA", "IND", "CHE", "FRA", "NOR", "WLD")] == [
        31, 380, 842, 699, 757, 251, 579, 0,
    ]  # fmt: skip
    # Every code of the map is one the store knows.
    known = set(REFERENCE.areas()["code"])
    assert set(codes.by_code.values()) <= known


# --- the command line ----------------------------------------------------------------------------------------


def test_cli_parse_writes_the_tidy_table_and_a_broken_file_gives_one_paragraph(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_bytes(reply([r for i, r in enumerate(GOOD_RECORDS) if i != 7], pretty=True))
    out = tmp_path / "out.csv"
    env = etl_environment(tmp_path)
    env.pop("COMTRADE_API_KEY", None)
    done = run_etl("parse", "--source", "comtrade", "--output", str(out), str(good), env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(out, dtype={"value_usd": "float64"}, keep_default_na=False)
    assert len(table) == 9
    italy = table[(table["partner"] == "ITA") & (table["period_start"] == "2019-01")]
    assert list(italy["value_usd"]) == [5_638_646_600.123, 371_814_400.5]
    assert list(italy["origin"]) == ["good.json#data[0]", "good.json#data[1]"]

    broken = tmp_path / "broken.json"
    broken.write_bytes(reply(GOOD_RECORDS[:2], count=5))
    done = run_etl("parse", "--source", "comtrade", "--output", str(out), str(broken), env=env, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "1 problem(s) in the input; nothing was published" in done.stderr
    assert "broken.json, count: truncated reply: `count` says 5 records but `data` holds 2" in " ".join(
        done.stderr.split()
    )


# --- fetch ---------------------------------------------------------------------------------------------------

SELECTION = Selection(
    reporters=("AZE",), mirror=True, first_year=2019, last_year=2019, frequencies=("A", "M")
)


def environ(url: str, key: str | None = KEY) -> dict[str, str]:
    env = {comtrade.URL_ENV: url}
    if key is not None:
        env[comtrade.KEY_ENV] = key
    return env


def saved_files(raw_dir: Path) -> list[Path]:
    return sorted(p for p in raw_dir.rglob("*") if p.is_file())


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_fetch_without_a_key_says_how_to_get_and_set_one_before_any_request(tmp_path: Path) -> None:
    with serving([]) as server, pytest.raises(FetchError) as caught:
        comtrade.fetch(
            raw_dir=tmp_path, release="2026-11-26", selection=SELECTION, environ=environ(server.url, None)
        )
    message = str(caught.value)
    assert message.startswith(
        "comtrade: no UN Comtrade API key: COMTRADE_API_KEY is not set (request: none). "
    )
    assert "https://comtradedeveloper.un.org" in message
    assert "500 calls a day" in message
    assert "export COMTRADE_API_KEY=<your key>" in message
    assert server.requests == []
    assert saved_files(tmp_path) == []


def replies_by_request(seen: Seen) -> Reply:
    """Recorded-format replies: the request's own report or its mirror, annual or monthly."""
    if "partnerCode" in seen.query:  # the mirror: every reporter's trade with Azerbaijan
        period = seen.query["period"].split(",")[0]
        return Reply(
            body=reply([record(reporter=792, partner=31, flow="M", period=period, value=411_000_000.0)])
        )
    period = seen.query["period"].split(",")[0]
    return Reply(body=reply([record(partner=380, flow="X", period=period, value=5e9)], pretty=True))


def test_fetch_asks_exactly_and_saves_every_reply_untouched(tmp_path: Path) -> None:
    fake = FakeTime()
    progress: list[str] = []
    with serving(replies_by_request) as server:
        files = comtrade.fetch(
            raw_dir=tmp_path,
            release="2026-11-26",
            selection=SELECTION,
            environ=environ(server.url),
            progress=progress.append,
            sleep=fake.sleep,
            clock=fake.clock,
        )
    # One request per 6 s with the default policy: the fake clock moved only by these waits.
    assert fake.sleeps == [6.0, 6.0, 6.0]
    months = "%2C".join(f"2019{m:02d}" for m in range(1, 13))
    common = "cmdCode=TOTAL&flowCode=X%2CM&partner2Code=0&customsCode=C00&motCode=0&includeDesc=TRUE"
    assert [(r.path, r.raw_query) for r in server.requests] == [
        ("/data/v1/get/C/A/HS", f"reporterCode=31&period=2019&{common}"),
        ("/data/v1/get/C/A/HS", f"partnerCode=31&period=2019&{common}"),
        ("/data/v1/get/C/M/HS", f"reporterCode=31&period={months}&{common}"),
        ("/data/v1/get/C/M/HS", f"partnerCode=31&period={months}&{common}"),
    ]
    assert {r.headers["ocp-apim-subscription-key"] for r in server.requests} == {KEY}
    names = [
        "comtrade-A-AZE-own-2019.json",
        "comtrade-A-AZE-mirror-2019.json",
        "comtrade-M-AZE-own-2019.json",
        "comtrade-M-AZE-mirror-2019.json",
    ]
    folder = tmp_path / "comtrade" / "2026-11-26"
    assert files == [folder / n for n in names]
    assert progress == names
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["files"]["comtrade-A-AZE-own-2019.json"]["url"] == (
        f"{server.url}/data/v1/get/C/A/HS?reporterCode=31&period=2019&{common}"
    )
    assert manifest["files"]["comtrade-A-AZE-own-2019.json"]["records"] == 1
    # The key is in no file written, and no staging folder is left.
    assert all(KEY not in p.read_text() for p in saved_files(tmp_path))
    assert sorted(p.name for p in (tmp_path / "comtrade").iterdir()) == ["2026-11-26"]
    # Each file is the reply as served; parsing it gives the rows with the request as origin.
    assert (folder / names[0]).read_bytes() == replies_by_request(server.requests[0]).body
    frame = pd.concat([parse(f).frame() for f in files], ignore_index=True)
    assert rows(frame) == [
        ("AZE", "ITA", "export", "2019-01", "2019-12", 5e9, "FOB", "reported",
         f"{server.url}/data/v1/get/C/A/HS?reporterCode=31&period=2019&{common}#data[0]"),
        ("TUR", "AZE", "import", "2019-01", "2019-12", 411e6, "CIF", "reported",
         f"{server.url}/data/v1/get/C/A/HS?partnerCode=31&period=2019&{common}#data[0]"),
        ("AZE", "ITA", "export", "2019-01", "2019-01", 5e9, "FOB", "reported",
         f"{server.url}/data/v1/get/C/M/HS?reporterCode=31&period={months}&{common}#data[0]"),
        ("TUR", "AZE", "import", "2019-01", "2019-01", 411e6, "CIF", "reported",
         f"{server.url}/data/v1/get/C/M/HS?partnerCode=31&period={months}&{common}#data[0]"),
    ]  # fmt: skip


def test_planned_requests_cover_the_years_in_chunks_with_short_urls() -> None:
    selection = Selection(reporters=("AZE",), mirror=True, first_year=2000, last_year=2025)
    requests = comtrade.planned_requests(selection, base=comtrade.BASE_URL, codes=comtrade.area_codes())
    annual = [r for r in requests if "/C/A/" in r.url]
    monthly = [r for r in requests if "/C/M/" in r.url]
    assert len(annual) == 2 * 6 and len(monthly) == 2 * 26  # 5 years or 12 months a call; own and mirror
    assert [r.params["period"] for r in annual[::2]] == [
        "2000,2001,2002,2003,2004", "2005,2006,2007,2008,2009", "2010,2011,2012,2013,2014",
        "2015,2016,2017,2018,2019", "2020,2021,2022,2023,2024", "2025",
    ]  # fmt: skip
    assert annual[0].name == "comtrade-A-AZE-own-2000-2004.json"
    assert monthly[-1].name == "comtrade-M-AZE-mirror-2025.json"
    assert {len(r.params["period"].split(",")) for r in monthly} == {12}
    assert max(len(r.url) + len("&".join(f"{k}={v}" for k, v in r.params.items())) for r in requests) < 4095


def test_an_unknown_reporter_fails_before_any_request(tmp_path: Path) -> None:
    with serving([]) as server, pytest.raises(FetchError, match="no UN Comtrade code for reporter 'XXX'"):
        comtrade.fetch(
            raw_dir=tmp_path,
            release="r",
            selection=Selection(reporters=("XXX",)),
            environ=environ(server.url),
            policy=TINY,
        )
    assert server.requests == []


UNAUTHORIZED = Reply(
    status=401,
    body=b'{ "statusCode": 401, "message": "Access denied due to invalid subscription key. Make sure to provide a '
    b'valid key for an active subscription." }',
    headers={
        "Content-Type": "application/json",
        "WWW-Authenticate": 'AzureApiManagementKey realm="https://comtradeapi.un.org/data",name="Ocp-Apim-'
        'Subscription-Key",type="header"',
    },
)
GOOD = Reply(body=reply([record()]))


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        pytest.param(
            [UNAUTHORIZED],
            'the service answered HTTP 401: { "statusCode": 401, "message": "Access denied due to invalid '
            "subscription key.",
            id="401",
        ),
        pytest.param(
            [Reply(body=reply([record()], count=100_000))],
            "truncated reply: `count` says 100000",
            id="capped",
        ),
        pytest.param(
            [Reply(body=b'{"count":1,"data":[{"period":')], "the reply is not valid JSON", id="malformed-json"
        ),
        pytest.param(
            [Reply(body=b'{"count":1,"data":[]}', declared_length=5000)] * 2,
            "gave up after 2 attempts: the reply was cut short or garbled (RemoteProtocolError",
            id="truncated-body",
        ),
        pytest.param(
            [Reply(body=b"{}", delay=1.0)] * 2,
            "gave up after 2 attempts: no reply within the time limit (ReadTimeout)",
            id="slow",
        ),
        pytest.param(
            [Reply(status=503, body=b"Service Unavailable")] * 2,
            "gave up after 2 attempts: the service answered HTTP 503: Service Unavailable",
            id="503",
        ),
        pytest.param(
            [Reply(body=b'{"elapsedTime":"0.01 secs","count":0,"error":"Invalid reporterCode"}')],
            "the service reported an error: Invalid reporterCode",
            id="error-field",
        ),
        pytest.param(
            [GOOD, Reply(status=400, body=b"bad period")], "HTTP 400: bad period", id="second-request-fails"
        ),
    ],
)
def test_a_failed_fetch_raises_a_clear_error_and_commits_nothing(
    tmp_path: Path, script: list[Reply], expected: str
) -> None:
    selection = Selection(
        reporters=("AZE",), mirror=True, first_year=2019, last_year=2019, frequencies=("A",)
    )
    with serving(list(script)) as server, pytest.raises(FetchError) as caught:
        comtrade.fetch(
            raw_dir=tmp_path,
            release="2026-11-26",
            selection=selection,
            environ=environ(server.url),
            policy=TINY,
        )
    assert expected in str(caught.value)
    assert f"(request: {server.url}/data/v1/get/C/A/HS?" in str(caught.value)
    assert KEY not in str(caught.value)
    assert saved_files(tmp_path) == []
    assert not (tmp_path / "comtrade" / "2026-11-26").exists()


def test_401_says_the_key_is_missing_or_invalid_and_how_to_fix_it(tmp_path: Path) -> None:
    with serving([UNAUTHORIZED]) as server, pytest.raises(FetchError) as caught:
        comtrade.fetch(
            raw_dir=tmp_path, release="r", selection=SELECTION, environ=environ(server.url), policy=TINY
        )
    assert caught.value.status == 401
    assert caught.value.advice.startswith("The UN Comtrade API key is missing or invalid. Get a free key at ")
    assert "export COMTRADE_API_KEY=<your key>" in caught.value.advice
    assert len(server.requests) == 1  # a bad key is not retried


def test_429_with_retry_after_then_success_is_saved(tmp_path: Path) -> None:
    fake = FakeTime()
    busy = Reply(status=429, body=b'{"statusCode":429,"message":"Rate limit is exceeded. Try again in 2 seconds."}',
                 headers={"Retry-After": "2"})  # fmt: skip
    selection = Selection(
        reporters=("AZE",), mirror=False, first_year=2019, last_year=2019, frequencies=("A",)
    )
    with serving([busy, GOOD]) as server:
        files = comtrade.fetch(
            raw_dir=tmp_path,
            release="r",
            selection=selection,
            environ=environ(server.url),
            policy=TINY,
            sleep=fake.sleep,
            clock=fake.clock,
        )
    assert fake.sleeps == [2.0]
    assert [f.read_bytes() for f in files] == [GOOD.body]


# --- robustness: whatever a reply holds, parse answers with rows, problems or notes, never an exception ---------

ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**13),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["TOTAL", "C00", "X", "M", "RX", "0", "2019", "201907", "W00", "ITA", "", "31"]),
    st.text(max_size=6),
    st.lists(st.integers(), max_size=2),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.dictionaries(st.sampled_from(RECORD_KEYS), ANY_VALUE, max_size=6), max_size=5))
def test_every_record_ends_as_a_row_a_problem_or_a_note(
    tmp_path: Path, changes: list[dict[str, Any]]
) -> None:
    records = [{**record(), **c} for c in changes]
    path = tmp_path / "any.json"
    path.write_bytes(reply(records))
    parsed = parse(path)
    with_problems = {p.cell.split(".")[0] for p in parsed.problems}
    left_out = sum(int(re.search(r": ([\d,]+) record", n).group(1)) for n in parsed.notes)  # type: ignore[union-attr]
    assert len(parsed.frame()) + len(with_problems) + left_out == len(records)
    assert with_problems.isdisjoint(parsed.frame()["origin"].str.split("#").str[1])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
def test_any_bytes_give_problems_not_an_exception(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "any.json"
    path.write_bytes(content)
    parsed = parse(path)
    assert parsed.frames == [] or parsed.problems == []


def test_a_fetched_release_is_published_with_the_request_url_of_every_figure(tmp_path: Path) -> None:
    selection = Selection(
        reporters=("AZE",), mirror=True, first_year=2019, last_year=2019, frequencies=("A",)
    )
    with serving(replies_by_request) as server:
        comtrade.fetch(
            raw_dir=tmp_path / "raw",
            release="2026-11-26",
            selection=selection,
            environ=environ(server.url),
            policy=TINY,
        )
    settings = Settings(
        store_dir=tmp_path / "store",
        raw_dir=tmp_path / "raw",
        snapshot_dir=tmp_path / "no-snapshot",
        reference_dir=REFERENCE.directory,
    )
    refresh(settings)  # reads data/raw/comtrade/2026-11-26/, manifest.json included, offline
    flows = store.read_published(settings.store_dir, "trade_flows")
    provenance = store.read_published(settings.store_dir, "provenance")
    assert flows is not None and provenance is not None
    assert [tuple(r) for r in flows[[*COLUMNS[:6], "source", "release"]].itertuples(index=False)] == [
        ("AZE", "ITA", "export", "2019-01", "2019-12", 5e9, "comtrade", "2026-11-26"),
        ("TUR", "AZE", "import", "2019-01", "2019-12", 411e6, "comtrade", "2026-11-26"),
    ]
    common = (
        "period=2019&cmdCode=TOTAL&flowCode=X%2CM&partner2Code=0&customsCode=C00&motCode=0&includeDesc=TRUE"
    )
    assert sorted(provenance["origin"]) == [
        f"{server.url}/data/v1/get/C/A/HS?partnerCode=31&{common}#data[0]",
        f"{server.url}/data/v1/get/C/A/HS?reporterCode=31&{common}#data[0]",
    ]
