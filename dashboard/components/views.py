"""The layout of each view (its entry in dashboard/registry.py names it).

A layout function takes the resolved view, the settings and the download formats of each of the view's
charts (chart id -> formats, from the registry) and returns the view's components. A view built when its tab
first opens (`View.lazy`, callbacks/sections.py) is in the page only by the components the registry keeps of
it until then (`View.kept`: its controls and what the page's callbacks write).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from dashboard import ids
from dashboard.components.aria import aria
from dashboard.components.chart_card import GRAPH_CONFIG, chart_card, download_menu, download_parts
from dashboard.components.claims import claims_section
from dashboard.components.controls import comparison_controls, flow_controls, map_controls, ranking_controls
from dashboard.components.mirror import mirror_section
from dashboard.components.table import grid_locale_text
from dashboard.geo import TOPOJSON_ASSET_DIR
from dashboard.i18n import label, t
from dashboard.queries.mirror import load_band
from dashboard.settings import Settings
from dashboard.state import ResolvedView, top_choices

Downloads = Mapping[str, tuple[str, ...]]  # chart id -> the formats its download menu offers
Layout = Callable[[ResolvedView, Settings, Downloads], Any]


def placeholder_figure() -> go.Figure:
    # Shown for the moment before the first callback answers: no empty axes.
    return go.Figure(layout={"xaxis": {"visible": False}, "yaxis": {"visible": False}, "height": 360})


def _chart(
    downloads: Downloads, chart_id: str, title: str, card_ids: tuple[str, str, str], **options: Any
) -> Any:
    """A chart card of the registry's chart: (title, graph, source) ids, its download formats, a placeholder."""
    title_id, graph_id, source_id = card_ids
    return chart_card(title_id=title_id, title=title, graph_id=graph_id, source_id=source_id, chart_id=chart_id,
                      formats=downloads[chart_id], figure=placeholder_figure(), **options)  # fmt: skip


def bilateral_layout(view: ResolvedView, settings: Settings, downloads: Downloads) -> Any:
    lang = view.state.lang
    return [
        html.Div(id=ids.DATA_NOTE, className="data-note", **aria(live="polite")),
        html.Section(
            id=ids.KPIS,
            className="kpi-section kpi-grid",
            **aria(label=t(lang, "Headline figures for the chosen period"), live="polite"),
        ),
        html.Section(
            [html.H2(label(lang, "narrative"), className="visually-hidden"), html.Div(id=ids.NARRATIVE)],
            className="narrative",
            **aria(live="polite"),
        ),
        html.Div(
            _chart(
                downloads,
                "trend",
                label(lang, "trend.title"),
                (ids.TREND_TITLE, ids.TREND_GRAPH, ids.TREND_SOURCE),
                controls=flow_controls(flows=view.state.flows, lang=lang),
                graph_label=t(lang, "Exports, imports, turnover and balance by period"),
                described_by=(ids.NARRATIVE,),  # the sentences say what the chart shows
                # The trend answers in ~10-30 ms, so a spinner delayed by 400 ms never shows; the loading
                # component would still follow every callback's progress (bench P2b: ~3 ms a partner change).
                loading=False,
                lang=lang,
            ),
            className="section-row",
        ),
    ]


