"""The mirror view's numbers, recomputed by hand from tests/dashboard/mirror_stores.py, and the shipped data."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from dashboard import mirror
from dashboard.queries import mirror as gaps
from dashboard.queries.answers import TradeQueries
from dashboard.queries.model import MIRROR_COLUMNS, CifFobBand
from dashboard.queries.store import QueryStore
from tests.dashboard.mirror_stores import CUSTOMS_RELEASE, MIRROR_ROWS, M, publish_flows
from tests.serving import refresh_store

BAND = CifFobBand(low=1.0, central=1.06, high=1.10, bounds=())


@pytest.fixture
def mirror_queries(tmp_path: Path) -> Iterator[TradeQueries]:
    store_dir = tmp_path / "store"
    publish_flows(store_dir)
    queries = QueryStore(store_dir).current()
    yield queries
    queries.close()


def test_flow_rows_reads_every_source_with_origin_and_release(mirror_queries: TradeQueries) -> None:
    rows = mirror_queries.flow_rows("AZE", "ITA", period_start="2020-01", period_end="2020-07")
    assert list(rows["source"]) == ["customs_az"] * 4
    assert list(zip(rows["flow"], rows["period_end"], rows["value_usd"], strict=True)) == [
        ("export", "2020-06", 800.0 * M),
        ("export", "2020-07", 933.2 * M),
        ("import", "2020-06", 150.0 * M),
        ("import", "2020-07", 175.3 * M),
    ]
    assert set(rows["release"]) == {CUSTOMS_RELEASE}
    assert rows["origin"].iloc[1] == "customs_az:AZE-ITA-export-2020-01..2020-07"
    assert rows["attribution"].iloc[0] == "Source: State Customs Committee of Azerbaijan"
    assert rows["partner_name"].iloc[0] == "Italy"
    assert len(mirror_queries.flow_rows(partner="AZE")) == 8
    assert len(mirror_queries.flow_rows("AZE", sources=["customs_az"])) == 8
    assert mirror_queries.flow_rows("'; DROP TABLE trade_flows; --").empty
    assert len(mirror_queries.flow_rows("AZE")) == 24  # nothing dropped by the query above


def test_mirror_table_pairs_both_reports(mirror_queries: TradeQueries) -> None:
    table = gaps.mirror_pair(mirror_queries, "AZE", "ITA", band=BAND).frame
    # Annual rows only: customs cumulatives are left out of the yearly comparison.
    assert list(zip(table["year"], table["direction"], strict=True)) == [
        (2018, "exports"),
        (2019, "exports"),
        (2019, "imports"),
        (2020, "exports"),
        (2020, "imports"),
    ]
    row = table.iloc[1]  # 2019 exports: Azerbaijan 5,000 m FOB, Italy 5,600 m CIF
    assert row["reporter_value"] == 5000 * M and row["partner_value"] == 5600 * M
    assert row["reporter_valuation"] == "FOB" and row["partner_valuation"] == "CIF"
    assert row["gap_usd"] == pytest.approx(600 * M)
    assert row["gap_pct"] == pytest.approx(0.12)
    assert row["cif_fob_ratio"] == pytest.approx(1.12)
    assert bool(row["beyond_band"]) is True
    assert row["partner_origin"] == "imf_dots:ITA-AZE-import-2019-01..2019-12"
    inside = table.iloc[0]  # 2018: 4,200 / 4,000 = 1.05
    assert inside["gap_usd"] == pytest.approx(200 * M) and bool(inside["beyond_band"]) is False
    imports = table.iloc[2]  # 2019 imports: Azerbaijan 400 m CIF, Italy 380 m FOB -> +20 m, +5.26 %
    assert imports["cif_usd"] == 400 * M and imports["fob_usd"] == 380 * M
    assert imports["gap_pct"] == pytest.approx(20 / 380)
    assert bool(imports["beyond_band"]) is False
    one_sided = table.iloc[4]  # 2020 imports: Italy does not report its exports -> no gap, no flag
    assert math.isnan(one_sided["partner_value"]) and math.isnan(one_sided["gap_usd"])
    assert one_sided["beyond_band"] is pd.NA


def test_mirror_table_reads_each_side_from_its_one_source_and_says_which() -> None:
    rows = pd.DataFrame(
        {
            "source": ["customs_az", "imf_dots", "imf_dots"],
            "reporter": ["AZE", "AZE", "ITA"],
            "partner": ["ITA", "ITA", "AZE"],
            "flow": ["export", "export", "import"],
            "period_start": ["2019-01"] * 3,
            "period_end": ["2019-12"] * 3,
            "value_usd": [4000 * M, 5000 * M, 5200 * M],
            "valuation": ["FOB", "FOB", "CIF"],
            "status": ["reported"] * 3,
            "release": ["c", "d", "d"],
            "origin": ["o1", "o2", "o3"],
        }
    )
    table = gaps.mirror_table(rows, "AZE", "ITA", band=BAND, sources={"AZE": "imf_dots", "ITA": "imf_dots"})
    assert len(table) == 1
    assert table["reporter_source"].iloc[0] == "imf_dots"
    assert table["gap_usd"].iloc[0] == pytest.approx(200 * M)
    assert bool(table["beyond_band"].iloc[0]) is False  # 1.04
    customs = gaps.mirror_table(
        rows, "AZE", "ITA", band=BAND, sources={"AZE": "customs_az", "ITA": "imf_dots"}
    )
    assert customs["reporter_source"].iloc[0] == "customs_az"
    assert customs["gap_usd"].iloc[0] == pytest.approx(1200 * M)  # 5,200 CIF − 4,000 FOB, never mixed
    # An economy whose source holds no row of the pair has no side: nothing is taken from another source.
    one_side = gaps.mirror_table(rows, "AZE", "ITA", band=BAND, sources={"AZE": "stat_az", "ITA": "imf_dots"})
    assert len(one_side) == 1 and one_side["partner_value"].iloc[0] == 5200 * M
    assert math.isnan(one_side["reporter_value"].iloc[0]) and one_side["beyond_band"].iloc[0] is pd.NA


@pytest.mark.parametrize(
    ("preference", "source", "value"),
    [(("customs_az", "imf_dots"), "customs_az", 4900 * M), (("imf_dots",), "imf_dots", 5000 * M)],
)
def test_the_store_preference_chooses_each_side_as_the_cards_do(
    tmp_path: Path, preference: tuple[str, ...], source: str, value: float
) -> None:
    """Settings' TRADE_SOURCES, not a fixed order: the mirror reads the source the KPI cards read."""
    rows = (*MIRROR_ROWS, ("customs_az", "AZE", "ITA", "export", "2019-01", "2019-12", 4900 * M))
    publish_flows(tmp_path / "store", rows)
    store = QueryStore(tmp_path / "store", preference=preference)
    queries = store.current()
    try:
        exports = gaps.mirror_pair(queries, "AZE", "ITA", band=BAND).row(2019, "exports")
        kpis = queries.period_kpis("AZE", "ITA", frequency="annual", period="2019")
        assert exports is not None and kpis is not None
        assert exports["reporter_source"] == source == kpis.source
        assert exports["reporter_value"] == value == kpis.exports.value
        assert exports["partner_value"] == 5600 * M  # Italy reports in imf_dots only
    finally:
        store.close()


