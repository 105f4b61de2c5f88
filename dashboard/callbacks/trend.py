"""The trade-over-time chart for the chosen pair, in the chosen frequency and source."""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
from dash import Input, Output, no_update

from dashboard import ids
from dashboard.components.chart_card import source_footer
from dashboard.queries import TradeQueries
from dashboard.view_content import trend_content

VIEW = "bilateral"


def trend_outputs(
    queries: TradeQueries,
    reporter: Any,
    partner: Any,
    period: Any,
    *,
    frequency: Any = "annual",
    source: Any = None,
    flows: Any = None,
) -> tuple[go.Figure, list[Any]]:
    """(figure, source footer)."""
    content = trend_content(
        queries, reporter, partner, period, frequency=frequency, source=source, flows=flows
    )
    return content.figure, source_footer(content.note)


def register(app: dash.Dash, queries: TradeQueries) -> None:
    @app.callback(
        Output(ids.TREND_GRAPH, "figure"),
        Output(ids.TREND_SOURCE, "children"),
        Input(ids.REPORTER, "value"),
        Input(ids.PARTNER, "value"),
        Input(ids.FREQUENCY, "value"),
        Input(ids.PERIOD, "value"),
        Input(ids.SOURCE, "value"),
        Input(ids.FLOWS, "value"),
        Input(ids.VIEW, "value"),
    )
    def _trend(
        reporter: Any, partner: Any, frequency: Any, period: Any, source: Any, flows: Any, view: Any
    ) -> tuple[Any, Any]:
        if view != VIEW:
            return no_update, no_update
        return trend_outputs(
            queries, reporter, partner, period, frequency=frequency, source=source, flows=flows
        )
