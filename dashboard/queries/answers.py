"""What the page, the downloads, the export CLI and the claim checker ask: a reporter's trade by period with
turnover, balance, the change on the year before, ranks and shares, all derived by `derived.py` from the
rows `reader.StoreReader` reads of ONE store version.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from dashboard.queries.cache import remember, remembered, remembered_answer
from dashboard.queries.derived import (
    number_or_none,
    paired_periods,
    paired_years,
    ranked,
    top_of,
    with_same_period_a_year_earlier,
    year_on_year,
)
from dashboard.queries.model import (
    FREQUENCIES,
    MEASURES,
    TOTAL_WORLD,
    Area,
    Kpis,
    PartnerRanking,
    PeriodTable,
    Standing,
    rows_at,
)
from dashboard.queries.periods import FallingCumulative, parse_period, period_key, period_label, period_values
from dashboard.queries.rankings import HISTORY_COLUMNS, RankingsCache, ReporterRankings, reporter_rankings
from dashboard.queries.reader import StoreReader

# How many reporters' years `rank_every_reporter` reads in one query: 224 small reporters of the shipped store
# took ~10 ms a query, mostly the query's own overhead; 16 keep one read to ~100 k rows on the world matrix.
_READ_AHEAD = 16

PERIOD_TABLE_COLUMNS = (
    "partner", "name", "kind", "period", "label", "year", "month", "exports", "imports", "turnover",
    "balance", "partial", "estimated", "derived", "exports_origin", "imports_origin", "value", "rank", "share",
)  # fmt: skip


def _empty_period_frame() -> pd.DataFrame:
    return pd.DataFrame(columns=list(PERIOD_TABLE_COLUMNS))


class TradeQueries(StoreReader):
    """The questions to one published store version (made by `store.QueryStore.current()`)."""

    @functools.cached_property
    def _rankings(self) -> RankingsCache:
        """Owned by this version, as the answer cache: a new publish is a new object with empty rankings."""
        return RankingsCache()

    @functools.cached_property
    def _years_read_ahead(self) -> dict[tuple[str, str], pd.DataFrame]:
        """(reporter, source) -> `stored_years` of every partner and year, read for many reporters in one
        query by `rank_every_reporter` and taken (removed) by the first table of each."""
        return {}

    @remembered
    def group_options(self, reporter: str, *, source: str | None = None) -> tuple[Area, ...]:
        """Country groups (data/reference/partner_groups.csv) with at least one member among the
        reporter's partners, and not already a stored partner of the source; sorted by name."""
        partners = {a.code for a in self.partner_options(reporter, source=source)}
        found = [
            Area(code=g.code, name=g.name, kind="group")
            for g in self._groups.values()
            if g.code not in partners and partners & set(g.all_members())
        ]
        return tuple(sorted(found, key=lambda a: a.name))

    def area_or_group(self, code: str) -> Area | None:
        """The store's area for `code`, else the country group of that code, else None."""
        group = self._groups.get(code)
        return self.area(code) or (Area(code, group.name, "group") if group else None)

    # --- periods ------------------------------------------------------------------------------------------

    def period_table(
        self,
        reporter: str,
        *,
        frequency: str,
        source: str | None = None,
        partners: Sequence[str] | None = None,
        years: Sequence[int] | None = None,
    ) -> PeriodTable:
        """The reporter's trade by period of `frequency`, from one source, with the same period a year earlier.

        `partners` None means every partner; a country group of data/reference/partner_groups.csv that the
        source has no row for is summed from its members valid in each year (its rows `derived`, origin
        `sum of N members: …`). `years` limits the periods (the year before each is read too). Frame columns:
        partner, name, kind, period (key), label, year, month, exports, imports, turnover, balance, partial,
        estimated, derived, exports_estimated, imports_estimated, exports_origin, imports_origin and
        m_previous / m_change / m_change_pct for each measure m (`derived.with_same_period_a_year_earlier`).
        Rows ordered by partner as asked, then period.
        """
        source = source if source is not None else self.source_for(reporter, frequency)
        if source is None or frequency not in FREQUENCIES:
            return PeriodTable(_empty_period_frame(), frequency, source, ())
        wanted = None if partners is None else tuple(p for p in dict.fromkeys(partners) if isinstance(p, str))
        chosen = None if years is None else tuple(sorted({int(y) for y in years}))
        if chosen is not None:
            # The same partners' table for every year is often already known (the page reads it for its period
            # list as soon as a reporter is chosen): these years are a filter of it, not a query (bench P2).
            # Its rows of a year are those computed for that year alone; only its warnings could belong to
            # other years, hence none allowed.
            whole = self._known_table(reporter, frequency, source, wanted)
            if whole is not None and not whole.warnings:
                frame = whole.frame[whole.frame["year"].isin(list(chosen))].reset_index(drop=True)
                return PeriodTable(frame, whole.frequency, whole.source, whole.warnings, whole.summed_groups)
        if wanted and not any(code in self._groups for code in wanted):
            # Likewise a few countries are rows of the table of every partner when that is known (the claim
            # checker asks one partner and year at a time); a group is summed from its members, so asked
            # for itself.
            every = self._known_table(reporter, frequency, source, None)
            if every is not None and not every.warnings:
                found = every.rows_by_partner
                rows = rows_at(every.frame, [found[code] for code in wanted if code in found])
                if chosen is not None:
                    rows = rows[rows["year"].isin(list(chosen))]
                return PeriodTable(rows.reset_index(drop=True), every.frequency, every.source, ())
        return self._period_table(reporter, frequency, source, wanted, chosen)

    def _known_table(
        self, reporter: str, frequency: str, source: str, wanted: tuple[str, ...] | None
    ) -> PeriodTable | None:
        # Asked as `period_table` asks it: positional, every year.
        found = remembered_answer(self, type(self)._period_table, reporter, frequency, source, wanted, None)
        return found if isinstance(found, PeriodTable) else None

    @remembered
    def _period_table(
        self,
        reporter: str,
        frequency: str,
        source: str,
        wanted: tuple[str, ...] | None,
        years: tuple[int, ...] | None,
    ) -> PeriodTable:
        read_years = None if years is None else sorted({y for year in years for y in (year - 1, year)})
        summed: list[str] = []
        warnings: tuple[FallingCumulative, ...] = ()
        if (
            frequency == "annual"
            and not (wanted and any(code in self._groups for code in wanted))
            and not self.years_need_months(reporter, source)
        ):
            whole = wanted is None and years is None
            ahead = self._years_read_ahead.pop((reporter, source), None) if whole else None
            pairs = (
                self.stored_years(reporter, source, partners=wanted, years=read_years)
                if ahead is None
                else ahead
            )
            table = with_same_period_a_year_earlier(paired_years(pairs))
        else:
            rows = self.stored_rows(
                reporter,
                source,
                partners=None if wanted is None else self._with_group_members(wanted),
                years=read_years,
            )
            values, warnings = period_values(rows, frequency)
            stored_partners = set(values["partner"])
            if wanted is not None:
                group_frames = []
                for code in wanted:
                    if code in self._groups and code not in stored_partners:
                        group_frames.append(self._groups[code].summed(values))
                        summed.append(code)
                keep = values[values["partner"].isin(wanted)]
                values = pd.concat([keep, *group_frames], ignore_index=True) if group_frames else keep
            table = with_same_period_a_year_earlier(paired_periods(values))
        if years is not None:
            table = table[table["year"].isin(list(years))]
        # Names, kinds, keys and labels are worked out once per distinct partner and period and spread over
        # the rows by position (per row in Python, they were ~40% of ranking the world's 234 reporters).
        at_partner, partners = pd.factorize(table["partner"])
        codes = [str(p) for p in partners]
        areas = {a.code: a for a in self.areas_of(codes)}
        names = [areas[p].name if p in areas else self._group_name(p) for p in codes]
        kinds = [
            areas[p].kind if p in areas else ("group" if p in self._groups else "unspecified") for p in codes
        ]
        stamp = table["year"].to_numpy(dtype="int64") * 100 + table["month"].to_numpy(dtype="int64")
        at_period, stamps = pd.factorize(stamp)
        periods = [(int(s) // 100, int(s) % 100) for s in stamps]
        table = table.assign(
            name=pd.array(names, dtype="str").take(at_partner),
            kind=pd.array(kinds, dtype="str").take(at_partner),
            period=pd.array([period_key(frequency, y, m) for y, m in periods], dtype="str").take(at_period),
            label=pd.array([period_label(frequency, y, m) for y, m in periods], dtype="str").take(at_period),
        )
        if wanted is not None:
            order = {p: i for i, p in enumerate(wanted)}
            table = table.sort_values(
                ["partner", "year", "month"], key=lambda c: c.map(order) if c.name == "partner" else c
            )
        table = table.reset_index(drop=True)
        for column in ("partial", "estimated", "derived", "exports_estimated", "imports_estimated"):
            table[column] = table[column].astype("bool")
        # One block per dtype (a copy consolidates the ~19 the columns were added in): every later take of the
        # table's rows, as each ranking question makes, walks its blocks (bench P1: a ranking's cut 0.57 ->
        # 0.48 ms on the world matrix).
        return PeriodTable(table.copy(), frequency, source, warnings, tuple(summed))

    def _group_name(self, code: str) -> str:
        group = self._groups.get(code)
        return group.name if group else code

    @remembered
    def periods(self, reporter: str, *, frequency: str, source: str | None = None) -> tuple[str, ...]:
        """Period keys (`2019`, or `2020-07`) with any figure for the reporter in `frequency`, ascending."""
        frame = self.period_table(reporter, frequency=frequency, source=source).frame
        if frame.empty:
            return ()
        ordered = frame.sort_values(["year", "month"])
        return tuple(dict.fromkeys(str(p) for p in ordered["period"]))

    # --- ranks and shares ---------------------------------------------------------------------------------

    def period_ranking(
        self,
        reporter: str,
        period: object,
        *,
        frequency: str = "annual",
        measure: str = "turnover",
        source: str | None = None,
        top: int | None = None,
        include: str | None = None,
        partner: str | None = None,
    ) -> PartnerRanking:
        """Every partner of the reporter in one period, ranked by `measure` with shares of the World row.

        Frame: period_table columns for that period plus value, rank (Int64), share (`derived.ranked`);
        ordered by rank, then unranked rows (groups, residuals) by value. With `top`, the frame holds only
        the rows `derived.top_of(frame, top, include=include)` keeps (what a chart of the top partners draws);
        with `partner`, only that partner's row (none when it has none); the totals and `partners_ranked` are
        still the period's. An unknown period, measure or frequency gives an empty ranking.
        """
        parsed = parse_period(frequency, period)
        known = measure if measure in MEASURES else None
        source = source if source is not None else self.source_for(reporter, frequency)
        if parsed is None or known is None or source is None:
            return PartnerRanking(
                _empty_period_frame(), reporter, None, measure, None, None, 0, source=source
            )
        # Not remembered: a cut of the reporter's rankings costs less than measuring the answer for the
        # answer cache and copying it out again (a ranking of 200 partners, forty columns: ~8 ms against ~2).
        year, month = parsed
        rankings = self.reporter_rankings(reporter, frequency=frequency, source=source)
        if rankings.table.warnings:
            whole = self._ranking_of_one_year(reporter, year, month, frequency=frequency, measure=known,
                                              source=source)  # fmt: skip
            if partner is not None:
                rows = whole.frame[whole.frame["partner"] == partner].reset_index(drop=True)
                return dataclasses.replace(whole, frame=rows)
            if top is None or whole.frame.empty:
                return whole
            return dataclasses.replace(whole, frame=top_of(whole.frame, top, include=include))
        cut = rankings.period(year, month, known, top=top, include=include, only=partner)
        return PartnerRanking(
            frame=cut.frame,
            reporter=reporter,
            year=year,
            measure=known,
            total_usd=cut.total_usd,
            total_basis=TOTAL_WORLD if cut.total_usd is not None else None,
            partners_ranked=cut.partners_ranked,
            period=period_key(frequency, year, month),
            label=period_label(frequency, year, month),
            frequency=frequency,
            source=source,
        )

    @remembered
    def _ranking_of_one_year(
        self, reporter: str, year: int, month: int, *, frequency: str, measure: str, source: str
    ) -> PartnerRanking:
        """`period_ranking` from the table of that year alone, for a table with derivation warnings: the
        whole table's warnings may concern other years, this period's own table says which are its."""
        table = self.period_table(reporter, frequency=frequency, source=source, years=[year])
        now = ranked(table.frame[table.frame["month"] == month], measure)
        total = number_or_none(now["total_usd"].iloc[0]) if len(now) else None
        now = now.drop(columns=["total_usd", "partners_ranked"]).sort_values(
            ["rank", "value"], ascending=[True, False], na_position="last", kind="stable"
        )
        return PartnerRanking(
            frame=now.reset_index(drop=True),
            reporter=reporter,
            year=year,
            measure=measure,
            total_usd=total,
            total_basis=TOTAL_WORLD if total is not None else None,
            partners_ranked=int(now["rank"].notna().sum()),
            period=period_key(frequency, year, month),
            label=period_label(frequency, year, month),
            frequency=frequency,
            source=source,
            warnings=table.warnings,
        )

    def reporter_rankings(
        self, reporter: str, *, frequency: str, source: str, keep: bool = False
    ) -> ReporterRankings:
        """Every period's ranking of the reporter in `frequency` and `source` by every measure
        (`rankings.ReporterRankings`), computed on the first question about them in this store version;
        `keep`: held for the version's life from now on, not in the bounded part of the cache."""
        ask = self._rankings.keep if keep else self._rankings.get
        return ask(
            (self.path, reporter, frequency, source),
            lambda: reporter_rankings(self._whole_table(reporter, frequency, source)),
        )

    def rank_every_reporter(self) -> int:
        """Rank every reporter in its default source, annual, and read the notes of those rankings, now and
        for this version's life (a ranking, map or table question is then a cut and a drawing); how many.

        Why before serving and not on the first question about each reporter: a ranking question may be about
        any of the world's reporters (bench P1 asks them uniformly at random), and a first question costs
        ~70-110 ms on the world matrix against ~5 ms for a known one. All of them take ~15 s once for the world
        matrix's 234 reporters and ~7 s for the shipped store's 224 (the reporters' sources, years and note
        groups are read here for many reporters per query: one query each cost ~3-10 ms, mostly the query's
        own overhead).
        Not at publish time: it would add that to every refresh and write derived numbers into the store (the
        rankings module's docstring has the measurements).
        """
        # Every reporter's sources in one query, remembered as each reporter's own question asks them.
        every = self.sources_of_every_reporter("annual")
        by_source: dict[str, list[str]] = {}
        for area in self.reporters():
            remember(self, type(self).available_sources, every.get(area.code, ()), area.code, "annual")
            source = self.source_for(area.code, "annual")
            if source is not None:
                by_source.setdefault(source, []).append(area.code)
        latest: dict[str, tuple[str, int]] = {}
        for source, codes in by_source.items():
            ordered = sorted(codes)
            for chunk in (ordered[i : i + _READ_AHEAD] for i in range(0, len(ordered), _READ_AHEAD)):
                # The chunk's stored years in one query; each reporter's table below takes its own.
                stored = [c for c in chunk if not self.years_need_months(c, source)]
                ahead = self.stored_years_of_each(stored, source)
                self._years_read_ahead.update({(code, source): rows for code, rows in ahead.items()})
                for code in chunk:
                    rankings = self.reporter_rankings(code, frequency="annual", source=source, keep=True)
                    self._years_read_ahead.pop((code, source), None)  # not taken: its table was known
                    if len(rankings.period_keys):
                        latest[code] = (source, int(rankings.period_keys[-1]) // 100)
        # After the rankings: their whole tables pass through the answer cache and would push the notes out.
        # One year's note reads what every year's is built from (the reporter's note groups, area, source).
        for source, codes in by_source.items():
            self.remember_note_groups_of_every_reporter(source, [c for c in codes if c in latest])
        for code, (source, year) in latest.items():
            self.source_note(code, year=year, source=source)
        return len(latest)

    def _whole_table(self, reporter: str, frequency: str, source: str) -> PeriodTable:
        """The reporter's remembered table of every partner and period, itself (not a private copy: the
        rankings only read it, and the page reads the same table for its period list)."""
        copy = self.period_table(reporter, frequency=frequency, source=source)
        return self._known_table(reporter, frequency, source, None) or copy

    @remembered
    def rank_history(
        self,
        reporter: str,
        partners: Sequence[str],
        *,
        frequency: str = "annual",
        source: str | None = None,
    ) -> pd.DataFrame:
        """Rank and share of each of `partners` in every period, separately for turnover, exports, imports.

        Columns: partner (in the order asked), name, period, label, year, month, measure ('turnover' |
        'exports' | 'imports'), value (US dollars), rank (Int64), share, partners_ranked (how many partners
        were ranked that period). Periods without a World row have no rank (missing, not last).
        """
        wanted = [p for p in dict.fromkeys(partners) if isinstance(p, str)]
        source = source if source is not None else self.source_for(reporter, frequency)
        if source is None or frequency not in FREQUENCIES or not wanted:
            return pd.DataFrame(columns=list(HISTORY_COLUMNS))
        return self.reporter_rankings(reporter, frequency=frequency, source=source).history(wanted)

    @remembered
    def partner_standing(
        self,
        reporter: str,
        partner: str,
        *,
        frequency: str,
        period: object,
        source: str | None = None,
    ) -> dict[str, Standing]:
        """The partner's value, rank and share for turnover, exports and imports in one period.

        Missing measures are absent from the answer; rank and share are None without a World row or for
        groups (a group summed from its members has a share of the World row, no rank).
        """
        ranked = self._period_standings(reporter, frequency=frequency, period=period, source=source)
        if partner in ranked or partner not in self._groups:
            return dict(ranked.get(partner, {}))
        found: dict[str, Standing] = {}
        for measure in MEASURES:
            # The rankings the page draws (remembered), not a second ranking of the same table.
            ranking = self.period_ranking(
                reporter, period, frequency=frequency, measure=measure, source=source
            )
            row = self._partner_row(ranking, partner)
            if row is None or pd.isna(row["value"]):
                continue
            found[measure] = _standing(row["value"], row["rank"], row["share"], ranking.partners_ranked)
        return found

    @remembered
    def _period_standings(
        self, reporter: str, *, frequency: str, period: object, source: str | None
    ) -> dict[str, dict[str, Standing]]:
        """Every partner row of the period's rankings as standings, read once per period (the claim checker
        and the agreement test ask each partner in turn; the page's rankings are the same remembered ones)."""
        found: dict[str, dict[str, Standing]] = {}
        for measure in MEASURES:
            ranking = self.period_ranking(
                reporter, period, frequency=frequency, measure=measure, source=source
            )
            frame = ranking.frame
            for partner, value, rank, share in zip(
                frame["partner"], frame["value"], frame["rank"], frame["share"], strict=True
            ):
                if pd.isna(value):
                    continue
                found.setdefault(str(partner), {})[measure] = _standing(
                    value, rank, share, ranking.partners_ranked
                )
        return found

    def _partner_row(self, ranking: PartnerRanking, partner: str) -> pd.Series | None:
        """The partner's row of a ranking; a group the source has no row for is summed from its members
        (no rank: groups are not ranked; its share of the same World total)."""
        frame = ranking.frame
        # Compared as an array and read as one row: a Series comparison and a take of every column cost ~1 ms
        # (bench P2b).
        found = np.flatnonzero(frame["partner"].to_numpy(dtype=object) == partner)
        if len(found):
            return frame.iloc[int(found[0])]
        row = frame.iloc[:0]
        if partner in self._groups and ranking.year is not None and ranking.source:
            parsed = parse_period(ranking.frequency, ranking.period)
            month = parsed[1] if parsed else 12
            members = self.period_table(
                ranking.reporter, frequency=ranking.frequency, source=ranking.source, partners=[partner],
                years=[ranking.year],
            ).frame  # fmt: skip
            row = members[members["month"] == month]
            if row.empty:
                return None
            value = row[ranking.measure].astype("float64")
            total = ranking.total_usd
            row = row.assign(
                value=value,
                rank=pd.array([pd.NA] * len(row), dtype="Int64"),
                share=value / total if total else float("nan"),
            )
        return None if row.empty else row.iloc[0]

    @remembered
    def period_kpis(
        self,
        reporter: str,
        partner: str,
        *,
        frequency: str,
        period: object,
        source: str | None = None,
    ) -> Kpis | None:
        """Headline numbers for the pair in one period of `frequency` beside the same period a year earlier;
        None for unknown codes or a period that does not fit the frequency."""
        parsed = parse_period(frequency, period)
        reporter_area = self.area(reporter)
        partner_area = self.area_or_group(partner)
        if parsed is None or reporter_area is None or partner_area is None:
            return None
        year, month = parsed
        ranking = self.period_ranking(
            reporter, period, frequency=frequency, measure="turnover", source=source, partner=partner
        )
        row = self._partner_row(ranking, partner)
        return Kpis(
            reporter=reporter_area,
            partner=partner_area,
            year=year,
            exports=year_on_year(row, "exports", origin=True),
            imports=year_on_year(row, "imports", origin=True),
            turnover=year_on_year(row, "turnover"),
            balance=year_on_year(row, "balance"),
            partial=row is not None and bool(row["partial"]),
            rank=None if row is None or pd.isna(row["rank"]) else int(row["rank"]),
            partners_ranked=ranking.partners_ranked,
            share=None if row is None else number_or_none(row["share"]),
            total_turnover=ranking.total_usd,
            total_basis=ranking.total_basis,
            period_label=period_label(frequency, year, month),
            previous_label=period_label(frequency, year - 1, month),
            derived=row is not None and bool(row["derived"]),
            source=ranking.source,
        )


def _standing(value: Any, rank: Any, share: Any, partners_ranked: int) -> Standing:
    """A ranking row's cells as a Standing (a missing rank or share stays None)."""
    return Standing(
        value=float(value),
        rank=None if pd.isna(rank) else int(rank),
        share=number_or_none(share),
        partners_ranked=partners_ranked,
    )
