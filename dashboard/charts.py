"""The chart registry: every exportable chart, by id, with the one function that builds it for a view.

A builder takes the query object and a resolved `ViewState` and returns `ChartContent(figure, data,
metadata)`: the same figure the page draws (from `dashboard/figures/*`), the frame behind it (from the
query layer, money in US dollars, with the origin of each figure where the query gives it) and what the
export must say about it (title, source, release, notes). The page, the download callback and the
command line (`python -m dashboard export`) all build charts here, so an export is exactly the chart on
screen. Adding a chart is one `Chart(...)` entry in `CHARTS`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

from dashboard.components.header import page_subtitle, page_title
from dashboard.export import (
    DATA_FORMATS,
    FORMATS,
    IMAGE_FORMATS,
    MEDIA_TYPES,
    ChartMetadata,
    ExportFile,
    ImageEngine,
    chart_html,
    chart_image,
    data_csv,
    data_xlsx,
    export_filename,
)
from dashboard.figures.comparison import partners_comparison
from dashboard.figures.ranking import partner_ranking_bars
from dashboard.figures.trend import bilateral_trend
from dashboard.queries import TOTAL_WORLD, SourceNote, TradeQueries
from dashboard.settings import Settings
from dashboard.state import ViewState, parse_search, resolve_view

# As in components/controls.py, which this module does not import: the command line must not load Dash.
MEASURE_LABELS = {"turnover": "Turnover", "exports": "Exports", "imports": "Imports"}


class ChartContent(NamedTuple):
    """A built chart: the figure, the data frame behind it and what its exports say about it."""

    figure: go.Figure
    data: pd.DataFrame
    metadata: ChartMetadata


ChartBuilder = Callable[[TradeQueries, ViewState], ChartContent]


@dataclass(frozen=True)
class Chart:
    """One exportable chart. `view` is its name on the command line (`--view bilateral`)."""

    chart_id: str
    title: str
    view: str
    build: ChartBuilder


class UnknownChart(KeyError):
    """No chart has this id."""


def _sourced(metadata: ChartMetadata, note: SourceNote | None) -> ChartMetadata:
    """`metadata` with the source, release, licence and source website of the chart's rows."""
    if note is None:
        return dataclasses.replace(metadata, source="No rows selected, so no source to cite.")
    notes = ("Open markers are the source's estimates.",) if note.has_estimates else ()
    return dataclasses.replace(
        metadata,
        source=note.text,
        release=note.release_text,
        licences=note.licences,
        source_urls=note.urls,
        notes=(*metadata.notes, *notes),
    )


def _names(queries: TradeQueries, *codes: str | None) -> dict[str, str]:
    known = queries.names([c for c in codes if c])
    return {c: known.get(c, c) for c in codes if c}


def _span(years: pd.Series) -> str:
    if years.empty:
        return ""
    first, last = int(years.min()), int(years.max())
    return str(first) if first == last else f"{first}\u2013{last}"


# --- today's charts ------------------------------------------------------------------------------------


def trend_chart(queries: TradeQueries, state: ViewState) -> ChartContent:
    """Exports, imports, turnover and balance of the reporter with the partner, by year.

    Data columns: reporter, reporter_name, partner, partner_name, year, exports_usd, imports_usd,
    turnover_usd, balance_usd (US dollars, empty where not reported), turnover_partial (one flow missing),
    exports_status, imports_status, exports_origin, imports_origin (file!sheet!cell of each stored figure).
    """
    reporter, partner = state.reporter, state.partner or ""
    names = _names(queries, reporter, partner)
    reporter_name = names.get(reporter, reporter)
    partner_name = names.get(partner, partner or "no partner")
    series = queries.bilateral_series(reporter, partner)
    figure = bilateral_trend(series, reporter_name=reporter_name, partner_name=partner_name, year=state.year)
    data = pd.DataFrame(
        {
            "reporter": reporter,
            "reporter_name": reporter_name,
            "partner": partner,
            "partner_name": partner_name,
            "year": series["year"],
            "exports_usd": series["exports"],
            "imports_usd": series["imports"],
            "turnover_usd": series["turnover"],
            "balance_usd": series["balance"],
            "turnover_partial": series["partial"],
            "exports_status": series["exports_status"],
            "imports_status": series["imports_status"],
            "exports_origin": series["exports_origin"],
            "imports_origin": series["imports_origin"],
        }
    )
    note = queries.source_note(reporter, partners=[partner]) if partner else None
    metadata = ChartMetadata(
        chart_id="trend",
        title=page_title(reporter_name, partner_name),
        subtitle=page_subtitle(series, reporter_name),
    )
    return ChartContent(figure, data, _sourced(metadata, note))


