"""Callback wiring, registered explicitly by `create_app` (no global `dash.callback`).

Each module exposes `register(app, queries)` and keeps its logic in a plain function of the same inputs,
so tests can call it without a browser or a Dash server.
"""

from __future__ import annotations

import dash

from dashboard.callbacks import comparison, downloads, kpis, ranking, state, trend
from dashboard.queries import TradeQueries
from dashboard.settings import Settings


def register_all(app: dash.Dash, queries: TradeQueries, settings: Settings) -> None:
    """Register every callback of the page on `app`."""
    state.register(app, queries, settings=settings)
    kpis.register(app, queries)
    trend.register(app, queries)
    ranking.register(app, queries)
    comparison.register(app, queries)
    downloads.register(app, queries, settings=settings)
