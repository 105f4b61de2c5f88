"""Callback wiring, registered explicitly by `create_app` (no global `dash.callback`).

Each module exposes `register(app, queries)` and keeps its logic in a plain function of the same inputs,
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
from dashboard.queries import TradeQueries
from dashboard.settings import Settings


def register_all(
    app: dash.Dash, queries: TradeQueries, settings: Settings, *, view_ids: Sequence[str]
) -> None:
    """Register every callback of the page on `app`."""
    state.register(app, queries, settings=settings, views=view_ids)
    routes.register(app)
    views.register(app, queries, views=view_ids)
    kpis.register(app, queries)
    trend.register(app, queries)
    ranking.register(app, queries)
    map_view.register(app, queries)
    table.register(app, queries)
    sources.register(app, queries)
    mirror.register(app, queries)
    claims.register(app, queries)
    downloads.register(app, queries, settings=settings)
