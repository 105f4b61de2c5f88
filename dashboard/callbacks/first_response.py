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

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from dash import development, no_update

from dashboard import ids
from dashboard.callbacks import claims, mirror, trend
from dashboard.callbacks.routes import ROUTES
from dashboard.callbacks.state import CONTROL_IDS
from dashboard.queries.answers import TradeQueries
from dashboard.registry import CLAIMS, MIRROR
from dashboard.registry import ROUTES as REGISTERED
from dashboard.state import state_of_controls

Component = development.base_component.Component


@dataclass
class FirstContent:
    """Properties to set in the layout: (component id, property) -> value."""

    props: dict[tuple[str, str], Any] = field(default_factory=dict)

    def set(self, outputs: Any, values: Any) -> None:
        """Each output's value, but those an answer leaves as they are (`no_update`)."""
        for output, value in zip(outputs, values, strict=True):
            if value is not no_update:
                self.props[output] = value


def components_by_id(layout: Component) -> dict[str, Component]:
    """The layout's components that have a string id (walked once per page: `first_content` and `fill`)."""
    walked: Iterator[Component] = itertools.chain((layout,), layout._traverse())
    return {c_id: c for c in walked if isinstance(c_id := getattr(c, "id", None), str)}


def control_values(by_id: dict[str, Component]) -> dict[str, Any]:
    """Each control's value as the layout sets it (CONTROL_IDS names): what the browser's router reads."""
    return {name: getattr(by_id[cid], "value", None) for name, cid in CONTROL_IDS.items() if cid in by_id}


def first_content(queries: TradeQueries, by_id: dict[str, Component], *, search: str) -> FirstContent:
    """What the callbacks would answer on load for the page whose components are `by_id` (`search`: the link
    it was built from, for a claim to check)."""
    values = control_values(by_id)
    state = state_of_controls(values, getattr(by_id.get(ids.LANG), "data", "en"))
    content = FirstContent()
    if state is None:  # no reporter: the layout's own messages stand
        return content
    view = values.get("view")
    # The heading on every view and the trend on its own, as the pair callback answers a new pair.
    everything = set(trend.HEADING_INPUTS | trend.TREND_INPUTS)
    heading_and_trend = trend.pair_outputs(queries, state, everything, view=view)[
        : len(trend.HEADING_AND_TREND)
    ]
    content.set(trend.HEADING_AND_TREND, heading_and_trend)
    for route in REGISTERED:
        route_view, uses = ROUTES[route.name]
        if route_view != view:
            continue
        # The router compares its store with the controls' values it would send (JSON, in `uses` order).
        content.props[(ids.route(route.name), "data")] = {name: values.get(name) for name in uses}
        if route.answer is not None:
            content.set(route.outputs, route.answer(queries, state))
        elif route_view == MIRROR.id:
            content.set(mirror.OUTPUTS, mirror.mirror_answer(queries, state))
    if view == CLAIMS.id:
        content.props.update(claims.link_content(queries, search, state.reporter, state.lang))
    return content


def fill(by_id: dict[str, Component], content: FirstContent) -> None:
    """Set `content`'s properties on the layout's components (every one must exist: a renamed id fails loud)."""
    for (component_id, prop), value in content.props.items():
        setattr(by_id[component_id], prop, value)
