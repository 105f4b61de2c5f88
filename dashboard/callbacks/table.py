"""The table view: every partner of the reporter in the chosen period, with the same period a year earlier."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, no_update

from dashboard import ids
from dashboard.components.chart_card import source_footer
from dashboard.components.table import grid_columns, grid_rows
from dashboard.i18n import label, language
from dashboard.queries import MEASURES, TradeQueries, period_label

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
    lang = language(lang)
    ranking = queries.period_ranking(
        str(reporter),
        period,
        frequency=str(frequency),
        measure=str(measure) if measure in MEASURES else "turnover",
        source=source if isinstance(source, str) else None,
    )
    previous = None
    if ranking.year is not None and len(ranking.frame):
        month = int(ranking.frame["month"].iloc[0])
        previous = period_label(str(frequency), ranking.year - 1, month)
    note = queries.source_note(
        str(reporter), year=ranking.year, source=ranking.source, annual=str(frequency) == "annual"
    )
    title = f"{label(lang, 'table.title')}: {ranking.label}" if ranking.label else label(lang, "table.title")
    return (
        title,
        grid_rows(ranking.frame),
        grid_columns(previous_label=previous, lang=lang),
        source_footer(note),
    )


def register(app: dash.Dash, queries: TradeQueries) -> None:
    @app.callback(
        Output(ids.TABLE_TITLE, "children"),
        Output(ids.TABLE_GRID, "rowData"),
        Output(ids.TABLE_GRID, "columnDefs"),
        Output(ids.TABLE_SOURCE, "children"),
        Input(ids.REPORTER, "value"),
        Input(ids.FREQUENCY, "value"),
        Input(ids.PERIOD, "value"),
        Input(ids.SOURCE, "value"),
        Input(ids.MEASURE, "value"),
        Input(ids.VIEW, "value"),
        State(ids.LANG, "data"),
    )
    def _table(
        reporter: Any, frequency: Any, period: Any, source: Any, measure: Any, view: Any, lang: Any
    ) -> tuple[Any, ...]:
        if view != VIEW:
            return (no_update,) * 4
        return table_outputs(
            queries, reporter, period, measure, frequency=frequency, source=source, lang=lang
        )
