"""Figures without a browser: hand-built tidy frames in, plotly figures checked trace by trace."""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.rank_history import rank_history_figure
from dashboard.figures.ranking import partner_ranking_spec
from dashboard.figures.theme import HIGHLIGHT, MUTED, NO_DATA, no_data_figure
from dashboard.figures.trend import bilateral_trend_spec

M = 1_000_000.0


def bilateral_trend(frame: pd.DataFrame, **options: Any) -> go.Figure:
    """The trend as the page's answer holds it (a plain dict), read through a figure."""
    return go.Figure(bilateral_trend_spec(frame, **options), _validate=False)


def partner_ranking_bars(frame: pd.DataFrame, **options: Any) -> go.Figure:
    """The ranking as the page's answer holds it (a plain dict), read through a figure."""
    return go.Figure(partner_ranking_spec(frame, **options), _validate=False)


def _series() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2017, 2019],  # 2018 missing: a gap, not a zero
            "exports": [3000 * M, 5000 * M],
            "imports": [math.nan, 400 * M],
            "turnover": [3000 * M, 5400 * M],
            "balance": [math.nan, 4600 * M],
            "partial": [True, False],
            "exports_estimated": [False, True],
            "imports_estimated": [False, False],
        }
    )


def _is_empty_state(figure: object, text: str | None = None) -> bool:
    layout = figure.layout  # type: ignore[attr-defined]
    notes = [a.text for a in layout.annotations]
    return len(figure.data) == 0 and len(notes) == 1 and (text is None or text in notes[0])  # type: ignore[attr-defined]


def test_trend_traces_values_and_gaps() -> None:
    figure = bilateral_trend(_series(), reporter_name="Azerbaijan", partner_name="Italy", year=2019)
    assert [t.name for t in figure.data] == ["Balance", "Exports", "Imports", "Turnover"]
    exports = figure.data[1]
    assert list(exports.x) == [2017, 2018, 2019]
    assert exports.y[0] == 3.0 and math.isnan(exports.y[1]) and exports.y[2] == 5.0  # billions
    assert figure.layout.yaxis.ticksuffix == " bn"
    assert exports.customdata[2][0] == "$5.00 bn"
    assert exports.customdata[2][1] == " (estimated)"
    assert list(exports.marker.symbol) == ["circle", "circle", "circle-open"]
    turnover = figure.data[3]
    assert turnover.customdata[0][1] == " (exports only)"
    assert figure.layout.shapes[0].x0 == 2018.5  # the selected year is shaded


def test_trend_empty_frame_says_no_data() -> None:
    figure = bilateral_trend(_series().iloc[0:0], reporter_name="Azerbaijan", partner_name="Chad")
    assert _is_empty_state(figure, "No annual trade reported by Azerbaijan with Chad")


def _ranking() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "partner": ["ITA", "TUR", "RUS"],
            "name": ["Italy", "Türkiye", "Russia"],
            "rank": [1, 2, 3],
            "value": [5400 * M, 2500 * M, 2100 * M],
            "share": [5400 / 13000, 2500 / 13000, 2100 / 13000],
            "estimated": [False, True, False],
            "partial": [False, False, False],
        }
    )


def test_ranking_highlights_the_selected_partner() -> None:
    figure = partner_ranking_bars(_ranking(), highlight="TUR")
    (bars,) = figure.data
    assert list(bars.y) == ["1. Italy", "2. Türkiye", "3. Russia"]
    assert list(bars.marker.color) == [0, 1, 0]
    assert [list(stop) for stop in bars.marker.colorscale] == [[0, MUTED], [1, HIGHLIGHT]]
    assert list(bars.x) == [5.4, 2.5, 2.1]
    assert list(bars.text) == ["$5.40 bn · 41.5%", "$2.50 bn · 19.2%", "$2.10 bn · 16.2%"]
    assert list(bars.customdata) == ["", " (estimated)", ""]
    assert figure.layout.yaxis.autorange == "reversed"


def test_ranking_empty_frame_says_no_data() -> None:
    assert _is_empty_state(partner_ranking_bars(_ranking().iloc[0:0]))


def test_no_data_figure_default_text() -> None:
    assert _is_empty_state(no_data_figure(), NO_DATA)


def test_trend_hover_names_the_source_cell() -> None:
    frame = pd.DataFrame(
        {
            "year": [2019],
            "exports": [5_638_646_600.0],
            "imports": [371_814_400.0],
            "turnover": [6_010_461_000.0],
            "balance": [5_266_832_200.0],
            "partial": [False],
            "exports_estimated": [False],
            "imports_estimated": [False],
            "exports_origin": ["DOTS_13.xlsx!'Exports, FOB'!AD22"],
            "imports_origin": ["<b>x</b>.xlsx!'Imports, CIF'!AD22"],
        }
    )
    figure = bilateral_trend(frame, reporter_name="Azerbaijan", partner_name="Italy")
    exports = next(t for t in figure.data if t.name == "Exports")
    imports = next(t for t in figure.data if t.name == "Imports")
    assert exports.customdata[0][0] == "$5.64 bn"
    assert "from DOTS_13.xlsx · Exports, FOB · AD22" in exports.customdata[0][2]
    assert "&lt;b&gt;x&lt;/b&gt;.xlsx" in imports.customdata[0][2]  # file names are escaped, never markup


def test_figures_assembled_without_validation_pass_plotly_validation() -> None:
    """The ranking, rank history, trend and "no data" charts skip plotly's validation for speed (`theme.assembled`,
    `figure_spec`): here it runs,
    so a misspelt property or a wrong value type fails a test instead of drawing a wrong chart."""
    trend = bilateral_trend(_series(), reporter_name="Azerbaijan", partner_name="Italy", year=2019)
    ranking = partner_ranking_bars(_ranking(), highlight="ITA")
    history = rank_history_figure(
        pd.DataFrame(
            {
                "partner": ["TUR", "TUR", "ITA", "ITA"] * 3,
                "name": ["Türkiye", "Türkiye", "Italy", "Italy"] * 3,
                "period": ["2018", "2019"] * 6,
                "year": [2018, 2019] * 6,
                "month": [12] * 12,
                "label": ["2018", "2019"] * 6,
                "measure": [m for m in ("turnover", "exports", "imports") for _ in range(4)],
                "rank": pd.array([2, 2, 1, 1, None, 2, 1, 1, 1, 2, 2, 1], dtype="Int64"),
                "share": [0.2, 0.19, 0.5, 0.5, math.nan, 0.125, 0.6, 0.6, 0.27, 0.3, 0.2, 0.4],
                "partners_ranked": [3] * 12,
            }
        ),
        lang="it",
    )
    assert len(history.data) == 6
    empty = no_data_figure("No trade reported by <b>Azerbaijan</b> with a partner whose name runs long")
    for figure in (trend, ranking, history, empty):
        checked = go.Figure(figure.to_dict())  # raises ValueError on any invalid property or value
        assert json.loads(checked.to_json()) == json.loads(figure.to_json())  # same chart either way
