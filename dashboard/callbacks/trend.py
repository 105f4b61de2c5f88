"""The trade-over-time chart for the chosen pair, in the chosen frequency and source."""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
from dash import Input, Output, State, no_update

from dashboard import ids
from dashboard.components.chart_card import source_footer
from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore
from dashboard.view_content import trend_content

VIEW = "bilateral"

# A new period changes only which period the trend marks (figures/theme.py `selected_period_marker`): the
# browser moves the marker itself, from the positions the figure carries in `layout.meta.selection`, and the
# server is not asked for the same figure again (bench P2: the redraw no longer waits for a round trip and
# for the KPI and sentence callbacks the same change starts on the server).
MOVE_SELECTION = """
function(period, figure) {
    const unchanged = window.dash_clientside.no_update;
    const selection = figure && figure.layout && figure.layout.meta && figure.layout.meta.selection;
    if (!selection || !selection.at) {
        return unchanged;
    }
    const shapes = (figure.layout.shapes || []).filter((shape) => shape.name !== selection.template.name);
    const at = Object.prototype.hasOwnProperty.call(selection.at, period) ? selection.at[period] : null;
    if (at !== null) {
        const half = selection.kind === "band" ? 0.5 : 0;
        const ends = typeof at === "number" ? [at - half, at + half] : [at, at];
        shapes.push(Object.assign({}, selection.template, {x0: ends[0], x1: ends[1]}));
    }
    return Object.assign({}, figure, {layout: Object.assign({}, figure.layout, {shapes: shapes})});
}
"""


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


def register(app: dash.Dash, store: QueryStore) -> None:
    @app.callback(
        Output(ids.TREND_GRAPH, "figure"),
        Output(ids.TREND_SOURCE, "children"),
        Input(ids.REPORTER, "value"),
        Input(ids.PARTNER, "value"),
        Input(ids.FREQUENCY, "value"),
        Input(ids.SOURCE, "value"),
        Input(ids.FLOWS, "value"),
        Input(ids.VIEW, "value"),
        State(ids.PERIOD, "value"),
    )
    def _trend(
        reporter: Any, partner: Any, frequency: Any, source: Any, flows: Any, view: Any, period: Any
    ) -> tuple[Any, Any]:
        if view != VIEW:
            return no_update, no_update
        return trend_outputs(
            store.current(), reporter, partner, period, frequency=frequency, source=source, flows=flows
        )

    app.clientside_callback(
        MOVE_SELECTION,
        Output(ids.TREND_GRAPH, "figure", allow_duplicate=True),
        Input(ids.PERIOD, "value"),
        State(ids.TREND_GRAPH, "figure"),
        prevent_initial_call=True,
    )
