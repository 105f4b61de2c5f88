"""What each routed part of the page shows, as Dash components: a chart's content (dashboard/view_content.py)
wrapped in its card's title, figure and source footer, or the headline cards and sentences.

Each function takes the query object and the `ViewState` of the page's controls and returns its outputs in
the order the registry (dashboard/registry.py) declares them; one helper (callbacks/routes.py) wires them.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard import view_content
from dashboard.components.chart_card import source_footer
from dashboard.components.kpi import kpi_cards
from dashboard.components.sources import sources_content
from dashboard.components.table import grid_columns, grid_rows
from dashboard.format import money, percent
from dashboard.i18n import N_, label, t
from dashboard.narrative import bilateral_sentences, falling_cumulative_text
from dashboard.queries.answers import TradeQueries
from dashboard.queries.model import TOTAL_WORLD, Kpis
from dashboard.queries.periods import parse_period
from dashboard.state import ViewState
from dashboard.view_content import SUMMARY_COUNT


def largest_partners(
    frame: pd.DataFrame, *, column: str = "value", shares: bool = True, lang: str = "en"
) -> str:
    """A chart's text alternative: the first SUMMARY_COUNT ranked partners of a PartnerRanking frame with
    their `column` (US dollars) and, if `shares`, their share: `Largest partners: Italy $4.30 bn (37.4%);
    Türkiye ...`. Empty when nothing is ranked (the chart then says why)."""
    # A ranking frame lists its ranked rows first, in rank order: the first ranked rows, without a sort.
    first = np.flatnonzero(frame["rank"].notna().to_numpy())[:SUMMARY_COUNT]
    if len(first) == 0:
        return ""
    # Only the columns read, as arrays: a take of the ranking frame's rows (33 columns) cost ~0.4 ms (P1).
    names = view_content.names_in_language(
        frame["partner"].to_numpy()[first], frame["name"].to_numpy()[first], lang
    )
    values = frame[column].to_numpy("float64", na_value=np.nan)[first]
    share_of = frame["share"].to_numpy("float64", na_value=np.nan)[first]
    parts = [
        f"{name} {money(value, lang)}" + (f" ({percent(share, lang)})" if shares and pd.notna(share) else "")
        for name, value, share in zip(names, values, share_of, strict=True)
    ]
    return t(lang, "Largest partners: {partners}.", partners="; ".join(parts))


def summarised(summary: str, footer: list[Any]) -> list[Any]:
    """The footer with the chart's text alternative first, for screen readers only: the graph's
    aria-describedby (components/chart_card.py) reads the footer, the eye reads the chart."""
    return (
        [html.Span(summary + " ", className="visually-hidden chart-summary"), *footer] if summary else footer
    )


RANK_HISTORY_NOTE = N_("Ranks among partner countries; a gap means no World total or no figure that period.")


def _month(state: ViewState) -> int:
    """The last month of the view's period (12 for a year): with the frequency, how its label is written."""
    parsed = parse_period(state.frequency, state.period)
    return parsed[1] if parsed else 12


def _period_kpis(queries: TradeQueries, state: ViewState) -> Kpis | None:
    return queries.period_kpis(
        state.reporter,
        state.partner or "",
        frequency=state.frequency,
        period=state.period,
        source=state.source,
    )


def kpi_outputs(queries: TradeQueries, state: ViewState) -> list[Any]:
    """The KPI row's children for one period (annual periods are years)."""
    return _cards(_period_kpis(queries, state), state)


def _cards(kpis: Kpis | None, state: ViewState) -> list[Any]:
    return kpi_cards(kpis, lang=state.lang, frequency=state.frequency, month=_month(state))


def narrative_outputs(queries: TradeQueries, state: ViewState) -> tuple[list[Any], list[Any]]:
    """(the sentences as a paragraph, the data notes: annual only, derived figures, derivation warnings)."""
    return _narrative(queries, state, _period_kpis(queries, state))


