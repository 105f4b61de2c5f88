"""A chart in a card: title, optional controls, the graph, and a footer saying where its numbers come from."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.components.aria import aria
from dashboard.queries import SourceNote

GRAPH_CONFIG: Any = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def source_footer(note: SourceNote | None, *, extra: str | None = None) -> list[Any]:
    """The footer text: attribution, reporter, valuation, release; links go to the source's own page."""
    if note is None:
        return [html.Span("No rows selected, so no source to cite.", className="text-body-secondary")]
    children: list[Any] = [html.Span(note.text, className="source-text")]
    if note.has_estimates:
        children.append(html.Span(" Open markers are the source's estimates.", className="source-text"))
    if note.release_text:
        children.append(
            html.Span(f" {note.release_text}", className="source-release", title=note.release_descriptions)
        )
    if extra:
        children.append(html.Span(f" {extra}", className="source-text"))
    for url in note.urls:
        children.append(" ")
        children.append(html.A("Source website", href=url, target="_blank", rel="noopener noreferrer"))
    return children


def chart_card(
    *,
    title_id: str,
    title: str,
    graph_id: str,
    source_id: str,
    figure: go.Figure | None = None,
    controls: object = None,
    graph_label: str,
) -> dbc.Card:
    """A card holding one graph; `controls` (if any) sit between the title and the graph."""
    body: list[Any] = []
    if controls is not None:
        body.append(controls)
    body.append(
        html.Div(
            dcc.Loading(
                dcc.Graph(id=graph_id, figure=figure or go.Figure(), config=GRAPH_CONFIG, className="chart"),
                type="dot",
                delay_show=400,
            ),
            role="figure",
            **aria(label=graph_label),
        )
    )
    return dbc.Card(
        [
            dbc.CardHeader(html.H2(title, id=title_id, className="chart-title"), class_name="chart-header"),
            dbc.CardBody(body),
            dbc.CardFooter(html.Small(id=source_id, className="source-note"), class_name="chart-footer"),
        ],
        class_name="chart-card shadow-sm h-100",
    )
