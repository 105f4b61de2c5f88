"""What each chart of the page shows, without Dash: the figure, the query answer behind it and its source.

The page's callbacks (dashboard/callbacks/*) wrap these answers in Dash components (titles, footers); the
chart registry (dashboard/charts.py) turns them into export files. Both call the same function with the
same arguments, so a download or a `python -m dashboard export` file is exactly the chart on screen.
Arguments come straight from the page's controls, so every function accepts anything and falls back the
way the page does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.map import partner_map
from dashboard.figures.periods import partners_over_periods, period_trend
from dashboard.figures.rank_history import rank_history_figure
from dashboard.figures.ranking import partner_ranking_bars
from dashboard.figures.trend import bilateral_trend
from dashboard.i18n import label, language
from dashboard.queries.answers import TradeQueries
from dashboard.queries.derived import top_of
from dashboard.queries.model import MEASURES, PartnerRanking, PeriodTable, SourceNote
from dashboard.queries.periods import parse_period, period_label
from dashboard.state import FLOWS as ALL_FLOWS
from dashboard.state import MAP_MEASURES, MAX_COMPARE


def text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def compared(compare: Any) -> list[str]:
    """The compared partner codes a control or a state holds (at most MAX_COMPARE)."""
    return [str(p) for p in compare][:MAX_COMPARE] if isinstance(compare, (list, tuple)) else []


@dataclass(frozen=True)
class TrendContent:
    """The trend chart and what it draws: `table.frame` (period_table columns)."""

    figure: go.Figure
    table: PeriodTable
    reporter_name: str
    partner_name: str
    note: SourceNote | None


def trend_content(
    queries: TradeQueries,
    reporter: Any,
    partner: Any,
    period: Any,
    *,
    frequency: Any = "annual",
    source: Any = None,
    flows: Any = None,
) -> TrendContent:
    """The bilateral trend of the pair in the frequency and source, the chosen flows visible."""
    reporter, partner, frequency = str(reporter), str(partner), str(frequency)
    source = text_or_none(source)
    shown = tuple(f for f in flows if isinstance(f, str)) if isinstance(flows, (list, tuple)) else None
    names = queries.names([reporter, partner])
    group = queries.groups.get(partner)
    reporter_name = names.get(reporter, "the reporter")
    partner_name = names.get(partner, group.name if group else "the partner")
    table = queries.period_table(reporter, frequency=frequency, source=source, partners=[partner])
    if frequency == "annual" and table.frame.empty is False and not table.frame["derived"].any():
        # Stored years: the annual chart, with each figure's workbook cell in the hover text.
        parsed = parse_period(frequency, period)
        figure = bilateral_trend(
            table.frame,
            reporter_name=reporter_name,
            partner_name=partner_name,
            year=parsed[0] if parsed else None,
        )
        if shown is not None:
            for trace in figure.data:
                trace.visible = True if str(trace.name).lower() in shown else "legendonly"
    else:
        figure = period_trend(
            table.frame,
            reporter_name=reporter_name,
            partner_name=partner_name,
            flows=shown if shown is not None else ALL_FLOWS,
            selected=period if isinstance(period, str) else None,
        )
    note = queries.source_note(
        reporter, partners=[partner], source=table.source, annual=frequency == "annual"
    )
    return TrendContent(figure, table, reporter_name, partner_name, note)


@dataclass(frozen=True)
class RankingContent:
    """The partner ranking: the whole ranking, the partners drawn (`shown`), the card title."""

    figure: go.Figure
    ranking: PartnerRanking
    shown: pd.DataFrame
    title: str
    measure_label: str
    reporter_name: str
    note: SourceNote | None


def ranking_content(
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
) -> RankingContent:
    """The reporter's top `top` partners in the period by the measure, the partner highlighted."""
    lang = language(lang)
    count = int(top) if isinstance(top, (int, str)) and str(top).isdigit() else 15
    ranking = queries.period_ranking(
        str(reporter), period, frequency=str(frequency), measure=str(measure), source=text_or_none(source)
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
    shown = top_of(ranking.frame, count, include=str(partner)) if len(ranking.frame) else ranking.frame
    figure = partner_ranking_bars(
        shown, highlight=str(partner), measure_label=measure_label, empty_message=empty
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
    return RankingContent(figure, ranking, shown, title, measure_label, reporter_name, note)


@dataclass(frozen=True)
class ComparisonContent:
    """The compared partners over the periods: `table.frame` (period_table columns) and the measure drawn."""

    figure: go.Figure
    table: PeriodTable
    partners: list[str]
    measure: str
    title: str
    note: SourceNote | None


def comparison_content(
    queries: TradeQueries,
    reporter: Any,
    partner: Any,
    compare: Any,
    *,
    measure: Any = "turnover",
    frequency: Any = "annual",
    source: Any = None,
    lang: Any = "en",
) -> ComparisonContent:
    """The measure for each compared partner (up to MAX_COMPARE) in every period."""
    lang = language(lang)
    partners = compared(compare)
    measure = str(measure) if measure in MEASURES else "turnover"
    table = queries.period_table(
        str(reporter), frequency=str(frequency), source=text_or_none(source), partners=partners
    )
    figure = partners_over_periods(table.frame, measure=measure, highlight=str(partner))
    note = (
        queries.source_note(
            str(reporter), partners=partners, source=table.source, annual=str(frequency) == "annual"
        )
        if partners
        else None
    )
    title = f"{label(lang, measure)}: {label(lang, 'compare.title').lower()}"
    return ComparisonContent(figure, table, partners, measure, title, note)


@dataclass(frozen=True)
class RankHistoryContent:
    """Rank over time of the compared partners: `history` has the rank_history columns."""

    figure: go.Figure
    history: pd.DataFrame
    source: str | None
    note: SourceNote | None


def rank_history_content(
    queries: TradeQueries, reporter: Any, compare: Any, *, frequency: Any = "annual", source: Any = None
) -> RankHistoryContent:
    """Rank of each compared partner in every period, for turnover, exports and imports."""
    partners = compared(compare)
    history = queries.rank_history(
        str(reporter), partners, frequency=str(frequency), source=text_or_none(source)
    )
    chosen = queries.source_for(str(reporter), str(frequency), wanted=text_or_none(source))
    note = (
        queries.source_note(str(reporter), source=chosen, annual=str(frequency) == "annual")
        if partners
        else None
    )
    return RankHistoryContent(rank_history_figure(history), history, chosen, note)


@dataclass(frozen=True)
class MapContent:
    """The choropleth of the partners in one period; `ranking.frame` holds every partner's figures."""

    figure: go.Figure
    ranking: PartnerRanking
    measure: str
    title: str
    note: SourceNote | None


def map_content(
    queries: TradeQueries,
    reporter: Any,
    period: Any,
    measure: Any,
    *,
    frequency: Any = "annual",
    source: Any = None,
    lang: Any = "en",
) -> MapContent:
    """Partner countries coloured by the measure in the period."""
    lang = language(lang)
    measure = str(measure) if measure in MAP_MEASURES else "turnover"
    # Shares are of turnover, exports or imports; the map of balances shows none.
    ranking = queries.period_ranking(
        str(reporter),
        period,
        frequency=str(frequency),
        measure=measure if measure != "balance" else "turnover",
        source=text_or_none(source),
    )
    figure = partner_map(ranking.frame, measure=measure, measure_label=label(lang, measure))
    note = queries.source_note(
        str(reporter), year=ranking.year, source=ranking.source, annual=str(frequency) == "annual"
    )
    title = f"{label(lang, 'map.title')}: {label(lang, measure).lower()}, {ranking.label or ''}".rstrip(", ")
    return MapContent(figure, ranking, measure, title, note)


@dataclass(frozen=True)
class TableContent:
    """The table view: every partner in the period (`ranking.frame`), the label of the period a year earlier."""

    ranking: PartnerRanking
    previous_label: str | None
    title: str
    note: SourceNote | None


def table_content(
    queries: TradeQueries,
    reporter: Any,
    period: Any,
    measure: Any,
    *,
    frequency: Any = "annual",
    source: Any = None,
    lang: Any = "en",
) -> TableContent:
    """Every partner of the reporter in the period, ranked by the measure, with the period a year earlier."""
    lang = language(lang)
    ranking = queries.period_ranking(
        str(reporter),
        period,
        frequency=str(frequency),
        measure=str(measure) if measure in MEASURES else "turnover",
        source=text_or_none(source),
    )
    previous = None
    if ranking.year is not None and len(ranking.frame):
        month = int(ranking.frame["month"].iloc[0])
        previous = period_label(str(frequency), ranking.year - 1, month)
    note = queries.source_note(
        str(reporter), year=ranking.year, source=ranking.source, annual=str(frequency) == "annual"
    )
    title = f"{label(lang, 'table.title')}: {ranking.label}" if ranking.label else label(lang, "table.title")
    return TableContent(ranking, previous, title, note)
