"""What each chart of the page shows, without Dash: the figure, the query answer behind it and its source.

The page wraps these answers in Dash components (titles, footers: dashboard/components/chart_outputs.py);
dashboard/charts.py turns them into export files. Both call the same function with the
same `ViewState`, so a download or a `python -m dashboard export` file is exactly the chart on screen. The
state's types are checked where it is made (dashboard/state.py: from a link, or from the page's controls).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.map import partner_map
from dashboard.figures.periods import no_period_trade_spec, partners_over_periods, period_trend
from dashboard.figures.rank_history import rank_history_figure
from dashboard.figures.ranking import partner_ranking_spec
from dashboard.figures.trend import bilateral_trend_spec
from dashboard.format import period_text
from dashboard.i18n import area_name, label, lowercase, t
from dashboard.queries.answers import TradeQueries
from dashboard.queries.derived import top_of
from dashboard.queries.model import PartnerRanking, PeriodTable, SourceNote
from dashboard.queries.periods import parse_period
from dashboard.state import ViewState

SUMMARY_COUNT: Final = 5  # partners named in a ranking's or a map's text alternative


def in_language(frame: pd.DataFrame, lang: str, *, frequency: str = "annual") -> pd.DataFrame:
    """`frame` with its `name` (partner names) and `label` (period labels) columns in `lang`; the codes,
    keys and figures untouched. The labels are written again from the rows' year and month in `frequency`
    (`format.period_text`): the query layer's labels are English."""
    if lang == "en" or frame.empty:
        return frame
    changed: dict[str, pd.Series] = {}
    if "name" in frame.columns and "partner" in frame.columns:
        names = names_in_language(frame["partner"], frame["name"], lang)
        changed["name"] = pd.Series(names, index=frame.index, dtype="object")
    if {"label", "year", "month"} <= set(frame.columns):
        labels = [
            period_text(frequency, int(y), int(m), lang)
            for y, m in zip(frame["year"], frame["month"], strict=True)
        ]
        changed["label"] = pd.Series(labels, index=frame.index, dtype="object")
    return frame.assign(**changed) if changed else frame


def names_in_language(partners: Iterable[object], names: Iterable[object], lang: str) -> list[str]:
    """The names of `partners` (codes) in `lang`, from their English `names` (the query layer's)."""
    if lang == "en":
        return [str(n) for n in names]
    return [area_name(str(c), str(n), lang) for c, n in zip(partners, names, strict=True)]


def ranking_period(ranking: PartnerRanking, lang: str) -> str | None:
    """The period of a ranking in `lang` (`Jan–Jul 2020`, `gen–lug 2020`) from its frequency and key; None
    when it names no period."""
    parsed = parse_period(ranking.frequency, ranking.period) if ranking.label else None
    return period_text(ranking.frequency, *parsed, lang) if parsed else None


def area_label(queries: TradeQueries, code: str, lang: str) -> str | None:
    """The name of a reporter, partner or group in `lang`; None for a code the store does not know."""
    found = queries.names([code]).get(code)
    group = queries.groups.get(code)
    english = found or (group.name if group else None)
    return area_name(code, english, lang) if english else None


def _name(queries: TradeQueries, code: str, lang: str, fallback: str) -> str:
    return area_label(queries, code, lang) or fallback


@dataclass(frozen=True)
class TrendContent:
    """The trend chart (a plain figure dict: the page's callback answers it as it is) and what it draws:
    `table.frame` (period_table columns)."""

    figure: dict[str, Any]
    table: PeriodTable
    reporter_name: str
    partner_name: str
    note: SourceNote | None


