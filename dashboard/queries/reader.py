# ruff: noqa: S608 - SQL text is assembled only from this module's constant fragments; every value from a
# user reaches DuckDB as a bound parameter ($name).
# Over 400 lines: it is the one module holding SQL, and its queries share the same fragments and cache.
"""The DuckDB reader of ONE published store version: stored rows, areas, sources and provenance, in SQL.

No derived number is computed here (`derived.py` is their home): the reader pairs a reporter's two flows
and hands them on. Every user-supplied value reaches SQL as a bound parameter; SQL text is never assembled
from input. One `StoreReader` (through its subclass `answers.TradeQueries`) exists per store version
(`store.QueryStore` makes them), with its own connection and its own answer cache.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import duckdb
import numpy as np
import pandas as pd

from dashboard.queries.cache import new_cache, remember, remembered
from dashboard.queries.controls import year_of
from dashboard.queries.groups import PartnerGroup
from dashboard.queries.model import (
    ESTIMATED,
    FREQUENCIES,
    KIND_ORDER,
    Area,
    SourceNote,
    positions_by_partner,
    rows_at,
)
from etl.store import StoreError

# Annual rows: one calendar year, January to December (`periods.is_annual` says the same of one row).
_ANNUAL: Final = (
    "substr(t.period_start, 6, 2) = '01' AND substr(t.period_end, 6, 2) = '12' "
    "AND substr(t.period_start, 1, 4) = substr(t.period_end, 1, 4)"
)
_YEAR: Final = "CAST(substr(t.period_start, 1, 4) AS INTEGER)"
# The rows a source note describes: the reporters' (`{reporters}`, a fixed SQL condition on `t.reporter`) in one
# source, annual ones only unless $annual is false; `_ONE_REPORTERS_NOTE_ROWS` for one reporter's.
_NOTE_ROWS: Final = f"t.source = $source AND {{reporters}} AND ({_ANNUAL} OR NOT $annual)"
_ONE_REPORTERS_NOTE_ROWS: Final = _NOTE_ROWS.format(reporters="t.reporter = $reporter")


def _each_reporters(frame: pd.DataFrame, reporters: Sequence[str]) -> dict[str, pd.DataFrame]:
    """reporter -> its rows of `frame` (read for many reporters, with a `reporter` column), without that
    column and numbered from 0 as a one-reporter query gives them; no rows for a reporter absent from it."""
    found = {str(code): rows for code, rows in frame.groupby("reporter", sort=False)}
    empty = frame.iloc[0:0]
    return {
        code: found.get(code, empty).drop(columns="reporter").reset_index(drop=True) for code in reporters
    }


def _close_all(connections: list[duckdb.DuckDBPyConnection]) -> None:
    while connections:
        connections.pop().close()


class StoreReader:
    """Read-only questions to one store file; safe to share between threads."""

    def __init__(
        self,
        path: Path,
        *,
        source: str | None,
        preference: Sequence[str],
        groups: Mapping[str, PartnerGroup],
        cache_bytes: int,
    ) -> None:
        """`preference`: sources in the order they are offered (sources not named come after, by name);
        `source` limits this object to that one source. `groups`: country groups offered as partners."""
        self.path = Path(path)
        self._only = source
        self._preference = (source,) if source else tuple(preference)
        self._groups = dict(groups)
        # The connection sits in a one-item list so that the finalizer closes whichever is open without
        # holding `self`: it closes when the last request holding this version lets it go (a refresh retires
        # a version while requests may still be reading it), or on `close`.
        self._connections: list[duckdb.DuckDBPyConnection] = [self._connect()]
        self._closer = weakref.finalize(self, _close_all, self._connections)
        self._lock = threading.Lock()
        self._answers_lock = threading.Lock()
        self._answers = new_cache(cache_bytes)

    @property
    def preference(self) -> tuple[str, ...]:
        """The sources in the order of preference this object was given (settings' TRADE_SOURCES)."""
        return self._preference

    def close(self) -> None:
        """Close the connection now (tests and shutdown; serving lets it close with the version)."""
        self._closer()

    def release_connection(self) -> None:
        """Close the connection but keep every answer; the next question opens a new one.

        Why: gunicorn's master prepares a version's answers once (`QueryStore.prepare`) and forks its
        workers; a DuckDB connection must not cross a fork, the answers may (the workers share them).
        """
        with self._lock:
            _close_all(self._connections)

    def _connect(self) -> duckdb.DuckDBPyConnection:
        try:
            return duckdb.connect(str(self.path), read_only=True)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc

    def _frame(self, sql: str, params: Mapping[str, Any]) -> pd.DataFrame:
        # One cursor per query: DuckDB cursors of one connection may run in parallel threads.
        with self._lock:
            if not self._connections:
                if not self._closer.alive:
                    raise StoreError(f"the store {self.path} is closed")
                self._connections.append(self._connect())
            cursor = self._connections[0].cursor()
        try:
            return cursor.execute(sql, dict(params)).df()
        finally:
            cursor.close()

    @remembered
    def reporters(self) -> tuple[Area, ...]:
        """Every reporter with rows (of any source, or of the one source this object is limited to), by name."""
        frame = self._frame(
            """
            SELECT r.reporter AS code, coalesce(a.name, r.reporter) AS name, coalesce(a.kind, 'unspecified') AS kind
            FROM (
                SELECT DISTINCT reporter FROM trade_flows WHERE $only IS NULL OR source = $only
            ) r
            LEFT JOIN areas a ON a.code = r.reporter
            ORDER BY name, code
            """,
            {"only": self._only},
        )
        return _areas(frame)

    def area(self, code: str) -> Area | None:
        """The display name and kind of one code, or None when the store does not know it."""
        return self._areas_by_code().get(code) if isinstance(code, str) else None

    def names(self, codes: Sequence[str]) -> dict[str, str]:
        """Display names of the known `codes` (unknown codes are left out)."""
        known = self._areas_by_code()
        return {code: known[code].name for code in codes if isinstance(code, str) and code in known}

    @remembered
    def _areas_by_code(self) -> dict[str, Area]:
        """Every area the store names (a few hundred), read once per store version: a new partner's names then
        cost no query (bench P2b: two of the three queries a partner change made)."""
        return {area.code: area for area in _areas(self._frame("SELECT code, name, kind FROM areas", {}))}

    @remembered
    def partner_options(self, reporter: str, *, source: str | None = None) -> tuple[Area, ...]:
        """The reporter's partners in any row of its source (`source`, or the preferred one with data):
        countries first, then historical entities, groups and "not specified" rows, each sorted by name."""
        source = source or self.source_for(reporter)
        frame = self._frame(
            """
            SELECT p.partner AS code, coalesce(a.name, p.partner) AS name, coalesce(a.kind, 'unspecified') AS kind
            FROM (
                SELECT DISTINCT t.partner FROM trade_flows t
                WHERE t.source = $source AND t.reporter = $reporter AND t.partner <> $reporter
            ) p
            LEFT JOIN areas a ON a.code = p.partner
            ORDER BY list_position($kinds, kind), name, code
            """,
            {"source": source, "reporter": reporter, "kinds": list(KIND_ORDER)},
        )
        return _areas(frame)

    @remembered
    def years(self, reporter: str, *, source: str | None = None) -> tuple[int, ...]:
        """Calendar years with at least one annual row reported by `reporter` (in its source), ascending."""
        source = source or self.source_for(reporter)
        frame = self._frame(
            f"""
            SELECT DISTINCT {_YEAR} AS year FROM trade_flows t
            WHERE t.source = $source AND t.reporter = $reporter AND {_ANNUAL}
            ORDER BY year
            """,
            {"source": source, "reporter": reporter},
        )
        return tuple(int(year) for year in frame["year"])

    @remembered
    def latest_year(
        self, reporter: str, partner: str | None = None, *, source: str | None = None
    ) -> int | None:
        """The latest year with an annual row for the reporter (and partner, when given); None if none."""
        source = source or self.source_for(reporter)
        frame = self._frame(
            f"""
            SELECT max({_YEAR}) AS year FROM trade_flows t
            WHERE t.source = $source AND t.reporter = $reporter
              AND ($partner IS NULL OR t.partner = $partner) AND {_ANNUAL}
            """,
            {"source": source, "reporter": reporter, "partner": partner},
        )
        year = frame["year"].iloc[0] if len(frame) else None
        return None if year is None or pd.isna(year) else int(year)

    def areas_of(self, codes: Sequence[str]) -> tuple[Area, ...]:
        """The known areas among `codes`, in the order given (unknown codes left out)."""
        known = self._area_table()
        return tuple(known[code] for code in dict.fromkeys(codes) if code in known)

    @remembered
    def _area_table(self) -> dict[str, Area]:
        """Every area of the store by code: a few hundred rows, read once per version instead of a query for
        the partners of each table (bench P1: about 7 ms a ranking)."""
        return {a.code: a for a in _areas(self._frame("SELECT code, name, kind FROM areas", {}))}

    @remembered
    def available_sources(self, reporter: str, frequency: str = "annual") -> tuple[str, ...]:
        """Sources with rows of `reporter` usable for `frequency`, in preference order (others by name).

        Annual: a stored year, or a sub-annual row ending in December (a cumulative to December is the
        year). Monthly and cumulative: any row shorter than a year.
        """
        if frequency not in FREQUENCIES:
            return ()
        return self._sources_of("t.reporter = $reporter", {"reporter": reporter}, frequency).get(reporter, ())

    def sources_of_every_reporter(self, frequency: str) -> dict[str, tuple[str, ...]]:
        """`available_sources(reporter, frequency)` of every reporter with such sources, in one query (what
        ranking every reporter before serving asks of each: ~3-5 ms a query, mostly its own overhead)."""
        if frequency not in FREQUENCIES:
            return {}
        return self._sources_of("true", {}, frequency)

    def _sources_of(
        self, reporters: str, params: Mapping[str, Any], frequency: str
    ) -> dict[str, tuple[str, ...]]:
        """reporter -> its sources usable for `frequency`, in preference order, among the reporters that
        `reporters` (a fixed SQL condition on `t.reporter`) picks with `params`."""
        frame = self._frame(
            f"""
            SELECT DISTINCT t.reporter, t.source FROM trade_flows t
            WHERE {reporters} AND ($only IS NULL OR t.source = $only)
              AND CASE WHEN $frequency = 'annual'
                       THEN ({_ANNUAL}) OR substr(t.period_end, 6, 2) = '12'
                       ELSE NOT ({_ANNUAL}) END
            """,
            {**params, "only": self._only, "frequency": frequency},
        )
        order = {name: i for i, name in enumerate(self._preference)}
        found: dict[str, list[str]] = {}
        for reporter, source in zip(frame["reporter"], frame["source"], strict=True):
            found.setdefault(str(reporter), []).append(str(source))
        return {
            reporter: tuple(sorted(sources, key=lambda s: (order.get(s, len(order)), s)))
            for reporter, sources in found.items()
        }

    def source_for(self, reporter: str, frequency: str = "annual", *, wanted: object = None) -> str | None:
        """`wanted` when it has data for the reporter and frequency, else the first preferred source with
        data; for `annual`, a reporter with monthly data only gets its monthly source. None: no data."""
        available = self.available_sources(reporter, frequency)
        if isinstance(wanted, str) and wanted in available:
            return wanted
        if available:
            return available[0]
        if frequency == "annual":
            for other in ("monthly",):
                fallback = self.available_sources(reporter, other)
                if fallback:
                    return fallback[0]
        return None

    def frequencies(self, reporter: str, *, source: str | None = None) -> tuple[str, ...]:
        """The frequencies with data for the reporter (in `source` when given), in FREQUENCIES order."""
        return tuple(
            f
            for f in FREQUENCIES
            if (
                source in self.available_sources(reporter, f)
                if source
                else self.available_sources(reporter, f)
            )
        )

    @remembered
    def source_titles(self) -> dict[str, str]:
        """Each source by its name, `Direction of Trade Statistics (DOTS), country tables (Excel export)`, for
        the page's picker and subtitles (never its id; the id is in the link and the data files)."""
        frame = self._frame("SELECT source, title FROM sources", {})
        return {
            str(source): title if isinstance(title, str) and title else str(source)
            for source, title in zip(frame["source"], frame["title"], strict=True)
        }

    @remembered
    def sources_overview(self) -> pd.DataFrame:
        """Every source in the store with its releases: one row per (source, release).

        Columns: source, publisher, title, url, licence, attribution, unit_original, release, description,
        rows, rows_added, rows_removed, rows_revised, stored_rows (rows of the source in trade_flows now),
        reporters, first_period, last_period. Ordered by preference, then release (latest first).
        """
        frame = self._frame(
            """
            WITH counts AS (
                SELECT source, count(*) AS stored_rows, count(DISTINCT reporter) AS reporters,
                    min(period_start) AS first_period, max(period_end) AS last_period
                FROM trade_flows GROUP BY source
            ),
            known AS (SELECT source FROM sources UNION SELECT source FROM counts)
            SELECT k.source, s.publisher, s.title, s.url, s.licence, s.attribution, s.unit_original,
                r.release, r.description, r.rows, r.rows_added, r.rows_removed, r.rows_revised,
                coalesce(c.stored_rows, 0) AS stored_rows, coalesce(c.reporters, 0) AS reporters,
                c.first_period, c.last_period
            FROM known k
            LEFT JOIN sources s USING (source)
            LEFT JOIN releases r USING (source)
            LEFT JOIN counts c USING (source)
            ORDER BY list_position($order, k.source) NULLS LAST, k.source, r.release DESC
            """,
            {"order": list(self._preference)},
        )
        return frame

    @property
    def groups(self) -> Mapping[str, PartnerGroup]:
        """The country groups offered as partners, by code."""
        return self._groups

    def _with_group_members(self, partners: Sequence[object]) -> list[str]:
        codes = [p for p in partners if isinstance(p, str)]
        extra = [m for p in codes if p in self._groups for m in self._groups[p].all_members()]
        return list(dict.fromkeys([*codes, *extra]))

    # --- periods ------------------------------------------------------------------------------------------

    def stored_rows(
        self, reporter: str, source: str, *, partners: Sequence[str] | None, years: Sequence[int] | None
    ) -> pd.DataFrame:
        return self._frame(
            """
            SELECT t.partner, t.flow, t.period_start, t.period_end, t.value_usd, t.status, p.origin
            FROM trade_flows t
            LEFT JOIN provenance p
              ON p.source = t.source AND p.reporter = t.reporter AND p.partner = t.partner
             AND p.flow = t.flow AND p.period_start = t.period_start AND p.period_end = t.period_end
            WHERE t.source = $source AND t.reporter = $reporter AND t.partner <> $reporter
              AND ($partners IS NULL OR list_contains($partners, t.partner))
              AND ($years IS NULL OR list_contains($years, CAST(substr(t.period_start, 1, 4) AS INTEGER)))
            ORDER BY t.partner, t.flow, t.period_start, t.period_end
            """,
            {
                "source": source,
                "reporter": reporter,
                "partners": None if partners is None else list(partners),
                "years": None if years is None else [int(y) for y in years],
            },
        )

    def years_need_months(self, reporter: str, source: str) -> bool:
        """Whether some year of the reporter in `source` must be chained from shorter periods: a partner and
        flow with rows inside a calendar year but no stored row for the whole year."""
        return (reporter, source) in self._reporters_needing_months

    @functools.cached_property
    def _reporters_needing_months(self) -> frozenset[tuple[str, str]]:
        """The (reporter, source) pairs of `years_need_months`, read for every reporter in one pass once per
        store version (serving reads it before its first request, with the rankings): asked one reporter at a
        time, its rows were read again for each new reporter (~9 ms of a pair's first table at 50 M rows,
        bench P5). Kept for the version's life, outside the bounded cache: a few hundred codes."""
        frame = self._frame(
            f"""
            SELECT DISTINCT reporter, source FROM (
                SELECT t.reporter, t.source, t.partner, t.flow, substr(t.period_start, 1, 4) AS year,
                    bool_or({_ANNUAL}) AS whole
                FROM trade_flows t
                WHERE t.partner <> t.reporter AND substr(t.period_start, 1, 4) = substr(t.period_end, 1, 4)
                GROUP BY ALL
            ) WHERE NOT whole
            """,
            {},
        )
        return frozenset(zip(frame["reporter"].astype(str), frame["source"].astype(str), strict=True))

    def stored_years(
        self, reporter: str, source: str, *, partners: Sequence[str] | None, years: Sequence[int] | None
    ) -> pd.DataFrame:
        """The reporter's stored calendar years, the two flows paired per (partner, year) in one query, for a
        reporter whose years are all stored (`years_need_months` is False): nothing to chain, so DuckDB pairs
        the flows directly (about 5x faster than `periods.period_values` on small tables: bench P1, P2).

        Columns: partner, year, month (12), exports, imports (US dollars, NaN where not reported),
        exports_estimated, imports_estimated, exports_origin, imports_origin (file!sheet!cell or NaN). No
        derived number: `derived.with_measures` adds them, as for every other path.
        """
        return self._paired_years(
            "t.reporter = $reporter",
            {
                "source": source,
                "reporter": reporter,
                "partners": None if partners is None else list(partners),
                # Annual rows start in January: the years as period starts let DuckDB skip row groups.
                "starts": None if years is None else [f"{int(y):04d}-01" for y in years],
            },
            each=False,
        )

    def stored_years_of_each(self, reporters: Sequence[str], source: str) -> dict[str, pd.DataFrame]:
        """`stored_years(reporter, source, partners=None, years=None)` of each of `reporters`, read in one
        query: what ranking every reporter before serving reads, where one query per reporter cost ~10 ms
        each on the shipped store's 224 small reporters, most of it the query's own overhead."""
        if not reporters:
            return {}
        ordered = sorted(set(reporters))
        frame = self._paired_years(
            # The range first: rows are stored by reporter, so DuckDB skips the row groups outside it.
            "t.reporter BETWEEN $first AND $last AND list_contains($reporters, t.reporter)",
            {
                "source": source,
                "first": ordered[0],
                "last": ordered[-1],
                "reporters": ordered,
                "partners": None,
                "starts": None,
            },
            each=True,
        )
        return _each_reporters(frame, ordered)

    def _paired_years(self, reporters: str, params: Mapping[str, Any], *, each: bool) -> pd.DataFrame:
        """`stored_years`' rows of the reporters `reporters` (a fixed SQL condition on `t.reporter`) picks
        with `params`; `each`: of several reporters, with a reporter column first, ordered by it (one
        reporter's query keeps the plan it had alone: the pair's table is on every new partner's path)."""
        who = "s.reporter, " if each else ""
        same_reporter = "o.reporter = s.reporter AND " if each else ""
        frame = self._frame(
            f"""
            WITH stored AS (
                SELECT t.reporter, t.partner, t.flow, t.period_start, t.period_end, t.value_usd, t.status
                FROM trade_flows t
                WHERE t.source = $source AND {reporters} AND t.partner <> t.reporter AND {_ANNUAL}
                  AND ($partners IS NULL OR list_contains($partners, t.partner))
                  AND ($starts IS NULL OR list_contains($starts, t.period_start))
            ), origins AS (
                SELECT t.reporter, t.partner, t.flow, t.period_start, t.period_end, t.origin FROM provenance t
                WHERE t.source = $source AND {reporters}
                  AND ($partners IS NULL OR list_contains($partners, t.partner))
                  AND ($starts IS NULL OR list_contains($starts, t.period_start))
            )
            SELECT {who}s.partner, CAST(substr(s.period_start, 1, 4) AS BIGINT) AS year, 12::BIGINT AS month,
                max(s.value_usd) FILTER (WHERE s.flow = 'export') AS exports,
                max(s.value_usd) FILTER (WHERE s.flow = 'import') AS imports,
                coalesce(bool_or(s.status = '{ESTIMATED}') FILTER (WHERE s.flow = 'export'), false)
                    AS exports_estimated,
                coalesce(bool_or(s.status = '{ESTIMATED}') FILTER (WHERE s.flow = 'import'), false)
                    AS imports_estimated,
                max(o.origin) FILTER (WHERE s.flow = 'export') AS exports_origin,
                max(o.origin) FILTER (WHERE s.flow = 'import') AS imports_origin
            FROM stored s LEFT JOIN origins o
              ON {same_reporter}o.partner = s.partner AND o.flow = s.flow AND o.period_start = s.period_start
             AND o.period_end = s.period_end
            GROUP BY {who}s.partner, year
            ORDER BY {who}s.partner, year
            """,
            params,
        )
        frame = frame.astype({"exports": "float64", "imports": "float64"})
        for column in ("exports_origin", "imports_origin"):  # as the general path: object, NaN when missing
            frame[column] = frame[column].astype("object").where(frame[column].notna(), float("nan"))
        return frame

    @remembered
    def source_note(
        self,
        reporter: str,
        *,
        partners: Sequence[str] | None = None,
        year: int | str | None = None,
        source: str | None = None,
        annual: bool = True,
    ) -> SourceNote | None:
        """Source, reporter, valuation per flow and releases of the rows a chart shows.

        `partners` limits the rows to those partners (a country group to its members too) and `year` to
        that year; None means all. `annual=False` takes the source's monthly and cumulative rows as well.
        `source` defaults to the reporter's preferred source. Returns None when the selection holds no rows.
        """
        source = source or self.source_for(reporter)
        if partners is not None:
            partners = self._with_group_members(partners)
        valid_year = year_of(year)
        if year is not None and valid_year is None:
            return None
        if partners is not None and valid_year is None:
            # Every year of some partners: the note groups of every partner of the reporter are read in one
            # query and remembered, so a new partner is no query (bench P2b).
            wanted = [p for p in dict.fromkeys(partners) if isinstance(p, str)]
            if len(wanted) == 1:
                # One country (the trend of a pair, the most common question): a lookup of the note its
                # reporter's partners share, built once per reporter (bench P2b: ~0.5 ms a partner before).
                return self._notes_of_each_partner(reporter, source, annual).get(wanted[0])
            # Several partners' groups may repeat a (flow, valuation, release): `_note` reads them as sets.
            by_partner = self._note_groups_by_partner(reporter, source, annual)
            found = self._note_group_positions(reporter, source, annual)
            return self._note(reporter, source, rows_at(by_partner, [found[p] for p in wanted if p in found]))
        if partners is None and valid_year is not None:
            # The ranking, map and table of a year: the note groups of every year of the reporter are read in
            # one query and remembered, so a new year is no query (bench P1); only the asked year's note is
            # built (building every year's on a reporter's first question cost ~35 ms on the world matrix).
            groups = self._note_groups_by_year(reporter, source, annual)
            first, stop = np.searchsorted(groups["year"].to_numpy(), [valid_year, valid_year + 1])
            return self._note(reporter, source, groups.iloc[first:stop])  # its year column unread
        params = {
            "source": source,
            "reporter": reporter,
            "partners": None if partners is None else [p for p in partners if isinstance(p, str)],
            "year": valid_year,
            "annual": annual,
        }
        # One pass over the rows: flow, valuation and release of each group (a handful), summed up below. Two
        # queries (valuations per flow, then releases) read the reporter's rows twice (bench P1: ~8 ms).
        groups = self._frame(
            f"""
            SELECT t.flow, t.valuation, t.release, coalesce(any_value(r.description), '') AS description,
                bool_or(t.status = '{ESTIMATED}') AS estimated
            FROM trade_flows t LEFT JOIN releases r ON r.source = t.source AND r.release = t.release
            WHERE {_ONE_REPORTERS_NOTE_ROWS}
              AND ($partners IS NULL OR list_contains($partners, t.partner))
              AND ($year IS NULL OR {_YEAR} = $year)
            GROUP BY t.flow, t.valuation, t.release
            """,
            params,
        )
        return self._note(reporter, source, groups)

    @remembered
    def _note_groups_by_partner(self, reporter: str, source: str | None, annual: bool) -> pd.DataFrame:
        """The (partner, flow, valuation, release, description, estimated) groups of the reporter's rows (all
        years): what `source_note` of some partners over every year is built from, read in one query."""
        return self._frame(
            f"""
            SELECT t.partner, t.flow, t.valuation, t.release,
                coalesce(any_value(r.description), '') AS description,
                bool_or(t.status = '{ESTIMATED}') AS estimated
            FROM trade_flows t LEFT JOIN releases r ON r.source = t.source AND r.release = t.release
            WHERE {_ONE_REPORTERS_NOTE_ROWS}
            GROUP BY t.partner, t.flow, t.valuation, t.release
            ORDER BY t.partner
            """,
            {"source": source, "reporter": reporter, "annual": annual},
        )

    @remembered
    def _note_group_positions(self, reporter: str, source: str | None, annual: bool) -> dict[str, np.ndarray]:
        """Where each partner's groups are in `_note_groups_by_partner`: one partner's note is then a slice
        of them (they are ordered by partner), not a comparison over every partner's and a take (bench P2b)."""
        return positions_by_partner(self._note_groups_by_partner(reporter, source, annual))

    @remembered
    def _notes_of_each_partner(
        self, reporter: str, source: str | None, annual: bool
    ) -> dict[str, SourceNote | None]:
        """Each partner's note over every year, as `source_note` builds it from the partner's note groups.
        Partners whose groups are the same (most of a reporter's: one source, one release, the same
        valuations) share one note, so a reporter's ~200 partners cost a few notes, once."""
        groups = self._note_groups_by_partner(reporter, source, annual)
        columns = [groups[c].tolist() for c in ("flow", "valuation", "release", "description", "estimated")]
        shared: dict[tuple[tuple[str, ...], ...], SourceNote | None] = {}
        notes: dict[str, SourceNote | None] = {}
        for partner, at in self._note_group_positions(reporter, source, annual).items():
            # The note reads its groups as sets (the release's description is the release's own): rows in
            # any order give the same note.
            same = tuple(sorted(tuple(str(column[i]) for column in columns) for i in at.tolist()))
            if same not in shared:
                shared[same] = self._note(reporter, source, rows_at(groups, [at]))
            notes[partner] = shared[same]
        return notes

    @remembered
    def _note_groups_by_year(self, reporter: str, source: str | None, annual: bool) -> pd.DataFrame:
        """The (year, flow, valuation, release, description, estimated) groups of the reporter's rows (all
        partners), ordered by year: what `source_note` of one year is built from, read in one query."""
        return self._note_groups(
            _ONE_REPORTERS_NOTE_ROWS, {"source": source, "reporter": reporter, "annual": annual}
        )

    def remember_note_groups_of_every_reporter(self, source: str, reporters: Sequence[str]) -> None:
        """`_note_groups_by_year(reporter, source, True)` of each of `reporters`, read in one query of the
        source's rows and remembered as each reporter's own question asks it (ranking every reporter before
        serving reads every reporter's note: one query each cost ~4 ms, mostly its own overhead)."""
        frame = self._note_groups(
            _NOTE_ROWS.format(reporters="true"), {"source": source, "annual": True}, each=True
        )
        for code, groups in _each_reporters(frame, reporters).items():
            remember(self, type(self)._note_groups_by_year, groups, code, source, True)

    def _note_groups(self, rows: str, params: Mapping[str, Any], *, each: bool = False) -> pd.DataFrame:
        """The note groups of the rows `rows` (a fixed SQL condition) picks with `params`; `each`: per
        reporter, with a reporter column first, ordered by it."""
        by = "t.reporter, " if each else ""
        return self._frame(
            f"""
            SELECT {by}{_YEAR} AS year, t.flow, t.valuation, t.release,
                coalesce(any_value(r.description), '') AS description,
                bool_or(t.status = '{ESTIMATED}') AS estimated
            FROM trade_flows t LEFT JOIN releases r ON r.source = t.source AND r.release = t.release
            WHERE {rows}
            GROUP BY {by}year, t.flow, t.valuation, t.release
            ORDER BY {by}year
            """,
            params,
        )

    def _note(self, reporter: str, source: str | None, groups: pd.DataFrame) -> SourceNote | None:
        """The SourceNote of the (flow, valuation, release, description, estimated) groups of the rows a
        chart shows (other columns ignored); None for no rows."""
        if groups.empty:
            return None
        valuations: dict[str, set[str]] = {}
        for flow, valuation in zip(groups["flow"], groups["valuation"], strict=True):
            valuations.setdefault(str(flow), set()).add(str(valuation))
        descriptions = dict(
            zip(groups["release"].astype(str), groups["description"].astype(str), strict=True)
        )
        sources = self._source_rows(source)
        reporter_area = self.area(reporter)
        flow_names = {"export": "exports", "import": "imports"}
        return SourceNote(
            attributions=tuple(str(a) for a in sources["attribution"] if isinstance(a, str) and a),
            urls=tuple(str(u) for u in sources["url"] if isinstance(u, str) and u),
            reporter_name=reporter_area.name if reporter_area else reporter,
            valuations=tuple(
                (flow_names.get(flow, flow), "/".join(sorted(valuations[flow])))
                for flow in sorted(valuations)
            ),
            releases=tuple((release, descriptions[release]) for release in sorted(descriptions)),
            has_estimates=bool(groups["estimated"].any()),
            licences=tuple(str(text) for text in sources["licence"] if isinstance(text, str) and text),
            reporter=reporter,
        )

    @remembered
    def _source_rows(self, source: str | None) -> pd.DataFrame:
        return self._frame(
            "SELECT attribution, url, licence FROM sources WHERE source = $source", {"source": source}
        )

    def flow_rows(
        self,
        reporter: str | None = None,
        partner: str | None = None,
        *,
        sources: Sequence[str] | None = None,
        period_start: str | None = None,
        period_end: str | None = None,
    ) -> pd.DataFrame:
        """Stored rows of ANY source (not only this object's source), unaggregated, with where each came from.

        Filters (None = no filter): `reporter`, `partner` (codes), `sources` (source names), and the window
        `period_start`..`period_end` ('YYYY-MM'): a row is kept when it lies wholly inside the window.
        Columns: the trade_flows columns (source, reporter, partner, flow, period_start, period_end,
        value_usd in US dollars, valuation, status, release) plus origin (file!sheet!cell or URL, from
        `provenance`), partner_name, partner_kind (from `areas`; the code and 'unspecified' when unknown) and
        attribution (from `sources`). Ordered by reporter, partner, flow, period_start, period_end, source.
        Derived numbers (gaps, bounds, claim checks) are computed by `dashboard.queries.mirror` and
        `dashboard.claims` from these rows.
        """
        return self._frame(
            """
            SELECT t.source, t.reporter, t.partner, t.flow, t.period_start, t.period_end, t.value_usd,
                t.valuation, t.status, t.release, p.origin,
                coalesce(a.name, t.partner) AS partner_name, coalesce(a.kind, 'unspecified') AS partner_kind,
                coalesce(s.attribution, t.source) AS attribution
            FROM trade_flows t
            LEFT JOIN provenance p
              ON p.source = t.source AND p.reporter = t.reporter AND p.partner = t.partner
             AND p.flow = t.flow AND p.period_start = t.period_start AND p.period_end = t.period_end
            LEFT JOIN areas a ON a.code = t.partner
            LEFT JOIN sources s ON s.source = t.source
            WHERE ($reporter IS NULL OR t.reporter = $reporter)
              AND ($partner IS NULL OR t.partner = $partner)
              AND ($sources IS NULL OR list_contains($sources, t.source))
              AND ($start IS NULL OR t.period_start >= $start)
              AND ($end IS NULL OR t.period_end <= $end)
            ORDER BY t.reporter, t.partner, t.flow, t.period_start, t.period_end, t.source
            """,
            {
                "reporter": reporter,
                "partner": partner,
                "sources": None if sources is None else [s for s in sources if isinstance(s, str)],
                "start": period_start,
                "end": period_end,
            },
        )


def _areas(frame: pd.DataFrame) -> tuple[Area, ...]:
    return tuple(
        Area(code=str(code), name=str(name), kind=str(kind))
        for code, name, kind in zip(frame["code"], frame["name"], frame["kind"], strict=True)
    )
