"""Exports of every chart of the page on the new view state: values hand-computed from TINY_ROWS and
PERIOD_ROWS (tests/dashboard/stores.py), in millions (M), and each export's figure the page's own."""

from __future__ import annotations

import dataclasses
import io
import json

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.callbacks.mirror import mirror_outputs
from dashboard.components.chart_outputs import (
    comparison_outputs,
    map_outputs,
    rank_history_outputs,
    ranking_outputs,
    table_outputs,
    trend_outputs,
)
from dashboard.queries.answers import TradeQueries
from dashboard.registry import FormatNotOffered, build_chart, export_chart
from dashboard.state import ViewState

M = 1_000_000
ANNUAL = ViewState(reporter="AZE", partner="ITA", period="2019", compare=("ITA", "TUR"), source="imf_dots")
MONTHLY = dataclasses.replace(ANNUAL, frequency="monthly", period="2020-07", source="customs_az")
CUMULATIVE = dataclasses.replace(MONTHLY, frequency="cumulative")


def read_csv(content: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(content), encoding="utf-8-sig", keep_default_na=False, dtype=str)


def test_monthly_trend_export_derives_months_from_cumulatives_and_says_so(queries: TradeQueries) -> None:
    table = read_csv(export_chart(queries, "trend", MONTHLY, fmt="csv").content)
    # customs_az publishes Jan–Jun and Jan–Jul: July = Jan–Jul − Jan–Jun.
    assert table["period"].tolist() == ["2019-07", "2020-07"]
    assert table["exports_usd"].tolist() == [str((2800 - 2400) * M), str((1750 - 1500) * M)]
    assert table["imports_usd"].tolist() == [str((210 - 180) * M), str((170 - 150) * M)]
    assert table["turnover_usd"].tolist() == [str(430 * M), str(270 * M)]
    assert table["derived"].tolist() == ["True", "True"]
    assert table["exports_origin"].tolist()[-1] == "Jan–Jul 2020 − Jan–Jun 2020"
    assert set(table["source_id"]) == {"customs_az"}
    assert table["source"].iloc[0].startswith("Source: State Customs Committee of Azerbaijan")
    metadata = build_chart(queries, "trend", MONTHLY).metadata
    assert any("flagged derived" in note for note in metadata.notes)


def test_cumulative_trend_export_is_the_stored_cumulatives(queries: TradeQueries) -> None:
    table = read_csv(export_chart(queries, "trend", CUMULATIVE, fmt="csv").content)
    assert table["period"].tolist() == ["2019-06", "2019-07", "2020-06", "2020-07"]
    assert table["label"].tolist()[-1] == "Jan–Jul 2020"
    assert table["exports_usd"].tolist() == [str(v * M) for v in (2400, 2800, 1500, 1750)]
    assert table["balance_usd"].tolist() == [str(v * M) for v in (2220, 2590, 1350, 1580)]
    assert table["derived"].tolist() == ["False"] * 4


def test_hidden_flows_stay_in_the_data_and_the_figure_is_the_pages(queries: TradeQueries) -> None:
    state = dataclasses.replace(ANNUAL, flows=("exports",))
    figure, data, _ = build_chart(queries, "trend", state)
    visible = {trace.name: trace.visible for trace in figure.data}
    assert visible["Exports"] is True and visible["Imports"] == "legendonly"
    assert data["imports_usd"].tolist() == [250 * M, 300 * M, 400 * M]
    page, _ = trend_outputs(queries, state)
    assert json.loads(figure.to_json()) == json.loads(go.Figure(page).to_json())  # the page draws it


def test_monthly_ranking_shares_of_the_monthly_world_total(queries: TradeQueries) -> None:
    figure, data, metadata = build_chart(queries, "ranking", MONTHLY)
    world = (3500 - 3000 + 2800 - 2400) * M  # July 2020 World exports + imports
    assert data["partner"].tolist() == ["ITA", "TUR"]
    assert data["value_usd"].tolist() == [270 * M, 70 * M]  # TUR's imports fell Jan–Jun → Jan–Jul: no July
    assert data["reporter_total_usd"].tolist() == [world, world]
    assert data["share"].tolist() == pytest.approx([270 / 900, 70 / 900])
    assert pd.isna(data["imports_usd"].iloc[1])
    assert metadata.title == "Top 15 partners by turnover, Jul 2020 (Azerbaijan)"
    assert any("smaller than Jan–Jun 2020" in note for note in metadata.notes)
    _, page, _ = ranking_outputs(queries, MONTHLY)
    assert json.loads(figure.to_json()) == json.loads(go.Figure(page).to_json())  # the page draws it