def trend_content(queries: TradeQueries, state: ViewState) -> TrendContent:
    """The bilateral trend of the pair in the frequency and source, the chosen flows visible."""
    reporter, partner, frequency, period = state.reporter, state.partner or "", state.frequency, state.period
    source, shown, lang = state.source, state.flows, state.lang
    reporter_name = _name(queries, reporter, lang, t(lang, "the reporter"))
    partner_name = _name(queries, partner, lang, t(lang, "the partner"))
    table = queries.period_table(reporter, frequency=frequency, source=source, partners=[partner])
    frame = in_language(table.frame, lang, frequency=table.frequency)
    if frequency == "annual" and table.frame.empty is False and not table.frame["derived"].any():
        # Stored years: the annual chart, with each figure's workbook cell in the hover text.
        parsed = parse_period(frequency, period) if period else None
        figure = bilateral_trend_spec(
            frame,
            reporter_name=reporter_name,
            partner_name=partner_name,
            year=parsed[0] if parsed else None,
            lang=lang,
        )
        for trace in figure["data"]:
            trace["visible"] = True if trace.get("legendgroup") in shown else "legendonly"
    elif table.frame.empty:  # as period_trend draws it, without the go.Figure
        figure = no_period_trade_spec(reporter_name, partner_name, lang=lang)
    else:
        figure = period_trend(
            frame,
            reporter_name=reporter_name,
            partner_name=partner_name,
            flows=shown,
            selected=period,
            lang=lang,
        ).to_dict()
    note = queries.source_note(
        reporter, partners=[partner], source=table.source, annual=frequency == "annual"
    )
    return TrendContent(figure, table, reporter_name, partner_name, note)


@dataclass(frozen=True)
class RankingContent:
    """The partner ranking: its rows within the top max(top, SUMMARY_COUNT) and the partner's (`ranking`,
    with the period's totals), the partners drawn (`shown`), the card title."""

    figure: dict[str, Any]  # a plain figure dict (figures/ranking.py `partner_ranking_spec`)
    ranking: PartnerRanking
    shown: pd.DataFrame
    title: str
    measure_label: str
    reporter_name: str
    note: SourceNote | None


