"""IMF IMTS through the SDMX 3.0 API: replies written here in the layouts of SOURCES.md 3.2 (SDMX-CSV 2.0 and
SDMX-ML 3.0 StructureSpecificData), a real HTTP server on 127.0.0.1 for `fetch`, and the CLI in a subprocess."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import schema
from etl.http import FetchError, Policy
from etl.problems import Problem
from etl.reference import Reference
from etl.sources import RAW_COLUMNS, Selection, imf_sdmx
from etl.validate import problems_in
from tests.conftest import REPO_ROOT
from tests.helpers import etl_environment, run_etl, tidy, write

RELEASE = "2025-11-20"
HEADER = "STRUCTURE,STRUCTURE_ID,ACTION,COUNTRY,INDICATOR,COUNTERPART_COUNTRY,FREQUENCY,TIME_PERIOD,OBS_VALUE,SCALE,OVERLAP"
FLOW = "dataflow,IMF.STA:IMTS(1.0.0),I"

# An SDMX-CSV 2.0 reply as the API sends it for Accept: application/vnd.sdmx.data+csv;version=2.0.0.
CSV_REPLY = "\r\n".join(
    [
        HEADER,
        f"{FLOW},USA,XG_FOB_USD,G001,A,2023,2019551635133,6,OL",  # row 2: the SCALE trap, USA -> World
        f"{FLOW},AZE,XG_FOB_USD,ITA,A,2022,15123456789.12,6,",  # row 3
        f"{FLOW},AZE,MG_CIF_USD,ITA,M,2023-M01,412345678.5,6,",  # row 4: monthly, SDMX form
        f"{FLOW},AZE,MG_CIF_USD,ITA,M,2023-02,398000000,6,",  # row 5: monthly, ISO form
        f"{FLOW},AZE,MG_CIF_USD,TUR,Q,2023-Q2,1.5e9,6,",  # row 6: quarterly, exponent
        f"{FLOW},AZE,XG_FOB_USD,G998,A,2023,20000000000,6,",  # row 7: EU aggregate
        f"{FLOW},AZE,TBG_USD,ITA,A,2023,5000000,6,",  # row 8: balance, skipped
        f"{FLOW},AZE,XG_FOB_USD,DEU,A,2021,NaN,6,",  # row 9: missing
        f"{FLOW},AZE,XG_FOB_USD,DEU,A,2020,,6,",  # row 10: missing
        f"{FLOW},SUN,MG_CIF_USD,CSK,A,1990,1000000,6,",  # row 11: former economies
        "",
    ]
)

EXPECTED = pd.DataFrame(
    [
        ("USA", "WLD", "export", "2023-01", "2023-12", 2019551635133.0, "FOB", "row 2"),
        ("AZE", "ITA", "export", "2022-01", "2022-12", 15123456789.12, "FOB", "row 3"),
        ("AZE", "ITA", "import", "2023-01", "2023-01", 412345678.5, "CIF", "row 4"),
        ("AZE", "ITA", "import", "2023-02", "2023-02", 398000000.0, "CIF", "row 5"),
        ("AZE", "TUR", "import", "2023-04", "2023-06", 1500000000.0, "CIF", "row 6"),
        ("AZE", "EUU", "export", "2023-01", "2023-12", 20000000000.0, "FOB", "row 7"),
        ("SUN", "CSK", "import", "1990-01", "1990-12", 1000000.0, "CIF", "row 11"),
    ],
    columns=["reporter", "partner", "flow", "period_start", "period_end", "value_usd", "valuation", "place"],
)

XML_REPLY = """<?xml version="1.0" encoding="utf-8"?>
<message:StructureSpecificData xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/data/structurespecific" \
xmlns:ns1="urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=IMF.STA:IMTS(1.0.0):ObsLevelDim:TIME_PERIOD" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message" \
xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/common">
  <message:Header>
    <message:ID>IDREF7781</message:ID>
    <message:Test>false</message:Test>
    <message:Prepared>2025-11-20T09:12:44Z</message:Prepared>
    <message:Sender id="IMF"/>
    <message:Structure structureID="IMF.STA_IMTS_1_0_0" dimensionAtObservation="TIME_PERIOD">
      <common:Structure><URN>urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=IMF.STA:DSD_IMTS(1.0.0)</URN></common:Structure>
    </message:Structure>
  </message:Header>
  <message:DataSet ss:structureRef="IMF.STA_IMTS_1_0_0" xsi:type="ns1:DataSetType" \
