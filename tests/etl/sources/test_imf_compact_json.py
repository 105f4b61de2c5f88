"""Saved replies of the retired IMF CompactData JSON API (SOURCES.md 3.1), written here pretty and compact, with
the single-object series and observation the converter produced; exact rows in full dollars and exact problems."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.http import FetchError
from etl.problems import Problem
from etl.reference import Reference
from etl.sources import RAW_COLUMNS, imf_compact_json
from etl.validate import problems_in
from tests.conftest import REPO_ROOT
from tests.helpers import etl_environment, run_etl, tidy, write

RELEASE = "2021-03-01"
KEYS = (
    "@FREQ",
    "@REF_AREA",
    "@INDICATOR",
    "@COUNTERPART_AREA",
    "@UNIT_MULT",
    "@TIME_FORMAT",
    "Obs",
    "@TIME_PERIOD",
    "@OBS_VALUE",
    "@OBS_STATUS",
    "Series",
)


def series(
    ref: str, indicator: str, partner: str, obs: Any, *, freq: str = "A", mult: str = "6", fmt: str = "P1Y"
) -> dict[str, Any]:
    return {
        "@FREQ": freq,
        "@REF_AREA": ref,
        "@INDICATOR": indicator,
        "@COUNTERPART_AREA": partner,
        "@UNIT_MULT": mult,
        "@TIME_FORMAT": fmt,
        "Obs": obs,
    }


def reply(series_node: Any) -> dict[str, Any]:
    """A CompactData reply with the header the service sent."""
    return {
        "CompactData": {
            "@xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "@xmlns:xsd": "http://www.w3.org/2001/XMLSchema",
            "@xsi:schemaLocation": "http://www.SDMX.org/resources/SDMXML/schemas/v2_0/message "
            "https://registry.sdmx.org/schemas/v2_0/SDMXMessage.xsd",
            "@xmlns": "http://www.SDMX.org/resources/SDMXML/schemas/v2_0/message",
            "Header": {
                "ID": "2f7c1b1e-7f1e-4a9f-9d1d-0c6f1a1b2c3d",
                "Test": "false",
                "Prepared": "2021-03-01T10:03:38",
                "Sender": {"@id": "1C0", "Name": {"@xml:lang": "en", "#text": "IMF"}},
                "Receiver": {"@id": "ZZZ"},
                "DataSetID": "DOT",
            },
            "DataSet": {"@xmlns": "http://dataservices.imf.org/compact/DOT", "Series": series_node},
        }
    }


PRETTY = reply(
    [
        series(
            "US",
            "TXG_FOB_USD",
            "W00",
            [
                {"@TIME_PERIOD": "2022", "@OBS_VALUE": "2064787.24"},
                {"@TIME_PERIOD": "2023", "@OBS_VALUE": "2019551.635133"},
            ],
        ),
        series(
            "AZ",
            "TMG_CIF_USD",
            "IT",
            [
                {"@TIME_PERIOD": "2020-01", "@OBS_VALUE": "41.2345"},
                {"@TIME_PERIOD": "2020-M02", "@OBS_VALUE": "39.8"},
                {"@TIME_PERIOD": "2020-03"},  # no value: no row
                {"@TIME_PERIOD": "2020-04", "@OBS_VALUE": "NaN"},  # missing: no row
            ],
            freq="M",
            fmt="P1M",
        ),
        series("AZ", "TBG_USD", "IT", [{"@TIME_PERIOD": "2020", "@OBS_VALUE": "-12.5"}]),  # balance: skipped
        series(
            "AZ",
            "TXG_FOB_USD",
            "B0",
            {"@TIME_PERIOD": "2020-Q3", "@OBS_VALUE": "1234.5"},
            freq="Q",
            fmt="P3M",
        ),
        series("AZ", "TMG_FOB_USD", "TR", [{"@TIME_PERIOD": "2019", "@OBS_VALUE": "850.25"}], mult="3"),
        series("IT", "TMG_CIF_USD", "AZ", []),  # a series without observations
    ]
)
PRETTY_ROWS = [
    ("USA", "WLD", "export", "2022-01", "2022-12", 2064787240000.0, "FOB", "Series[0].Obs[0]"),
    ("USA", "WLD", "export", "2023-01", "2023-12", 2019551635133.0, "FOB", "Series[0].Obs[1]"),
    ("AZE", "ITA", "import", "2020-01", "2020-01", 41234500.0, "CIF", "Series[1].Obs[0]"),
    ("AZE", "ITA", "import", "2020-02", "2020-02", 39800000.0, "CIF", "Series[1].Obs[1]"),
    ("AZE", "EUU", "export", "2020-07", "2020-09", 1234500000.0, "FOB", "Series[3].Obs"),
    ("AZE", "TUR", "import", "2019-01", "2019-12", 850250.0, "FOB", "Series[4].Obs[0]"),
]


@pytest.fixture(scope="module")
def reference() -> Reference:
    return Reference()


def placed(file: str, rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    return [(*row[:-1], f"{file}#CompactData.DataSet.{row[-1]}") for row in rows]


def test_pretty_reply_gives_exact_rows_in_full_dollars(tmp_path: Path, reference: Reference) -> None:
    parsed = imf_compact_json.parse(write(tmp_path, "dot.json", PRETTY), release=RELEASE, reference=reference)
    assert parsed.problems == []
    frame = parsed.frame()
    assert list(frame.columns) == list(RAW_COLUMNS)
    # UNIT_MULT 6: "2019551.635133" millions is the same $2,019,551,635,133 the SDMX 3.0 API gives in dollars.
    assert tidy(frame) == placed("dot.json", PRETTY_ROWS)
    assert set(frame["source"]) == {"imf_dots_api"}
    assert set(frame["status"]) == {"reported"}
    assert set(frame["release"]) == {RELEASE}
    assert problems_in(frame, areas=reference.areas()) == []


def test_compact_one_line_reply_reads_the_same(tmp_path: Path, reference: Reference) -> None:
    path = write(tmp_path, "dot_compact.json", PRETTY, pretty=False)
    assert b"\n" not in path.read_bytes()
    parsed = imf_compact_json.parse(path, release=RELEASE, reference=reference)
    assert parsed.problems == []
    assert tidy(parsed.frame()) == placed("dot_compact.json", PRETTY_ROWS)


def test_a_single_series_with_a_single_observation_as_objects(tmp_path: Path, reference: Reference) -> None:
    single = reply(series("AZ", "TXG_FOB_USD", "IT", {"@TIME_PERIOD": "2017", "@OBS_VALUE": "5350.123456"}))
    parsed = imf_compact_json.parse(
        write(tmp_path, "one.json", single, pretty=False), release=RELEASE, reference=reference
    )
    assert parsed.problems == []
    assert tidy(parsed.frame()) == [
        (
            "AZE",
            "ITA",
            "export",
            "2017-01",
            "2017-12",
            5350123456.0,
            "FOB",
            "one.json#CompactData.DataSet.Series.Obs",
        )
    ]


def test_no_series_gives_no_rows(tmp_path: Path, reference: Reference) -> None:
    for name, body in (
        ("empty_dataset.json", reply(None)),
        ("no_dataset.json", {"CompactData": {"Header": {"ID": "x"}, "DataSet": None}}),
    ):
        parsed = imf_compact_json.parse(write(tmp_path, name, body), release=RELEASE, reference=reference)
        assert parsed.problems == []
        assert parsed.frame().empty


def test_truncated_json_is_a_problem_with_its_position(tmp_path: Path, reference: Reference) -> None:
    text = json.dumps(PRETTY, separators=(",", ":"))
    cut = text[: text.index('"@OBS_VALUE":') + len('"@OBS_VALUE":')]
    parsed = imf_compact_json.parse(write(tmp_path, "cut.json", cut), release=RELEASE, reference=reference)
    place = f"line 1, column {len(cut) + 1}"
    assert parsed.problems == [
        Problem("cut.json", "not valid JSON (the file may be cut short): Expecting value", cell=place)
    ]
    assert parsed.frame().empty


def test_bad_series_and_observations_are_problems_at_their_json_path(
    tmp_path: Path, reference: Reference
) -> None:
    body = reply(
        [
            series("AZ", "TXG_FOB_USD", "IT", [{"@TIME_PERIOD": "2020", "@OBS_VALUE": "abc"}]),  # 0
            series("AZ", "TXG_FOB_USD", "TR", [{"@TIME_PERIOD": "2020", "@OBS_VALUE": "-5"}]),  # 1
            series("AZ", "TXG_FOB_USD", "U2", [{"@TIME_PERIOD": "2020", "@OBS_VALUE": "5"}]),  # 2: unknown
            series("AZ", "TXG_FOB_USD", "DE", [{"@TIME_PERIOD": "2020", "@OBS_VALUE": "1"}], mult=""),  # 3
            series("AZ", "TXG_FOB_USD", "FR", [{"@TIME_PERIOD": "2020", "@OBS_VALUE": "1"}], fmt="P1W"),  # 4
            series("AZ", "TXG_FOB_USD", "GE", [{"@TIME_PERIOD": "2020-01", "@OBS_VALUE": "1"}]),  # 5
            series("AZ", "TXG_FOB_EUR", "GE", [{"@TIME_PERIOD": "2020", "@OBS_VALUE": "1"}]),  # 6
            "not a series",  # 7
            {"@REF_AREA": "AZ", "@INDICATOR": "TXG_FOB_USD"},  # 8
            series("AZ", "TXG_FOB_USD", "GE", [{"@TIME_PERIOD": "2019", "@OBS_VALUE": True}, ["x"]]),  # 9
            series(
                "AZ", "TXG_FOB_USD", "GE", [{"@TIME_PERIOD": "2018", "@OBS_VALUE": 7}]
            ),  # 10: a number is fine
        ]
    )
    parsed = imf_compact_json.parse(write(tmp_path, "bad.json", body), release=RELEASE, reference=reference)
    s = "CompactData.DataSet.Series"
    assert parsed.problems == [
        Problem("bad.json", "@OBS_VALUE not a number", cell=f"{s}[0].Obs[0]", value="abc"),
        Problem("bad.json", "negative value for a country's trade", cell=f"{s}[1].Obs[0]", value="-5"),
        Problem(
            "bad.json",
            '@UNIT_MULT should be a power of ten such as "6" (millions)',
            cell=f"{s}[3].@UNIT_MULT",
        ),
        Problem(
            "bad.json",
            "@TIME_FORMAT not understood; expected one of P1Y, P3M, P1M",
            cell=f"{s}[4].@TIME_FORMAT",
            value="P1W",
        ),
        Problem(
            "bad.json",
            "@TIME_PERIOD does not match the series frequency A (P1Y)",
            cell=f"{s}[5].Obs[0]",
            value="2020-01",
        ),
        Problem(
            "bad.json",
            "indicator not understood; expected TXG_FOB_USD, TMG_CIF_USD, TMG_FOB_USD (TBG_USD, the balance, is "
            "skipped)",
            cell=f"{s}[6].@INDICATOR",
            value="TXG_FOB_EUR",
        ),
        Problem("bad.json", "a series should be an object", cell=f"{s}[7]"),
        Problem("bad.json", "series without @COUNTERPART_AREA", cell=f"{s}[8]"),
        Problem(
            "bad.json", "@OBS_VALUE should be a number written as text", cell=f"{s}[9].Obs[0]", value="True"
        ),
        Problem("bad.json", "an observation should be an object", cell=f"{s}[9].Obs[1]"),
        Problem(
            "bad.json",
            "unknown IMF area code in @COUNTERPART_AREA (in 1 observation): not an ISO 3166 code known to "
            "data/reference nor listed in data/reference/imf_area_codes.csv (add an IMF aggregate there with its "
            "group code)",
            cell=f"{s}[2].@COUNTERPART_AREA",
            value="U2",
        ),
    ]
    assert tidy(parsed.frame()) == [
        ("AZE", "GEO", "export", "2018-01", "2018-12", 7000000.0, "FOB", f"bad.json#{s}[10].Obs[0]")
    ]


def test_imports_both_cif_and_fob_for_one_period_are_reported_not_merged(
    tmp_path: Path, reference: Reference
) -> None:
    body = reply(
        [
            series(
                "AZ",
                "TMG_CIF_USD",
                "IT",
                [{"@TIME_PERIOD": "2019", "@OBS_VALUE": "10"}, {"@TIME_PERIOD": "2020", "@OBS_VALUE": "11"}],
            ),
            series("AZ", "TMG_FOB_USD", "IT", [{"@TIME_PERIOD": "2019", "@OBS_VALUE": "9.5"}]),
        ]
    )
    parsed = imf_compact_json.parse(write(tmp_path, "both.json", body), release=RELEASE, reference=reference)
    assert parsed.problems == [
        Problem(
            "both.json",
            "imports given both CIF (TMG_CIF_USD) and FOB (TMG_FOB_USD) for the same partner and period; the tidy "
            "table keeps one valuation per figure, so give replies with only one of them "
            "(also at CompactData.DataSet.Series[1].Obs[0])",
            cell="CompactData.DataSet.Series[0].Obs[0]",
        )
    ]
    assert tidy(parsed.frame()) == [
        (
            "AZE",
            "ITA",
            "import",
            "2020-01",
            "2020-12",
            11000000.0,
            "CIF",
            "both.json#CompactData.DataSet.Series[0].Obs[1]",
        )
    ]


def test_other_json_and_non_json(tmp_path: Path, reference: Reference) -> None:
    error = {"ErrorDetails": {"Code": "-1", "Message": "An error has occurred."}}
    parsed = imf_compact_json.parse(
        write(tmp_path, "error.json", error), release=RELEASE, reference=reference
    )
    assert parsed.problems == [
        Problem(
            "error.json", "not a CompactData reply: no CompactData object at the top (found: ErrorDetails)"
        )
    ]
    listed = imf_compact_json.parse(
        write(tmp_path, "list.json", "[1, 2]"), release=RELEASE, reference=reference
    )
    assert listed.problems == [
        Problem("list.json", "not a CompactData reply: no CompactData object at the top (found: list)")
    ]
    latin = imf_compact_json.parse(
        write(tmp_path, "latin.json", b'{"a": "\xe9"}'), release=RELEASE, reference=reference
    )
    assert latin.problems == [
        Problem("latin.json", "not UTF-8 text (bad byte at offset 7); not a CompactData JSON reply")
    ]


def test_area_codes_of_the_old_api(reference: Reference) -> None:
    from etl.sources.imf_sdmx import AreaCodes

    codes = AreaCodes(reference, "compact")
    assert [codes.code(c) for c in ("AZ", "IT", "US", "TR", "W00", "B0")] == [
        "AZE",
        "ITA",
        "USA",
        "TUR",
        "WLD",
        "EUU",
    ]
    # Not alpha-2, not listed, or the SDMX 3.0 spelling: each is unknown here.
    assert [codes.code(c) for c in ("XX", "U2", "az", "AZE", "G001", "1C_ALL")] == [None] * 6


def test_fetch_explains_the_service_is_retired(tmp_path: Path) -> None:
    with pytest.raises(FetchError) as caught:
        imf_compact_json.fetch(raw_dir=tmp_path, release=RELEASE, environ={})
    assert str(caught.value) == (
        "imf_dots_api: the IMF CompactData JSON service (dataservices.imf.org) was retired in 2025; there is no "
        "live service (request: none). Give saved replies with --input FILE..., or refresh the live IMF data with "
        "--source imf-sdmx"
    )
    assert list(tmp_path.iterdir()) == []


def test_cli_parse_of_a_saved_reply_and_of_a_broken_one(tmp_path: Path) -> None:
    env = etl_environment(tmp_path)
    good = write(tmp_path, "dot.json", PRETTY)
    broken = write(tmp_path, "broken.json", '{"CompactData": {"DataSet": {"Series": [')
    out = tmp_path / "out.csv"
    command = ["parse", "--source", "imf-compact-json", "--output", str(out)]
    ok = run_etl(*command, str(good), env=env, timeout=120)
    assert ok.returncode == 0, ok.stderr
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
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
    assert got == set(placed("dot.json", PRETTY_ROWS))
    out.unlink()
    bad = run_etl(*command, str(broken), env=env, timeout=120)
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert "broken.json" in bad.stderr and "not valid JSON (the file may be cut short)" in bad.stderr
    assert not out.exists()


def test_a_second_refresh_reads_the_saved_reply_but_not_the_raw_manifest(tmp_path: Path) -> None:
    # --input files are saved to data/raw/imf_dots_api/<release>/ beside a manifest.json, which "*.json" matches.
    from etl.refresh.orchestration import refresh
    from etl.settings import Settings

    settings = Settings(
        store_dir=tmp_path / "store",
        raw_dir=tmp_path / "raw",
        snapshot_dir=tmp_path / "no-snapshot",
        reference_dir=REPO_ROOT / "data" / "reference",
    )
    given = write(tmp_path, "dot.json", PRETTY)
    first = refresh(settings, inputs=[given], source="imf-compact-json", release=RELEASE)
    assert first.rows_by_source == {"imf_dots_api": 6}
    assert sorted(p.name for p in (tmp_path / "raw" / "imf_dots_api" / RELEASE).iterdir()) == [
        "dot.json",
        "manifest.json",
    ]
    again = refresh(settings, inputs=[], source="imf-compact-json", release=RELEASE)
    assert again.rows_by_source == {"imf_dots_api": 6}


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(KEYS), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(node=JSON_VALUES, cut=st.integers(min_value=0, max_value=600))
def test_parse_never_raises_on_mangled_replies(
    tmp_path: Path, reference: Reference, node: Any, cut: int
) -> None:
    # Any JSON where series, observations or their fields belong, and the reply cut anywhere: problems only.
    replies = (
        reply(node),
        reply([series("AZ", "TXG_FOB_USD", "IT", node)]),
        reply([series("AZ", "TXG_FOB_USD", "IT", [{"@TIME_PERIOD": node, "@OBS_VALUE": node}])]),
    )
    for body in replies:
        parsed = imf_compact_json.parse(
            write(tmp_path, "fuzz.json", body), release=RELEASE, reference=reference
        )
        assert all(isinstance(p, Problem) for p in parsed.problems)
        assert list(parsed.frame().columns) == list(RAW_COLUMNS)
    cut_text = json.dumps(replies[1])[:cut]
    parsed = imf_compact_json.parse(
        write(tmp_path, "cut.json", cut_text), release=RELEASE, reference=reference
    )
    assert list(parsed.frame().columns) == list(RAW_COLUMNS)