def partners_layout(view: ResolvedView, settings: Settings, downloads: Downloads) -> Any:
    state, lang = view.state, view.state.lang
    return [
        dbc.Row(
            [
                dbc.Col(
                    _chart(
                        downloads,
                        "ranking",
                        label(lang, "ranking.title"),
                        (ids.RANKING_TITLE, ids.RANKING_GRAPH, ids.RANKING_SOURCE),
                        controls=ranking_controls(
                            measure=state.measure, top=state.top, top_choices=top_choices(settings), lang=lang
                        ),
                        graph_label=t(lang, "Partners ranked for the chosen period, with shares"),
                        lang=lang,
                    ),
                    lg=6,
                ),
                dbc.Col(
                    _chart(
                        downloads,
                        "comparison",
                        label(lang, "compare.title"),
                        (ids.COMPARE_TITLE, ids.COMPARE_GRAPH, ids.COMPARE_SOURCE),
                        controls=comparison_controls(
                            partners=view.partners, compare=state.compare, lang=lang
                        ),
                        graph_label=t(lang, "The ranked measure for several partners by period"),
                        lang=lang,
                    ),
                    lg=6,
                ),
            ],
            class_name="g-4 section-row",
        ),
        dbc.Row(
            dbc.Col(
                _chart(
                    downloads,
                    "rank_history",
                    label(lang, "rank_history.title"),
                    (ids.RANK_HISTORY_TITLE, ids.RANK_HISTORY_GRAPH, ids.RANK_HISTORY_SOURCE),
                    graph_label=t(
                        lang, "Rank of the selected partners by period for turnover, exports and imports"
                    ),
                    lang=lang,
                )
            ),
            class_name="g-4 section-row",
        ),
    ]


def map_layout(view: ResolvedView, settings: Settings, downloads: Downloads) -> Any:
    lang = view.state.lang
    return dbc.Row(
        dbc.Col(
            _chart(
                downloads,
                "map",
                label(lang, "map.title"),
                (ids.MAP_TITLE, ids.MAP_GRAPH, ids.MAP_SOURCE),
                controls=map_controls(measure=view.state.map_measure, lang=lang),
                graph_label=t(lang, "World map of partner countries coloured by the chosen measure"),
                lang=lang,
                # plotly.js fetches the outlines once per page from the app's own assets, never its CDN.
                graph_config={
                    **GRAPH_CONFIG,
                    "topojsonURL": dash.get_app().get_asset_url(TOPOJSON_ASSET_DIR),
                },
            )
        ),
        class_name="g-4 section-row",
    )


def table_layout(view: ResolvedView, settings: Settings, downloads: Downloads) -> Any:
    lang = view.state.lang
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.H2(label(lang, "table.title"), id=ids.TABLE_TITLE, className="chart-title"),
                    # The table exports as data only: an image of a long grid would say nothing a file cannot.
                    download_menu(
                        "table", title=label(lang, "table.title"), formats=downloads["table"], lang=lang
                    ),
                ],
                class_name="chart-header d-flex align-items-center gap-2",
            ),
            dbc.CardBody(
                [
                    *download_parts("table"),
                    html.P(label(lang, "table.filter_hint"), className="text-body-secondary small"),
                    html.Div(
                        [
                            html.Label(label(lang, "table.search"), htmlFor=ids.TABLE_SEARCH),
                            dcc.Input(
                                id=ids.TABLE_SEARCH, type="search", debounce=False, className="form-control"
                            ),
                        ],
                        className="table-search mb-2",
                    ),
                    # A fixed height keeps the header in view and the rows scrolling inside the card.
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
                        dashGridOptions={"animateRows": False, "localeText": grid_locale_text(lang)},
                        style={"width": "100%", "height": "min(70vh, 640px)"},
                    ),
                ]
            ),
            dbc.CardFooter(
                html.Small(id=ids.TABLE_SOURCE, className="source-note"), class_name="chart-footer"
            ),
        ],
        class_name="chart-card shadow-sm section-row",
    )


def sources_layout(view: ResolvedView, settings: Settings, downloads: Downloads) -> Any:
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


def mirror_layout(view: ResolvedView, settings: Settings, downloads: Downloads) -> Any:
    band = load_band()
    return mirror_section(citations=band.citations, low=band.low, high=band.high, lang=view.state.lang)


def claims_layout(view: ResolvedView, settings: Settings, downloads: Downloads) -> Any:
    return claims_section(
        partners=view.partners,
        partner=view.state.partner,
        years=view.years,
        year=view.state.year,
        lang=view.state.lang,
    )
