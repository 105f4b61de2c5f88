"""Keeps the controls valid and mirrored in the URL, so a view can be shared as a link.

One callback holds the URL and the controls on both sides (Dash allows such a loop inside one callback):
a change of URL (a pasted link, Back/Forward) sets the controls; a change of a control sets the URL and
repairs the other controls when needed (a new reporter brings its own partners and years).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
from dash import Input, Output, State, ctx, no_update

from dashboard import ids
from dashboard.components.controls import area_options, year_options
from dashboard.queries import TradeQueries
from dashboard.settings import Settings
from dashboard.state import parse_search, resolve_view, to_search

OUTPUTS = (
    Output(ids.URL, "search"),
    Output(ids.VIEW_REPORTER, "data"),
    Output(ids.PARTNER, "options"),
    Output(ids.COMPARE, "options"),
    Output(ids.YEAR, "options"),
    Output(ids.REPORTER, "value"),
    Output(ids.PARTNER, "value"),
    Output(ids.YEAR, "value"),
    Output(ids.MEASURE, "value"),
    Output(ids.TOP, "value"),
    Output(ids.COMPARE, "value"),
)
INPUTS = (
    Input(ids.URL, "search"),
    Input(ids.REPORTER, "value"),
    Input(ids.PARTNER, "value"),
    Input(ids.YEAR, "value"),
    Input(ids.MEASURE, "value"),
    Input(ids.TOP, "value"),
    Input(ids.COMPARE, "value"),
    State(ids.VIEW_REPORTER, "data"),
)


def _changed(new: Any, old: Any) -> Any:
    return no_update if new == old else new


def sync_view(
    queries: TradeQueries,
    settings: Settings,
    *,
    trigger: str | None,
    search: str | None,
    reporter: Any,
    partner: Any,
    year: Any,
    measure: Any,
    top: Any,
    compare: Sequence[Any] | None,
    options_for: str | None,
) -> tuple[Any, ...]:
    """The outputs in OUTPUTS order; `no_update` wherever nothing changes."""
    from_url = trigger == ids.URL or (trigger is None and bool(search))
    if trigger is None and not from_url:
        # First load without a query string: the layout already shows the default view.
        return tuple(no_update for _ in OUTPUTS)
    if from_url:
        wanted = parse_search(search)
        compare_text = wanted.get("compare")
        view = resolve_view(
            queries,
            settings,
            reporter=wanted.get("reporter"),
            partner=wanted.get("partner"),
            year=wanted.get("year"),
            measure=wanted.get("measure"),
            top=wanted.get("top"),
            compare=None if compare_text is None else [c for c in compare_text.split(",") if c],
        )
    else:
        view = resolve_view(
            queries,
            settings,
            reporter=reporter,
            partner=partner,
            year=year,
            measure=measure,
            top=top,
            compare=compare if isinstance(compare, list) else None,
        )
    state = view.state
    new_options = state.reporter != options_for
    partner_options = area_options(view.partners) if new_options else no_update
    return (
        no_update if from_url else _changed(to_search(state), search),
        state.reporter if new_options else no_update,
        partner_options,
        partner_options,
        year_options(view.years) if new_options else no_update,
        _changed(state.reporter, reporter),
        _changed(state.partner, partner),
        _changed(state.year, year),
        _changed(state.measure, measure),
        _changed(str(state.top), top),
        _changed(list(state.compare), compare),
    )


def register(app: dash.Dash, queries: TradeQueries, *, settings: Settings) -> None:
    @app.callback(*OUTPUTS, *INPUTS)
    def _sync(
        search: str | None,
        reporter: Any,
        partner: Any,
        year: Any,
        measure: Any,
        top: Any,
        compare: Sequence[Any] | None,
        options_for: str | None,
    ) -> tuple[Any, ...]:
        return sync_view(
            queries,
            settings,
            trigger=ctx.triggered_id if isinstance(ctx.triggered_id, str) else None,
            search=search,
            reporter=reporter,
            partner=partner,
            year=year,
            measure=measure,
            top=top,
            compare=compare,
            options_for=options_for,
        )