ss:dataScope="DataStructure" action="Information">
    <Group xsi:type="ns1:GroupType" INDICATOR="XG_FOB_USD" UNIT="USD" TRADE_FLOW="XG" VALUATION="FOB"/>
    <Series COUNTRY="USA" INDICATOR="XG_FOB_USD" COUNTERPART_COUNTRY="G001" FREQUENCY="A" OVERLAP="OL" SCALE="6">
      <Obs OBS_VALUE="2019551635133" DERIVATION_TYPE="M" TIME_PERIOD="2023"/>
      <Obs OBS_VALUE="2064787240000" DERIVATION_TYPE="M" TIME_PERIOD="2022"/>
    </Series>
    <Series COUNTRY="AZE" INDICATOR="MG_CIF_USD" COUNTERPART_COUNTRY="ITA" FREQUENCY="M" SCALE="6">
      <Obs OBS_VALUE="NaN" TIME_PERIOD="2023-M01"/>
      <Obs OBS_VALUE="398000000" TIME_PERIOD="2023-M02"/>
    </Series>
    <Series COUNTRY="AZE" INDICATOR="TBG_USD" COUNTERPART_COUNTRY="ITA" FREQUENCY="A" SCALE="6">
      <Obs OBS_VALUE="5000000" TIME_PERIOD="2023"/>
    </Series>
  </message:DataSet>