def test_comparison_follows_the_measure_and_is_the_pages_figure(queries: TradeQueries) -> None:
    state = dataclasses.replace(ANNUAL, measure="exports")
    figure, data, _ = build_chart(queries, "comparison", state)
    assert set(data["measure"]) == {"exports"}
    assert dict(zip(zip(data["partner"], data["period"], strict=True), data["value_usd"], strict=True)) == {
        ("ITA", "2017"): 3000 * M,
        ("ITA", "2018"): 4000 * M,
        ("ITA", "2019"): 5000 * M,
        ("TUR", "2017"): 800 * M,
        ("TUR", "2018"): 900 * M,
        ("TUR", "2019"): 1000 * M,
    }
    _, page, _ = comparison_outputs(queries, state)
    assert figure.to_json() == page.to_json()


def test_rank_over_time_ranks_among_partner_countries(queries: TradeQueries) -> None:
    figure, data, _ = build_chart(queries, "rank_history", ANNUAL)
    ita = data[(data["partner"] == "ITA") & (data["measure"] == "turnover")]
    assert ita["period"].tolist() == ["2017", "2018", "2019"]
    assert ita["value_usd"].tolist() == [3250 * M, 4300 * M, 5400 * M]
    assert pd.isna(ita["rank"].iloc[0])  # 2017 has no World row: no rank, not last
    assert ita["rank"].tolist()[1:] == [1, 1]
    assert ita["share"].tolist()[1:] == pytest.approx([4300 / 11500, 5400 / 13000])
    tur_imports = data[(data["partner"] == "TUR") & (data["measure"] == "imports")]
    assert tur_imports["rank"].tolist()[1:] == [1, 2]  # 2019 imports: RUS 1800 > TUR 1500 > ITA 400
    page, _ = rank_history_outputs(queries, ANNUAL)
    assert figure.to_json() == page.to_json()


def test_map_data_colour_the_chosen_measure(queries: TradeQueries) -> None:
    state = dataclasses.replace(ANNUAL, map_measure="exports")
    figure, data, metadata = build_chart(queries, "map", state)
    countries = data[data["kind"] == "country"]
    assert countries["partner"].tolist() == ["ITA", "TUR", "RUS"]
    assert countries["value_usd"].tolist() == [5000 * M, 1000 * M, 300 * M]
    assert countries["share"].tolist() == pytest.approx([5000 / 8000, 1000 / 8000, 300 / 8000])
    assert set(data["measure"]) == {"exports"}
    assert metadata.title == "Partners on the map: exports, 2019 (Azerbaijan)"
    _, page, _ = map_outputs(queries, state)
    assert figure.to_json() == page.to_json()


def test_table_exports_every_partner_with_the_year_before(queries: TradeQueries) -> None:
    book = openpyxl.load_workbook(io.BytesIO(export_chart(queries, "table", ANNUAL, fmt="xlsx").content))
    sheet = book["Data"]
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    ita = rows[0]
    assert (ita["partner"], ita["rank"], ita["turnover_usd"]) == ("ITA", 1, 5400 * M)
    assert (ita["turnover_previous_usd"], ita["turnover_change_usd"]) == (4300 * M, 1100 * M)
    assert ita["turnover_change_pct"] == pytest.approx(1100 / 4300)
    assert [r["partner"] for r in rows] == ["ITA", "TUR", "RUS", "WLD", "EUU"]
    notes = [
        value for field, value in book["About"].iter_rows(min_row=2, values_only=True) if field == "Note"
    ]
    assert "Previous: 2018." in notes
    # The page's grid shows the same rows.
    _, grid, _, _ = table_outputs(queries, ANNUAL)
    assert [r["partner"] for r in grid] == [r["partner"] for r in rows]
    assert [r["turnover_previous"] for r in grid] == [r["turnover_previous_usd"] for r in rows]


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf", "html"])
def test_the_table_is_data_only(queries: TradeQueries, fmt: str) -> None:
    with pytest.raises(FormatNotOffered, match="exports as CSV or XLSX only"):
        export_chart(queries, "table", ANNUAL, fmt=fmt)


def test_mirror_export_puts_both_reports_side_by_side(queries: TradeQueries) -> None:
    figure, data, metadata = build_chart(queries, "mirror", ANNUAL)
    row = data[(data["year"] == 2019) & (data["direction"] == "exports")].iloc[0]
    # AZE's exports to Italy, FOB 5000, against Italy's imports from Azerbaijan, CIF 5200.
    assert (row["reporter_value"], row["partner_value"]) == (5000 * M, 5200 * M)
    assert (row["fob_usd"], row["cif_usd"], row["gap_usd"]) == (5000 * M, 5200 * M, 200 * M)
    assert row["gap_pct"] == pytest.approx(200 / 5000)
    assert pd.isna(data[data["year"] == 2018]["partner_value"]).all()  # no mirror report: missing, not zero
    assert metadata.title == "Azerbaijan and Italy: two reports of the same trade"
    _, page, *_ = mirror_outputs(queries, "AZE", "ITA", "2019")
    assert figure.to_json() == page.to_json()
    table = read_csv(export_chart(queries, "mirror", ANNUAL, fmt="csv").content)
    assert table[(table["year"] == "2019") & (table["direction"] == "exports")]["gap_usd"].tolist() == [
        str(200 * M)
    ]
