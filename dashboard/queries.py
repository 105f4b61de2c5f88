# ruff: noqa: S608 - SQL text is assembled only from this module's constant fragments; every value from a
# user reaches DuckDB as a bound parameter ($name).
"""The only reader of the published store and the only place derived numbers are computed.

Turnover, balance, share, rank and the change on the year before are computed here, in DuckDB SQL over the
stored rows, and nowhere else (DESIGN.md, habit 6). Every user-supplied value reaches SQL as a bound
parameter; SQL text is never assembled from input.

Definitions (annual rows only: a period `YYYY-01..YYYY-12`):
- exports, imports: the reporter's own figures, US dollars; a flow with no stored row stays missing (NaN),
  never zero.
- turnover: exports + imports. When only one flow is reported, turnover is that flow and the row is marked
  `partial`; when neither is, turnover is missing.
- balance: exports − imports, only when both flows are reported (a difference with one side unknown would
  be invented).
- rank: among the reporter's partners of kind `country` or `historical` (groups and "not specified" rows
  excluded) with the measure known in that year, highest first; ties share the better rank.
- share: the partner's value over the reporter's total, the reporter's own World (`WLD`) row (for turnover:
  both World flows).
- Ranks and shares need that World row: it is what says the reporter's partner table is complete. Without
  it (e.g. a partner whose only row in the shipped snapshot is its trade with Azerbaijan) a rank "#1 of 1"
  or a share of 100 % would be false, so both are missing and `total_basis` is None.
- change on the year before: against exactly the previous calendar year; % relative to |previous|.

Thread safety and new versions: a `TradeQueries` holds one read-only connection per store version and
hands every query its own cursor under a lock. Before each query it reads the `CURRENT` pointer; when the
pointer names a new version it opens that one and retires the old connection, closing it only once the
queries still running on it have finished. No restart, no failed request.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import duckdb
import pandas as pd

from etl import schema
from etl.store import StoreError, current_store_path

MEASURES: Final = ("turnover", "exports", "imports")
RANKED_KINDS: Final = ("country", "historical")
KIND_ORDER: Final = ("country", "historical", "group", "unspecified")
TOTAL_WORLD: Final = "world"
ESTIMATED: Final = "estimated"

# Annual rows: one calendar year, January to December.
_ANNUAL = (
    "substr(t.period_start, 6, 2) = '01' AND substr(t.period_end, 6, 2) = '12' "
    "AND substr(t.period_start, 1, 4) = substr(t.period_end, 1, 4)"
)
_YEAR = "CAST(substr(t.period_start, 1, 4) AS INTEGER)"
_TURNOVER = (
    "CASE WHEN exports IS NULL THEN imports WHEN imports IS NULL THEN exports ELSE exports + imports END"
)
_BALANCE = "exports - imports"
_PARTIAL = "((exports IS NULL) <> (imports IS NULL))"
_EXPORTS = "max(t.value_usd) FILTER (WHERE t.flow = 'export')"
_IMPORTS = "max(t.value_usd) FILTER (WHERE t.flow = 'import')"


class NoStoreError(StoreError):
    """Nothing has been published yet: the message tells the user to run the ETL."""


@dataclass(frozen=True)
class Area:
    """A reporter or partner: code (ISO alpha-3 or group code), display name and kind."""

    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class YearOnYear:
    """One measure in a year beside the year before, in US dollars; None where not reported."""

    value: float | None
    previous: float | None
    change: float | None
    change_pct: float | None
    estimated: bool = False
    origin: str | None = None  # file!sheet!cell of the stored figure (None for derived measures)


@dataclass(frozen=True)
class Kpis:
    """The headline numbers for one reporter, partner and year (US dollars, shares as ratios 0..1)."""

    reporter: Area
    partner: Area
    year: int
    exports: YearOnYear
    imports: YearOnYear
    turnover: YearOnYear
    balance: YearOnYear
    partial: bool
    rank: int | None
    partners_ranked: int
    share: float | None
    total_turnover: float | None
    total_basis: str | None

    @property
    def has_data(self) -> bool:
        return self.turnover.value is not None


@dataclass(frozen=True)
class PartnerRanking:
    """A reporter's partners ranked by one measure in one year.

    `frame` columns: partner (code, categorical), name, kind, exports, imports, turnover, balance, value
    (the ranked measure, US dollars), rank (Int64), share (ratio of `total_usd`), partial, estimated;
    ordered by rank. `total_usd` is the reporter's World total for the measure; `total_basis` is
    TOTAL_WORLD when that is known, else None and nothing is ranked; `partners_ranked` counts ranked partners.
    """

    frame: pd.DataFrame
    reporter: str
    year: int | None
    measure: str
    total_usd: float | None
    total_basis: str | None
    partners_ranked: int


@dataclass(frozen=True)
class SourceNote:
    """Where a chart's numbers come from, read from the `sources` and `releases` tables and the rows."""

    attributions: tuple[str, ...]
    urls: tuple[str, ...]
    reporter_name: str
    valuations: tuple[tuple[str, str], ...]
    releases: tuple[tuple[str, str], ...]
    has_estimates: bool
    licences: tuple[str, ...] = ()  # the `sources` table's licence text (exports cite it)

    @property
    def text(self) -> str:
        """E.g. `Source: IMF, Direction of Trade Statistics (DOTS); reported by Azerbaijan; exports FOB,
        imports CIF.`"""
        parts = [*self.attributions, f"reported by {self.reporter_name}"]
        if self.valuations:
            parts.append(", ".join(f"{flow} {valuation}" for flow, valuation in self.valuations))
        return "; ".join(parts) + "."

    @property
    def release_text(self) -> str:
        """E.g. `Release 2022.`; empty when no rows were selected."""
        if not self.releases:
            return ""
        label = "Release" if len(self.releases) == 1 else "Releases"
        return f"{label} {', '.join(release for release, _ in self.releases)}."

    @property
    def release_descriptions(self) -> str:
        """What each release is, as the `releases` table describes it."""
        return "; ".join(f"{release}: {description}" for release, description in self.releases if description)


