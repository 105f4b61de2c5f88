"""The table view: every partner of the reporter in the chosen period, with the same period a year earlier."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, no_update

from dashboard import ids
from dashboard.callbacks.routes import routed
from dashboard.components.chart_card import source_footer
from dashboard.components.table import grid_columns, grid_rows
from dashboard.i18n import language
from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore
from dashboard.view_content import table_content

VIEW = "table"


def table_outputs(
    queries: TradeQueries,
    reporter: Any,
    period: Any,
    measure: Any,
    *,
    frequency: Any = "annual",
    source: Any = None,
    lang: Any = "en",
) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]], list[Any]]:
    """(title, row data, column definitions, source footer)."""
    content = table_content(queries, reporter, period, measure, frequency=frequency, source=source, lang=lang)
    return (
        content.title,
        grid_rows(content.ranking.frame),
        grid_columns(previous_label=content.previous_label, lang=language(lang)),
        source_footer(content.note),
    )


def register(app: dash.Dash, store: QueryStore) -> None:
    @app.callback(
        Output(ids.TABLE_TITLE, "children"),
        Output(ids.TABLE_GRID, "rowData"),
        Output(ids.TABLE_GRID, "columnDefs"),
        Output(ids.TABLE_SOURCE, "children"),
        Input(ids.route("table"), "data"),  # set only while this view is open (callbacks/routes.py)
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def _table(data: Any, lang: Any) -> tuple[Any, ...]:
        wanted = routed(data)
        if not wanted:
            return (no_update,) * 4
        return table_outputs(store.current(), wanted.get("reporter"), wanted.get("period"), wanted.get("measure"),
                             frequency=wanted.get("frequency"), source=wanted.get("source"), lang=lang)  # fmt: skip