</message:StructureSpecificData>
"""

XML_EXPECTED = [
    ("USA", "WLD", "export", "2023-01", "2023-12", 2019551635133.0, "FOB", "Series[1]/Obs[1]"),
    ("USA", "WLD", "export", "2022-01", "2022-12", 2064787240000.0, "FOB", "Series[1]/Obs[2]"),
    ("AZE", "ITA", "import", "2023-02", "2023-02", 398000000.0, "CIF", "Series[2]/Obs[2]"),
]


@pytest.fixture(scope="module")
def reference() -> Reference:
    return Reference()


def expected_rows(file: str) -> list[tuple[object, ...]]:
    return [(*row[:-1], f"{file}#{row[-1]}") for row in EXPECTED.itertuples(index=False)]


# ---------------------------------------------------------------------------------------------------------------
# SDMX-CSV


def test_csv_reply_gives_exact_tidy_rows_in_full_dollars(tmp_path: Path, reference: Reference) -> None:
    parsed = imf_sdmx.parse(
        write(tmp_path, "imts_AZE_own.csv", CSV_REPLY), release=RELEASE, reference=reference
    )
    assert parsed.problems == []
    frame = parsed.frame()
    assert list(frame.columns) == list(RAW_COLUMNS)
    assert tidy(frame) == expected_rows("imts_AZE_own.csv")
    # SCALE="6" but OBS_VALUE is already dollars: USA's 2023 exports to the World are $2.02 trillion, not 10^6 more.
    assert frame.loc[0, "value_usd"] == 2019551635133.0
    assert set(frame["source"]) == {"imf_imts"}
    assert set(frame["status"]) == {"reported"}
    assert set(frame["release"]) == {RELEASE}
    assert problems_in(frame, areas=reference.areas()) == []


def test_csv_columns_in_another_order_with_extra_columns_and_labels(
    tmp_path: Path, reference: Reference
) -> None:
    lines = [
        "OBS_VALUE,TIME_PERIOD,DERIVATION_TYPE,COUNTERPART_COUNTRY: Counterpart country,FREQUENCY: Frequency,"
        "INDICATOR: Indicator,COUNTRY: Country,STRUCTURE_ID,SCALE",
        '2019551635133,2023,M,G001: World,A: Annual,"XG_FOB_USD: Exports of goods, FOB, US dollar",'
        '"USA: United States",IMF.STA:IMTS(1.0.0),6',
        '412345678.5,2023-M01,,ITA: Italy,M: Monthly,MG_CIF_USD: Imports,"AZE: Azerbaijan, Rep. of",x,6',
    ]
    parsed = imf_sdmx.parse(
        write(tmp_path, "labels.csv", "\n".join(lines)), release=RELEASE, reference=reference
    )
    assert parsed.problems == []
    assert tidy(parsed.frame()) == [
        ("USA", "WLD", "export", "2023-01", "2023-12", 2019551635133.0, "FOB", "labels.csv#row 2"),
        ("AZE", "ITA", "import", "2023-01", "2023-01", 412345678.5, "CIF", "labels.csv#row 3"),
    ]


def test_csv_with_a_byte_order_mark_and_only_a_header_gives_no_rows(
    tmp_path: Path, reference: Reference
) -> None:
    parsed = imf_sdmx.parse(
        write(tmp_path, "none.csv", "\ufeff" + HEADER + "\n"), release=RELEASE, reference=reference
    )
    assert parsed.problems == []
    assert parsed.frame().empty


def test_csv_missing_a_needed_column(tmp_path: Path, reference: Reference) -> None:
    text = "STRUCTURE,COUNTRY,INDICATOR,FREQUENCY,TIME_PERIOD,VALUE\ndataflow,AZE,XG_FOB_USD,A,2023,5\n"
    parsed = imf_sdmx.parse(write(tmp_path, "cols.csv", text), release=RELEASE, reference=reference)
    assert parsed.problems == [
        Problem(
            "cols.csv",
            "not an SDMX-CSV reply of IMTS: missing column(s) COUNTERPART_COUNTRY, OBS_VALUE; columns present: "
            "STRUCTURE, COUNTRY, INDICATOR, FREQUENCY, TIME_PERIOD, VALUE",
            cell="row 1",
        )
    ]
    assert parsed.frame().empty


def test_csv_bad_values_are_problems_at_their_row(tmp_path: Path, reference: Reference) -> None:
    text = "\n".join(
        [
            HEADER,
            f"{FLOW},AZE,XG_FOB_USD,ITA,A,2023,12 mio,6,",  # row 2: text
            f"{FLOW},AZE,XG_FOB_USD,TUR,A,2023,-5000,6,",  # row 3: negative for a country
            f"{FLOW},AZE,XG_FOB_USD,GX999,A,2023,1,6,",  # row 4: undocumented aggregate: skipped, noted
            f"{FLOW},AZE,XG_FOB_USD,GX999,A,2022,1,6,",  # row 5: the same again
            f"{FLOW},AZE,XG_FOB_USD,XYZ,A,2023,1,6,",  # row 6: unknown code
            f"{FLOW},AZE,XG_FOB_USD,ITA,A,2023-M01,1,6,",  # row 7: period against frequency
            f"{FLOW},AZE,XG_FOB_USD,ITA,M,2023-M13,1,6,",  # row 8: no such month
            f"{FLOW},AZE,MG_FOB_USD,ITA,A,2023,1,6,",  # row 9: indicator not mapped
            f"{FLOW},AZE,XG_FOB_USD,,A,2023,1,6,",  # row 10: empty counterpart
            f"{FLOW},AZE,XG_FOB_USD,ITA,A,2021,1_000,6,",  # row 11: underscores are no number
            f"{FLOW},AZE,XG_FOB_USD,ITA,A,2020,7,6,",  # row 12: fine
            f"{FLOW},AZE,XG_FOB_USD,ITA,A,20",  # row 13: cut short
        ]
    )
    parsed = imf_sdmx.parse(write(tmp_path, "bad.csv", text), release=RELEASE, reference=reference)
    unknown = (
        "unknown IMF area code in COUNTERPART_COUNTRY ({}): not an ISO 3166 code known to data/reference nor "
        "listed in data/reference/imf_area_codes.csv (add an IMF aggregate there with its group code)"
    )
    assert parsed.problems == [
        Problem("bad.csv", "OBS_VALUE not a number", cell="row 2", value="12 mio"),
        Problem("bad.csv", "negative value for a country's trade", cell="row 3", value="-5000"),
        Problem("bad.csv", "TIME_PERIOD does not match FREQUENCY A", cell="row 7", value="2023-M01"),
        Problem(
            "bad.csv",
            "TIME_PERIOD is not a period such as 2023, 2023-Q1 or 2023-M01",
            cell="row 8",
            value="2023-M13",
        ),
        Problem(
            "bad.csv",
            "indicator not understood; expected XG_FOB_USD, MG_CIF_USD (TBG_USD, the balance, is skipped)",
            cell="row 9",
            value="MG_FOB_USD",
        ),
        Problem("bad.csv", "missing COUNTERPART_COUNTRY", cell="row 10"),
        Problem("bad.csv", "OBS_VALUE not a number", cell="row 11", value="1_000"),
        Problem(
            "bad.csv", "row has 8 fields where the header has 11 (the file may be cut short)", cell="row 13"
        ),
        Problem("bad.csv", unknown.format("in 1 observation"), cell="row 6", value="XYZ"),
    ]
    # An undocumented IMF aggregate is no country that could go missing: skipped knowingly, and said so.
    assert parsed.notes == [
        "bad.csv: IMF aggregates not listed in data/reference/imf_area_codes.csv were skipped (aggregates are "
        "shown from their own rows, never summed; add a code there to keep it): GX999 (2)"
    ]
    assert tidy(parsed.frame()) == [
        ("AZE", "ITA", "export", "2020-01", "2020-12", 7.0, "FOB", "bad.csv#row 12")
    ]


def test_a_negative_value_of_an_aggregate_reporter_is_kept(tmp_path: Path, reference: Reference) -> None:
    # IMF group totals carry netting adjustments (etl/validate.py allows them for group reporters).
    text = f"{HEADER}\n{FLOW},G001,MG_CIF_USD,MYS,A,1961,-2500000,6,\n"
    parsed = imf_sdmx.parse(write(tmp_path, "g.csv", text), release=RELEASE, reference=reference)
    assert parsed.problems == []
    assert tidy(parsed.frame()) == [
        ("WLD", "MYS", "import", "1961-01", "1961-12", -2500000.0, "CIF", "g.csv#row 2")
    ]
    assert problems_in(parsed.frame(), areas=reference.areas()) == []


def test_empty_and_non_text_files(tmp_path: Path, reference: Reference) -> None:
    empty = imf_sdmx.parse(write(tmp_path, "empty.csv", b" \n"), release=RELEASE, reference=reference)
    assert empty.problems == [Problem("empty.csv", "the file is empty: not an SDMX reply")]
    binary = imf_sdmx.parse(
        write(tmp_path, "zip.csv", b"PK\x03\x04\xff\xfe"), release=RELEASE, reference=reference
    )
    assert binary.problems == [
        Problem("zip.csv", "not UTF-8 text (bad byte at offset 4); not an SDMX-CSV reply"),
    ]


# ---------------------------------------------------------------------------------------------------------------
# SDMX-ML


def test_xml_reply_gives_exact_tidy_rows(tmp_path: Path, reference: Reference) -> None:
    parsed = imf_sdmx.parse(write(tmp_path, "imts.xml", XML_REPLY), release=RELEASE, reference=reference)
    assert parsed.problems == []
    assert tidy(parsed.frame()) == [(*row[:-1], f"imts.xml#{row[-1]}") for row in XML_EXPECTED]
    assert problems_in(parsed.frame(), areas=reference.areas()) == []


def test_xml_with_other_namespace_prefixes_reads_the_same(tmp_path: Path, reference: Reference) -> None:
    text = (
        XML_REPLY.replace("message:", "m:")
        .replace("xmlns:message=", "xmlns:m=")
        .replace("<Group", "<ss:Group")
        .replace("<Series", "<ss:Series")
        .replace("</Series", "</ss:Series")
        .replace("<Obs", "<ss:Obs")
    )
    assert "<ss:Obs" in text and "<m:DataSet" in text
    parsed = imf_sdmx.parse(write(tmp_path, "prefixed.xml", text), release=RELEASE, reference=reference)
    assert parsed.problems == []
    assert tidy(parsed.frame()) == [(*row[:-1], f"prefixed.xml#{row[-1]}") for row in XML_EXPECTED]


def test_truncated_xml_is_a_problem_with_its_position(tmp_path: Path, reference: Reference) -> None:
    cut = XML_REPLY[: XML_REPLY.index('<Obs OBS_VALUE="398000000"')]
    lines = cut.split("\n")
    parsed = imf_sdmx.parse(write(tmp_path, "cut.xml", cut), release=RELEASE, reference=reference)
    # expat stops at the end of the text: the last line, after its last character.
    place = f"line {len(lines)}, column {len(lines[-1])}"
    assert parsed.problems == [
        Problem(
            "cut.xml",
            f"not well-formed XML (the file may be cut short): no element found: {place}",
            cell=place,
        )
    ]
    assert parsed.frame().empty


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<StructureSpecificData><DataSet><Series COUNTRY="&lol4;"/></DataSet></StructureSpecificData>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<StructureSpecificData><DataSet><Series COUNTRY="&secret;"/></DataSet></StructureSpecificData>
"""


