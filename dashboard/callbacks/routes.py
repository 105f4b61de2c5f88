"""Which callbacks a change of the controls reaches: the open view's, and only when what they read changed.

Each chart callback used to take the controls themselves as inputs and answer `no_update` while its view was
hidden, so one period change still sent a request for every view's charts, and the browser's work on their
answers delayed the redraw of the chart being looked at (bench P2: ten requests per change). Now a clientside
router hands each route (the controls one group of callbacks reads) to a store, only for the open view and
only when those values changed; the callbacks take that store as their input. A hidden view catches up when
its tab opens (drawn again then, whether or not its controls changed: a chart laid out while hidden can keep
a collapsed size).

The router's inputs include the controls that `_sync` (callbacks/state.py) repairs, so after a new reporter,
frequency or source it runs once the repaired values are in, as the charts did before.

The routes are declared in dashboard/registry.py; `routed_callback` is the one shape of a routed callback:
the route's store (and the page's language) in, parsed once into a `ViewState`, the route's answer out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Final

import dash
from dash import Input, Output, State, no_update

from dashboard import ids
from dashboard.callbacks.state import CONTROL_IDS
from dashboard.queries.store import QueryStore
from dashboard.registry import ROUTES as REGISTERED
from dashboard.registry import VIEWS, Answer, view_of_route
from dashboard.state import state_of_controls

# route -> (the view it belongs to, the controls its callbacks read)
ROUTES: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    route.name: (view_of_route(route).id, route.controls) for route in REGISTERED
}
# The routers, each over the routes of one group: all the routes answered here, then each route whose callback
# answers more with it on its own (`own_callback`). Dash calls a callback that reads a route's store only
# after the router that writes it: a router over every control made the bilateral cards, heading and trend
# wait for it on a partner change, which their callback reads directly (bench P2b). Its own router reads
# only the controls of its route (the period), so a new partner goes to the server at once.
# A lazy view's routes have a router of their own, whose outputs (the view's route stores) are in its section:
# Dash drops a callback all of whose outputs are missing, so until the view is built no router of it runs.
ROUTER_GROUPS: Final[tuple[tuple[str, ...], ...]] = (
    *(
        group
        for group in (tuple(route.name for route in view.routes if not route.own_callback) for view in VIEWS)
        if group
    ),
    *((route.name,) for route in REGISTERED if route.own_callback),
)


def _controls_read(group: tuple[str, ...]) -> tuple[str, ...]:
    """The controls the group's routes read, in CONTROL_IDS order (the router's inputs after view and built)."""
    return tuple(name for name in CONTROL_IDS if any(name in ROUTES[route][1] for route in group))


def router(group: tuple[str, ...]) -> str:
    """The router of a group of routes, as a clientside function."""
    return f"""
function(view, built, ...rest) {{
    const names = {json.dumps(list(_controls_read(group)))};
    const routes = {json.dumps([[ROUTES[route][0], list(ROUTES[route][1])] for route in group])};
    const values = {{}};
    names.forEach((name, i) => {{ values[name] = rest[i] === undefined ? null : rest[i]; }});
    const previous = rest.slice(names.length);
    // A view's charts are drawn again whenever its tab opens: a plotly chart drawn into a hidden section
    // can keep a collapsed size, and a new figure lays it out again (the answers are remembered: cheap).
    // A lazy view's section is built when its tab first opens (callbacks/sections.py): its routes wait for
    // it, and are sent when the built views' store names it.
    const triggered = (window.dash_clientside.callback_context.triggered || []).map((t) => t.prop_id);
    const opened = triggered.includes("{ids.VIEW}.value") || triggered.includes("{ids.BUILT_VIEWS}.data");
    const ready = Array.isArray(built) && built.includes(view);
    return routes.map(([routeView, uses], i) => {{
        if (routeView !== view || !ready) {{
            return window.dash_clientside.no_update;
        }}
        const wanted = {{}};
        uses.forEach((name) => {{ wanted[name] = values[name]; }});
        const same = JSON.stringify(wanted) === JSON.stringify(previous[i] === undefined ? null : previous[i]);
        return same && !opened ? window.dash_clientside.no_update : wanted;
    }});
}}
"""


def routed_callback(
    app: dash.Dash, store: QueryStore, route: str, outputs: Sequence[tuple[str, str]], answer: Answer
) -> None:
    """Fill `outputs` with `answer(queries, state)` whenever the router sets the route's store; nothing while
    the store holds no reporter (its first, empty value, or whatever a forged request sends)."""

    @app.callback(
        # As a list, so a route of one output (the sources) answers a tuple of one value, as all routes do.
        [Output(component, prop) for component, prop in outputs],
        Input(ids.route(route), "data"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def _answer(data: Any, lang: Any) -> tuple[Any, ...]:
        state = state_of_controls(data, lang) if isinstance(data, dict) else None
        if state is None:
            return (no_update,) * len(outputs)
        return answer(store.current(), state)


def register(app: dash.Dash, store: QueryStore) -> None:
    """The routers, and the callback of every route the registry gives an answer."""
    for group in ROUTER_GROUPS:
        app.clientside_callback(
            router(group),
            # As a list: a group of one route answers a list of one value, as the others do.
            [Output(ids.route(route), "data") for route in group],
            Input(ids.VIEW, "value"),
            Input(ids.BUILT_VIEWS, "data"),
            *(Input(CONTROL_IDS[name], "value") for name in _controls_read(group)),
            *(State(ids.route(route), "data") for route in group),
        )
    for route in REGISTERED:
        if route.answer is not None and not route.own_callback:
            routed_callback(app, store, route.name, route.outputs, route.answer)
