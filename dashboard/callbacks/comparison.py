"""Turnover with several partners over the years."""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
from dash import Input, Output

from dashboard import ids
from dashboard.components.chart_card import source_footer
from dashboard.figures.comparison import partners_comparison
from dashboard.queries import TradeQueries


def comparison_outputs(
    queries: TradeQueries, reporter: Any, partner: Any, compare: Any
) -> tuple[go.Figure, list[Any]]:
    """(figure, source footer)."""
    partners = [str(p) for p in compare] if isinstance(compare, list) else []
    frame = queries.partners_turnover(str(reporter), partners)
    figure = partners_comparison(frame, highlight=str(partner))
    note = queries.source_note(str(reporter), partners=partners) if partners else None
    return figure, source_footer(note)


def register(app: dash.Dash, queries: TradeQueries) -> None:
    @app.callback(
        Output(ids.COMPARE_GRAPH, "figure"),
        Output(ids.COMPARE_SOURCE, "children"),
        Input(ids.REPORTER, "value"),
        Input(ids.PARTNER, "value"),
        Input(ids.COMPARE, "value"),
    )
    def _comparison(reporter: Any, partner: Any, compare: Any) -> tuple[go.Figure, list[Any]]:
        return comparison_outputs(queries, reporter, partner, compare)
