"""The trade-over-time chart for the chosen pair, in the chosen frequency and source."""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
from dash import Input, Output, no_update

from dashboard import ids
from dashboard.components.chart_card import source_footer
from dashboard.figures.periods import period_trend
from dashboard.figures.trend import bilateral_trend
from dashboard.queries import TradeQueries, parse_period

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
    reporter, partner, frequency = str(reporter), str(partner), str(frequency)
    source = source if isinstance(source, str) else None
    shown = tuple(f for f in flows if isinstance(f, str)) if isinstance(flows, list) else None
    names = queries.names([reporter, partner])
    group = queries.groups.get(partner)
    reporter_name = names.get(reporter, "the reporter")
    partner_name = names.get(partner, group.name if group else "the partner")
    table = queries.period_table(reporter, frequency=frequency, source=source, partners=[partner])
    if frequency == "annual" and table.frame.empty is False and not table.frame["derived"].any():
        # Stored years: the annual chart, with each figure's workbook cell in the hover text.
        series = queries.bilateral_series(reporter, partner, source=table.source)
        parsed = parse_period(frequency, period)
        figure = bilateral_trend(
            series, reporter_name=reporter_name, partner_name=partner_name, year=parsed[0] if parsed else None
        )
        if shown is not None:
            for trace in figure.data:
                trace.visible = True if str(trace.name).lower() in shown else "legendonly"
    else:
        figure = period_trend(
            table.frame,
            reporter_name=reporter_name,
            partner_name=partner_name,
            flows=shown if shown is not None else ("exports", "imports", "turnover", "balance"),
            selected=period if isinstance(period, str) else None,
        )
    note = queries.source_note(
        reporter, partners=[partner], source=table.source, annual=frequency == "annual"
    )
    return figure, source_footer(note)


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
