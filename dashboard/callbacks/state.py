"""Keeps the controls valid and mirrored in the URL, so a view can be shared as a link.

One callback holds the URL and the controls on both sides (Dash allows such a loop inside one callback):
a change of URL (a pasted link, Back/Forward) sets the controls and lists, in a visible note, every link
parameter that had to be replaced; a change of a control sets the URL and repairs the other controls when
needed (a new reporter, frequency or source brings its own partners, periods and sources).
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
from dashboard.queries import TradeQueries
from dashboard.settings import Settings
from dashboard.state import ResolvedView, parse_search, resolve_view, state_from_search, to_search

OUTPUTS = (
    Output(ids.URL, "search"),
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
INPUTS = (
    Input(ids.URL, "search"),
    Input(ids.REPORTER, "value"),
    Input(ids.PARTNER, "value"),
    Input(ids.FREQUENCY, "value"),
    Input(ids.PERIOD, "value"),
    Input(ids.SOURCE, "value"),
    Input(ids.FLOWS, "value"),
    Input(ids.MEASURE, "value"),
    Input(ids.TOP, "value"),
    Input(ids.COMPARE, "value"),
    Input(ids.MAP_MEASURE, "value"),
    Input(ids.VIEW, "value"),
    State(ids.VIEW_REPORTER, "data"),
    State(ids.LANG, "data"),
)
OUTPUT_NAMES = tuple(f"{o.component_id}.{o.component_property}" for o in OUTPUTS)


def _changed(new: Any, old: Any) -> Any:
    return no_update if new == old else new


def _with_claim(new_search: str, old_search: str | None, view: str) -> str:
    """Keep the checked text (`claim=`, written by the claim checker) in the link while its view is open."""
    if view != "claims":
        return new_search
    claim = parse_search(old_search).get("claim")
    return f"{new_search}&{urlencode({'claim': claim})}" if claim else new_search


def options_key(view: ResolvedView) -> str:
    """What the option lists depend on: reporter, frequency and source."""
    state = view.state
    return f"{state.reporter}|{state.frequency}|{state.source or ''}"


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
    from_url = trigger == ids.URL or (trigger is None and bool(search))
    if trigger is None and not from_url:
        # First load without a query string: the layout already shows the default view.
        return tuple(no_update for _ in OUTPUTS)
    view_ids = tuple(views) if views else None
    extra: dict[str, Any] = {"views": view_ids} if view_ids else {}
    if from_url:
        view = state_from_search(queries, settings, search, **extra)
    else:
        compare = controls.get("compare")
        flows = controls.get("flows")
        view = resolve_view(
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
            **extra,
        )
    state = view.state
    key = options_key(view)
    new_options = key != options_for
    partner_options = area_options(view.partners) if new_options else no_update
    return (
        no_update if from_url else _changed(_with_claim(to_search(state), search, state.view), search),
        key if new_options else no_update,
        partner_options,
        partner_options,
        period_options(state.frequency, view.periods) if new_options else no_update,
        source_options(view.sources, queries.source_titles()) if new_options else no_update,
        frequency_options(view.frequencies, state.lang) if new_options else no_update,
        _changed(state.reporter, controls.get("reporter")),
        _changed(state.partner, controls.get("partner")),
        _changed(state.frequency, controls.get("frequency")),
        _changed(state.period, controls.get("period")),
        _changed(state.source, controls.get("source")),
        _changed(list(state.flows), controls.get("flows")),
        _changed(state.measure, controls.get("measure")),
        _changed(str(state.top), controls.get("top")),
        _changed(list(state.compare), controls.get("compare")),
        _changed(state.map_measure, controls.get("map_measure")),
        _changed(state.view, controls.get("view")),
        state_note(view.notes, state.lang) if from_url else [],
    )


CONTROL_NAMES = (
    "reporter", "partner", "frequency", "period", "source", "flows", "measure", "top", "compare", "map_measure",
    "view",
)  # fmt: skip


def register(
    app: dash.Dash, queries: TradeQueries, *, settings: Settings, views: Sequence[str] | None = None
) -> None:
    @app.callback(*OUTPUTS, *INPUTS)
    def _sync(search: str | None, *values: Any) -> tuple[Any, ...]:
        *control_values, options_for, lang = values
        return sync_view(
            queries,
            settings,
            trigger=ctx.triggered_id if isinstance(ctx.triggered_id, str) else None,
            search=search,
            controls=dict(zip(CONTROL_NAMES, control_values, strict=True)),
            options_for=options_for,
            lang=lang,
            views=views,
        )