@pytest.mark.parametrize(("name", "text"), [("bomb.xml", BILLION_LAUGHS), ("xxe.xml", EXTERNAL_ENTITY)])
def test_xml_bombs_and_external_entities_are_refused(
    tmp_path: Path, reference: Reference, name: str, text: str
) -> None:
    started = time.perf_counter()
    parsed = imf_sdmx.parse(write(tmp_path, name, text), release=RELEASE, reference=reference)
    assert time.perf_counter() - started < 2.0
    assert parsed.problems == [
        Problem(
            name,
            "refused: the XML declares a document type or entities, which no SDMX reply does and which can "
            "expand without limit (an 'XML bomb') (DTDForbidden)",
        )
    ]
    assert parsed.frame().empty


def test_xml_bad_observations_are_problems_at_their_series_and_obs(
    tmp_path: Path, reference: Reference
) -> None:
    text = """<StructureSpecificData xmlns="urn:x"><DataSet>
      <Series COUNTRY="AZE" INDICATOR="XG_FOB_USD" COUNTERPART_COUNTRY="ITA" FREQUENCY="A" SCALE="6">
        <Obs OBS_VALUE="abc" TIME_PERIOD="2023"/>
        <Obs OBS_VALUE="-1" TIME_PERIOD="2022"/>
        <Obs OBS_VALUE="10" TIME_PERIOD="2021"/>
      </Series>
      <Series COUNTRY="AZE" INDICATOR="XG_FOB_USD" COUNTERPART_COUNTRY="AZX" FREQUENCY="A">
        <Obs OBS_VALUE="10" TIME_PERIOD="2021"/>
      </Series>
      <Series COUNTRY="AZE" COUNTERPART_COUNTRY="ITA" FREQUENCY="A">
        <Obs OBS_VALUE="10" TIME_PERIOD="2020"/>
      </Series>
    </DataSet></StructureSpecificData>"""
    parsed = imf_sdmx.parse(write(tmp_path, "obs.xml", text), release=RELEASE, reference=reference)
    assert parsed.problems == [
        Problem("obs.xml", "OBS_VALUE not a number", cell="Series[1]/Obs[1]", value="abc"),
        Problem("obs.xml", "negative value for a country's trade", cell="Series[1]/Obs[2]", value="-1"),
        Problem("obs.xml", "missing INDICATOR", cell="Series[3]/Obs[1]"),
        Problem(
            "obs.xml",
            "unknown IMF area code in COUNTERPART_COUNTRY (in 1 observation): not an ISO 3166 code known to "
            "data/reference nor listed in data/reference/imf_area_codes.csv (add an IMF aggregate there with "
            "its group code)",
            cell="Series[2]/Obs[1]",
            value="AZX",
        ),
    ]
    assert tidy(parsed.frame()) == [
        ("AZE", "ITA", "export", "2021-01", "2021-12", 10.0, "FOB", "obs.xml#Series[1]/Obs[3]")
    ]


