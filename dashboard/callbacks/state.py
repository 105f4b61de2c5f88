"""Keeps the controls valid and mirrored in the URL, so a view can be shared as a link.

Two callbacks, and the browser between them and the URL:
- `_sync` holds the controls that can invalidate others: a URL the user moved to (a pasted link,
  Back/Forward) sets the controls and lists, in a visible note, every link parameter that had to be replaced;
  a new reporter, frequency, source or compared set repairs the other controls (it brings its own partners,
  periods and sources) and asks for the URL of the result. The charts wait for it, as they must.
- `_link` asks for the URL when a control that never invalidates another changes (partner, period, flows,
  measure, top, map measure, view: each picked from options `_sync` made valid). It outputs only the LINK
  store, which no chart reads, so the charts redraw at once instead of waiting for a round trip first
  (bench P2: with one callback for both, every period change ran the sync, then the charts, in series).
- In the browser, APPLY_LINK writes an asked-for URL unless a later change or a Back/Forward made it stale,
  and NAVIGATED passes a URL to `_sync` only when it is not the echo of such a write.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import dash
from dash import Input, Output, State, ctx, no_update

from dashboard import ids
from dashboard.components.controls import area_options, frequency_options, period_options, source_options
from dashboard.components.page import state_note
from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore
from dashboard.registry import VIEW_IDS
from dashboard.settings import Settings
from dashboard.state import (
    ResolvedView,
    parse_search,
    resolve_view,
    state_from_search,
    to_search,
)

OUTPUTS = (
    Output(ids.LINK, "data", allow_duplicate=True),
    Output(ids.VIEW_REPORTER, "data"),
    Output(ids.PARTNER, "options"),
    Output(ids.COMPARE, "options"),
    Output(ids.PERIOD, "options"),
    Output(ids.SOURCE, "options"),
    Output(ids.FREQUENCY, "options"),
    Output(ids.REPORTER, "value"),
    Output(ids.PARTNER, "value"),
    Output(ids.FREQUENCY, "value"),
    Output(ids.PERIOD, "value"),
    Output(ids.SOURCE, "value"),
    Output(ids.FLOWS, "value"),
    Output(ids.MEASURE, "value"),
    Output(ids.TOP, "value"),
    Output(ids.COMPARE, "value"),
    Output(ids.MAP_MEASURE, "value"),
    Output(ids.VIEW, "value"),
    Output(ids.STATE_NOTE, "children"),
)
OUTPUT_NAMES = tuple(f"{o.component_id}.{o.component_property}" for o in OUTPUTS)
CONTROL_IDS = {
    "reporter": ids.REPORTER, "partner": ids.PARTNER, "frequency": ids.FREQUENCY, "period": ids.PERIOD,
    "source": ids.SOURCE, "flows": ids.FLOWS, "measure": ids.MEASURE, "top": ids.TOP, "compare": ids.COMPARE,
    "map_measure": ids.MAP_MEASURE, "view": ids.VIEW,
}  # fmt: skip
# Controls whose change can make another control's value or options invalid: `_sync` answers them.
REPAIRING = ("reporter", "frequency", "source", "compare")
# Controls chosen from options `_sync` already made valid: `_link` only writes them into the URL.
LINKED = tuple(name for name in CONTROL_IDS if name not in REPAIRING)


def _changed(new: Any, old: Any) -> Any:
    return no_update if new == old else new


def _given(new: Any, old: Any) -> Any:
    return new


def shown_controls(controls: dict[str, Any]) -> list[Any]:
    """The controls' values in APPLY_LINK's State order (LINKED, then REPAIRING)."""
    return [controls.get(name) for name in (*LINKED, *REPAIRING)]


def _control_values(state: Any) -> dict[str, Any]:
    """Each control's value for a resolved state, as the browser holds it (CONTROL_IDS names and order)."""
    return {
        "reporter": state.reporter, "partner": state.partner, "frequency": state.frequency,
        "period": state.period, "source": state.source, "flows": list(state.flows), "measure": state.measure,
        "top": str(state.top), "compare": list(state.compare), "map_measure": state.map_measure,
        "view": state.view,
    }  # fmt: skip


def _link_to(wanted: str, search: str | None, values: dict[str, Any]) -> Any:
    """What `_sync` puts in the LINK store for APPLY_LINK: the new URL, the URL it replaces, and the values
    the controls have once this answer is applied (every control is set to `values` or already was)."""
    if wanted == search:
        return no_update
    return {"from": search, "to": wanted, "controls": shown_controls(values)}


