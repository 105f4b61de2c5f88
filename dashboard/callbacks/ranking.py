"""The partners view: ranking with shares for the chosen period, selected partners over time, rank over time."""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
from dash import Input, Output, State, no_update

from dashboard import ids
from dashboard.components.chart_card import source_footer
from dashboard.figures.periods import partners_over_periods
from dashboard.figures.rank_history import rank_history_figure
from dashboard.figures.ranking import partner_ranking_bars
from dashboard.i18n import label, language
from dashboard.queries import MEASURES, TOTAL_WORLD, TradeQueries, top_of

VIEW = "partners"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def ranking_outputs(
    queries: TradeQueries,
    reporter: Any,
    partner: Any,
    period: Any,
    measure: Any,
    top: Any,
    *,
    frequency: Any = "annual",
    source: Any = None,
    lang: Any = "en",
) -> tuple[str, go.Figure, list[Any]]:
    """(card title, figure, source footer)."""
    lang = language(lang)
    count = int(top) if isinstance(top, (int, str)) and str(top).isdigit() else 15
    ranking = queries.period_ranking(
        str(reporter), period, frequency=str(frequency), measure=str(measure), source=_text(source)
    )
    measure_label = label(lang, ranking.measure if ranking.measure in MEASURES else "turnover")
    reporter_area = queries.area(str(reporter))
    reporter_name = reporter_area.name if reporter_area else str(reporter)
    empty = (
        f"No ranking: {reporter_name} reports no World total for {ranking.label}, so its partner table here may be "
        "incomplete (the shipped data hold other reporters' trade with Azerbaijan only; `make world` builds all)"
        if ranking.label and ranking.total_basis is None
        else "No partners with data for this period"
    )
    figure = partner_ranking_bars(
        top_of(ranking.frame, count, include=str(partner)) if len(ranking.frame) else ranking.frame,
        highlight=str(partner),
        measure_label=measure_label,
        empty_message=empty,
    )
    basis = (
        "Shares are of the reporter's World total as reported."
        if ranking.total_basis == TOTAL_WORLD
        else None
    )
    note = queries.source_note(
        str(reporter), year=ranking.year, source=ranking.source, annual=str(frequency) == "annual"
    )
    title = (
        label(lang, "ranking.title_for").format(
            count=count,
            measure=measure_label.lower() if lang == "en" else measure_label,
            period=ranking.label,
        )
        if ranking.label
        else label(lang, "ranking.title")
    )
    return title, figure, source_footer(note, extra=basis)


def comparison_outputs(
    queries: TradeQueries,
    reporter: Any,
    partner: Any,
    compare: Any,
    *,
    measure: Any = "turnover",
    frequency: Any = "annual",
    source: Any = None,
    lang: Any = "en",
) -> tuple[str, go.Figure, list[Any]]:
    """(card title, figure of the measure for each compared partner over the periods, source footer)."""
    lang = language(lang)
    partners = [str(p) for p in compare][:8] if isinstance(compare, list) else []
    measure = str(measure) if measure in MEASURES else "turnover"
    table = queries.period_table(
        str(reporter), frequency=str(frequency), source=_text(source), partners=partners
    )
    figure = partners_over_periods(table.frame, measure=measure, highlight=str(partner))
    note = (
        queries.source_note(
            str(reporter), partners=partners, source=table.source, annual=str(frequency) == "annual"
        )
        if partners
        else None
    )
    extra = (
        f"Summed from members (derived): {', '.join(table.summed_groups)}." if table.summed_groups else None
    )
    return (
        f"{label(lang, measure)}: {label(lang, 'compare.title').lower()}",
        figure,
        source_footer(note, extra=extra),
    )


def rank_history_outputs(
    queries: TradeQueries, reporter: Any, compare: Any, *, frequency: Any = "annual", source: Any = None
) -> tuple[go.Figure, list[Any]]:
    """(rank-over-time figure for the compared partners, source footer)."""
    partners = [str(p) for p in compare][:8] if isinstance(compare, list) else []
    history = queries.rank_history(str(reporter), partners, frequency=str(frequency), source=_text(source))
    chosen = queries.source_for(str(reporter), str(frequency), wanted=_text(source))
    note = (
        queries.source_note(str(reporter), source=chosen, annual=str(frequency) == "annual")
        if partners
        else None
    )
    return rank_history_figure(history), source_footer(
        note, extra="Ranks among partner countries; a gap means no World total or no figure that period."
    )


def register(app: dash.Dash, queries: TradeQueries) -> None:
    @app.callback(
        Output(ids.RANKING_TITLE, "children"),
        Output(ids.RANKING_GRAPH, "figure"),
        Output(ids.RANKING_SOURCE, "children"),
        Input(ids.REPORTER, "value"),
        Input(ids.PARTNER, "value"),
        Input(ids.FREQUENCY, "value"),
        Input(ids.PERIOD, "value"),
        Input(ids.SOURCE, "value"),
        Input(ids.MEASURE, "value"),
        Input(ids.TOP, "value"),
        Input(ids.VIEW, "value"),
        State(ids.LANG, "data"),
    )
    def _ranking(
        reporter: Any,
        partner: Any,
        frequency: Any,
        period: Any,
        source: Any,
        measure: Any,
        top: Any,
        view: Any,
        lang: Any,
    ) -> tuple[Any, ...]:
        if view != VIEW:
            return no_update, no_update, no_update
        return ranking_outputs(
            queries, reporter, partner, period, measure, top, frequency=frequency, source=source, lang=lang
        )

    @app.callback(
        Output(ids.COMPARE_TITLE, "children"),
        Output(ids.COMPARE_GRAPH, "figure"),
        Output(ids.COMPARE_SOURCE, "children"),
        Output(ids.RANK_HISTORY_GRAPH, "figure"),
        Output(ids.RANK_HISTORY_SOURCE, "children"),
        Input(ids.REPORTER, "value"),
        Input(ids.PARTNER, "value"),
        Input(ids.FREQUENCY, "value"),
        Input(ids.SOURCE, "value"),
        Input(ids.MEASURE, "value"),
        Input(ids.COMPARE, "value"),
        Input(ids.VIEW, "value"),
        State(ids.LANG, "data"),
    )
    def _comparison(
        reporter: Any,
        partner: Any,
        frequency: Any,
        source: Any,
        measure: Any,
        compare: Any,
        view: Any,
        lang: Any,
    ) -> tuple[Any, ...]:
        if view != VIEW:
            return (no_update,) * 5
        title, figure, footer = comparison_outputs(
            queries,
            reporter,
            partner,
            compare,
            measure=measure,
            frequency=frequency,
            source=source,
            lang=lang,
        )
        history, history_footer = rank_history_outputs(
            queries, reporter, compare, frequency=frequency, source=source
        )
        return title, figure, footer, history, history_footer
