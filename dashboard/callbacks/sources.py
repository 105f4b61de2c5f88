"""The sources view: every source in the store, its releases and what the numbers mean."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, no_update

from dashboard import ids
from dashboard.components.sources import sources_content
from dashboard.queries import TradeQueries

VIEW = "sources"


def sources_outputs(queries: TradeQueries) -> list[Any]:
    path = queries.version_path()
    return sources_content(queries.sources_overview(), store_version=path.name if path else None)


def register(app: dash.Dash, queries: TradeQueries) -> None:
    @app.callback(Output(ids.SOURCES_CONTENT, "children"), Input(ids.VIEW, "value"))
    def _sources(view: Any) -> Any:
        if view != VIEW:
            return no_update
        return sources_outputs(queries)
