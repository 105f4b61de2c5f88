"""The mirror view: the pair's two reports, the gap explained, and the partners ranked by gap, for the page's
reporter, partner and year."""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
from dash import html

from dashboard.callbacks.routes import routed_callback
from dashboard.components import mirror as layout
from dashboard.figures.theme import no_data_figure
from dashboard.mirror import explain, load_notes, mirror_export, sources_text
from dashboard.queries.answers import TradeQueries
from dashboard.queries.controls import whole_number
from dashboard.queries.mirror import load_band, partner_gaps
from dashboard.queries.store import QueryStore

RANKING_SIZE = 15


def mirror_outputs(
    queries: TradeQueries, reporter: Any, partner: Any, year: Any
) -> tuple[str, go.Figure, list[Any], list[Any], str, Any]:
    """(chart title, figure, source footer, explanation, ranking title, ranking table)."""
    if not isinstance(reporter, str) or not isinstance(partner, str):
        # The reporter has no partner (or the controls are not set yet): nothing to compare.
        empty = no_data_figure("Choose a reporter and a partner to compare their reports", height=620)
        return "Two reports of the same trade", empty, [], [html.P("Choose a partner.")], "Largest gaps", []
    chosen_year = whole_number(year)
    band = load_band()
    names = queries.names([reporter, partner])
    reporter_name = names.get(reporter, reporter)
    partner_name = names.get(partner, partner)
    figure, pair = mirror_export(queries, reporter, partner, year=chosen_year, band=band)
    note = queries.source_note(reporter, partners=[partner])
    attribution = " ".join(note.attributions) if note else ""
    footer: list[Any] = [
        html.Span(
            " ".join(
                p
                for p in (
                    attribution + ("." if attribution and not attribution.endswith(".") else ""),
                    sources_text(pair.frame, reporter_name, partner_name) + "."
                    if not pair.frame.empty
                    else "",
                    "Exports FOB and imports CIF, as each side declares them; the two reports are never merged.",
                )
                if p
            ),
            className="source-text",
        )
    ]
    if chosen_year is None:
        explanation: list[Any] = [html.P("Choose a year to see the gap explained.")]
        ranking: Any = layout.ranking_table([], partner=partner)
        ranking_title = "Largest gaps"
    else:
        explained = explain(
            pair,
            chosen_year,
            reporter_name=reporter_name,
            partner_name=partner_name,
            band=band,
            notes=load_notes(),
        )
        explanation = layout.explanation_children(
            explained.flows, [(n.title, n.text, n.reference) for n in explained.notes]
        )
        ranked = partner_gaps(queries, reporter, chosen_year, band=band)
        ranking = layout.ranking_table(ranked.records(RANKING_SIZE), partner=partner)
        ranking_title = f"{reporter_name}'s partners by size of the gap, {chosen_year}"
    title = f"{reporter_name} and {partner_name}: two reports of the same trade"
    return title, figure, footer, explanation, ranking_title, ranking


def register(app: dash.Dash, store: QueryStore) -> None:
    outputs = [(layout.TITLE, "children"), (layout.GRAPH, "figure"), (layout.SOURCE, "children"),
               (layout.EXPLANATION, "children"), (layout.RANKING_TITLE, "children"), (layout.RANKING, "children")]  # fmt: skip
    routed_callback(
        app,
        store,
        "mirror",
        outputs,
        lambda queries, s: mirror_outputs(queries, s.reporter, s.partner, s.period),
    )
