"""The partners view: ranking with shares for the chosen period, selected partners over time, rank over time."""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
from dash import Input, Output, State, no_update

from dashboard import ids
from dashboard.callbacks.routes import routed
from dashboard.components.chart_card import source_footer
from dashboard.queries.answers import TradeQueries
from dashboard.queries.model import TOTAL_WORLD
from dashboard.queries.store import QueryStore
from dashboard.view_content import comparison_content, rank_history_content, ranking_content

VIEW = "partners"
RANK_HISTORY_NOTE = "Ranks among partner countries; a gap means no World total or no figure that period."


def ranking_outputs(
    queries: TradeQueries,
    reporter: Any,
    partner: Any,
    period: Any,
    measure: Any,
    top: Any,
    *,
    frequency: Any = "annual",
    source: Any = None,
    lang: Any = "en",
) -> tuple[str, go.Figure, list[Any]]:
    """(card title, figure, source footer)."""
    content = ranking_content(
        queries, reporter, partner, period, measure, top, frequency=frequency, source=source, lang=lang
    )
    basis = (
        "Shares are of the reporter's World total as reported."
        if content.ranking.total_basis == TOTAL_WORLD
        else None
    )
    return content.title, content.figure, source_footer(content.note, extra=basis)


def comparison_outputs(
    queries: TradeQueries,
    reporter: Any,
    partner: Any,
    compare: Any,
    *,
    measure: Any = "turnover",
    frequency: Any = "annual",
    source: Any = None,
    lang: Any = "en",
) -> tuple[str, go.Figure, list[Any]]:
    """(card title, figure of the measure for each compared partner over the periods, source footer)."""
    content = comparison_content(
        queries, reporter, partner, compare, measure=measure, frequency=frequency, source=source, lang=lang
    )
    summed = content.table.summed_groups
    extra = f"Summed from members (derived): {', '.join(summed)}." if summed else None
    return content.title, content.figure, source_footer(content.note, extra=extra)


def rank_history_outputs(
    queries: TradeQueries, reporter: Any, compare: Any, *, frequency: Any = "annual", source: Any = None
) -> tuple[go.Figure, list[Any]]:
    """(rank-over-time figure for the compared partners, source footer)."""
    content = rank_history_content(queries, reporter, compare, frequency=frequency, source=source)
    return content.figure, source_footer(content.note, extra=RANK_HISTORY_NOTE)


def register(app: dash.Dash, store: QueryStore) -> None:
    @app.callback(
        Output(ids.RANKING_TITLE, "children"),
        Output(ids.RANKING_GRAPH, "figure"),
        Output(ids.RANKING_SOURCE, "children"),
        Input(ids.route("ranking"), "data"),  # set only while this view is open (callbacks/routes.py)
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def _ranking(data: Any, lang: Any) -> tuple[Any, ...]:
        wanted = routed(data)
        if not wanted:
            return no_update, no_update, no_update
        return ranking_outputs(store.current(), wanted.get("reporter"), wanted.get("partner"), wanted.get("period"),
                               wanted.get("measure"), wanted.get("top"), frequency=wanted.get("frequency"),
                               source=wanted.get("source"), lang=lang)  # fmt: skip

    @app.callback(
        Output(ids.COMPARE_TITLE, "children"),
        Output(ids.COMPARE_GRAPH, "figure"),
        Output(ids.COMPARE_SOURCE, "children"),
        Output(ids.RANK_HISTORY_GRAPH, "figure"),
        Output(ids.RANK_HISTORY_SOURCE, "children"),
        Input(ids.route("comparison"), "data"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def _comparison(data: Any, lang: Any) -> tuple[Any, ...]:
        wanted = routed(data)
        if not wanted:
            return (no_update,) * 5
        reporter, partner, compare = wanted.get("reporter"), wanted.get("partner"), wanted.get("compare")
        frequency, source, measure = wanted.get("frequency"), wanted.get("source"), wanted.get("measure")
        title, figure, footer = comparison_outputs(
            store.current(),
            reporter,
            partner,
            compare,
            measure=measure,
            frequency=frequency,
            source=source,
            lang=lang,
        )
        history, history_footer = rank_history_outputs(
            store.current(), reporter, compare, frequency=frequency, source=source
        )
        return title, figure, footer, history, history_footer
