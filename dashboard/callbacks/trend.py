"""The trade-over-time chart for the chosen pair, in the chosen frequency and source."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, no_update

from dashboard import ids
from dashboard.components.chart_outputs import trend_outputs
from dashboard.queries.store import QueryStore
from dashboard.registry import CHARTS
from dashboard.state import state_of_controls

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


def register(app: dash.Dash, store: QueryStore) -> None:
    # Not a route (dashboard/registry.py): the period is read, not listened to, as MOVE_SELECTION says.
    tab = CHARTS["trend"].tab

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
        State(ids.LANG, "data"),
        prevent_initial_call=True,  # the layout holds the open view's trend (callbacks/first_response.py)
    )
    def _trend(
        reporter: Any,
        partner: Any,
        frequency: Any,
        source: Any,
        flows: Any,
        view: Any,
        period: Any,
        lang: Any,
    ) -> tuple[Any, Any]:
        controls = {"reporter": reporter, "partner": partner, "period": period, "frequency": frequency,
                    "source": source, "flows": flows}  # fmt: skip
        state = state_of_controls(controls, lang) if view == tab else None
        if state is None:
            return no_update, no_update
        return trend_outputs(store.current(), state)

    app.clientside_callback(
        MOVE_SELECTION,
        Output(ids.TREND_GRAPH, "figure", allow_duplicate=True),
        Input(ids.PERIOD, "value"),
        State(ids.TREND_GRAPH, "figure"),
        prevent_initial_call=True,
    )
