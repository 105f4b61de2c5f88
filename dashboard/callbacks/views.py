"""Which view is shown, and the page heading for the current selection."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
from dash import Input, Output

from dashboard import ids
from dashboard.components.header import page_subtitle_for, page_title
from dashboard.queries import TradeQueries


def hidden_sections(active: Any, views: Sequence[str]) -> tuple[bool, ...]:
    """`hidden` for each view's section: all but the active one (the first when `active` is unknown)."""
    shown = active if active in views else views[0]
    return tuple(v != shown for v in views)


def heading_outputs(
    queries: TradeQueries, reporter: Any, partner: Any, frequency: Any, source: Any
) -> tuple[str, str]:
    """(page title, subtitle)."""
    reporter, partner = str(reporter), str(partner)
    names = queries.names([reporter, partner])
    group = queries.groups.get(partner)
    reporter_name = names.get(reporter, "the reporter")
    partner_name = names.get(partner, group.name if group else "the partner")
    chosen = queries.source_for(reporter, str(frequency), wanted=source)
    periods = queries.periods(reporter, frequency=str(frequency), source=chosen)
    return page_title(reporter_name, partner_name), page_subtitle_for(
        periods, frequency=str(frequency), reporter_name=reporter_name, source=chosen
    )


def register(app: dash.Dash, queries: TradeQueries, *, views: Sequence[str]) -> None:
    @app.callback(*(Output(ids.section(v), "hidden") for v in views), Input(ids.VIEW, "value"))
    def _show(active: Any) -> tuple[bool, ...]:
        return hidden_sections(active, views)

    @app.callback(
        Output(ids.TITLE, "children"),
        Output(ids.SUBTITLE, "children"),
        Input(ids.REPORTER, "value"),
        Input(ids.PARTNER, "value"),
        Input(ids.FREQUENCY, "value"),
        Input(ids.SOURCE, "value"),
    )
    def _heading(reporter: Any, partner: Any, frequency: Any, source: Any) -> tuple[str, str]:
        return heading_outputs(queries, reporter, partner, frequency, source)