def ranking_chart(queries: TradeQueries, state: ViewState) -> ChartContent:
    """The reporter's top partners by the chosen measure in the chosen year, the partner highlighted.

    Data columns: reporter, year, measure, rank, partner, partner_name, kind, value_usd (the measure),
    share (ratio of reporter_total_usd, the reporter's World total for the measure), exports_usd,
    imports_usd, turnover_usd, balance_usd, partial, estimated.
    """
    reporter = state.reporter
    ranking = queries.partner_ranking(
        reporter, state.year, state.measure, top=state.top, include=state.partner
    )
    label = MEASURE_LABELS.get(ranking.measure, "Turnover")
    reporter_name = _names(queries, reporter).get(reporter, reporter)
    empty = (
        f"No ranking: {reporter_name} reports no World total for {ranking.year}, so its partner table here may "
        "be incomplete"
        if ranking.year and ranking.total_basis is None
        else "No partners with data for this year"
    )
    figure = partner_ranking_bars(
        ranking.frame, highlight=state.partner, measure_label=label, empty_message=empty
    )
    frame = ranking.frame
    data = pd.DataFrame(
        {
            "reporter": reporter,
            "year": ranking.year,
            "measure": ranking.measure,
            "rank": frame["rank"],
            "partner": frame["partner"].astype("object"),
            "partner_name": frame["name"],
            "kind": frame["kind"].astype("object"),
            "value_usd": frame["value"],
            "share": frame["share"],
            "reporter_total_usd": ranking.total_usd,
            "exports_usd": frame["exports"],
            "imports_usd": frame["imports"],
            "turnover_usd": frame["turnover"],
            "balance_usd": frame["balance"],
            "partial": frame["partial"],
            "estimated": frame["estimated"],
        }
    )
    notes = (
        ("Ranks and shares count countries only; shares are of the reporter's World total as reported.",)
        if ranking.total_basis == TOTAL_WORLD
        else ()
    )
    title = (
        f"Top {state.top} partners of {reporter_name} by {label.lower()}, {ranking.year}"
        if ranking.year
        else f"Top partners of {reporter_name}"
    )
    metadata = ChartMetadata(
        chart_id="ranking",
        title=title,
        subtitle=f"US dollars · as reported by {reporter_name}",
        notes=notes,
    )
    note = queries.source_note(reporter, year=ranking.year) if ranking.year else None
    return ChartContent(figure, data, _sourced(metadata, note))


def comparison_chart(queries: TradeQueries, state: ViewState) -> ChartContent:
    """Annual turnover of the reporter with each compared partner.

    Data columns: reporter, partner, partner_name, year, turnover_usd, partial (one flow missing),
    estimated (a flow is the source's estimate).
    """
    reporter = state.reporter
    partners = list(state.compare)
    frame = queries.partners_turnover(reporter, partners)
    figure = partners_comparison(frame, highlight=state.partner)
    reporter_name = _names(queries, reporter).get(reporter, reporter)
    data = pd.DataFrame(
        {
            "reporter": reporter,
            "partner": frame["partner"].astype("object"),
            "partner_name": frame["name"],
            "year": frame["year"],
            "turnover_usd": frame["turnover"],
            "partial": frame["partial"],
            "estimated": frame["estimated"],
        }
    )
    span = _span(frame["year"])
    subtitle = [f"Annual, {span}"] if span else []
    metadata = ChartMetadata(
        chart_id="comparison",
        title=f"{reporter_name}\u2019s turnover with selected partners",
        subtitle=" · ".join([*subtitle, "US dollars", f"as reported by {reporter_name}"]),
    )
    note = queries.source_note(reporter, partners=partners) if partners else None
    return ChartContent(figure, data, _sourced(metadata, note))


CHARTS: Mapping[str, Chart] = MappingProxyType(
    {
        chart.chart_id: chart
        for chart in (
            Chart("trend", "Trade over time", "bilateral", trend_chart),
            Chart("ranking", "Top partners", "ranking", ranking_chart),
            Chart("comparison", "Turnover with selected partners", "comparison", comparison_chart),
        )
    }
)


def chart_by_id(chart_id: str) -> Chart:
    """The registered chart; UnknownChart otherwise."""
    try:
        return CHARTS[chart_id]
    except KeyError:
        raise UnknownChart(chart_id) from None


def chart_by_view(view: str) -> Chart:
    """The registered chart whose command-line name is `view`; UnknownChart otherwise."""
    for chart in CHARTS.values():
        if chart.view == view:
            return chart
    raise UnknownChart(view)


def build_chart(queries: TradeQueries, chart_id: str, state: ViewState, *, link: str = "") -> ChartContent:
    """The chart for the view, its metadata naming the view state (the query) and the page link."""
    figure, data, metadata = chart_by_id(chart_id).build(queries, state)
    return ChartContent(figure, data, metadata.with_view(query=dataclasses.asdict(state), link=link))


def export_chart(
    queries: TradeQueries,
    chart_id: str,
    state: ViewState,
    *,
    fmt: str,
    link: str = "",
    engine: ImageEngine | None = None,
) -> ExportFile:
    """One export of one chart. Images need `engine` and raise `ExportUnavailable` (a message for the
    user) when Chromium is missing or fails; HTML, CSV and XLSX never touch the browser."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    figure, data, metadata = build_chart(queries, chart_id, state, link=link)
    filename = export_filename(chart_id, (state.reporter, state.partner, state.year), fmt)
    content: bytes
    if fmt in IMAGE_FORMATS:
        if engine is None:
            raise ValueError("image exports need an ImageEngine")
        content = chart_image(engine, figure, metadata, fmt=fmt)
    elif fmt == "html":
        content = chart_html(figure, metadata).encode("utf-8")
    elif fmt in DATA_FORMATS:
        content = data_csv(data, metadata) if fmt == "csv" else data_xlsx(data, metadata)
    return ExportFile(content=content, filename=filename, media_type=MEDIA_TYPES[fmt])


def view_state_from_search(queries: TradeQueries, settings: Settings, search: str | None) -> ViewState:
    """The view a URL query string shows, resolved exactly as the page resolves a shared link."""
    wanted = parse_search(search)
    compare = wanted.get("compare")
    return resolve_view(
        queries,
        settings,
        reporter=wanted.get("reporter"),
        partner=wanted.get("partner"),
        year=wanted.get("year"),
        measure=wanted.get("measure"),
        top=wanted.get("top"),
        compare=None if compare is None else [c for c in compare.split(",") if c],
    ).state
