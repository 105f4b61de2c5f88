"""Page title and the trade-over-time chart for the chosen pair."""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
from dash import Input, Output

from dashboard import ids
from dashboard.components.chart_card import source_footer
from dashboard.components.header import page_subtitle, page_title
from dashboard.figures.trend import bilateral_trend
from dashboard.queries import TradeQueries


def trend_outputs(
    queries: TradeQueries, reporter: Any, partner: Any, year: Any
) -> tuple[str, str, go.Figure, list[Any]]:
    """(page title, page subtitle, figure, source footer)."""
    reporter, partner = str(reporter), str(partner)
    names = queries.names([reporter, partner])
    reporter_name = names.get(reporter, "the reporter")
    partner_name = names.get(partner, "the partner")
    series = queries.bilateral_series(reporter, partner)
    figure = bilateral_trend(
        series,
        reporter_name=reporter_name,
        partner_name=partner_name,
        year=year if isinstance(year, int) else None,
    )
    note = queries.source_note(reporter, partners=[partner])
    return (
        page_title(reporter_name, partner_name),
        page_subtitle(series, reporter_name),
        figure,
        source_footer(note),
    )


def register(app: dash.Dash, queries: TradeQueries) -> None:
    @app.callback(
        Output(ids.TITLE, "children"),
        Output(ids.SUBTITLE, "children"),
        Output(ids.TREND_GRAPH, "figure"),
        Output(ids.TREND_SOURCE, "children"),
        Input(ids.REPORTER, "value"),
        Input(ids.PARTNER, "value"),
        Input(ids.YEAR, "value"),
    )
    def _trend(reporter: Any, partner: Any, year: Any) -> tuple[str, str, go.Figure, list[Any]]:
        return trend_outputs(queries, reporter, partner, year)
