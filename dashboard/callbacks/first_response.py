"""The open view's content in the page's first response: what the callbacks would answer on load, computed on
the server while the layout is built, so the page arrives with its cards, sentences and charts drawn.

Before, the layout held empty chart frames and every callback ran once after load: the page asked for its
title, its language links, its sections, its trend, its cards and its sources in two waves of requests
(bench P0: the trend drawn 1.9× later than the same chart's static HTML export). Now the layout is filled
here from the same answer functions the callbacks call, with the same view state they would be given
(`state_of_controls` of the controls' values as the layout sets them), and:
- the route stores of the open view hold the controls' values they were answered for, so the router
  (callbacks/routes.py) finds nothing changed on load and asks for nothing;
- the callbacks that only repeated the layout on load (heading, sections, language links, trend, sources)
  no longer run on load (`prevent_initial_call`); they answer what the user changes afterwards;
- the page records the link it was built from (ids.PAGE_SEARCH), and NAVIGATED (callbacks/state.py) sends
  the first URL to `_sync` only when it differs (a layout built without the page's link: no Referer).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from dash import development
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.callbacks.claims import link_outputs
from dashboard.callbacks.mirror import mirror_outputs
from dashboard.callbacks.routes import ROUTES
from dashboard.callbacks.sources import sources_outputs
from dashboard.callbacks.state import CONTROL_IDS
from dashboard.callbacks.views import heading_outputs
from dashboard.components import claims as claims_layout
from dashboard.components import mirror as mirror_layout
from dashboard.components.chart_outputs import trend_outputs
from dashboard.queries.answers import TradeQueries
from dashboard.registry import CHARTS, CLAIMS, MIRROR, SOURCES
from dashboard.registry import ROUTES as REGISTERED
from dashboard.state import state_of_controls

Component = development.base_component.Component


@dataclass
class FirstContent:
    """Properties to set in the layout: (component id, property) -> value."""

    props: dict[tuple[str, str], Any] = field(default_factory=dict)

    def set(self, outputs: Any, values: Any) -> None:
        for output, value in zip(outputs, values, strict=True):
            self.props[output] = value


def _components(layout: Component) -> Iterator[Component]:
    yield layout
    yield from layout._traverse()


def _by_id(layout: Component) -> dict[str, Component]:
    """The layout's components that have a string id."""
    return {c_id: c for c in _components(layout) if isinstance(c_id := getattr(c, "id", None), str)}


def control_values(layout: Component) -> dict[str, Any]:
    """Each control's value as the layout sets it (CONTROL_IDS names): what the browser's router reads."""
    by_id = _by_id(layout)
    return {name: getattr(by_id[cid], "value", None) for name, cid in CONTROL_IDS.items() if cid in by_id}


def first_content(queries: TradeQueries, layout: Component, *, search: str) -> FirstContent:
    """What the callbacks would answer on load for the page `layout` shows (`search`: the link it was built
    from, for a claim to check)."""
    values = control_values(layout)
    lang = getattr(_by_id(layout).get(ids.LANG), "data", "en")
    state = state_of_controls(values, lang)
    content = FirstContent()
    if state is None:  # no reporter: the layout's own messages stand
        return content
    view = values.get("view")
    content.set(
        ((ids.TITLE, "children"), (ids.SUBTITLE, "children")),
        heading_outputs(queries, state.reporter, state.partner, state.frequency, state.source, state.lang),
    )
    if view == CHARTS["trend"].tab:
        content.set(
            ((ids.TREND_GRAPH, "figure"), (ids.TREND_SOURCE, "children")), trend_outputs(queries, state)
        )
    for route in REGISTERED:
        route_view, uses = ROUTES[route.name]
        if route_view != view:
            continue
        # The router compares its store with the controls' values it would send (JSON, in `uses` order).
        content.props[(ids.route(route.name), "data")] = {name: values.get(name) for name in uses}
        if route.answer is not None:
            content.set(route.outputs, route.answer(queries, state))
        elif route_view == MIRROR.id:
            outputs = ((mirror_layout.TITLE, "children"), (mirror_layout.GRAPH, "figure"),
                       (mirror_layout.SOURCE, "children"), (mirror_layout.EXPLANATION, "children"),
                       (mirror_layout.RANKING_TITLE, "children"), (mirror_layout.RANKING, "children"))  # fmt: skip
            content.set(
                outputs, mirror_outputs(queries, state.reporter, state.partner, state.period, state.lang)
            )
    if view == SOURCES.id:
        content.props[(ids.SOURCES_CONTENT, "children")] = sources_outputs(queries, state.lang)
    if view == CLAIMS.id:
        content.props.update(_claim_content(queries, search, state.reporter, state.lang))
    return content


def _claim_content(
    queries: TradeQueries, search: str, reporter: str, lang: str
) -> dict[tuple[str, str], Any]:
    try:
        answered = link_outputs(queries, search, None, reporter, lang)
    except PreventUpdate:  # no claim in the link
        return {}
    outputs = ((claims_layout.TEXT, "value"), (claims_layout.FOUND_MESSAGE, "children"),
               (claims_layout.FOUND, "options"), (claims_layout.FOUND, "value"),
               (claims_layout.FOUND_STORE, "data"), (claims_layout.RESULTS, "children"))  # fmt: skip
    return dict(zip(outputs, answered, strict=True))


def fill(layout: Component, content: FirstContent) -> None:
    """Set `content`'s properties on the layout's components (every one must exist: a renamed id fails loud)."""
    by_id = _by_id(layout)
    for (component_id, prop), value in content.props.items():
        setattr(by_id[component_id], prop, value)