class _Version:
    """One open store version and the number of queries running on it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.connection = duckdb.connect(str(path), read_only=True)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open the store {path}: {exc}") from exc
        self.users = 0
        self.retired = False

    def close(self) -> None:
        self.connection.close()


class TradeQueries:
    """Read-only questions to the published store; safe to share between threads."""

    def __init__(self, store_dir: Path, *, source: str = "imf_dots") -> None:
        self._store_dir = Path(store_dir)
        self._source = source
        self._lock = threading.Lock()
        self._current: _Version | None = None

    # --- connection handling -------------------------------------------------------------------------

    @property
    def store_dir(self) -> Path:
        return self._store_dir

    def version_path(self) -> Path | None:
        """The published store file queries now read, or None when nothing is published."""
        return current_store_path(self._store_dir)

    def close(self) -> None:
        """Close the current connection (queries still running keep it until they finish)."""
        with self._lock:
            if self._current is not None:
                self._retire(self._current)
                self._current = None

    def _retire(self, version: _Version) -> None:
        version.retired = True
        if version.users == 0:
            version.close()

    def _acquire(self) -> tuple[_Version, duckdb.DuckDBPyConnection]:
        try:
            path = current_store_path(self._store_dir)
        except StoreError:
            # A pointer that cannot be read right now must not fail a request that the open version answers.
            if self._current is None:
                raise
            path = self._current.path
        with self._lock:
            if path is None:
                if self._current is None:
                    raise NoStoreError(
                        f"no trade store is published in {self._store_dir}; build it with `python -m etl refresh`"
                    )
            elif self._current is None or self._current.path != path:
                try:
                    fresh: _Version | None = _Version(path)
                except StoreError:
                    # The new version cannot be opened (yet): keep answering from the open one.
                    if self._current is None:
                        raise
                    fresh = None
                if fresh is not None:
                    if self._current is not None:
                        self._retire(self._current)
                    self._current = fresh
            version = self._current
            assert version is not None
            version.users += 1
            try:
                cursor = version.connection.cursor()
            except BaseException:
                version.users -= 1
                raise
        return version, cursor

    def _release(self, version: _Version, cursor: duckdb.DuckDBPyConnection) -> None:
        cursor.close()
        with self._lock:
            version.users -= 1
            if version.retired and version.users == 0:
                version.close()

    @contextlib.contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        version, cursor = self._acquire()
        try:
            yield cursor
        finally:
            self._release(version, cursor)

    def _frame(self, sql: str, params: Mapping[str, Any]) -> pd.DataFrame:
        with self._cursor() as cursor:
            return cursor.execute(sql, dict(params)).df()

    # --- areas, reporters, years ---------------------------------------------------------------------

    def reporters(self) -> tuple[Area, ...]:
        """Every reporter with rows of this source, sorted by display name."""
        frame = self._frame(
            """
            SELECT r.reporter AS code, coalesce(a.name, r.reporter) AS name, coalesce(a.kind, 'unspecified') AS kind
            FROM (SELECT DISTINCT reporter FROM trade_flows WHERE source = $source) r
            LEFT JOIN areas a ON a.code = r.reporter
            ORDER BY name, code
            """,
            {"source": self._source},
        )
        return _areas(frame)

    def area(self, code: str) -> Area | None:
        """The display name and kind of one code, or None when the store does not know it."""
        frame = self._frame("SELECT code, name, kind FROM areas WHERE code = $code", {"code": code})
        areas = _areas(frame)
        return areas[0] if areas else None

    def names(self, codes: Sequence[str]) -> dict[str, str]:
        """Display names of the known `codes` (unknown codes are left out)."""
        frame = self._frame(
            "SELECT code, name FROM areas WHERE list_contains($codes, code)",
            {"codes": [c for c in codes if isinstance(c, str)]},
        )
        return {str(code): str(name) for code, name in zip(frame["code"], frame["name"], strict=True)}

    def partner_options(self, reporter: str) -> tuple[Area, ...]:
        """The reporter's partners in any annual row: countries first, then historical entities, groups and
        "not specified" rows, each sorted by name."""
        frame = self._frame(
            f"""
            SELECT p.partner AS code, coalesce(a.name, p.partner) AS name, coalesce(a.kind, 'unspecified') AS kind
            FROM (
                SELECT DISTINCT t.partner FROM trade_flows t
                WHERE t.source = $source AND t.reporter = $reporter AND t.partner <> $reporter AND {_ANNUAL}
            ) p
            LEFT JOIN areas a ON a.code = p.partner
            ORDER BY list_position($kinds, kind), name, code
            """,
            {"source": self._source, "reporter": reporter, "kinds": list(KIND_ORDER)},
        )
        return _areas(frame)

    def years(self, reporter: str) -> tuple[int, ...]:
        """Calendar years with at least one annual row reported by `reporter`, ascending."""
        frame = self._frame(
            f"""
            SELECT DISTINCT {_YEAR} AS year FROM trade_flows t
            WHERE t.source = $source AND t.reporter = $reporter AND {_ANNUAL}
            ORDER BY year
            """,
            {"source": self._source, "reporter": reporter},
        )
        return tuple(int(year) for year in frame["year"])

    def latest_year(self, reporter: str, partner: str | None = None) -> int | None:
        """The latest year with an annual row for the reporter (and partner, when given); None if none."""
        frame = self._frame(
            f"""
            SELECT max({_YEAR}) AS year FROM trade_flows t
            WHERE t.source = $source AND t.reporter = $reporter
              AND ($partner IS NULL OR t.partner = $partner) AND {_ANNUAL}
            """,
            {"source": self._source, "reporter": reporter, "partner": partner},
        )
        year = frame["year"].iloc[0] if len(frame) else None
        return None if year is None or pd.isna(year) else int(year)

    # --- series ---------------------------------------------------------------------------------------

    def bilateral_series(self, reporter: str, partner: str) -> pd.DataFrame:
        """The reporter's annual trade with one partner, one row per year with any flow reported.

        Columns: year (int), exports, imports, turnover, balance (US dollars, NaN where not reported),
        partial (one flow missing), exports_status, imports_status ('reported'|'estimated'|'provisional',
        missing where the flow is), exports_origin, imports_origin (file!sheet!cell of each figure).
        """
        return self._frame(
            f"""
            WITH pair AS (
                SELECT {_YEAR} AS year,
                    {_EXPORTS} AS exports,
                    {_IMPORTS} AS imports,
                    max(t.status) FILTER (WHERE t.flow = 'export') AS exports_status,
                    max(t.status) FILTER (WHERE t.flow = 'import') AS imports_status,
                    max(p.origin) FILTER (WHERE t.flow = 'export') AS exports_origin,
                    max(p.origin) FILTER (WHERE t.flow = 'import') AS imports_origin
                FROM trade_flows t
                LEFT JOIN provenance p
                  ON p.source = t.source AND p.reporter = t.reporter AND p.partner = t.partner
                 AND p.flow = t.flow AND p.period_start = t.period_start AND p.period_end = t.period_end
                WHERE t.source = $source AND t.reporter = $reporter AND t.partner = $partner AND {_ANNUAL}
                GROUP BY year
            )
            SELECT year, exports, imports, {_TURNOVER} AS turnover, {_BALANCE} AS balance, {_PARTIAL} AS partial,
                exports_status, imports_status, exports_origin, imports_origin
            FROM pair ORDER BY year
            """,
            {"source": self._source, "reporter": reporter, "partner": partner},
        ).astype({"year": "int64", "partial": "bool"})

    def partners_turnover(self, reporter: str, partners: Sequence[str]) -> pd.DataFrame:
        """Annual turnover of the reporter with each of `partners`, long format.

        Columns: year (int), partner (categorical, in the order asked), name, turnover (US dollars),
        partial, estimated. Partners or years without rows are absent (never zero).
        """
        wanted = [p for p in dict.fromkeys(partners) if isinstance(p, str)]
        frame = self._frame(
            f"""
            WITH flows AS (
                SELECT t.partner, {_YEAR} AS year, {_EXPORTS} AS exports, {_IMPORTS} AS imports,
                    bool_or(t.status = '{ESTIMATED}') AS estimated
                FROM trade_flows t
                WHERE t.source = $source AND t.reporter = $reporter AND list_contains($partners, t.partner)
                  AND {_ANNUAL}
                GROUP BY t.partner, year
            )
            SELECT f.year, f.partner, coalesce(a.name, f.partner) AS name, {_TURNOVER} AS turnover,
                {_PARTIAL} AS partial, f.estimated
            FROM flows f LEFT JOIN areas a ON a.code = f.partner
            ORDER BY list_position($partners, f.partner), f.year
            """,
            {"source": self._source, "reporter": reporter, "partners": wanted},
        )
        frame = frame.astype({"year": "int64", "partial": "bool", "estimated": "bool"})
        frame["partner"] = pd.Categorical(frame["partner"], categories=wanted, ordered=True)
        return frame

    # --- rankings and headline numbers ----------------------------------------------------------------

    def _partner_table(self, reporter: str, year: int | None, measure: str) -> pd.DataFrame:
        start, end = (f"{year:04d}-01", f"{year:04d}-12") if year is not None else (None, None)
        frame = self._frame(
            f"""
            WITH flows AS (
                SELECT t.partner, {_EXPORTS} AS exports, {_IMPORTS} AS imports,
                    bool_or(t.status = '{ESTIMATED}') AS estimated
                FROM trade_flows t
                WHERE t.source = $source AND t.reporter = $reporter
                  AND t.period_start = $start AND t.period_end = $end
                GROUP BY t.partner
            ),
            measured AS (
                SELECT f.partner, coalesce(a.name, f.partner) AS name, coalesce(a.kind, 'unspecified') AS kind,
                    exports, imports, {_TURNOVER} AS turnover, {_BALANCE} AS balance, {_PARTIAL} AS partial,
                    estimated,
                    CASE $measure WHEN 'exports' THEN exports WHEN 'imports' THEN imports
                        WHEN 'turnover' THEN {_TURNOVER} END AS value
                FROM flows f LEFT JOIN areas a ON a.code = f.partner
            ),
            world AS (
                SELECT CASE WHEN $measure = 'turnover' AND partial THEN NULL ELSE value END AS total
                FROM measured WHERE partner = '{schema.WORLD}'
            ),
            total AS (
                SELECT (SELECT total FROM world) AS total_usd,
                    CASE WHEN (SELECT total FROM world) IS NOT NULL THEN '{TOTAL_WORLD}' END AS total_basis
            ),
            ranked AS (
                SELECT partner, rank() OVER (ORDER BY value DESC) AS rank
                FROM measured
                WHERE list_contains($ranked, kind) AND value IS NOT NULL AND (SELECT total_usd FROM total) IS NOT NULL
            )
            SELECT m.partner, m.name, m.kind, m.exports, m.imports, m.turnover, m.balance, m.value,
                r.rank, m.value / nullif(total.total_usd, 0) AS share, m.partial, m.estimated,
                total.total_usd, total.total_basis
            FROM measured m LEFT JOIN ranked r USING (partner) CROSS JOIN total
            ORDER BY r.rank NULLS LAST, m.value DESC NULLS LAST, m.name
            """,
            {
                "source": self._source,
                "reporter": reporter,
                "start": start,
                "end": end,
                "measure": measure,
                "ranked": list(RANKED_KINDS),
            },
        )
        return frame.astype({"rank": "Int64", "partial": "bool", "estimated": "bool"})

    def partner_ranking(
        self,
        reporter: str,
        year: int | str | None,
        measure: str = "turnover",
        *,
        top: int = 15,
        include: str | None = None,
    ) -> PartnerRanking:
        """The reporter's top `top` partners (countries and historical entities) by `measure` in `year`.

        `include` adds that partner's row after the top ones when it ranks lower, so a selected partner is
        always visible. An unknown measure, year or reporter gives an empty ranking.
        """
        valid_year = _year(year)
        known_measure = measure if measure in MEASURES else None
        table = self._partner_table(reporter, valid_year, known_measure or "")
        ranked = table[table["rank"].notna()]
        shown = ranked[(ranked["rank"] <= max(int(top), 0)) | (ranked["partner"] == include)]
        total = table["total_usd"].iloc[0] if len(table) else None
        basis = table["total_basis"].iloc[0] if len(table) else None
        frame = shown.drop(columns=["total_usd", "total_basis"]).reset_index(drop=True)
        frame["partner"] = frame["partner"].astype("category")
        frame["kind"] = frame["kind"].astype("category")
        return PartnerRanking(
            frame=frame,
            reporter=reporter,
            year=valid_year,
            measure=known_measure or measure,
            total_usd=_number(total),
            total_basis=None if basis is None or pd.isna(basis) else str(basis),
            partners_ranked=len(ranked) if known_measure else 0,
        )

    def kpis(self, reporter: str, partner: str, year: int | str | None) -> Kpis | None:
        """Headline numbers for the pair in `year`, with the year before; None for unknown codes or year."""
        valid_year = _year(year)
        reporter_area = self.area(reporter)
        partner_area = self.area(partner)
        if valid_year is None or reporter_area is None or partner_area is None:
            return None
        series = self.bilateral_series(reporter, partner)
        now = series[series["year"] == valid_year]
        before = series[series["year"] == valid_year - 1]
        table = self._partner_table(reporter, valid_year, "turnover")
        row = table[table["partner"] == partner]

        def pick(frame: pd.DataFrame, column: str) -> float | None:
            return _number(frame[column].iloc[0]) if len(frame) else None

        def estimated(flow: str) -> bool:
            return bool(len(now)) and now[f"{flow}_status"].iloc[0] == ESTIMATED

        def origin(flow: str) -> str | None:
            value = now[f"{flow}_origin"].iloc[0] if len(now) else None
            return value if isinstance(value, str) else None

        return Kpis(
            reporter=reporter_area,
            partner=partner_area,
            year=valid_year,
            exports=_year_on_year(
                pick(now, "exports"), pick(before, "exports"), estimated("exports"), origin("exports")
            ),
            imports=_year_on_year(
                pick(now, "imports"), pick(before, "imports"), estimated("imports"), origin("imports")
            ),
            turnover=_year_on_year(
                pick(now, "turnover"), pick(before, "turnover"), estimated("exports") or estimated("imports")
            ),
            balance=_year_on_year(
                pick(now, "balance"), pick(before, "balance"), estimated("exports") or estimated("imports")
            ),
            partial=bool(len(now)) and bool(now["partial"].iloc[0]),
            rank=None if not len(row) or pd.isna(row["rank"].iloc[0]) else int(row["rank"].iloc[0]),
            partners_ranked=int(table["rank"].notna().sum()),
            share=pick(row, "share"),
            total_turnover=pick(table, "total_usd"),
            total_basis=(
                None
                if not len(table) or pd.isna(table["total_basis"].iloc[0])
                else str(table["total_basis"].iloc[0])
            ),
        )

    # --- provenance -----------------------------------------------------------------------------------

    def source_note(
        self,
        reporter: str,
        *,
        partners: Sequence[str] | None = None,
        year: int | str | None = None,
    ) -> SourceNote | None:
        """Source, reporter, valuation per flow and releases of the annual rows a chart shows.

        `partners` limits the rows to those partners and `year` to that year; None means all. Returns None
        when the selection holds no rows.
        """
        valid_year = _year(year)
        if year is not None and valid_year is None:
            return None
        params = {
            "source": self._source,
            "reporter": reporter,
            "partners": None if partners is None else [p for p in partners if isinstance(p, str)],
            "year": valid_year,
        }
        selection = f"""
            t.source = $source AND t.reporter = $reporter AND {_ANNUAL}
            AND ($partners IS NULL OR list_contains($partners, t.partner))
            AND ($year IS NULL OR {_YEAR} = $year)
        """
        rows = self._frame(
            f"""
            SELECT t.flow, string_agg(DISTINCT t.valuation, '/' ORDER BY t.valuation) AS valuation,
                bool_or(t.status = '{ESTIMATED}') AS estimated
            FROM trade_flows t WHERE {selection}
            GROUP BY t.flow ORDER BY t.flow
            """,
            params,
        )
        if rows.empty:
            return None
        releases = self._frame(
            f"""
            SELECT DISTINCT t.release, coalesce(r.description, '') AS description
            FROM trade_flows t LEFT JOIN releases r ON r.source = t.source AND r.release = t.release
            WHERE {selection}
            ORDER BY t.release
            """,
            params,
        )
        sources = self._frame(
            "SELECT attribution, url, licence FROM sources WHERE source = $source", {"source": self._source}
        )
        reporter_area = self.area(reporter)
        flow_names = {"export": "exports", "import": "imports"}
        return SourceNote(
            attributions=tuple(str(a) for a in sources["attribution"] if isinstance(a, str) and a),
            urls=tuple(str(u) for u in sources["url"] if isinstance(u, str) and u),
            reporter_name=reporter_area.name if reporter_area else reporter,
            valuations=tuple(
                (flow_names.get(str(flow), str(flow)), str(valuation))
                for flow, valuation in zip(rows["flow"], rows["valuation"], strict=True)
            ),
            releases=tuple(
                (str(release), str(description))
                for release, description in zip(releases["release"], releases["description"], strict=True)
            ),
            has_estimates=bool(rows["estimated"].any()),
            licences=tuple(str(text) for text in sources["licence"] if isinstance(text, str) and text),
        )


def _areas(frame: pd.DataFrame) -> tuple[Area, ...]:
    return tuple(
        Area(code=str(code), name=str(name), kind=str(kind))
        for code, name, kind in zip(frame["code"], frame["name"], frame["kind"], strict=True)
    )


def whole_number(value: object) -> int | None:
    """An int from a control's value (an int or a string of digits); anything else, booleans too, is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _year(value: object) -> int | None:
    """A calendar year from a dropdown value; anything else is None."""
    year = whole_number(value)
    return year if year is not None and 1000 <= year <= 9999 else None


def _number(value: Any) -> float | None:
    if value is None or pd.isna(value):
        return None
    return float(value)


def _year_on_year(
    value: float | None, previous: float | None, estimated: bool, origin: str | None = None
) -> YearOnYear:
    change = None if value is None or previous is None else value - previous
    change_pct = None if change is None or not previous else change / abs(previous)
    return YearOnYear(
        value=value,
        previous=previous,
        change=change,
        change_pct=change_pct,
        estimated=estimated,
        origin=origin,
    )