def test_mirror_table_of_nothing_is_empty_with_its_columns() -> None:
    empty = gaps.mirror_table(
        pd.DataFrame(columns=["reporter", "partner"]), "AZE", "ITA", band=BAND, sources={}
    )
    assert empty.empty and list(empty.columns) == list(MIRROR_COLUMNS)


def test_ranking_by_gap_size(mirror_queries: TradeQueries) -> None:
    ranking = gaps.partner_gaps(mirror_queries, "AZE", 2019, band=BAND).frame
    # Türkiye |−2,380| + |−200| = 2,580 m; Italy 600 + 20 = 620 m; Russia 10 + 100 = 110 m.
    # Georgia has no mirror report, World is a group: neither is ranked.
    assert list(ranking["partner"]) == ["TUR", "ITA", "RUS"]
    assert list(ranking["rank"]) == [1, 2, 3]
    assert list(ranking["abs_gap_usd"]) == pytest.approx([2580 * M, 620 * M, 110 * M])
    assert ranking["exports_gap_pct"].iloc[0] == pytest.approx(-0.85)
    assert list(ranking["beyond_band"]) == [True, True, False]
    assert ranking["name"].iloc[0] == "Türkiye"
    assert gaps.partner_gaps(mirror_queries, "AZE", 1990, band=BAND).frame.empty