def test_xml_deletion_data_set_is_a_problem(tmp_path: Path, reference: Reference) -> None:
    text = XML_REPLY.replace('action="Information"', 'action="Delete"')
    parsed = imf_sdmx.parse(write(tmp_path, "deleted.xml", text), release=RELEASE, reference=reference)
    assert parsed.problems == [
        Problem(
            "deleted.xml",
            "a deletion data set (action=Delete) where figures belong; fetch again without history",
            cell="DataSet[1]",
        )
    ]
    assert parsed.frame().empty


def test_csv_deletion_rows_are_problems(tmp_path: Path, reference: Reference) -> None:
    text = f"{HEADER}\ndataflow,IMF.STA:IMTS(1.0.0),D,AZE,XG_FOB_USD,ITA,A,2023,1,6,\n"
    parsed = imf_sdmx.parse(write(tmp_path, "d.csv", text), release=RELEASE, reference=reference)
    assert parsed.problems == [
        Problem(
            "d.csv", "a deletion (ACTION D) where figures belong; fetch again without history", cell="row 2"
        )
    ]


def test_xml_error_message_and_other_documents(tmp_path: Path, reference: Reference) -> None:
    error = """<message:Error xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message"
      xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/common">
      <message:ErrorMessage code="100"><common:Text xml:lang="en">No Results Found</common:Text></message:ErrorMessage>
    </message:Error>"""
    parsed = imf_sdmx.parse(write(tmp_path, "err.xml", error), release=RELEASE, reference=reference)
    assert parsed.problems == [
        Problem("err.xml", "the file is an SDMX error message, not data: No Results Found")
    ]
    html = imf_sdmx.parse(
        write(tmp_path, "page.xml", "<html><body>Maintenance</body></html>"),
        release=RELEASE,
        reference=reference,
    )
    assert html.problems == [
        Problem(
            "page.xml",
            "not an SDMX-ML StructureSpecificData message (root element 'html'); ask the API with "
            "Accept: application/xml",
        )
    ]


def test_periods() -> None:
    assert imf_sdmx.period_range("2023") == ("2023-01", "2023-12", "A")
    assert imf_sdmx.period_range("2023-A1") == ("2023-01", "2023-12", "A")
    assert imf_sdmx.period_range("2023-S2") == ("2023-07", "2023-12", "S")
    assert imf_sdmx.period_range("2023-Q4") == ("2023-10", "2023-12", "Q")
    assert imf_sdmx.period_range("2023-M07") == ("2023-07", "2023-07", "M")
    assert imf_sdmx.period_range("2023-07") == ("2023-07", "2023-07", "M")
    for bad in ("2023-M00", "2023-13", "2023-Q5", "23", "2023-W01", "2023/01", ""):
        assert imf_sdmx.period_range(bad) is None, bad


def test_area_code_table_maps_only_to_known_codes(reference: Reference) -> None:
    codes = imf_sdmx.AreaCodes(reference, "sdmx3")
    assert codes.code("G001") == "WLD"
    assert codes.code("G998") == "EUU"
    assert [codes.code(c) for c in ("AZE", "ITA", "SUN", "YUG", "CSK", "DDR", "SCG", "ANT")] == [
        "AZE",
        "ITA",
        "SUN",
        "YUG",
        "CSK",
        "DDR",
        "SCG",
        "ANT",
    ]
    # Our own group codes are not IMF codes: an IMF reply never says "XAD", and WLD is spelled G001 there.
    assert codes.code("XAD") is None
    assert codes.code("WLD") is None
    assert codes.code("GX001") is None


# ---------------------------------------------------------------------------------------------------------------
# fetch against a real HTTP server on 127.0.0.1


@dataclass
class Seen:
    path: str
    query: dict[str, list[str]]
    raw_query: str
    headers: dict[str, str]


@dataclass
class Service:
    """What the fake IMF API answers: `replies` maps a request path to a list of behaviours, used in turn
    (the last one repeats). A behaviour is (status, body, delay before answering in seconds)."""

    url: str
    replies: dict[str, list[tuple[int, bytes, float]]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)


