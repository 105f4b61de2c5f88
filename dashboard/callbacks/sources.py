"""The sources view: every source in the store, its releases and what the numbers mean."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, no_update

from dashboard import ids
from dashboard.components.sources import sources_content
from dashboard.i18n import language
from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore
from dashboard.registry import SOURCES


def sources_outputs(queries: TradeQueries, lang: Any = "en") -> list[Any]:
    return sources_content(queries.sources_overview(), store_version=queries.path.name, lang=language(lang))


def register(app: dash.Dash, store: QueryStore) -> None:
    # Not on load: a page opened on this view holds its content (callbacks/first_response.py).
    @app.callback(
        Output(ids.SOURCES_CONTENT, "children"),
        Input(ids.VIEW, "value"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def _sources(view: Any, lang: Any) -> Any:
        if view != SOURCES.id:
            return no_update
        return sources_outputs(store.current(), lang)
