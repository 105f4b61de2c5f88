"""The views, as one data structure: adding a view is one entry in VIEWS (and a `register(app, queries)`
for its callbacks in dashboard/callbacks/__init__.py).

Each entry is (view id, i18n label key, layout function). The layout function takes the resolved view and
the settings and returns the view's components; every view is in the page from the start and only shown
when its tab is active, so the callbacks of all views always find their components.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import html

from dashboard import ids
from dashboard.components.aria import aria
from dashboard.components.chart_card import GRAPH_CONFIG, chart_card, download_menu, download_parts
from dashboard.components.claims import claims_section
from dashboard.components.controls import comparison_controls, flow_controls, map_controls, ranking_controls
from dashboard.components.mirror import mirror_section
from dashboard.export import DATA_FORMATS
from dashboard.geo import TOPOJSON_ASSET_DIR
from dashboard.i18n import label
from dashboard.queries.mirror import load_band
from dashboard.settings import Settings
from dashboard.state import ResolvedView, top_choices

Layout = Callable[[ResolvedView, Settings], Any]


@dataclass(frozen=True)
class View:
    """One tab: its id (in the URL as `view=`), the i18n key of its label, and its layout function."""

    id: str
    label_key: str
    layout: Layout


def placeholder_figure() -> go.Figure:
    # Shown for the moment before the first callback answers: no empty axes.
    return go.Figure(layout={"xaxis": {"visible": False}, "yaxis": {"visible": False}, "height": 360})


def bilateral_layout(view: ResolvedView, settings: Settings) -> Any:
    lang = view.state.lang
    return [
        html.Div(id=ids.DATA_NOTE, className="data-note", **aria(live="polite")),
        html.Section(
            dbc.Row(id=ids.KPIS, class_name="g-3"),
            className="kpi-section",
            **aria(label="Headline figures for the chosen period", live="polite"),
        ),
        html.Section(
            [html.H2(label(lang, "narrative"), className="visually-hidden"), html.Div(id=ids.NARRATIVE)],
            className="narrative",
            **aria(live="polite"),
        ),
        dbc.Row(
            dbc.Col(
                chart_card(
                    title_id=ids.TREND_TITLE,
                    title=label(lang, "trend.title"),
                    graph_id=ids.TREND_GRAPH,
                    chart_id="trend",
                    source_id=ids.TREND_SOURCE,
                    figure=placeholder_figure(),
                    controls=flow_controls(flows=view.state.flows, lang=lang),
                    graph_label="Exports, imports, turnover and balance by period",
                )
            ),
            class_name="g-4 section-row",
        ),
    ]


def partners_layout(view: ResolvedView, settings: Settings) -> Any:
    state, lang = view.state, view.state.lang
    return [
        dbc.Row(
            [
                dbc.Col(
                    chart_card(
                        title_id=ids.RANKING_TITLE,
                        title=label(lang, "ranking.title"),
                        graph_id=ids.RANKING_GRAPH,
                        chart_id="ranking",
                        source_id=ids.RANKING_SOURCE,
                        figure=placeholder_figure(),
                        controls=ranking_controls(
                            measure=state.measure, top=state.top, top_choices=top_choices(settings), lang=lang
                        ),
                        graph_label="Partners ranked for the chosen period, with shares",
                    ),
                    lg=6,
                ),
                dbc.Col(
                    chart_card(
                        title_id=ids.COMPARE_TITLE,
                        title=label(lang, "compare.title"),
                        graph_id=ids.COMPARE_GRAPH,
                        chart_id="comparison",
                        source_id=ids.COMPARE_SOURCE,
                        figure=placeholder_figure(),
                        controls=comparison_controls(
                            partners=view.partners, compare=state.compare, lang=lang
                        ),
                        graph_label="The ranked measure for several partners by period",
                    ),
                    lg=6,
                ),
            ],
            class_name="g-4 section-row",
        ),
        dbc.Row(
            dbc.Col(
                chart_card(
                    title_id=ids.RANK_HISTORY_TITLE,
                    title=label(lang, "rank_history.title"),
                    graph_id=ids.RANK_HISTORY_GRAPH,
                    chart_id="rank_history",
                    source_id=ids.RANK_HISTORY_SOURCE,
                    figure=placeholder_figure(),
                    graph_label="Rank of the selected partners by period for turnover, exports and imports",
                )
            ),
            class_name="g-4 section-row",
        ),
    ]


def map_layout(view: ResolvedView, settings: Settings) -> Any:
    lang = view.state.lang
    return dbc.Row(
        dbc.Col(
            chart_card(
                title_id=ids.MAP_TITLE,
                title=label(lang, "map.title"),
                graph_id=ids.MAP_GRAPH,
                chart_id="map",
                source_id=ids.MAP_SOURCE,
                figure=placeholder_figure(),
                controls=map_controls(measure=view.state.map_measure, lang=lang),
                graph_label="World map of partner countries coloured by the chosen measure",
                # plotly.js fetches the outlines once per page from the app's own assets, never its CDN.
                graph_config={
                    **GRAPH_CONFIG,
                    "topojsonURL": dash.get_app().get_asset_url(TOPOJSON_ASSET_DIR),
                },
            )
        ),
        class_name="g-4 section-row",
    )


def table_layout(view: ResolvedView, settings: Settings) -> Any:
    lang = view.state.lang
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.H2(label(lang, "table.title"), id=ids.TABLE_TITLE, className="chart-title"),
                    # The table exports as data only: an image of a long grid would say nothing a file cannot.
                    download_menu("table", title=label(lang, "table.title"), formats=DATA_FORMATS),
                ],
                class_name="chart-header d-flex align-items-center gap-2",
            ),
            dbc.CardBody(
                [
                    *download_parts("table"),
                    html.P(label(lang, "table.filter_hint"), className="text-body-secondary small"),
                    dag.AgGrid(
                        id=ids.TABLE_GRID,
                        rowData=[],
                        columnDefs=[],
                        defaultColDef={
                            "sortable": True,
                            "resizable": True,
                            "filter": True,
                            "floatingFilter": True,
                        },
                        dashGridOptions={"domLayout": "autoHeight", "animateRows": False},
                        style={"width": "100%"},
                    ),
                ]
            ),
            dbc.CardFooter(
                html.Small(id=ids.TABLE_SOURCE, className="source-note"), class_name="chart-footer"
            ),
        ],
        class_name="chart-card shadow-sm section-row",
    )


def sources_layout(view: ResolvedView, settings: Settings) -> Any:
    lang = view.state.lang
    return dbc.Card(
        [
            dbc.CardHeader(
                html.H2(label(lang, "sources.title"), className="chart-title"), class_name="chart-header"
            ),
            dbc.CardBody(html.Div(id=ids.SOURCES_CONTENT)),
        ],
        class_name="chart-card shadow-sm section-row",
    )


def mirror_layout(view: ResolvedView, settings: Settings) -> Any:
    band = load_band()
    return mirror_section(citations=band.citations, low=band.low, high=band.high)


def claims_layout(view: ResolvedView, settings: Settings) -> Any:
    return claims_section(
        partners=view.partners, partner=view.state.partner, years=view.years, year=view.state.year
    )


VIEWS: tuple[View, ...] = (
    View("bilateral", "view.bilateral", bilateral_layout),
    View("partners", "view.partners", partners_layout),
    View("map", "view.map", map_layout),
    View("table", "view.table", table_layout),
    View("sources", "view.sources", sources_layout),
    View("mirror", "view.mirror", mirror_layout),
    View("claims", "view.claims", claims_layout),
)


def view_ids(views: tuple[View, ...] = VIEWS) -> tuple[str, ...]:
    return tuple(v.id for v in views)
