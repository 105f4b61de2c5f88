"""The map view: partner countries coloured by turnover, exports, imports or balance in the chosen period.

The reply holds codes and values only; the page's graph draws the outlines from the shipped topojson
(`dashboard.geo`; its config: `map_layout` in dashboard/components/views.py), fetched once per page load.
"""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
from dash import Input, Output, State, no_update

from dashboard import ids
from dashboard.callbacks.routes import routed
from dashboard.components.chart_card import source_footer
from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore
from dashboard.view_content import map_content

VIEW = "map"


def map_outputs(
    queries: TradeQueries,
    reporter: Any,
    period: Any,
    measure: Any,
    *,
    frequency: Any = "annual",
    source: Any = None,
    lang: Any = "en",
) -> tuple[str, go.Figure, list[Any]]:
    """(card title, choropleth, source footer)."""
    content = map_content(queries, reporter, period, measure, frequency=frequency, source=source, lang=lang)
    return content.title, content.figure, source_footer(content.note)


def register(app: dash.Dash, store: QueryStore) -> None:
    @app.callback(
        Output(ids.MAP_TITLE, "children"),
        Output(ids.MAP_GRAPH, "figure"),
        Output(ids.MAP_SOURCE, "children"),
        Input(ids.route("map"), "data"),  # set only while this view is open (callbacks/routes.py)
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def _map(data: Any, lang: Any) -> tuple[Any, ...]:
        wanted = routed(data)
        if not wanted:
            return no_update, no_update, no_update
        return map_outputs(store.current(), wanted.get("reporter"), wanted.get("period"), wanted.get("map_measure"),
                           frequency=wanted.get("frequency"), source=wanted.get("source"),
                           lang=lang)  # fmt: skip