def _narrative(queries: TradeQueries, state: ViewState, kpis: Kpis | None) -> tuple[list[Any], list[Any]]:
    lang, reporter, partner = state.lang, state.reporter, state.partner or ""
    frequency, period, source = state.frequency, state.period, state.source
    standing = queries.partner_standing(reporter, partner, frequency=frequency, period=period, source=source)
    sentences = bilateral_sentences(kpis, standing, lang=lang, frequency=frequency, month=_month(state))
    paragraph: list[Any] = [html.P(" ".join(sentences), className="narrative-text")] if sentences else []
    notes: list[Any] = []
    if queries.frequencies(reporter) == ("annual",):
        notes.append(dbc.Alert(label(lang, "note.annual_only"), color="info", class_name="annual-only-note"))
    if kpis is not None and kpis.derived:
        notes.append(dbc.Alert(label(lang, "note.derived"), color="light", class_name="derived-note"))
    # The period's derivation warnings, carried by its ranking: the partner's row only, not a take of all.
    warnings = queries.period_ranking(
        reporter, state.period, frequency=state.frequency, source=state.source, partner=partner
    ).warnings
    if warnings:
        notes.append(
            dbc.Alert(
                [
                    html.Strong(t(lang, "The source's cumulative figures fall: ")),
                    html.Ul(
                        [
                            html.Li(
                                falling_cumulative_text(
                                    w, lang, view_content.area_label(queries, w.partner, lang)
                                )
                            )
                            for w in warnings
                        ]
                    ),
                ],
                color="warning",
                class_name="derivation-warning",
            )
        )
    return paragraph, notes


def bilateral_outputs(queries: TradeQueries, state: ViewState) -> tuple[Any, ...]:
    """(KPI cards, sentences, data notes): one request per change, the period's numbers read once."""
    kpis = _period_kpis(queries, state)
    return (_cards(kpis, state), *_narrative(queries, state, kpis))


def trend_outputs(queries: TradeQueries, state: ViewState) -> tuple[go.Figure, list[Any]]:
    """(figure, source footer)."""
    content = view_content.trend_content(queries, state)
    return content.figure, source_footer(content.note, lang=state.lang)


def ranking_outputs(queries: TradeQueries, state: ViewState) -> tuple[str, dict[str, Any], list[Any]]:
    """(card title, figure, source footer)."""
    content = view_content.ranking_content(queries, state)
    world = content.ranking.total_basis == TOTAL_WORLD
    basis = t(state.lang, "Shares are of the reporter's World total as reported.") if world else None
    footer = source_footer(content.note, extra=basis, lang=state.lang)
    summary = largest_partners(content.ranking.frame, lang=state.lang)
    return content.title, content.figure, summarised(summary, footer)


def comparison_outputs(queries: TradeQueries, state: ViewState) -> tuple[str, go.Figure, list[Any]]:
    """(card title, figure of the measure for each compared partner over the periods, source footer)."""
    content = view_content.comparison_content(queries, state)
    summed = content.table.summed_groups
    extra = (
        t(state.lang, "Summed from members (derived): {groups}.", groups=", ".join(summed))
        if summed
        else None
    )
    return content.title, content.figure, source_footer(content.note, extra=extra, lang=state.lang)


def rank_history_outputs(queries: TradeQueries, state: ViewState) -> tuple[go.Figure, list[Any]]:
    """(rank-over-time figure for the compared partners, source footer)."""
    content = view_content.rank_history_content(queries, state)
    return content.figure, source_footer(
        content.note, extra=t(state.lang, RANK_HISTORY_NOTE), lang=state.lang
    )


def compared_outputs(queries: TradeQueries, state: ViewState) -> tuple[Any, ...]:
    """The comparison card's (title, figure, footer), then the rank history's (figure, footer)."""
    return (*comparison_outputs(queries, state), *rank_history_outputs(queries, state))


def map_outputs(queries: TradeQueries, state: ViewState) -> tuple[str, go.Figure, list[Any]]:
    """(card title, choropleth, source footer)."""
    content = view_content.map_content(queries, state)
    # The map of balances ranks by turnover (dashboard/view_content.py) and shows no shares.
    balance = content.measure == "balance"
    summary = largest_partners(
        content.ranking.frame, column=content.measure, shares=not balance, lang=state.lang
    )
    return content.title, content.figure, summarised(summary, source_footer(content.note, lang=state.lang))


def table_outputs(
    queries: TradeQueries, state: ViewState
) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]], list[Any]]:
    """(title, row data, column definitions, source footer)."""
    content = view_content.table_content(queries, state)
    return (
        content.title,
        grid_rows(
            view_content.in_language(content.ranking.frame, state.lang, frequency=content.ranking.frequency),
            lang=state.lang,
        ),
        grid_columns(previous_label=content.previous_label, lang=state.lang),
        source_footer(content.note, lang=state.lang),
    )


def sources_outputs(queries: TradeQueries, state: ViewState) -> tuple[list[Any]]:
    """The sources view's content: every source in the store, its releases, what the numbers mean."""
    return (sources_content(queries.sources_overview(), store_version=queries.path.name, lang=state.lang),)
