"""The mirror view: the pair's two reports, the gap explained, and the partners ranked by gap, for the page's
reporter, partner and year."""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import parse_qsl, urlencode

import dash
import plotly.graph_objects as go
from dash import Input, Output, ctx, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.components import mirror as layout
from dashboard.figures.theme import no_data_figure
from dashboard.mirror import explain, load_band, load_notes, mirror_export, ranking_records, sources_text
from dashboard.queries import TradeQueries, whole_number

RANKING_SIZE = 15
VIEWS: Final = ("mirror", "claims")
# The tab a link without `view` opens: the light one (the mirror view reads every partner's rows of a year).
DEFAULT_VIEW: Final = "claims"


def view_from_search(search: str | None) -> str | None:
    """`?view=claims&reporter=AZE` -> 'claims'; None when absent or not one of VIEWS (last value wins)."""
    pairs = parse_qsl((search or "").lstrip("?"), keep_blank_values=True)
    views = [value for key, value in pairs if key == "view"]
    return views[-1] if views and views[-1] in VIEWS else None


def search_with_view(search: str | None, view: str) -> str:
    """The query string with `view` set (replacing any earlier value), the other parameters kept in order."""
    pairs = [(k, v) for k, v in parse_qsl((search or "").lstrip("?"), keep_blank_values=True) if k != "view"]
    return "?" + urlencode([*pairs, ("view", view)], safe=",")


def sync_view_tab(*, trigger: str | None, search: str | None, active: Any) -> tuple[Any, Any]:
    """(active tab, URL search) outputs: a link's `view` opens that tab; choosing a tab puts it in the link;
    a link rewritten by the page's controls without `view` gets the open tab back."""
    if trigger == layout.TABS:
        wanted = active if active in VIEWS else DEFAULT_VIEW
        new_search = search_with_view(search, wanted)
        return no_update, (no_update if new_search == search else new_search)
    from_link = view_from_search(search)
    if from_link is not None:
        return (no_update if from_link == active else from_link), no_update
    if (search or "").lstrip("?") and active in VIEWS and active != DEFAULT_VIEW:
        return no_update, search_with_view(search, str(active))
    return no_update, no_update


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
    figure, table = mirror_export(queries, reporter, partner, year=chosen_year, band=band)
    note = queries.source_note(reporter, partners=[partner])
    attribution = " ".join(note.attributions) if note else ""
    footer: list[Any] = [
        html.Span(
            " ".join(
                p
                for p in (
                    attribution + ("." if attribution and not attribution.endswith(".") else ""),
                    sources_text(table, reporter_name, partner_name) + "." if not table.empty else "",
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
            table,
            chosen_year,
            reporter_name=reporter_name,
            partner_name=partner_name,
            band=band,
            notes=load_notes(),
        )
        explanation = layout.explanation_children(
            explained.flows, [(n.title, n.text, n.reference) for n in explained.notes]
        )
        ranked = ranking_records(queries, reporter, chosen_year, band=band, top=RANKING_SIZE)
        ranking = layout.ranking_table(ranked, partner=partner)
        ranking_title = f"{reporter_name}'s partners by size of the gap, {chosen_year}"
    title = f"{reporter_name} and {partner_name}: two reports of the same trade"
    return title, figure, footer, explanation, ranking_title, ranking


def register(app: dash.Dash, queries: TradeQueries) -> None:
    @app.callback(
        Output(layout.TABS, "active_tab"),
        Output(ids.URL, "search", allow_duplicate=True),
        Input(ids.URL, "search"),
        Input(layout.TABS, "active_tab"),
        prevent_initial_call="initial_duplicate",
    )
    def _view(search: str | None, active: Any) -> tuple[Any, Any]:
        trigger = ctx.triggered_id if isinstance(ctx.triggered_id, str) else None
        return sync_view_tab(trigger=trigger, search=search, active=active)

    @app.callback(
        Output(layout.TITLE, "children"),
        Output(layout.GRAPH, "figure"),
        Output(layout.SOURCE, "children"),
        Output(layout.EXPLANATION, "children"),
        Output(layout.RANKING_TITLE, "children"),
        Output(layout.RANKING, "children"),
        Input(ids.REPORTER, "value"),
        Input(ids.PARTNER, "value"),
        Input(ids.YEAR, "value"),
        Input(layout.TABS, "active_tab"),
    )
    def _mirror(reporter: Any, partner: Any, year: Any, active: Any) -> tuple[Any, ...]:
        # Computed only while the view is open: a page load elsewhere does not pay for it.
        if active != "mirror":
            raise PreventUpdate
        return mirror_outputs(queries, reporter, partner, year)
