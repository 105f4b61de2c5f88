"""Callback wiring, registered explicitly by `create_app` (no global `dash.callback`).

The routed parts of the views (dashboard/registry.py) are wired by one helper in routes.py; the modules
here wire what does more than a route (state and link, tabs and heading, trend marker, sources, mirror,
claim checker, downloads, the sections of views built when first opened). Each keeps its logic in plain
functions, so tests can call them without a browser or a Dash server. View callbacks answer only while their
view is shown, so hidden views cost nothing and are filled when their tab opens.
"""

from __future__ import annotations

import dash

from dashboard.callbacks import (
    claims,
    downloads,
    mirror,
    routes,
    sections,
    state,
    theme,
    trend,
    views,
)
from dashboard.queries.store import QueryStore
from dashboard.registry import VIEW_IDS
from dashboard.settings import Settings


def register_all(app: dash.Dash, store: QueryStore, settings: Settings) -> None:
    """Register every callback of the page on `app`."""
    state.register(app, store, settings=settings, views=VIEW_IDS)
    routes.register(app, store)
    views.register(app, store, views=VIEW_IDS)
    trend.register(app, store)
    sections.register(app, store, settings=settings)
    mirror.register(app, store)
    claims.register(app, store)
    downloads.register(app, store, settings=settings)
    theme.register(app)