def test_explanation_in_plain_words(mirror_queries: TradeQueries) -> None:
    pair = gaps.mirror_pair(mirror_queries, "AZE", "TUR", band=BAND)
    explained = mirror.explain(
        pair, 2019, reporter_name="Azerbaijan", partner_name="Türkiye", band=BAND, notes=mirror.load_notes()
    )
    assert explained.flows[0] == (
        "In 2019 Azerbaijan reports exports to Türkiye of $2.80 bn (FOB); Türkiye reports imports from "
        "Azerbaijan of $420.0 m (CIF). Türkiye's CIF figure is $2.38 bn lower than Azerbaijan's FOB figure "
        "(\u221285.0%). Azerbaijan's figure is 6.7 times Türkiye's. Freight and insurance cannot explain this: "
        "the CIF figure is normally 0% to 10% above "
        "the FOB figure (about 6% on average); this gap is far outside that band."
    )
    assert explained.beyond_band == ("exports", "imports")
    assert [n.cause for n in explained.notes][:2] == ["transit", "estimation"]
    assert "Ceyhan" in explained.notes[0].text
    within = mirror.explain(pair, 2020, reporter_name="Azerbaijan", partner_name="Türkiye", band=BAND)
    assert within.flows[0] == (
        "In 2020 Azerbaijan reports exports to Türkiye of $2.60 bn (FOB); Türkiye reports no figure for this flow."
    )
    assert mirror.explain(pair, 1990, reporter_name="A", partner_name="B", band=BAND).text == (
        "Neither A nor B reports trade between them in 1990."
    )


def test_notes_apply_to_the_pair_in_either_order_and_their_years() -> None:
    notes = mirror.load_notes()
    transit = next(n for n in notes if n.cause == "transit")
    assert transit.applies("AZE", "TUR", direction="exports", year=2019)
    assert transit.applies("TUR", "AZE", direction="imports", year=2019)  # Türkiye's imports = AZE's exports
    assert not transit.applies("TUR", "AZE", direction="exports", year=2019)
    assert not transit.applies("AZE", "TUR", direction="exports", year=2005)
    assert not transit.applies("AZE", "ITA", direction="exports", year=2019)
    assert [n.cause for n in mirror.notes_for(notes, "AZE", "ITA", direction="exports", year=2010)] == [
        "attribution",
        "timing",
        "valuation",
    ]


def test_band_reference_file_and_its_citations() -> None:
    band = gaps.load_band()
    assert (band.low, band.central, band.high) == (1.0, 1.06, 1.10)
    assert band.contains(1.0) and band.contains(1.1) and not band.contains(1.1001) and not band.contains(0.99)
    assert any("1.06 is currently used" in basis for basis, _ in band.citations)
    assert any("ITIC" in basis for basis, _ in band.citations)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("bound,ratio,basis,url\nlow,x,b,\n", "line 2, field ratio: 'x' is not a number"),
        ("bound,ratio,basis,url\nlow,1.0,b,\n", "no row for bound(s) central, high"),
        ("bound,ratio\n", "missing column(s) basis, url"),
        ("bound,ratio,basis,url\nlow,1.2,b,\ncentral,1.0,b,\nhigh,1.1,b,\n", "low <= central <= high"),
        ("bound,ratio,basis,url\n# c\nlow,1.0,b\n", "line 3: 3 fields where the header has 4"),
    ],
)
def test_a_malformed_band_file_is_named_with_its_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "band.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(gaps.ReferenceError) as error:
        gaps.load_band(path)
    assert str(path) in str(error.value) and message in str(error.value)


def test_a_malformed_notes_file_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    header = "cause,economy,counterpart,flow,first_year,last_year,title,text,reference\n"
    path.write_text(header + "timing,*,*,both,,,T,text,\n", encoding="utf-8")
    with pytest.raises(gaps.ReferenceError, match="line 2, field flow: 'both'"):
        mirror.load_notes(path)
    path.write_text(header + "timing,*,*,*,20x0,,T,text,\n", encoding="utf-8")
    with pytest.raises(gaps.ReferenceError, match="line 2, field first_year"):
        mirror.load_notes(path)


