"""The whole page, built per request from the current store version (so new reporters appear unaided)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.components.aria import aria
from dashboard.components.controls import selection_controls
from dashboard.i18n import label, t
from dashboard.settings import Settings
from dashboard.state import ResolvedView


class Tab(Protocol):
    """What the page needs of a view (dashboard/registry.py View): its id, its label and its section."""

    @property
    def id(self) -> str: ...

    @property
    def label_key(self) -> str: ...

    @property
    def lazy(self) -> bool: ...

    def section(self, view: ResolvedView, settings: Settings) -> Any: ...

    def placeholder(self, view: ResolvedView, settings: Settings) -> Any: ...


def state_note(notes: Sequence[str], lang: str = "en") -> list[Any]:
    """The visible note listing the link parameters that were replaced (empty when none were)."""
    if not notes:
        return []
    return [
        dbc.Alert(
            [
                html.Strong(label(lang, "note.invalid")),
                html.Ul([html.Li(n) for n in notes], className="mb-0"),
            ],
            color="warning",
            dismissable=True,
            class_name="state-note",
        )
    ]


def page(
    view: ResolvedView,
    settings: Settings,
    *,
    views: Sequence[Tab],
    routes: Sequence[str],
    source_names: dict[str, str] | None = None,
    page_search: str | None = None,
) -> html.Div:
    """The page for a resolved view; the open view's charts, cards and tables are filled in by the app before it
    is sent (dashboard/callbacks/first_response.py), the rest by the callbacks. A lazy view other than the open
    one is only the components it keeps until its tab opens (callbacks/sections.py).

    `views`: the tabs (dashboard/registry.py VIEWS); `routes`: the names of the route stores (callbacks/routes.py).

    `source_names`: how each source reads in the source list (default: its code); `page_search`: the link's
    query string (`?…`) the page is built from, None when unknown."""
    state = view.state
    lang = state.lang
    built = [v.id for v in views if v.id == state.view or not v.lazy]
    return html.Div(
        [
            # With the link's query string set, dcc.Location finds its `search` already right on mount and does
            # not announce it, so callbacks listening to it (language links) do not run for nothing on load.
            dcc.Location(
                id=ids.URL, refresh=False, **({} if page_search is None else {"search": page_search})
            ),
            dcc.Store(id=ids.VIEW_REPORTER, data=state.options_key),
            dcc.Store(id=ids.LANG, data=lang),
            dcc.Store(id=ids.LINK),
            dcc.Store(id=ids.NAVIGATION),
            dcc.Store(id=ids.PAGE_SEARCH, data=page_search),
            dcc.Store(id=ids.BUILT_VIEWS, data=built),
            *(dcc.Store(id=ids.route(name)) for name in routes),
            html.Main(
                dbc.Container(
                    [
                        html.Div(state_note(view.notes, lang), id=ids.STATE_NOTE, **aria(live="polite")),
                        html.Div(
                            [
                                html.H1(t(lang, "Bilateral trade"), id=ids.TITLE, className="page-title"),
                                html.P(id=ids.SUBTITLE, className="page-subtitle"),
                            ],
                            className="page-header",
                        ),
                        selection_controls(
                            reporters=view.reporters,
                            reporter=state.reporter,
                            partners=view.partners,
                            partner=state.partner,
                            periods=view.periods,
                            period=state.period,
                            frequency=state.frequency,
                            frequencies=view.frequencies,
                            sources=view.sources,
                            source=state.source,
                            source_names=source_names,
                            lang=lang,
                        ),
                        # The views as a group of radio buttons drawn as tabs: Tab reaches the group, the arrow
                        # keys change the view (dbc.Tabs left every tab out of the keyboard order).
                        html.Div(
                            dbc.RadioItems(
                                id=ids.VIEW,
                                options=[{"label": label(lang, v.label_key), "value": v.id} for v in views],
                                value=state.view,
                                inline=True,
                                class_name="view-tabs-group",
                                input_class_name="btn-check",
                                label_class_name="view-tab",
                                label_checked_class_name="active",
                            ),
                            className="view-tabs",
                            role="group",
                            **aria(label=label(lang, "views")),
                        ),
                        *[
                            html.Section(
                                v.section(view, settings)
                                if v.id == state.view
                                else v.placeholder(view, settings),
                                id=ids.section(v.id),
                                hidden=v.id != state.view,
                                className="view-section",
                                **aria(label=label(lang, v.label_key)),
                            )
                            for v in views
                        ],
                    ],
                    fluid="xxl",
                    class_name="page",
                )
            ),
        ],
        lang=lang,
    )
