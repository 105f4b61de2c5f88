"""The ranking of the reporter's partners in the chosen year, the chosen partner highlighted."""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
from dash import Input, Output

from dashboard import ids
from dashboard.components.chart_card import source_footer
from dashboard.components.controls import MEASURE_LABELS
from dashboard.figures.ranking import partner_ranking_bars
from dashboard.queries import TOTAL_WORLD, TradeQueries


def ranking_outputs(
    queries: TradeQueries, reporter: Any, partner: Any, year: Any, measure: Any, top: Any
) -> tuple[str, go.Figure, list[Any]]:
    """(card title, figure, source footer)."""
    count = int(top) if isinstance(top, (int, str)) and str(top).isdigit() else 15
    ranking = queries.partner_ranking(str(reporter), year, str(measure), top=count, include=str(partner))
    label = MEASURE_LABELS.get(ranking.measure, "Turnover")
    reporter_area = queries.area(str(reporter))
    reporter_name = reporter_area.name if reporter_area else str(reporter)
    empty = (
        f"No ranking: {reporter_name} reports no World total for {ranking.year}, so its partner table here may be "
        "incomplete (the shipped data hold other reporters' trade with Azerbaijan only; `make world` builds all)"
        if ranking.year and ranking.total_basis is None
        else "No partners with data for this year"
    )
    figure = partner_ranking_bars(
        ranking.frame, highlight=str(partner), measure_label=label, empty_message=empty
    )
    basis = (
        "Shares are of the reporter's World total as reported."
        if ranking.total_basis == TOTAL_WORLD
        else None
    )
    note = queries.source_note(str(reporter), year=year)
    title = f"Top {count} partners by {label.lower()}, {ranking.year}" if ranking.year else "Top partners"
    return title, figure, source_footer(note, extra=basis)


def register(app: dash.Dash, queries: TradeQueries) -> None:
    @app.callback(
        Output(ids.RANKING_TITLE, "children"),
        Output(ids.RANKING_GRAPH, "figure"),
        Output(ids.RANKING_SOURCE, "children"),
        Input(ids.REPORTER, "value"),
        Input(ids.PARTNER, "value"),
        Input(ids.YEAR, "value"),
        Input(ids.MEASURE, "value"),
        Input(ids.TOP, "value"),
    )
    def _ranking(
        reporter: Any, partner: Any, year: Any, measure: Any, top: Any
    ) -> tuple[str, go.Figure, list[Any]]:
        return ranking_outputs(queries, reporter, partner, year, measure, top)
