"""The map view: partner countries coloured by turnover, exports, imports or balance in the chosen period."""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
from dash import Input, Output, State, no_update

from dashboard import ids
from dashboard.components.chart_card import source_footer
from dashboard.figures.map import partner_map
from dashboard.geo import world_geojson
from dashboard.i18n import label, language
from dashboard.queries import TradeQueries
from dashboard.state import MAP_MEASURES

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
    geojson: dict[str, Any] | None = None,
) -> tuple[str, go.Figure, list[Any]]:
    """(card title, choropleth, source footer). `geojson`: the outlines (default: `world_geojson()`)."""
    lang = language(lang)
    measure = str(measure) if measure in MAP_MEASURES else "turnover"
    # Shares are of turnover, exports or imports; the map of balances shows none.
    ranking = queries.period_ranking(
        str(reporter),
        period,
        frequency=str(frequency),
        measure=measure if measure != "balance" else "turnover",
        source=source if isinstance(source, str) else None,
    )
    figure = partner_map(
        ranking.frame,
        geojson=geojson if geojson is not None else world_geojson(),
        measure=measure,
        measure_label=label(lang, measure),
    )
    note = queries.source_note(
        str(reporter), year=ranking.year, source=ranking.source, annual=str(frequency) == "annual"
    )
    title = f"{label(lang, 'map.title')}: {label(lang, measure).lower()}, {ranking.label or ''}".rstrip(", ")
    return title, figure, source_footer(note)


def register(app: dash.Dash, queries: TradeQueries) -> None:
    outlines = world_geojson()  # read once per app: the outlines ship with the code

    @app.callback(
        Output(ids.MAP_TITLE, "children"),
        Output(ids.MAP_GRAPH, "figure"),
        Output(ids.MAP_SOURCE, "children"),
        Input(ids.REPORTER, "value"),
        Input(ids.FREQUENCY, "value"),
        Input(ids.PERIOD, "value"),
        Input(ids.SOURCE, "value"),
        Input(ids.MAP_MEASURE, "value"),
        Input(ids.VIEW, "value"),
        State(ids.LANG, "data"),
    )
    def _map(
        reporter: Any, frequency: Any, period: Any, source: Any, measure: Any, view: Any, lang: Any
    ) -> tuple[Any, ...]:
        if view != VIEW:
            return no_update, no_update, no_update
        return map_outputs(
            queries,
            reporter,
            period,
            measure,
            frequency=frequency,
            source=source,
            lang=lang,
            geojson=outlines,
        )
