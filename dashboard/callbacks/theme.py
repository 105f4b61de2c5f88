"""Browser-only wiring for comfort: the table's quick search. The dark theme itself lives in
assets/20-theme.js (it must apply before Dash renders, so the page never flashes light)."""

from __future__ import annotations

import dash
from dash import Input, Output

from dashboard import ids

# AG Grid's own quick filter: the grid filters its rows in the browser, no round trip to the server.
QUICK_FILTER = """
function(text) {
    return {animateRows: false, quickFilterText: text || ""};
}
"""


def register(app: dash.Dash) -> None:
    app.clientside_callback(
        QUICK_FILTER,
        Output(ids.TABLE_GRID, "dashGridOptions"),
        Input(ids.TABLE_SEARCH, "value"),
        prevent_initial_call=True,
    )
