"""The section of a lazy view (dashboard/registry.py `View.lazy`), built when its tab first opens.

Until then the page holds only the components the view keeps (`View.kept`: its controls, which `_sync`, the
router and the link read and write whatever view is open, and what other callbacks write while it is
closed). The first opening replaces them with the whole section, its controls set to the values they held
and its charts empty; the router (callbacks/routes.py), which sends a view's routes only once the view is in
the BUILT_VIEWS store, then asks for its charts. A view opened again is only shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
from dash import Input, Output, State, html, no_update
from dash._get_app import with_app_context_factory

from dashboard import ids
from dashboard.callbacks import claims
from dashboard.callbacks.first_response import components_by_id
from dashboard.callbacks.state import CONTROL_IDS, view_of_controls
from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore
from dashboard.registry import CLAIMS, VIEW_IDS, VIEWS, View
from dashboard.settings import Settings

LAZY: tuple[View, ...] = tuple(view for view in VIEWS if view.lazy)
# The controls a section is built from: all but the view itself (the one being opened).
_CONTROLS = tuple(name for name in CONTROL_IDS if name != "view")


def built_section(
    queries: TradeQueries,
    settings: Settings,
    *,
    opened: Any,
    built: Any,
    controls: dict[str, Any],
    lang: Any,
    search: Any = None,
    lazy: Sequence[View] = LAZY,
) -> tuple[Any, ...]:
    """(the children of each lazy view's section, the views built) in `lazy` order: the opened view's
    section when it is lazy and not built yet, `no_update` everywhere else. `search`: the page's URL query
    string (the claim checker opened on a link with a claim shows it checked, as its first response would)."""
    known = [v for v in built if isinstance(v, str)] if isinstance(built, list) else []
    opening = next((view for view in lazy if view.id == opened and view.id not in known), None)
    if opening is None:
        return (no_update,) * (len(lazy) + 1)
    view = view_of_controls(queries, settings, {**controls, "view": opening.id}, lang=lang, views=VIEW_IDS)
    section = opening.section(view, settings)
    if opening is CLAIMS:
        by_id = components_by_id(html.Div(section))
        link = search if isinstance(search, str) else None
        for (component_id, prop), value in claims.link_content(
            queries, link, view.state.reporter, lang
        ).items():
            setattr(by_id[component_id], prop, value)
    return (*(section if each is opening else no_update for each in lazy), [*known, opening.id])


def register(app: dash.Dash, store: QueryStore, *, settings: Settings) -> None:
    # Dash runs a layout function in its app's context (`dash.get_app()` is that app) but not a callback: a
    # section built here names this app's asset URLs (the map's outlines) only inside that context, as the
    # page does. Without it, `get_app()` is whichever app the process created last.
    in_app_context = with_app_context_factory(built_section, app)

    @app.callback(
        *(Output(ids.section(view.id), "children") for view in LAZY),
        Output(ids.BUILT_VIEWS, "data"),
        Input(ids.VIEW, "value"),
        State(ids.BUILT_VIEWS, "data"),
        *(State(CONTROL_IDS[name], "value") for name in _CONTROLS),
        State(ids.LANG, "data"),
        State(ids.URL, "search"),
        prevent_initial_call=True,  # the layout holds the open view's section
    )
    def _build(opened: Any, built: Any, *values: Any) -> tuple[Any, ...]:
        *control_values, lang, search = values
        controls = dict(zip(_CONTROLS, control_values, strict=True))
        return in_app_context(
            store.current(), settings, opened=opened, built=built, controls=controls, lang=lang, search=search
        )
