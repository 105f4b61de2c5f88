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
"""

from __future__ import annotations

import json
from typing import Any, Final

import dash
from dash import Input, Output, State

from dashboard import ids
from dashboard.callbacks.state import CONTROL_IDS

# route -> (the view it belongs to, the controls its callbacks read)
ROUTES: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    "bilateral": ("bilateral", ("reporter", "partner", "frequency", "period", "source")),
    "ranking": ("partners", ("reporter", "partner", "frequency", "period", "source", "measure", "top")),
    "comparison": ("partners", ("reporter", "partner", "frequency", "source", "measure", "compare")),
    "map": ("map", ("reporter", "frequency", "period", "source", "map_measure")),
    "table": ("table", ("reporter", "frequency", "period", "source", "measure")),
    "mirror": ("mirror", ("reporter", "partner", "period")),
}
_NAMES: Final = tuple(name for name in CONTROL_IDS if any(name in uses for _, uses in ROUTES.values()))

ROUTER: Final = f"""
function(view, ...rest) {{
    const names = {json.dumps(list(_NAMES))};
    const routes = {json.dumps([[view, list(uses)] for view, uses in ROUTES.values()])};
    const values = {{}};
    names.forEach((name, i) => {{ values[name] = rest[i] === undefined ? null : rest[i]; }});
    const previous = rest.slice(names.length);
    // A view's charts are drawn again whenever its tab opens: a plotly chart drawn into a hidden section
    // can keep a collapsed size, and a new figure lays it out again (the answers are remembered: cheap).
    const triggered = (window.dash_clientside.callback_context.triggered || []).map((t) => t.prop_id);
    const opened = triggered.includes("{ids.VIEW}.value");
    return routes.map(([routeView, uses], i) => {{
        if (routeView !== view) {{
            return window.dash_clientside.no_update;
        }}
        const wanted = {{}};
        uses.forEach((name) => {{ wanted[name] = values[name]; }});
        const same = JSON.stringify(wanted) === JSON.stringify(previous[i] === undefined ? null : previous[i]);
        return same && !opened ? window.dash_clientside.no_update : wanted;
    }});
}}
"""


assert tuple(ROUTES) == ids.ROUTES, "each route needs its store in the layout (dashboard/ids.py ROUTES)"


def routed(data: Any) -> dict[str, Any]:
    """The control values a route's store holds ({} for anything else, e.g. a hostile request)."""
    return data if isinstance(data, dict) else {}


def register(app: dash.Dash) -> None:
    app.clientside_callback(
        ROUTER,
        *(Output(ids.route(route), "data") for route in ROUTES),
        Input(ids.VIEW, "value"),
        *(Input(CONTROL_IDS[name], "value") for name in _NAMES),
        *(State(ids.route(route), "data") for route in ROUTES),
    )
