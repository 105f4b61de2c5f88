"""The chosen pair: the page heading, the trade-over-time chart and the bilateral view's cards and sentences."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import dash
import orjson
from dash import Input, Output, State, ctx, no_update
from plotly.utils import PlotlyJSONEncoder

from dashboard import ids
from dashboard.callbacks.views import heading_outputs
from dashboard.components.chart_outputs import trend_outputs
from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore
from dashboard.registry import BILATERAL, CHARTS
from dashboard.state import ViewState, state_of_controls

TREND_TAB: Final = CHARTS["trend"].tab
CARDS: Final = BILATERAL.routes[0]  # the route of the bilateral view's cards, sentences and notes

# A new period changes only which period the trend marks (figures/theme.py `selected_period_marker`): the
# browser moves the marker itself, from the positions the figure carries in `layout.meta.selection`, and the
# server is not asked for the same figure again (bench P2: the redraw no longer waits for a round trip and
# for the KPI and sentence callbacks the same change starts on the server).
MOVE_SELECTION = """
function(period, figure) {
    const unchanged = window.dash_clientside.no_update;
    const selection = figure && figure.layout && figure.layout.meta && figure.layout.meta.selection;
    if (!selection || !selection.at) {
        return unchanged;
    }
    const shapes = (figure.layout.shapes || []).filter((shape) => shape.name !== selection.template.name);
    const at = Object.prototype.hasOwnProperty.call(selection.at, period) ? selection.at[period] : null;
    if (at !== null) {
        const half = selection.kind === "band" ? 0.5 : 0;
        const ends = typeof at === "number" ? [at - half, at + half] : [at, at];
        shapes.push(Object.assign({}, selection.template, {x0: ends[0], x1: ends[1]}));
    }
    return Object.assign({}, figure, {layout: Object.assign({}, figure.layout, {shapes: shapes})});
}
"""


# What a change asks of the pair callback below, by the properties that triggered it.
HEADING_INPUTS: Final = frozenset(
    f"{i}.value" for i in (ids.REPORTER, ids.PARTNER, ids.FREQUENCY, ids.SOURCE)
)
TREND_INPUTS: Final = HEADING_INPUTS | {f"{ids.FLOWS}.value", f"{ids.VIEW}.value"}
_CARDS_INPUT: Final = f"{ids.route(CARDS.name)}.data"


# The pair callback's outputs, in the order `pair_outputs` answers them: the heading and the trend, then the
# bilateral cards' route (cards, sentences, data notes).
HEADING_AND_TREND: Final = ((ids.TITLE, "children"), (ids.SUBTITLE, "children"), (ids.TREND_GRAPH, "figure"),
                            (ids.TREND_SOURCE, "children"))  # fmt: skip
OUTPUTS: Final = (*HEADING_AND_TREND, *CARDS.outputs)

# The outputs the browser sends back as they are shown (States), by position in the answer: text that often
# stays as it is for a new partner (the subtitle names the reporter's years and source, the source note differs
# only where the partner's figures are estimates, the data notes are mostly empty). Answered again unchanged,
# each would be replaced in the page all the same, its components built anew, and each new component costs the
# browser a pass over every component of the page (bench P2b).
SHOWN: Final = tuple(
    (OUTPUTS.index((component, "children")), component)
    for component in (ids.TITLE, ids.SUBTITLE, ids.TREND_SOURCE, ids.NARRATIVE, ids.DATA_NOTE)
)


_PLOTLY_ENCODER: Final = PlotlyJSONEncoder()


def _plotly_json(value: Any) -> Any:
    """orjson's hook for what it cannot write itself: a Dash component or plotly figure as its JSON dict, and
    the rest (dates, NaN in lists, numpy scalars) as plotly's own encoder writes it."""
    to_plotly_json = getattr(value, "to_plotly_json", None)
    return to_plotly_json() if to_plotly_json is not None else _PLOTLY_ENCODER.default(value)


def as_sent(value: Any) -> Any:
    """`value` as the browser receives and holds it: the JSON Dash sends (components as their type, namespace
    and props; NaN as null, as plotly's encoder writes it), as plain lists and dicts."""
    if isinstance(value, str) or value is no_update:
        return value
    return orjson.loads(
        orjson.dumps(value, default=_plotly_json, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)
    )


