"""The mirror view: the pair's two reports, the gap explained, and the partners ranked by gap, for the page's
reporter, partner and year."""

from __future__ import annotations

from typing import Any, Final

import dash
import plotly.graph_objects as go
from dash import html

from dashboard.callbacks.routes import routed_callback
from dashboard.components import mirror as layout
from dashboard.figures.theme import no_data_figure
from dashboard.i18n import area_name, t
from dashboard.mirror import explain, load_notes, mirror_export, sources_text
from dashboard.queries.answers import TradeQueries
from dashboard.queries.controls import whole_number
from dashboard.queries.mirror import load_band, partner_gaps
from dashboard.queries.store import QueryStore
from dashboard.state import ViewState

RANKING_SIZE = 15


def mirror_outputs(
    queries: TradeQueries, reporter: Any, partner: Any, year: Any, lang: str = "en"
) -> tuple[str, go.Figure, list[Any], list[Any], str, Any]:
    """(chart title, figure, source footer, explanation, ranking title, ranking table) in `lang`."""
    if not isinstance(reporter, str) or not isinstance(partner, str):
        # The reporter has no partner (or the controls are not set yet): nothing to compare.
        empty = no_data_figure(
            t(lang, "Choose a reporter and a partner to compare their reports"), height=620
        )
        return (t(lang, "Two reports of the same trade"), empty, [], [html.P(t(lang, "Choose a partner."))],
                t(lang, "Largest gaps"), [])  # fmt: skip
    chosen_year = whole_number(year)
    band = load_band()
    names = queries.names([reporter, partner])
    reporter_name = area_name(reporter, names.get(reporter, reporter), lang)
    partner_name = area_name(partner, names.get(partner, partner), lang)
    figure, pair = mirror_export(queries, reporter, partner, year=chosen_year, band=band, lang=lang)
    note = queries.source_note(reporter, partners=[partner])
    attribution = " ".join(note.attributions) if note else ""
    if attribution.startswith("Source:"):
        attribution = t(lang, "Source:") + attribution[len("Source:") :]
    footer: list[Any] = [
        html.Span(
            " ".join(
                p
                for p in (
                    attribution + ("." if attribution and not attribution.endswith(".") else ""),
                    sources_text(
                        pair.frame, reporter_name, partner_name, lang, source_names=queries.source_titles()
                    )
                    + "."
                    if not pair.frame.empty
                    else "",
                    t(
                        lang,
                        "Exports FOB and imports CIF, as each side declares them; the two reports are never merged.",
                    ),
                )
                if p
            ),
            className="source-text",
        )
    ]
    if chosen_year is None:
        explanation: list[Any] = [html.P(t(lang, "Choose a year to see the gap explained."))]
        ranking: Any = layout.ranking_table([], partner=partner, lang=lang)
        ranking_title = t(lang, "Largest gaps")
    else:
        explained = explain(
            pair,
            chosen_year,
            reporter_name=reporter_name,
            partner_name=partner_name,
            band=band,
            notes=load_notes(),
            lang=lang,
        )
        explanation = layout.explanation_children(
            explained.flows, [(n.title, n.text, n.reference) for n in explained.notes], lang
        )
        ranked = partner_gaps(queries, reporter, chosen_year, band=band)
        rows = [
            {**row, "name": area_name(str(row["partner"]), str(row["name"]), lang)}
            for row in ranked.records(RANKING_SIZE)
        ]
        ranking = layout.ranking_table(rows, partner=partner, lang=lang)
        ranking_title = t(lang, "{reporter}'s partners by size of the gap, {year}", reporter=reporter_name,
                          year=chosen_year)  # fmt: skip
    title = t(lang, "{reporter} and {partner}: two reports of the same trade", reporter=reporter_name,
              partner=partner_name)  # fmt: skip
    return title, figure, footer, explanation, ranking_title, ranking


# The mirror route's outputs, in `mirror_outputs` order (also filled in the first response).
OUTPUTS: Final = ((layout.TITLE, "children"), (layout.GRAPH, "figure"), (layout.SOURCE, "children"),
                  (layout.EXPLANATION, "children"), (layout.RANKING_TITLE, "children"),
                  (layout.RANKING, "children"))  # fmt: skip


def mirror_answer(queries: TradeQueries, state: ViewState) -> tuple[Any, ...]:
    """`mirror_outputs` for a view state: the mirror route's answer."""
    return mirror_outputs(queries, state.reporter, state.partner, state.period, state.lang)


def register(app: dash.Dash, store: QueryStore) -> None:
    routed_callback(app, store, "mirror", OUTPUTS, mirror_answer)
