"""The export content of every chart: the one function per chart that builds it for a view.

A builder takes the query object and a resolved `ViewState` and returns `ChartContent(figure, data,
metadata)`: the same figure the page draws (from `dashboard/figures/*`), the frame behind it (from the
query layer, money in US dollars, with the origin of each figure where the query gives it) and what the
export must say about it (title, source, release, notes). The page, the download callback and the
command line (`python -m dashboard export`) all build charts here, so an export is exactly the chart on
screen. Each chart is declared once, with its builder, in dashboard/registry.py. In the data, `source_id` is the source's id
(e.g. imf_dots); the export adds `source` and `release`, the citation, to every row.
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

from dashboard.components.header import page_subtitle_for, page_title
from dashboard.export import (
    ChartMetadata,
)
from dashboard.figures.theme import no_data_figure
from dashboard.i18n import N_, label, t
from dashboard.mirror import mirror_export
from dashboard.narrative import falling_cumulative_text
from dashboard.queries.answers import TradeQueries
from dashboard.queries.controls import whole_number
from dashboard.queries.model import MIRROR_COLUMNS, TOTAL_WORLD, PartnerRanking, SourceNote
from dashboard.queries.periods import FallingCumulative
from dashboard.state import ViewState
from dashboard.view_content import (
    area_label,
    comparison_content,
    map_content,
    rank_history_content,
    ranking_content,
    table_content,
    trend_content,
)

DERIVED_NOTE = N_(
    "Rows flagged derived are computed, not stored: a year or month from cumulative figures, or a group "
    "summed from its members; their origin says how."
)
ESTIMATES_NOTE = N_("Open markers are the source's estimates.")
NO_SOURCE = N_("No rows selected, so no source to cite.")


class ChartContent(NamedTuple):
    """A built chart: the figure, the data frame behind it and what its exports say about it."""

    figure: go.Figure
    data: pd.DataFrame
    metadata: ChartMetadata


def _sourced(metadata: ChartMetadata, note: SourceNote | None, lang: str = "en") -> ChartMetadata:
    """`metadata` with the source, release, licence and source website of the chart's rows."""
    if note is None:
        return dataclasses.replace(metadata, source=t(lang, NO_SOURCE))
    notes = (t(lang, ESTIMATES_NOTE),) if note.has_estimates else ()
    return dataclasses.replace(
        metadata,
        source=note.text_in(lang),
        release=note.release_text_in(lang),
        licences=note.licences,
        source_urls=note.urls,
        notes=(*metadata.notes, *notes),
        citation=note,
    )


def _derived_notes(
    frame: pd.DataFrame, warnings: tuple[FallingCumulative, ...] = (), lang: str = "en"
) -> tuple[str, ...]:
    derived = "derived" in frame.columns and bool(frame["derived"].fillna(False).astype(bool).any())
    return (
        *((t(lang, DERIVED_NOTE),) if derived else ()),
        *(falling_cumulative_text(w, lang) for w in warnings),
    )


def _as_reported(lang: str, reporter_name: str) -> str:
    return t(lang, "US dollars · as reported by {reporter}", reporter=reporter_name)