def ranking_content(queries: TradeQueries, state: ViewState) -> RankingContent:
    """The reporter's top `state.top` partners in the period by the measure, the partner highlighted."""
    lang, count, reporter, partner = state.lang, state.top, state.reporter, state.partner or ""
    # Not the whole ranking: the rows drawn and those its text alternative names (bench P1).
    ranking = queries.period_ranking(
        reporter,
        state.period,
        frequency=state.frequency,
        measure=state.measure,
        source=state.source,
        top=max(count, SUMMARY_COUNT),
        include=partner,
    )
    measure_label = label(lang, ranking.measure)
    reporter_name = _name(queries, reporter, lang, reporter)
    period = ranking_period(ranking, lang)
    empty = (
        t(lang, "No ranking: {reporter} reports no World total for {period}, so its partner table here may be "
          "incomplete (the shipped data hold other reporters' trade with Azerbaijan only; `make world` builds all)",
          reporter=reporter_name, period=period)
        if period and ranking.total_basis is None
        else t(lang, "No partners with data for this period")
    )  # fmt: skip
    # The ranking holds the top max(count, SUMMARY_COUNT): with count >= SUMMARY_COUNT, exactly what is drawn.
    cut = len(ranking.frame) and count < SUMMARY_COUNT
    shown = top_of(ranking.frame, count, include=partner) if cut else ranking.frame
    figure = partner_ranking_spec(
        in_language(shown, lang, frequency=ranking.frequency),
        highlight=partner,
        measure_label=measure_label,
        empty_message=empty,
        lang=lang,
    )
    note = _note_of_ranking(queries, state, ranking)
    title = (
        label(lang, "ranking.title_for").format(
            count=count,
            measure=lowercase(measure_label, lang),
            period=period,
        )
        if period
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


def comparison_content(queries: TradeQueries, state: ViewState) -> ComparisonContent:
    """The measure for each compared partner in every period."""
    lang, measure, partners = state.lang, state.measure, list(state.compare)
    table = queries.period_table(
        state.reporter, frequency=state.frequency, source=state.source, partners=partners
    )
    figure = partners_over_periods(
        in_language(table.frame, lang, frequency=table.frequency),
        measure=measure,
        highlight=state.partner or "",
        lang=lang,
    )
    annual = state.frequency == "annual"
    note = (
        queries.source_note(state.reporter, partners=partners, source=table.source, annual=annual)
        if partners
        else None
    )
    title = f"{label(lang, measure)}: {lowercase(label(lang, 'compare.title'), lang)}"
    return ComparisonContent(figure, table, partners, measure, title, note)


@dataclass(frozen=True)
class RankHistoryContent:
    """Rank over time of the compared partners: `history` has the rank_history columns."""

    figure: go.Figure
    history: pd.DataFrame
    source: str | None
    note: SourceNote | None


def rank_history_content(queries: TradeQueries, state: ViewState) -> RankHistoryContent:
    """Rank of each compared partner in every period, for turnover, exports and imports."""
    reporter, frequency, partners = state.reporter, state.frequency, list(state.compare)
    history = queries.rank_history(reporter, partners, frequency=frequency, source=state.source)
    figure = rank_history_figure(in_language(history, state.lang, frequency=frequency), lang=state.lang)
    chosen = queries.source_for(reporter, frequency, wanted=state.source)
    note = queries.source_note(reporter, source=chosen, annual=frequency == "annual") if partners else None
    return RankHistoryContent(figure, history, chosen, note)


@dataclass(frozen=True)
class MapContent:
    """The choropleth of the partners in one period; `ranking.frame` holds every partner's figures."""

    figure: go.Figure
    ranking: PartnerRanking
    measure: str
    title: str
    note: SourceNote | None


def map_content(queries: TradeQueries, state: ViewState) -> MapContent:
    """Partner countries coloured by the map measure in the period."""
    lang, measure = state.lang, state.map_measure
    # Shares are of turnover, exports or imports; the map of balances shows none.
    ranking = queries.period_ranking(
        state.reporter,
        state.period,
        frequency=state.frequency,
        measure=measure if measure != "balance" else "turnover",
        source=state.source,
    )
    figure = partner_map(
        in_language(ranking.frame, lang, frequency=ranking.frequency),
        measure=measure,
        measure_label=label(lang, measure),
        lang=lang,
    )
    note = _note_of_ranking(queries, state, ranking)
    period = ranking_period(ranking, lang) or ""
    title = f"{label(lang, 'map.title')}: {lowercase(label(lang, measure), lang)}, {period}".rstrip(", ")
    return MapContent(figure, ranking, measure, title, note)


@dataclass(frozen=True)
class TableContent:
    """The table view: every partner in the period (`ranking.frame`), the label of the period a year earlier."""

    ranking: PartnerRanking
    previous_label: str | None
    title: str
    note: SourceNote | None


def table_content(queries: TradeQueries, state: ViewState) -> TableContent:
    """Every partner of the reporter in the period, ranked by the measure, with the period a year earlier."""
    lang = state.lang
    ranking = queries.period_ranking(
        state.reporter, state.period, frequency=state.frequency, measure=state.measure, source=state.source
    )
    previous = None
    if ranking.year is not None and len(ranking.frame):
        month = int(ranking.frame["month"].iloc[0])
        previous = period_text(ranking.frequency, ranking.year - 1, month, lang)
    note = _note_of_ranking(queries, state, ranking)
    period = ranking_period(ranking, lang)
    title = f"{label(lang, 'table.title')}: {period}" if period else label(lang, "table.title")
    return TableContent(ranking, previous, title, note)


def _note_of_ranking(queries: TradeQueries, state: ViewState, ranking: PartnerRanking) -> SourceNote | None:
    """The source of a ranking's rows (the ranking, map and table charts)."""
    return queries.source_note(
        state.reporter, year=ranking.year, source=ranking.source, annual=state.frequency == "annual"
    )
