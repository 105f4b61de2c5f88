"""The whole page, built per request from the current store version (so new reporters appear unaided)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from dashboard import ids
from dashboard.components.aria import aria
from dashboard.components.chart_card import chart_card
from dashboard.components.controls import comparison_controls, ranking_controls, selection_controls
from dashboard.settings import Settings
from dashboard.state import ResolvedView, top_choices

PRODUCT = "Bilateral Trade Statistics"


def _placeholder() -> go.Figure:
    # Shown for the moment before the first callback answers: no empty axes.
    return go.Figure(layout={"xaxis": {"visible": False}, "yaxis": {"visible": False}, "height": 360})


def _navbar() -> dbc.Navbar:
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(
                    [html.Span("◆", className="brand-mark", **aria(hidden="true")), PRODUCT],
                    href="/",
                    class_name="brand",
                ),
                html.Span(
                    "Annual merchandise trade · US dollars · official statistics", className="navbar-tagline"
                ),
            ],
            fluid="xxl",
        ),
        color="dark",
        dark=True,
        class_name="app-navbar",
        tag="header",
    )


def _footer() -> html.Footer:
    return html.Footer(
        dbc.Container(
            [
                html.P(
                    [
                        html.Strong("How to read these figures. "),
                        "Every number is as the reporter declares it: its exports valued FOB, its imports CIF. "
                        "A partner's own (mirror) report of the same trade is a separate series under that "
                        "partner as reporter. Turnover = exports + imports; balance = exports − imports, shown "
                        "only when both flows are reported. Missing figures are left out, never counted as zero.",
                    ]
                ),
                html.P(
                    "Rank and share count countries only (groups such as World or European Union are not "
                    "ranked); the total is the reporter's World figure where reported.",
                    className="mb-0",
                ),
            ],
            fluid="xxl",
        ),
        className="app-footer",
    )


def page(view: ResolvedView, settings: Settings) -> html.Div:
    """The page for a resolved view; charts and cards are filled by the callbacks."""
    state = view.state
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.VIEW_REPORTER, data=state.reporter),
            _navbar(),
            html.Main(
                dbc.Container(
                    [
                        html.Div(
                            [
                                html.H1("Bilateral trade", id=ids.TITLE, className="page-title"),
                                html.P(id=ids.SUBTITLE, className="page-subtitle"),
                            ],
                            className="page-header",
                        ),
                        selection_controls(
                            reporters=view.reporters,
                            reporter=state.reporter,
                            partners=view.partners,
                            partner=state.partner,
                            years=view.years,
                            year=state.year,
                        ),
                        html.Section(
                            dbc.Row(id=ids.KPIS, class_name="g-3"),
                            className="kpi-section",
                            **aria(label="Headline figures for the chosen year", live="polite"),
                        ),
                        dbc.Row(
                            dbc.Col(
                                chart_card(
                                    title_id=ids.TREND_TITLE,
                                    title="Trade over time",
                                    graph_id=ids.TREND_GRAPH,
                                    chart_id="trend",
                                    source_id=ids.TREND_SOURCE,
                                    figure=_placeholder(),
                                    graph_label="Exports, imports, turnover and balance by year",
                                )
                            ),
                            class_name="g-4 section-row",
                        ),
                        dbc.Row(
                            [
                                dbc.Col(
                                    chart_card(
                                        title_id=ids.RANKING_TITLE,
                                        title="Top partners",
                                        graph_id=ids.RANKING_GRAPH,
                                        chart_id="ranking",
                                        source_id=ids.RANKING_SOURCE,
                                        figure=_placeholder(),
                                        controls=ranking_controls(
                                            measure=state.measure,
                                            top=state.top,
                                            top_choices=top_choices(settings),
                                        ),
                                        graph_label="Partners ranked for the chosen year",
                                    ),
                                    lg=6,
                                ),
                                dbc.Col(
                                    chart_card(
                                        title_id="compare-title",
                                        title="Turnover with selected partners",
                                        graph_id=ids.COMPARE_GRAPH,
                                        chart_id="comparison",
                                        source_id=ids.COMPARE_SOURCE,
                                        figure=_placeholder(),
                                        controls=comparison_controls(
                                            partners=view.partners, compare=state.compare
                                        ),
                                        graph_label="Turnover with several partners by year",
                                    ),
                                    lg=6,
                                ),
                            ],
                            class_name="g-4 section-row",
                        ),
                    ],
                    fluid="xxl",
                    class_name="page",
                )
            ),
            _footer(),
        ]
    )