def _money(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """The four measures of a period_table-like frame as *_usd columns (US dollars, empty where missing)."""
    return {f"{m}_usd": frame[m] for m in ("exports", "imports", "turnover", "balance")}


def _flags_and_origins(frame: pd.DataFrame) -> dict[str, pd.Series]:
    return {
        "partial": frame["partial"],
        "estimated": frame["estimated"],
        "derived": frame["derived"],
        "exports_origin": frame["exports_origin"],
        "imports_origin": frame["imports_origin"],
    }


def _period_columns(frame: pd.DataFrame) -> dict[str, pd.Series]:
    return {"period": frame["period"].astype("object"), "label": frame["label"].astype("object")}


def trend_chart(queries: TradeQueries, state: ViewState) -> ChartContent:
    """Exports, imports, turnover and balance of the reporter with the partner in every period of the
    state's frequency and source (the flows not chosen are hidden in the figure, kept in the data).

    Data columns: reporter, reporter_name, partner, partner_name, source_id, frequency, period (key: `2019`,
    `2020-07`), label, exports_usd, imports_usd, turnover_usd, balance_usd (US dollars, empty where not
    reported), partial (one flow missing), estimated (a flow is the source's estimate), derived (computed
    from other periods or from group members, not stored), exports_origin, imports_origin (file!sheet!cell
    of each stored figure, or how a derived one was computed).
    """
    reporter, partner = state.reporter, state.partner or ""
    content = trend_content(queries, state)
    frame = content.table.frame
    columns = {**_period_columns(frame), **_money(frame), **_flags_and_origins(frame)}
    data = pd.DataFrame(columns)
    for position, (name, value) in enumerate(
        (
            ("reporter", reporter),
            ("reporter_name", content.reporter_name),
            ("partner", partner),
            ("partner_name", content.partner_name),
            ("source_id", content.table.source),
            ("frequency", state.frequency),
        )
    ):
        data.insert(position, name, value)
    metadata = ChartMetadata(
        chart_id="trend",
        title=page_title(content.reporter_name, content.partner_name, state.lang),
        subtitle=page_subtitle_for(
            list(data["period"]),
            frequency=state.frequency,
            reporter_name=content.reporter_name,
            source=None,  # named in the footer by its title; an image never shows the source's id
            lang=state.lang,
        ),
        notes=_derived_notes(data, content.table.warnings, state.lang),
    )
    return ChartContent(
        # Not validated again: the page's figure, checked by plotly's validator in tests/dashboard/test_figures.py.
        go.Figure(content.figure, _validate=False),
        data,
        _sourced(metadata, content.note if partner else None, state.lang),
    )


def ranking_chart(queries: TradeQueries, state: ViewState) -> ChartContent:
    """The reporter's top partners by the chosen measure in the chosen period, the partner highlighted
    (the rows the chart draws: the top `state.top` and the partner).

    Data columns: reporter, source_id, frequency, period, label, measure, rank, partner, partner_name, kind,
    value_usd (the measure), share (ratio of reporter_total_usd, the reporter's World total for the
    measure), exports_usd, imports_usd, turnover_usd, balance_usd, partial, estimated, derived,
    exports_origin, imports_origin.
    """
    reporter = state.reporter
    content = ranking_content(queries, state)
    ranking, frame = content.ranking, content.shown
    data = pd.DataFrame(
        {
            "reporter": reporter,
            "source_id": ranking.source,
            "frequency": state.frequency,
            **_period_columns(frame),
            "measure": ranking.measure,
            "rank": frame["rank"],
            "partner": frame["partner"].astype("object"),
            "partner_name": frame["name"],
            "kind": frame["kind"].astype("object"),
            "value_usd": frame["value"],
            "share": frame["share"],
            "reporter_total_usd": ranking.total_usd,
            **_money(frame),
            **_flags_and_origins(frame),
        }
    )
    lang = state.lang
    notes = (
        (
            t(
                lang,
                "Ranks and shares count countries only; shares are of the reporter's World total as reported.",
            ),
        )
        if ranking.total_basis == TOTAL_WORLD
        else ()
    )
    metadata = ChartMetadata(
        chart_id="ranking",
        title=f"{content.title} ({content.reporter_name})" if ranking.label else content.title,
        subtitle=_as_reported(lang, content.reporter_name),
        notes=(*notes, *_derived_notes(data, ranking.warnings, lang)),
    )
    return ChartContent(
        # Not validated again: the page's figure, checked by plotly's validator in tests/dashboard/test_figures.py.
        go.Figure(content.figure, _validate=False),
        data,
        _sourced(metadata, content.note if ranking.label else None, lang),
    )


def comparison_chart(queries: TradeQueries, state: ViewState) -> ChartContent:
    """The chosen measure of the reporter's trade with each compared partner in every period.

    Data columns: reporter, source_id, frequency, partner, partner_name, period, label, measure, value_usd
    (the measure drawn), exports_usd, imports_usd, turnover_usd, balance_usd, partial, estimated, derived
    (e.g. a group summed from its members), exports_origin, imports_origin.
    """
    reporter = state.reporter
    content = comparison_content(queries, state)
    frame = content.table.frame
    data = pd.DataFrame(
        {
            "reporter": reporter,
            "source_id": content.table.source,
            "frequency": state.frequency,
            "partner": frame["partner"].astype("object"),
            "partner_name": frame["name"],
            **_period_columns(frame),
            "measure": content.measure,
            "value_usd": frame[content.measure],
            **_money(frame),
            **_flags_and_origins(frame),
        }
    )
    lang = state.lang
    reporter_name = area_label(queries, reporter, lang) or reporter
    periods = sorted(dict.fromkeys(data["period"]))
    summed = content.table.summed_groups
    metadata = ChartMetadata(
        chart_id="comparison",
        title=f"{content.title} ({reporter_name})",
        subtitle=page_subtitle_for(
            periods,
            frequency=state.frequency,
            reporter_name=reporter_name,
            source=None,  # named by title
            lang=lang,
        ),
        notes=(
            *(
                (t(lang, "Summed from members (derived): {groups}.", groups=", ".join(summed)),)
                if summed
                else ()
            ),
            *_derived_notes(data, content.table.warnings, lang),
        ),
    )
    return ChartContent(content.figure, data, _sourced(metadata, content.note, lang))


def rank_history_chart(queries: TradeQueries, state: ViewState) -> ChartContent:
    """Rank of each compared partner among the reporter's partner countries in every period, for turnover,
    exports and imports.

    Data columns: reporter, source_id, frequency, partner, partner_name, period, label, measure, value_usd,
    rank (empty when the period has no World total or no figure), share (ratio of the World total),
    partners_ranked (how many partners were ranked that period).
    """
    reporter = state.reporter
    content = rank_history_content(queries, state)
    history = content.history
    data = pd.DataFrame(
        {
            "reporter": reporter,
            "source_id": content.source,
            "frequency": state.frequency,
            "partner": history["partner"].astype("object"),
            "partner_name": history["name"],
            **_period_columns(history),
            "measure": history["measure"],
            "value_usd": history["value"],
            "rank": history["rank"],
            "share": history["share"],
            "partners_ranked": history["partners_ranked"],
        }
    )
    lang = state.lang
    reporter_name = area_label(queries, reporter, lang) or reporter
    metadata = ChartMetadata(
        chart_id="rank_history",
        title=t(lang, "Rank among {reporter}\u2019s partners over time", reporter=reporter_name),
        subtitle=f"{label(lang, 'frequency.' + state.frequency)} · "
        + t(lang, "as reported by {reporter}", reporter=reporter_name),
        notes=(
            t(lang, "Ranks among partner countries; a gap means no World total or no figure that period."),
        ),
    )
    return ChartContent(content.figure, data, _sourced(metadata, content.note, lang))


def _ranking_rows(state: ViewState, ranking: PartnerRanking, *, measure: str) -> pd.DataFrame:
    frame = ranking.frame
    return pd.DataFrame(
        {
            "reporter": state.reporter,
            "source_id": ranking.source,
            "frequency": state.frequency,
            **_period_columns(frame),
            "measure": measure,
            "partner": frame["partner"].astype("object"),
            "partner_name": frame["name"],
            "kind": frame["kind"].astype("object"),
            "rank": frame["rank"],
            "share": frame["share"],
            **_money(frame),
        }
    )


def map_chart(queries: TradeQueries, state: ViewState) -> ChartContent:
    """Partner countries coloured by the map measure in the chosen period.

    Data columns: reporter, source_id, frequency, period, label, measure (the map's), partner, partner_name,
    kind, rank and share (by the measure; by turnover for the balance map), value_usd (the measure
    coloured), exports_usd, imports_usd, turnover_usd, balance_usd, partial, estimated, derived,
    exports_origin, imports_origin.
    """
    content = map_content(queries, state)
    frame = content.ranking.frame
    data = _ranking_rows(state, content.ranking, measure=content.measure)
    data.insert(list(data.columns).index("rank"), "value_usd", frame[content.measure])
    data = pd.concat([data, pd.DataFrame(_flags_and_origins(frame))], axis=1)
    lang = state.lang
    reporter_name = area_label(queries, state.reporter, lang) or state.reporter
    metadata = ChartMetadata(
        chart_id="map",
        title=f"{content.title} ({reporter_name})",
        subtitle=_as_reported(lang, reporter_name),
        notes=_derived_notes(data, content.ranking.warnings, lang),
    )
    return ChartContent(
        content.figure, data, _sourced(metadata, content.note if content.ranking.label else None, lang)
    )


def table_chart(queries: TradeQueries, state: ViewState) -> ChartContent:
    """The table view's rows: every partner of the reporter in the chosen period, ranked by the measure,
    with the same period a year earlier. Exported as data only (CSV, XLSX); the figure is a placeholder
    no export uses.

    Data columns: reporter, source_id, frequency, period, label, measure, partner, partner_name, kind, rank,
    share, then for each of turnover, exports, imports, balance: m_usd, m_previous_usd (same period a year
    earlier), m_change_usd, m_change_pct (ratio); partial, estimated, derived, exports_origin,
    imports_origin.
    """
    content = table_content(queries, state)
    ranking, frame = content.ranking, content.ranking.frame
    data = _ranking_rows(state, ranking, measure=ranking.measure).drop(
        columns=["exports_usd", "imports_usd", "turnover_usd", "balance_usd"]
    )
    for m in ("turnover", "exports", "imports", "balance"):
        data[f"{m}_usd"] = frame[m]
        data[f"{m}_previous_usd"] = frame.get(f"{m}_previous")
        data[f"{m}_change_usd"] = frame.get(f"{m}_change")
        data[f"{m}_change_pct"] = frame.get(f"{m}_change_pct")
    data = pd.concat([data, pd.DataFrame(_flags_and_origins(frame))], axis=1)
    lang = state.lang
    reporter_name = area_label(queries, state.reporter, lang) or state.reporter
    previous = t(lang, "Previous: {period}.", period=content.previous_label) if content.previous_label else ""
    metadata = ChartMetadata(
        chart_id="table",
        title=f"{content.title} ({reporter_name})",
        subtitle=_as_reported(lang, reporter_name),
        notes=(*((previous,) if previous else ()), *_derived_notes(data, ranking.warnings, lang)),
    )
    figure = no_data_figure(t(lang, "The table exports as data (CSV or XLSX)"))
    return ChartContent(figure, data, _sourced(metadata, content.note if ranking.label else None, lang))


def mirror_chart(queries: TradeQueries, state: ViewState) -> ChartContent:
    """The pair's two reports of the same trade side by side, the gap between them by year.

    Data columns: dashboard.queries.model.MIRROR_COLUMNS (year, period_start, period_end, direction, reporter,
    partner, each side's value in US dollars with valuation, source, release, status and origin, cif_usd,
    fob_usd, gap_usd = CIF − FOB, gap_pct (ratio of FOB), cif_fob_ratio, beyond_band).
    """
    reporter, partner, lang = state.reporter, state.partner, state.lang
    if not partner:
        figure = no_data_figure(
            t(lang, "Choose a reporter and a partner to compare their reports"), height=620
        )
        metadata = ChartMetadata(chart_id="mirror", title=t(lang, "Two reports of the same trade"))
        return ChartContent(
            figure, pd.DataFrame(columns=list(MIRROR_COLUMNS)), _sourced(metadata, None, lang)
        )
    # As the page: the year is the period when it is a year (a month highlights none).
    figure, pair = mirror_export(queries, reporter, partner, year=whole_number(state.period), lang=lang)
    names = {code: area_label(queries, code, lang) or code for code in (reporter, partner)}
    metadata = ChartMetadata(
        chart_id="mirror",
        title=t(lang, "{reporter} and {partner}: two reports of the same trade", reporter=names[reporter],
                partner=names[partner]),
        subtitle=t(lang, "US dollars · each side as it declares: exports FOB, imports CIF"),
        notes=(t(lang, "The two reports are never merged; the gap is CIF minus FOB."),),
    )  # fmt: skip
    return ChartContent(
        figure, pair.frame, _sourced(metadata, queries.source_note(reporter, partners=[partner]), lang)
    )