def test_export_gives_the_figure_and_its_table(mirror_queries: TradeQueries) -> None:
    figure, pair = mirror.mirror_export(mirror_queries, "AZE", "ITA", year=2019, band=BAND)
    assert len(pair.frame) == 5
    exports_lines = [t for t in figure.data if t.name == "As Azerbaijan reports it"]
    assert list(exports_lines[0].y) == [4.0, 5.0, 4.1722]  # billions, 2018..2020


# --- the shipped snapshot ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def snapshot_queries(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TradeQueries]:
    """The shipped snapshot published by the real ETL (`python -m etl refresh --offline`)."""
    folder = tmp_path_factory.mktemp("snapshot")
    refresh_store(folder / "store", folder / "raw")
    queries = QueryStore(folder / "store").current()
    yield queries
    queries.close()


def test_shipped_snapshot_azerbaijan_turkiye_2019(snapshot_queries: TradeQueries) -> None:
    band = gaps.load_band()
    pair = gaps.mirror_pair(snapshot_queries, "AZE", "TUR", band=band)
    exports = pair.row(2019, "exports")
    assert exports is not None
    # DOTS_13.xlsx (Azerbaijan) exports to Türkiye 2,862.69 m; DOTS_200.xlsx (Türkiye) imports 411.02 m.
    assert round(exports["reporter_value"] / M) == 2863
    assert round(exports["partner_value"] / M) == 411
    assert exports["reporter_origin"] == "DOTS_13.xlsx!'Exports, FOB'!AD89"
    assert exports["partner_origin"] == "DOTS_200.xlsx!'Imports, CIF'!BJ115"
    assert exports["gap_usd"] == exports["partner_value"] - exports["reporter_value"]
    assert exports["gap_pct"] == pytest.approx(-0.8564, abs=1e-4)
    assert bool(exports["beyond_band"]) is True
    explained = mirror.explain(
        pair, 2019, reporter_name="Azerbaijan", partner_name="Türkiye", band=band, notes=mirror.load_notes()
    )
    assert explained.flows[0].startswith(
        "In 2019 Azerbaijan reports exports to Türkiye of $2.86 bn (FOB); Türkiye reports imports from "
        "Azerbaijan of $411.0 m (CIF). Türkiye's CIF figure is $2.45 bn lower"
    )
    assert "Azerbaijan's figure is 7.0 times Türkiye's." in explained.flows[0]  # 2,862.7 / 411.0
    assert explained.notes[0].title == "Transit through Türkiye (Ceyhan)"
    ranking = gaps.partner_gaps(snapshot_queries, "AZE", 2019, band=band).frame
    assert "TUR" in set(ranking["partner"].head(5))


def test_shipped_snapshot_claims(snapshot_queries: TradeQueries) -> None:
    """The issue's paragraph on the real data: its turnover implies imports the whole year never reached."""
    from dashboard import claims
    from tests.dashboard.claims.test_claims import EXAMPLE

    rank, turnover, exports = claims.check_text(snapshot_queries, EXAMPLE)
    assert rank.word == claims.NOT_CHECKABLE and rank.data is not None and rank.data.value == 1
    assert turnover.word == claims.IMPLAUSIBLE
    assert turnover.explanation == (
        "turnover $3.70 bn with exports $933.2 m implies imports of $2.77 bn in January\u2013July 2020, "
        "but imports from Italy in the whole of 2020 were $396.2 m. Either the turnover is at most $1.33 bn "
        "(exports $933.2 m + $396.2 m), or exports were at least $3.30 bn, not $933.2 million; the data for "
        "January\u2013July 2020 cannot tell which."
    )
    assert turnover.data is not None and turnover.data.origin == "DOTS_13.xlsx!'Imports, CIF'!AE22"
    assert exports.word == claims.IMPLAUSIBLE
    (turkiye,) = claims.check_text(
        snapshot_queries, "In 2019 Azerbaijan's exports to Turkey were $2,863 million."
    )
    assert turkiye.word == claims.CONSISTENT
    assert [(a.label, round((a.value or 0) / M)) for a in turkiye.alternatives] == [
        ("Türkiye's report (mirror)", 411)
    ]