def _with_claim(new_search: str, old_search: str | None, view: str) -> str:
    """Keep the checked text (`claim=`, written by the claim checker) in the link while its view is open."""
    if view != "claims":
        return new_search
    claim = parse_search(old_search).get("claim")
    return f"{new_search}&{urlencode({'claim': claim})}" if claim else new_search


def sync_view(
    queries: TradeQueries,
    settings: Settings,
    *,
    trigger: str | None,
    search: str | None,
    controls: dict[str, Any],
    options_for: str | None,
    lang: str | None = None,
    views: Sequence[str] | None = None,
) -> tuple[Any, ...]:
    """The outputs in OUTPUTS order; `no_update` wherever nothing changes.

    `controls`: the current values by name (reporter, partner, frequency, period, source, flows, measure,
    top, compare, map_measure, view).
    """
    from_url = trigger == ids.NAVIGATION or (trigger is None and bool(search))
    if trigger is None and not from_url:
        # First load without a query string: the layout already shows the default view.
        return tuple(no_update for _ in OUTPUTS)
    view_ids = tuple(views) if views else VIEW_IDS
    if from_url:
        view = state_from_search(queries, settings, search, views=view_ids)
    else:
        view = view_of_controls(queries, settings, controls, lang=lang, views=view_ids)
    state = view.state
    # From a URL every control is set, even to the value it seems to have: after a quick Back then Forward,
    # the values this call was given can be older than what the page shows when its answer lands (an
    # answer for the previous URL still on its way), and "unchanged" would then leave the wrong view open.
    # Setting a control to its own value costs little: the router and `_link` find nothing changed.
    set_ = _given if from_url else _changed
    key = state.options_key
    new_options = key != options_for
    partner_options = area_options(view.partners, state.lang) if new_options else no_update
    values = _control_values(state)
    return (
        no_update
        if from_url
        else _link_to(_with_claim(to_search(state), search, state.view), search, values),
        key if new_options else no_update,
        partner_options,
        partner_options,
        period_options(state.frequency, view.periods, state.lang) if new_options else no_update,
        source_options(view.sources, queries.source_titles()) if new_options else no_update,
        frequency_options(view.frequencies, state.lang) if new_options else no_update,
        *(set_(values[name], controls.get(name)) for name in CONTROL_IDS),
        state_note(view.notes, state.lang) if from_url else [],
    )


def view_of_controls(
    queries: TradeQueries,
    settings: Settings,
    controls: dict[str, Any],
    *,
    lang: str | None,
    views: tuple[str, ...],
) -> ResolvedView:
    compare = controls.get("compare")
    flows = controls.get("flows")
    return resolve_view(
        queries,
        settings,
        reporter=controls.get("reporter"),
        partner=controls.get("partner"),
        frequency=controls.get("frequency"),
        period=controls.get("period"),
        source=controls.get("source"),
        flows=flows if isinstance(flows, list) else None,
        measure=controls.get("measure"),
        top=controls.get("top"),
        compare=compare if isinstance(compare, list) else None,
        map_measure=controls.get("map_measure"),
        view=controls.get("view"),
        lang=lang,
        views=views,
    )


# The URL `_link` computed, written only while the controls still show the values it was computed from, and
# only over a URL this page wrote itself (or the one it was computed from):
# - two quick changes (a period, then a tab) send two requests that both start from the same URL; the first
#   answer is stale once the second control changed, and the second must still be written over the first's
#   URL (checking only "the URL it replaces" lost the tab: the URL kept the old view);
# - after a quick Back or Forward a late answer would replace the page the user went to and push a history
#   entry, losing Forward: the URL then is neither the one it was computed from nor one this page wrote.
APPLY_LINK = """
function(link, search) {
    const current = Array.prototype.slice.call(arguments, 2);
    const ns = (window.dash_clientside.trade = window.dash_clientside.trade || {});
    if (!link || JSON.stringify(link.controls) !== JSON.stringify(current)) {
        return window.dash_clientside.no_update;
    }
    const here = search || "";
    if (here !== (link.from || "") && here !== ns.lastWritten) {
        return window.dash_clientside.no_update;
    }
    ns.lastWritten = link.to;
    ns.written = (ns.written || []).concat([link.to]);
    return link.to;
}
"""

# The URL passed on to `_sync` only when the user moved to it (first load, a pasted link, Back/Forward), not
# when it is the echo of a URL this page wrote (APPLY_LINK): `_sync` sets every control from a URL, and run
# on an echo it set them to the values of its request, undoing a change made while it was on its way (a tab
# clicked just after a period change stayed unopened in the URL). An echo also cost one request for nothing.
NAVIGATED = """
function(search, built) {
    const ns = (window.dash_clientside.trade = window.dash_clientside.trade || {});
    const here = search || "";
    const echo = (ns.written || []).indexOf(here) >= 0;
    ns.written = [];
    if (echo) {
        return window.dash_clientside.no_update;
    }
    ns.lastWritten = undefined;
    ns.navigations = (ns.navigations || 0) + 1;
    const first = ns.navigations === 1;
    // The first URL is the link the server built the page from: nothing to restore.
    if (first && typeof built === "string" && built === here) {
        return window.dash_clientside.no_update;
    }
    return {search: here, first: first};
}
"""


