"""Headline cards for the chosen reporter, partner and year."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output

from dashboard import ids
from dashboard.components.kpi import kpi_cards
from dashboard.queries import TradeQueries


def kpi_outputs(queries: TradeQueries, reporter: Any, partner: Any, year: Any) -> list[Any]:
    """The KPI row's children."""
    return kpi_cards(queries.kpis(str(reporter), str(partner), year))


def register(app: dash.Dash, queries: TradeQueries) -> None:
    @app.callback(
        Output(ids.KPIS, "children"),
        Input(ids.REPORTER, "value"),
        Input(ids.PARTNER, "value"),
        Input(ids.YEAR, "value"),
    )
    def _kpis(reporter: Any, partner: Any, year: Any) -> list[Any]:
        return kpi_outputs(queries, reporter, partner, year)
