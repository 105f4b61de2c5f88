"""Callback wiring, registered explicitly by `create_app` (no global `dash.callback`).

Each module exposes `register(app, store)` and keeps its logic in a plain function of the same inputs,
so tests can call it without a browser or a Dash server. View callbacks answer only while their view is
shown (the view radio group), so hidden views cost nothing and are filled when their tab opens.
"""

from __future__ import annotations

from collections.abc import Sequence

import dash

from dashboard.callbacks import (
    claims,
    downloads,
    kpis,
    map_view,
    mirror,
    ranking,
    routes,
    sources,
    state,
    table,
    trend,
    views,
)
from dashboard.queries.store import QueryStore
from dashboard.settings import Settings


def register_all(app: dash.Dash, store: QueryStore, settings: Settings, *, view_ids: Sequence[str]) -> None:
    """Register every callback of the page on `app`."""
    state.register(app, store, settings=settings, views=view_ids)
    routes.register(app)
    views.register(app, store, views=view_ids)
    kpis.register(app, store)
    trend.register(app, store)
    ranking.register(app, store)
    map_view.register(app, store)
    table.register(app, store)
    sources.register(app, store)
    mirror.register(app, store)
    claims.register(app, store)
    downloads.register(app, store, settings=settings)