def navigated_search(data: Any) -> tuple[bool, str | None]:
    """(first load, URL query string) of the NAVIGATION store; anything malformed reads as a first load."""
    if not isinstance(data, dict):
        return True, None
    search = data.get("search")
    return data.get("first") is not False, search if isinstance(search, str) else None


def link_search(
    queries: TradeQueries,
    settings: Settings,
    *,
    search: str | None,
    controls: dict[str, Any],
    lang: str | None = None,
    views: Sequence[str] | None = None,
) -> Any:
    """The URL query string of the controls' view, or `no_update` when the URL already means that view.

    "Means", not "reads": after Back/Forward `_sync` sets the controls from the URL, which brings this
    callback here with the controls equal to what the URL asks for (perhaps in other words: older names,
    another order, a replaced value). Rewriting it then would push a new history entry and lose Forward.
    """
    chosen = tuple(views) if views else VIEW_IDS
    view = view_of_controls(queries, settings, controls, lang=lang, views=chosen)
    wanted = _with_claim(to_search(view.state), search, view.state.view)
    if wanted == search:
        return no_update
    if search:
        linked = state_from_search(queries, settings, search, views=chosen)
        if linked.state == view.state:
            return no_update
    return wanted


def register(
    app: dash.Dash, store: QueryStore, *, settings: Settings, views: Sequence[str] | None = None
) -> None:
    repairing = [Input(CONTROL_IDS[name], "value") for name in REPAIRING]
    linked = [Input(CONTROL_IDS[name], "value") for name in LINKED]

    app.clientside_callback(
        NAVIGATED, Output(ids.NAVIGATION, "data"), Input(ids.URL, "search"), State(ids.PAGE_SEARCH, "data")
    )

    @app.callback(
        *OUTPUTS,
        Input(ids.NAVIGATION, "data"),
        *repairing,
        *(State(i.component_id, i.component_property) for i in linked),
        State(ids.VIEW_REPORTER, "data"),
        State(ids.LANG, "data"),
        State(ids.URL, "search"),
        # Not on load: the layout was built from the page's link (callbacks/first_response.py); NAVIGATED
        # passes the first URL on only when the layout was not.
        prevent_initial_call=True,
    )
    def _sync(navigation: Any, *values: Any) -> tuple[Any, ...]:
        *control_values, options_for, lang, search = values
        trigger = ctx.triggered_id if isinstance(ctx.triggered_id, str) else None
        if trigger == ids.NAVIGATION:
            first, search = navigated_search(navigation)
            trigger = None if first else trigger
        return sync_view(
            store.current(),
            settings,
            trigger=trigger,
            search=search if isinstance(search, str) else None,
            controls=dict(zip((*REPAIRING, *LINKED), control_values, strict=True)),
            options_for=options_for,
            lang=lang,
            views=views,
        )

    @app.callback(
        Output(ids.LINK, "data"),
        *linked,
        # Not read: an output of the pair callback (callbacks/trend.py), so Dash sends this request after that
        # one's answer instead of beside it. The URL is invisible; the cards and trend a new partner shows are
        # not: answered side by side on a 2-core server, they waited for it (bench P2b: 2.8x -> 2.3x).
        Input(ids.TITLE, "children"),
        State(ids.URL, "search"),
        *(State(i.component_id, i.component_property) for i in repairing),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def _link(*values: Any) -> Any:
        *control_values, _title, search, reporter, frequency, source, compare, lang = values
        controls = dict(zip(LINKED, control_values, strict=True))
        controls.update(reporter=reporter, frequency=frequency, source=source, compare=compare)
        wanted = link_search(
            store.current(), settings, search=search, controls=controls, lang=lang, views=views
        )
        if wanted is no_update:
            return no_update
        # The values as the browser sent them, so APPLY_LINK can tell an answer made stale by a later change.
        return {"from": search, "to": wanted, "controls": shown_controls(controls)}

    app.clientside_callback(
        APPLY_LINK,
        Output(ids.URL, "search", allow_duplicate=True),
        Input(ids.LINK, "data"),
        State(ids.URL, "search"),
        *(State(i.component_id, i.component_property) for i in (*linked, *repairing)),
        prevent_initial_call=True,
    )
