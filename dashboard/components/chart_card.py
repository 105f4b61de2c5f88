"""A chart in a card: title, a download menu, optional controls, the graph, and a footer saying where its
numbers come from."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.components.aria import aria
from dashboard.i18n import N_, plotly_locale_config, t
from dashboard.queries.model import SourceNote

# Pattern-matching ids of the download menu (dashboard/callbacks/downloads.py answers them): one item per
# format, one dcc.Download and one alert per chart, all keyed by the chart id of dashboard/registry.py.
DOWNLOAD_ITEM = "chart-download-item"
DOWNLOAD_FILE = "chart-download-file"
DOWNLOAD_ALERT = "chart-download-alert"
DOWNLOAD_MENU = "chart-download-menu"

# The labels are English msgids: `download_menu` shows them through the catalogue (t(lang, label)).
DOWNLOAD_CHOICES: tuple[tuple[str, str], ...] = (
    ("png", N_("PNG image")),
    ("svg", N_("SVG image (vector)")),
    ("pdf", N_("PDF document")),
    ("html", N_("Interactive HTML page")),
    ("csv", N_("Data as CSV")),
    ("xlsx", N_("Data as Excel (XLSX)")),
)

GRAPH_CONFIG: Any = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def graph_config_in(config: Any, lang: str) -> Any:
    """A graph's plotly config in `lang`: month names on date axes and number signs from CLDR."""
    locale = plotly_locale_config(lang)
    return {**config, **locale} if locale else config


def source_footer(note: SourceNote | None, *, extra: str | None = None, lang: str = "en") -> list[Any]:
    """The footer text: attribution, reporter, valuation, release; links go to the source's own page."""
    if note is None:
        return [
            html.Span(t(lang, "No rows selected, so no source to cite."), className="text-body-secondary")
        ]
    children: list[Any] = [html.Span(note.text_in(lang), className="source-text")]
    if note.has_estimates:
        children.append(
            html.Span(" " + t(lang, "Open markers are the source's estimates."), className="source-text")
        )
    if note.release_text:
        children.append(
            html.Span(
                f" {note.release_text_in(lang)}", className="source-release", title=note.release_descriptions
            )
        )
    if extra:
        children.append(html.Span(f" {extra}", className="source-text"))
    for url in note.urls:
        children.append(" ")
        children.append(
            html.A(t(lang, "Source website"), href=url, target="_blank", rel="noopener noreferrer")
        )
    return children


def download_menu(
    chart_id: str, *, title: str, formats: tuple[str, ...] | None = None, lang: str = "en"
) -> dbc.DropdownMenu:
    """A "Download" button opening one item per format of `formats` (default: all). A keyboard reaches
    and opens it like any button; the arrow keys move through the items.
    Its accessible name says which chart it downloads."""
    return dbc.DropdownMenu(
        [
            dbc.DropdownMenuItem(
                t(lang, label), id={"type": DOWNLOAD_ITEM, "chart": chart_id, "format": fmt}, n_clicks=0
            )
            for fmt, label in DOWNLOAD_CHOICES
            if formats is None or fmt in formats
        ],
        id={"type": DOWNLOAD_MENU, "chart": chart_id},
        label=[t(lang, "Download"), html.Span(f" {title}", className="visually-hidden")],
        size="sm",
        color="secondary",
        align_end=True,
        class_name="chart-download ms-auto",
    )


def download_parts(chart_id: str) -> list[Any]:
    """The file download and the alert that says why an export could not be made (closed until then)."""
    return [
        dcc.Download(id={"type": DOWNLOAD_FILE, "chart": chart_id}),
        dbc.Alert(
            id={"type": DOWNLOAD_ALERT, "chart": chart_id},
            is_open=False,
            dismissable=True,
            color="warning",
            class_name="chart-download-alert small mb-2",
        ),
    ]


def chart_card(
    *,
    title_id: str,
    title: str,
    graph_id: str,
    source_id: str,
    figure: go.Figure | None = None,
    controls: object = None,
    graph_label: str,
    chart_id: str | None = None,
    formats: tuple[str, ...] | None = None,
    graph_config: Any = None,
    described_by: tuple[str, ...] = (),
    loading: bool = True,
    lang: str = "en",
) -> dbc.Card:
    """A card holding one graph; `controls` (if any) sit between the title and the graph.

    The graph is a figure named by `graph_label` (what kind of chart) and described by the card's title, the
    elements of `described_by` (ids: the sentences that say what it shows) and the source footer (which a
    ranking or a map opens with its text alternative, for screen readers only: chart_outputs.summarised).

    `chart_id` (a chart of dashboard/registry.py) adds the download menu of `formats` (default: PNG, SVG,
    PDF, HTML, CSV, XLSX) to the header; without it the card has none. `graph_config`: the graph's plotly config (GRAPH_CONFIG).
    `loading`: a spinner over the graph while an answer takes longer than 400 ms; without it, none.
    """
    body: list[Any] = download_parts(chart_id) if chart_id else []
    if controls is not None:
        body.append(controls)
    graph = dcc.Graph(
        id=graph_id,
        figure=figure or go.Figure(),
        config=graph_config_in(graph_config or GRAPH_CONFIG, lang),
        className="chart",
    )
    body.append(
        html.Div(
            dcc.Loading(graph, type="dot", delay_show=400) if loading else graph,
            role="figure",
            **aria(label=graph_label, describedby=" ".join((title_id, *described_by, source_id))),
        )
    )
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.H2(title, id=title_id, className="chart-title"),
                    *([download_menu(chart_id, title=title, formats=formats, lang=lang)] if chart_id else []),
                ],
                class_name="chart-header d-flex align-items-center gap-2",
            ),
            dbc.CardBody(body),
            dbc.CardFooter(html.Small(id=source_id, className="source-note"), class_name="chart-footer"),
        ],
        class_name="chart-card shadow-sm h-100",
    )