def pair_outputs(
    queries: TradeQueries, state: ViewState, triggered: set[str], *, view: Any
) -> tuple[Any, ...]:
    """(title, subtitle, trend figure, trend source, cards, sentences, data notes), `no_update` for what the
    change (`triggered`: Dash's prop ids) leaves as it is."""
    keep = (no_update,)
    heading = (
        heading_outputs(queries, state.reporter, state.partner, state.frequency, state.source, state.lang)
        if triggered & HEADING_INPUTS
        else keep * 2
    )
    trend = trend_outputs(queries, state) if view == TREND_TAB and triggered & TREND_INPUTS else keep * 2
    # The cards while their view is open: for a new pair, a new period (their route) or the tab opened.
    wanted = view == TREND_TAB and triggered & (HEADING_INPUTS | {_CARDS_INPUT, f"{ids.VIEW}.value"})
    cards = CARDS.answer(queries, state) if CARDS.answer and wanted else keep * 3
    return (*heading, *trend, *cards)


def pair_reply(answered: tuple[Any, ...], shown: Mapping[int, Any]) -> tuple[Any, ...]:
    """The pair's answer (`pair_outputs`) as the callback sends it: each output as plain JSON (`as_sent`), and
    `no_update` for one that `shown` (by position, SHOWN: what the page holds) already shows.

    Plain JSON because Dash writes its reply with plotly's encoder, which with orjson installed first tries
    orjson on the reply as it is and, finding components, walks the whole reply in Python (~0.7 ms of a new
    partner's ~5 ms in process: bench P2b). Converted here once, the same JSON serves the comparison with
    what is shown, and Dash's first try succeeds."""
    sent = tuple(as_sent(value) for value in answered)
    return tuple(
        no_update if i in shown and value is not no_update and value == shown[i] else value
        for i, value in enumerate(sent)
    )


def register(app: dash.Dash, store: QueryStore) -> None:
    """The pair's heading, trend and cards in one callback, so a new partner (the most common click) costs one
    request and one answer holding only what changed (issue 14, bench P2b): the heading on every view, the
    trend and the cards while the bilateral view is open. The cards' route store (set by its own router,
    callbacks/routes.py, which reads only the view and the period) is an input beside the pair's controls: a
    new period triggers only the route (cards; the trend's marker moves in the browser), a new partner only
    this callback, at once, and a tab opened both, answered in one call."""

    @app.callback(
        *(Output(component, prop) for component, prop in OUTPUTS),
        Input(ids.route(CARDS.name), "data"),
        Input(ids.REPORTER, "value"),
        Input(ids.PARTNER, "value"),
        Input(ids.FREQUENCY, "value"),
        Input(ids.SOURCE, "value"),
        Input(ids.FLOWS, "value"),
        Input(ids.VIEW, "value"),
        State(ids.PERIOD, "value"),
        State(ids.LANG, "data"),
        *(State(component, "children") for _, component in SHOWN),
        prevent_initial_call=True,  # the layout holds the open view's content (callbacks/first_response.py)
    )
    def _pair(
        route: Any,
        reporter: Any,
        partner: Any,
        frequency: Any,
        source: Any,
        flows: Any,
        view: Any,
        period: Any,
        lang: Any,
        *shown: Any,
    ) -> tuple[Any, ...]:
        controls = {"reporter": reporter, "partner": partner, "period": period, "frequency": frequency,
                    "source": source, "flows": flows}  # fmt: skip
        if isinstance(route, dict) and _CARDS_INPUT in {t["prop_id"] for t in ctx.triggered}:
            controls.update(route)  # the values the router checked (the period it saw, too)
        state = state_of_controls(controls, lang)
        if state is None:
            return (no_update,) * len(OUTPUTS)
        answered = pair_outputs(store.current(), state, {t["prop_id"] for t in ctx.triggered}, view=view)
        return pair_reply(answered, dict(zip((i for i, _ in SHOWN), shown, strict=True)))

    app.clientside_callback(
        MOVE_SELECTION,
        Output(ids.TREND_GRAPH, "figure", allow_duplicate=True),
        Input(ids.PERIOD, "value"),
        State(ids.TREND_GRAPH, "figure"),
        prevent_initial_call=True,
    )