@pytest.fixture
def service() -> Iterator[Service]:
    state = Service(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            with lock:
                state.seen.append(
                    Seen(
                        parts.path,
                        parse_qs(parts.query),
                        parts.query,
                        {k: v for k, v in self.headers.items()},
                    )
                )
                behaviours = state.replies.get(parts.path, [(404, b"no such key", 0.0)])
                status, body, delay = behaviours[0]
                if len(behaviours) > 1:
                    behaviours.pop(0)
            if delay:
                time.sleep(delay)
            try:
                self.send_response(status)
                self.send_header(
                    "Content-Type", "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8"
                )
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (the timeout test)

        def log_message(self, *_: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/sdmx/3.0"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


FAST = Policy(connect_timeout=2.0, read_timeout=0.5, attempts=3, backoff_base=0.01, backoff_cap=0.01)
OWN_PATH = "/sdmx/3.0/data/dataflow/IMF.STA/IMTS/+/AZE.XG_FOB_USD+MG_CIF_USD..A+M"
MIRROR_PATH = "/sdmx/3.0/data/dataflow/IMF.STA/IMTS/+/.XG_FOB_USD+MG_CIF_USD.AZE.A+M"
MIRROR_REPLY = f"{HEADER}\n{FLOW},ITA,MG_CIF_USD,AZE,A,2023,5350000000,6,\n".encode()
SELECTION = Selection(
    reporters=("AZE",), mirror=True, first_year=2022, last_year=2023, frequencies=("A", "M")
)


def test_fetch_asks_for_own_and_mirror_reports_and_saves_replies_untouched(
    tmp_path: Path, service: Service, reference: Reference
) -> None:
    own = CSV_REPLY.encode()
    service.replies = {OWN_PATH: [(200, own, 0.0)], MIRROR_PATH: [(200, MIRROR_REPLY, 0.0)]}
    done: list[str] = []
    environ = {imf_sdmx.URL_ENV: service.url, imf_sdmx.KEY_ENV: "s3cret-key"}
    files = imf_sdmx.fetch(
        raw_dir=tmp_path / "raw",
        release=RELEASE,
        selection=SELECTION,
        environ=environ,
        policy=FAST,
        progress=done.append,
    )
    folder = tmp_path / "raw" / "imf_imts" / RELEASE
    assert files == [folder / "imts_AZE_own.csv", folder / "imts_AZE_mirror.csv"]
    assert done == ["imts_AZE_own", "imts_AZE_mirror"]
    assert [s.path for s in service.seen] == [OWN_PATH, MIRROR_PATH]
    for seen in service.seen:
        assert seen.query == {
            "c[TIME_PERIOD]": ["ge:2022-01-01+le:2023-12-31"],
            "dimensionAtObservation": ["TIME_PERIOD"],
            "detail": ["full"],
            "includeHistory": ["false"],
        }
        # The "+" of the time constraint is sent escaped, so no server reads it as a space.
        assert "ge%3A2022-01-01%2Ble%3A2023-12-31" in seen.raw_query
        assert seen.headers["Accept"] == "application/vnd.sdmx.data+csv;version=2.0.0"
        assert seen.headers["Ocp-Apim-Subscription-Key"] == "s3cret-key"
    assert files[0].read_bytes() == own
    assert files[1].read_bytes() == MIRROR_REPLY
    manifest_text = (folder / "manifest.json").read_text()
    assert "s3cret-key" not in manifest_text
    manifest = json.loads(manifest_text)
    entry = manifest["files"]["imts_AZE_own.csv"]
    assert entry["sha256"] == hashlib.sha256(own).hexdigest()
    assert entry["size"] == len(own)
    assert entry["status"] == 200
    assert entry["url"] == (
        f"{service.url}/data/dataflow/IMF.STA/IMTS/+/AZE.XG_FOB_USD+MG_CIF_USD..A+M"
        # Exactly as requested: the `+` joining the two bounds is sent encoded (a bare `+` would be a space).
        "?c%5BTIME_PERIOD%5D=ge%3A2022-01-01%2Ble%3A2023-12-31&dimensionAtObservation=TIME_PERIOD&detail=full"
        "&includeHistory=false"
    )
    assert manifest["source"] == "imf_imts" and manifest["release"] == RELEASE
    assert [p.name for p in (tmp_path / "raw" / "imf_imts").iterdir()] == [RELEASE]  # no staging left
    # What was saved parses into the rows the service sent.
    mirror = imf_sdmx.parse(files[1], release=RELEASE, reference=reference)
    assert tidy(mirror.frame()) == [
        ("ITA", "AZE", "import", "2023-01", "2023-12", 5350000000.0, "CIF", "imts_AZE_mirror.csv#row 2")
    ]


def test_fetch_without_key_sends_no_key_header_and_xml_on_request(tmp_path: Path, service: Service) -> None:
    own_only = Selection(
        reporters=("AZE",), mirror=False, first_year=2023, last_year=2023, frequencies=("A",)
    )
    path = "/sdmx/3.0/data/dataflow/IMF.STA/IMTS/+/AZE.XG_FOB_USD+MG_CIF_USD..A"
    service.replies = {path: [(200, XML_REPLY.encode(), 0.0)]}
    files = imf_sdmx.fetch(
        raw_dir=tmp_path / "raw",
        release=RELEASE,
        selection=own_only,
        environ={imf_sdmx.URL_ENV: service.url + "/", imf_sdmx.FORMAT_ENV: "xml"},
        policy=FAST,
    )
    assert [f.name for f in files] == ["imts_AZE_own.xml"]
    assert len(service.seen) == 1
    assert service.seen[0].headers["Accept"] == "application/xml"
    assert "Ocp-Apim-Subscription-Key" not in service.seen[0].headers
    assert service.seen[0].query["c[TIME_PERIOD]"] == ["ge:2023-01-01+le:2023-12-31"]
    assert files[0].read_bytes() == XML_REPLY.encode()


def test_fetch_retries_a_server_error_then_succeeds(tmp_path: Path, service: Service) -> None:
    service.replies = {
        OWN_PATH: [(500, b"Internal Server Error", 0.0), (200, CSV_REPLY.encode(), 0.0)],
        MIRROR_PATH: [(200, MIRROR_REPLY, 0.0)],
    }
    files = imf_sdmx.fetch(
        raw_dir=tmp_path / "raw",
        release=RELEASE,
        selection=SELECTION,
        environ={imf_sdmx.URL_ENV: service.url},
        policy=FAST,
    )
    assert [s.path for s in service.seen] == [OWN_PATH, OWN_PATH, MIRROR_PATH]
    assert files[0].read_bytes() == CSV_REPLY.encode()
    manifest = json.loads((tmp_path / "raw" / "imf_imts" / RELEASE / "manifest.json").read_text())
    assert manifest["files"]["imts_AZE_own.csv"]["attempts"] == 2
    assert manifest["files"]["imts_AZE_own.csv"]["status"] == 200


def test_a_slow_reply_past_the_timeout_fails_and_commits_nothing(tmp_path: Path, service: Service) -> None:
    # The first request succeeds and is staged; the second never answers in time: nothing may remain.
    service.replies = {OWN_PATH: [(200, CSV_REPLY.encode(), 0.0)], MIRROR_PATH: [(200, MIRROR_REPLY, 1.5)]}
    policy = Policy(connect_timeout=2.0, read_timeout=0.3, attempts=2, backoff_base=0.01, backoff_cap=0.01)
    with pytest.raises(FetchError) as caught:
        imf_sdmx.fetch(
            raw_dir=tmp_path / "raw",
            release=RELEASE,
            selection=SELECTION,
            environ={imf_sdmx.URL_ENV: service.url},
            policy=policy,
        )
    error = caught.value
    assert error.source == "imf_imts"
    assert error.problem == "gave up after 2 attempts: no reply within the time limit (ReadTimeout)"
    assert "/IMTS/+/.XG_FOB_USD+MG_CIF_USD.AZE.A+M" in error.request
    assert [s.path for s in service.seen] == [OWN_PATH, MIRROR_PATH, MIRROR_PATH]
    assert list((tmp_path / "raw" / "imf_imts").iterdir()) == []


def test_fetch_a_refused_key_says_what_to_do(tmp_path: Path, service: Service) -> None:
    service.replies = {OWN_PATH: [(401, b'{"statusCode":401,"message":"Access denied"}', 0.0)]}
    with pytest.raises(FetchError) as caught:
        imf_sdmx.fetch(
            raw_dir=tmp_path / "raw",
            release=RELEASE,
            selection=SELECTION,
            environ={imf_sdmx.URL_ENV: service.url, imf_sdmx.KEY_ENV: "wrong"},
            policy=FAST,
        )
    assert str(caught.value).endswith(
        "The IMF API refused the key in IMF_API_KEY; check it, or unset it (IMTS is open without a key)"
    )
    assert "wrong" not in str(caught.value)
    assert len(service.seen) == 1
    assert not (tmp_path / "raw" / "imf_imts" / RELEASE).exists()


@pytest.mark.parametrize(
    ("selection", "environ", "problem"),
    [
        (Selection(reporters=("az",)), {}, "reporters must be ISO alpha-3 codes such as AZE, not 'az'"),
        (Selection(frequencies=("A", "W")), {}, "frequencies must be among A, Q, M, not ('A', 'W')"),
        (Selection(first_year=2024, last_year=2020), {}, "first year 2024 is after last year 2020"),
        (Selection(), {imf_sdmx.FORMAT_ENV: "json"}, "reply format 'json' not known"),
    ],
)
def test_fetch_refuses_a_bad_selection_before_any_request(
    tmp_path: Path, selection: Selection, environ: dict[str, str], problem: str
) -> None:
    with pytest.raises(FetchError) as caught:
        imf_sdmx.fetch(
            raw_dir=tmp_path / "raw",
            release=RELEASE,
            selection=selection,
            environ={imf_sdmx.URL_ENV: "http://127.0.0.1:9/", **environ},
            policy=FAST,
        )
    assert caught.value.problem == problem
    assert not (tmp_path / "raw").exists()


# ---------------------------------------------------------------------------------------------------------------
# The CLI, as a user runs it


def test_cli_parse_writes_the_tidy_table(tmp_path: Path) -> None:
    reply = write(tmp_path, "imts_AZE_own.csv", CSV_REPLY)
    out = tmp_path / "out.csv"
    result = run_etl(
        "parse",
        "--source",
        "imf-sdmx",
        "--output",
        str(out),
        str(reply),
        env=etl_environment(tmp_path),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame.columns) == [*schema.TRADE_FLOW_COLUMNS, schema.ORIGIN]
    # The CLI sorts by reporter, partner, flow, period: compare as sets of exact rows.
    got = {
        (
            r.reporter,
            r.partner,
            r.flow,
            r.period_start,
            r.period_end,
            float(r.value_usd),
            r.valuation,
            r.origin,
        )
        for r in frame.itertuples(index=False)
    }
    assert got == set(expected_rows("imts_AZE_own.csv"))
    assert set(frame["source"]) == {"imf_imts"}


def test_cli_parse_of_a_broken_reply_fails_in_one_paragraph(tmp_path: Path) -> None:
    broken = write(tmp_path, "cut.xml", XML_REPLY[:400])
    result = run_etl(
        "parse",
        "--source",
        "imf-sdmx",
        "--output",
        str(tmp_path / "o.csv"),
        str(broken),
        env=etl_environment(tmp_path),
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cut.xml" in result.stderr
    assert "not well-formed XML (the file may be cut short)" in result.stderr
    assert "nothing was published" in result.stderr
    assert not (tmp_path / "o.csv").exists()


def test_fetched_replies_are_published_by_an_offline_refresh(tmp_path: Path, service: Service) -> None:
    from etl import store
    from etl.refresh.orchestration import refresh
    from etl.settings import Settings

    service.replies = {OWN_PATH: [(200, CSV_REPLY.encode(), 0.0)], MIRROR_PATH: [(200, MIRROR_REPLY, 0.0)]}
    settings = Settings(
        store_dir=tmp_path / "store",
        raw_dir=tmp_path / "raw",
        snapshot_dir=tmp_path / "no-snapshot",
        reference_dir=REPO_ROOT / "data" / "reference",
    )
    imf_sdmx.fetch(
        raw_dir=settings.raw_dir,
        release=RELEASE,
        selection=SELECTION,
        environ={imf_sdmx.URL_ENV: service.url},
        policy=FAST,
    )
    report = refresh(settings, inputs=[], source="imf-sdmx", release=RELEASE)
    assert report.rows_by_source == {"imf_imts": 8}
    flows = store.read_published(settings.store_dir, schema.TRADE_FLOWS)
    assert flows is not None
    world = flows[(flows.reporter == "USA") & (flows.partner == "WLD")]
    assert list(world.value_usd) == [2019551635133.0]
    assert set(flows.release) == {RELEASE}


def test_absurd_numbers_do_not_break_parsing_and_are_caught_by_validation(
    tmp_path: Path, reference: Reference
) -> None:
    text = "\n".join(
        [
            HEADER,
            f"{FLOW},AZE,XG_FOB_USD,ITA,A,2023,1e400,6,",
            f"{FLOW},AZE,XG_FOB_USD,ITA,A,2022,123456789012345678901234567.5,6,",
        ]
    )
    parsed = imf_sdmx.parse(write(tmp_path, "huge.csv", text), release=RELEASE, reference=reference)
    assert parsed.problems == []
    assert list(parsed.frame()["value_usd"]) == [float("inf"), 1.2345678901234568e26]
    found = problems_in(parsed.frame(), areas=reference.areas())
    assert {(p.file, p.message) for p in found} == {
        ("huge.csv#row 2", "value is not finite"),
        ("huge.csv#row 2", "value is implausibly large (>= 1e+14 USD)"),
        ("huge.csv#row 3", "value is implausibly large (>= 1e+14 USD)"),
    }


ALPHABET = 'AZEITG0123456789.-+eE:,"\n MQ_NaN'


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cells=st.lists(st.text(alphabet=ALPHABET, max_size=14), min_size=6, max_size=12),
    cut=st.integers(min_value=0, max_value=400),
)
def test_parse_never_raises_on_mangled_replies(
    tmp_path: Path, reference: Reference, cells: list[str], cut: int
) -> None:
    # Any text in any field, and either reply cut anywhere: problems, never an exception.
    row = ",".join(cells)
    for name, text in (
        ("fuzz.csv", f"{HEADER}\n{FLOW},{row}\n"),
        ("fuzz.xml", XML_REPLY.replace('OBS_VALUE="398000000"', f"OBS_VALUE={json.dumps(row)}")[:cut]),
    ):
        parsed = imf_sdmx.parse(write(tmp_path, name, text), release=RELEASE, reference=reference)
        assert all(isinstance(p, Problem) for p in parsed.problems)
        assert list(parsed.frame().columns) == list(RAW_COLUMNS)
