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
import csv
import functools
import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import Any, Final, TypeVar

import duckdb
import numpy as np
import pandas as pd

from dashboard.settings import DEFAULT_SOURCE_ORDER
from etl import schema
from etl.store import StoreError, current_store_path

MEASURES: Final = ("turnover", "exports", "imports")
RANKED_KINDS: Final = ("country", "historical")
KIND_ORDER: Final = ("country", "historical", "group", "unspecified")
TOTAL_WORLD: Final = "world"
ESTIMATED: Final = "estimated"
_TABLE_CACHE_SIZE: Final = 64
# Answers kept per store version (see `remembered`); a few hundred kB at most each.
_ANSWER_CACHE_SIZE: Final = 512
PARTNER_GROUPS_CSV: Final = Path(__file__).resolve().parents[1] / "data" / "reference" / "partner_groups.csv"

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
    period_label: str | None = None  # `Jan–Jul 2020`; None: the calendar year `year`
    previous_label: str | None = None
    derived: bool = False  # a figure computed from other periods or from a group's members
    source: str | None = None

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
    period: str | None = None
    label: str | None = None
    frequency: str = "annual"
    source: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Standing:
    """A partner's place for one measure in one period: value (US dollars), rank, share of the World total."""

    value: float
    rank: int | None
    share: float | None
    partners_ranked: int


@dataclass(frozen=True)
class PeriodTable:
    """A `period_table` answer: the frame, the frequency and source it is in, warnings met while deriving
    periods, and the group codes that were summed from members (the source has no row for them)."""

    frame: pd.DataFrame
    frequency: str
    source: str | None
    warnings: tuple[str, ...]
    summed_groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartnerGroup:
    """A country group offered as a partner: code, name, members with the years they count, reference."""

    code: str
    name: str
    members: tuple[tuple[str, int | None, int | None], ...]  # (code, from_year, to_year), None: open
    reference: str

    def all_members(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(code for code, _, _ in self.members))

    def members_in(self, year: int) -> tuple[str, ...]:
        """The members that count in `year`."""
        return tuple(
            code
            for code, start, end in self.members
            if (start is None or start <= year) and (end is None or year <= end)
        )

    def summed(self, values: pd.DataFrame) -> pd.DataFrame:
        """The group's values: per (flow, year, month), the sum of the members valid in that year.

        `values`: a `period_values` frame holding the members' rows. Returns rows in the same columns with
        partner = the group code, derived True and origin `sum of N members: A, B, …`; a period where no
        member has a figure is absent (not zero).
        """
        valid = pd.Series(
            [
                str(p) in self.members_in(int(y))
                for p, y in zip(values["partner"], values["year"], strict=True)
            ],
            index=values.index,
            dtype="bool",
        )
        members = values[valid]
        if members.empty:
            return pd.DataFrame(columns=list(PERIOD_COLUMNS))
        grouped = members.groupby(["flow", "year", "month"], as_index=False).agg(
            value_usd=("value_usd", "sum"),
            estimated=("estimated", "any"),
            partners=("partner", lambda p: sorted(set(map(str, p)))),
        )
        grouped["origin"] = [
            f"sum of {len(codes)} member{'s' if len(codes) != 1 else ''}: {', '.join(codes)}"
            for codes in grouped["partners"]
        ]
        grouped["partner"] = self.code
        grouped["derived"] = True
        return grouped[list(PERIOD_COLUMNS)]


def load_partner_groups(path: Path) -> dict[str, PartnerGroup]:
    """Country groups from a CSV (group, group_name, member, from_year, to_year, reference; `#` comments).

    A malformed row raises ValueError naming the file and line: the reference data ship with the code.
    """
    if not path.is_file():
        return {}
    members: dict[str, list[tuple[str, int | None, int | None]]] = {}
    names: dict[str, str] = {}
    references: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    for number, row in enumerate(csv.DictReader(lines), start=2):
        try:
            code, member = row["group"].strip(), row["member"].strip()
            start = int(row["from_year"]) if row["from_year"].strip() else None
            end = int(row["to_year"]) if row["to_year"].strip() else None
        except (KeyError, ValueError, AttributeError) as exc:
            raise ValueError(f"{path}: data row {number}: {exc}") from exc
        if not code or len(member) != 3:
            raise ValueError(f"{path}: data row {number}: group and a three-letter member code are required")
        members.setdefault(code, []).append((member, start, end))
        names[code] = row["group_name"].strip()
        references[code] = row["reference"].strip()
    return {
        code: PartnerGroup(code=code, name=names[code], members=tuple(found), reference=references[code])
        for code, found in members.items()
    }


def top_of(frame: pd.DataFrame, top: int, *, include: str | None = None) -> pd.DataFrame:
    """The ranked rows of a ranking frame with rank <= `top`, plus `include`'s row when it ranks lower."""
    ranked = frame[frame["rank"].notna()]
    return ranked[(ranked["rank"] <= max(int(top), 0)) | (ranked["partner"] == include)].reset_index(
        drop=True
    )


def _empty_period_frame() -> pd.DataFrame:
    return pd.DataFrame(
        columns=[
            "partner",
            "name",
            "kind",
            "period",
            "label",
            "year",
            "month",
            "exports",
            "imports",
            "turnover",
            "balance",
            "partial",
            "estimated",
            "derived",
            "exports_origin",
            "imports_origin",
            "value",
            "rank",
            "share",
        ]
    )


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


_Method = TypeVar("_Method", bound=Callable[..., Any])
_MISSING: Final = object()


def _hashable(value: object) -> object:
    """`value` as a cache key part: lists and tuples as tuples, dicts as sorted item tuples.

    Raises TypeError for values that cannot be a key (the call is then simply not remembered)."""
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _hashable(v)) for k, v in value.items()))
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    raise TypeError(f"not a cache key: {type(value).__name__}")


def _private_copy(value: Any) -> Any:
    """A copy of a remembered answer that the caller may change without changing the remembered one.

    Frames (and frames inside an answer dataclass) and dicts are copied; tuples, strings, numbers and
    frozen dataclasses without a frame are immutable and returned as they are."""
    if isinstance(value, pd.DataFrame):
        return value.copy()
    if isinstance(value, dict):
        return dict(value)
    if is_dataclass(value) and not isinstance(value, type):
        frames = {f.name: getattr(value, f.name).copy() for f in fields(value)
                  if isinstance(getattr(value, f.name), pd.DataFrame)}  # fmt: skip
        return replace(value, **frames) if frames else value
    return value


def remembered(method: _Method) -> _Method:
    """Remember a query's answer for the store version it was read from.

    A published version never changes (a refresh publishes a new file and moves the pointer), so an answer
    keyed by (version path, question) stays true for as long as that version is served; the next version
    has another path and is asked afresh. The page asks the same questions over and over (every control
    change re-runs several callbacks, and many users look at the same pairs), so this turns most
    callbacks into dictionary lookups (bench P1, P2 and the load test). Bounded (least recently used out).
    """
    name = method.__name__

    @functools.wraps(method)
    def answer(self: TradeQueries, *args: Any, **kwargs: Any) -> Any:
        try:
            key = (name, self.version_path(), _hashable(args), _hashable(kwargs))
        except (TypeError, StoreError):
            return method(self, *args, **kwargs)
        with self._lock:
            found = self._answers.get(key, _MISSING)
            if found is not _MISSING:
                self._answers.move_to_end(key)
        if found is _MISSING:
            found = method(self, *args, **kwargs)
            with self._lock:
                self._answers[key] = found
                while len(self._answers) > _ANSWER_CACHE_SIZE:
                    self._answers.popitem(last=False)
        return _private_copy(found)

    return answer  # type: ignore[return-value]


class TradeQueries:
    """Read-only questions to the published store; safe to share between threads."""

    def __init__(
        self,
        store_dir: Path,
        *,
        source: str | None = None,
        preference: Sequence[str] = DEFAULT_SOURCE_ORDER,
        groups: Mapping[str, PartnerGroup] | None = None,
    ) -> None:
        """`preference`: sources in the order they are offered (sources not named come after, by name);
        `source` limits this object to that one source. `groups`: country groups offered as partners
        (default: data/reference/partner_groups.csv)."""
        self._store_dir = Path(store_dir)
        self._only = source
        self._preference = (source,) if source else tuple(preference)
        self._groups = dict(groups) if groups is not None else load_partner_groups(PARTNER_GROUPS_CSV)
        self._lock = threading.Lock()
        self._current: _Version | None = None
        # Derived period tables of the version being served, newest last; bounded, keyed by the version's
        # path so a new version never answers from an old table.
        self._tables: OrderedDict[tuple[object, ...], PeriodTable] = OrderedDict()
        self._answers: OrderedDict[tuple[object, ...], Any] = OrderedDict()

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

    @remembered
    def area(self, code: str) -> Area | None:
        """The display name and kind of one code, or None when the store does not know it."""
        frame = self._frame("SELECT code, name, kind FROM areas WHERE code = $code", {"code": code})
        areas = _areas(frame)
        return areas[0] if areas else None

    @remembered
    def names(self, codes: Sequence[str]) -> dict[str, str]:
        """Display names of the known `codes` (unknown codes are left out)."""
        frame = self._frame(
            "SELECT code, name FROM areas WHERE list_contains($codes, code)",
            {"codes": [c for c in codes if isinstance(c, str)]},
        )
        return {str(code): str(name) for code, name in zip(frame["code"], frame["name"], strict=True)}

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

    # --- series ---------------------------------------------------------------------------------------

    @remembered
    def bilateral_series(self, reporter: str, partner: str, *, source: str | None = None) -> pd.DataFrame:
        """The reporter's annual trade with one partner, one row per year with any flow reported.

        Columns: year (int), exports, imports, turnover, balance (US dollars, NaN where not reported),
        partial (one flow missing), exports_status, imports_status ('reported'|'estimated'|'provisional',
        missing where the flow is), exports_origin, imports_origin (file!sheet!cell of each figure).
        """
        source = source or self.source_for(reporter)
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
                -- Both tables are filtered to the pair before the join (reporter-sorted, so the scans skip
                -- whole row groups); joining first made the query grow with the store (P5 in bench/).
                FROM (
                    SELECT flow, period_start, period_end, value_usd, status FROM trade_flows t
                    WHERE t.source = $source AND t.reporter = $reporter AND t.partner = $partner AND {_ANNUAL}
                ) t
                LEFT JOIN (
                    SELECT flow, period_start, period_end, origin FROM provenance
                    WHERE source = $source AND reporter = $reporter AND partner = $partner
                ) p
                  ON p.flow = t.flow AND p.period_start = t.period_start AND p.period_end = t.period_end
                GROUP BY year
            )
            SELECT year, exports, imports, {_TURNOVER} AS turnover, {_BALANCE} AS balance, {_PARTIAL} AS partial,
                exports_status, imports_status, exports_origin, imports_origin
            FROM pair ORDER BY year
            """,
            {"source": source, "reporter": reporter, "partner": partner},
        ).astype({"year": "int64", "partial": "bool"})

    @remembered
    def partners_turnover(
        self, reporter: str, partners: Sequence[str], *, source: str | None = None
    ) -> pd.DataFrame:
        """Annual turnover of the reporter with each of `partners`, long format.

        Columns: year (int), partner (categorical, in the order asked), name, turnover (US dollars),
        partial, estimated. Partners or years without rows are absent (never zero).
        """
        wanted = [p for p in dict.fromkeys(partners) if isinstance(p, str)]
        source = source or self.source_for(reporter)
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
            {"source": source, "reporter": reporter, "partners": wanted},
        )
        frame = frame.astype({"year": "int64", "partial": "bool", "estimated": "bool"})
        frame["partner"] = pd.Categorical(frame["partner"], categories=wanted, ordered=True)
        return frame

    # --- rankings and headline numbers ----------------------------------------------------------------

    def _partner_table(
        self, reporter: str, year: int | None, measure: str, *, source: str | None = None
    ) -> pd.DataFrame:
        source = source or self.source_for(reporter)
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
                "source": source,
                "reporter": reporter,
                "start": start,
                "end": end,
                "measure": measure,
                "ranked": list(RANKED_KINDS),
            },
        )
        return frame.astype({"rank": "Int64", "partial": "bool", "estimated": "bool"})

    @remembered
    def partner_ranking(
        self,
        reporter: str,
        year: int | str | None,
        measure: str = "turnover",
        *,
        top: int = 15,
        include: str | None = None,
        source: str | None = None,
    ) -> PartnerRanking:
        """The reporter's top `top` partners (countries and historical entities) by `measure` in `year`.

        `include` adds that partner's row after the top ones when it ranks lower, so a selected partner is
        always visible. An unknown measure, year or reporter gives an empty ranking.
        """
        valid_year = _year(year)
        known_measure = measure if measure in MEASURES else None
        table = self._partner_table(reporter, valid_year, known_measure or "", source=source)
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

    @remembered
    def kpis(
        self, reporter: str, partner: str, year: int | str | None, *, source: str | None = None
    ) -> Kpis | None:
        """Headline numbers for the pair in `year`, with the year before; None for unknown codes or year."""
        valid_year = _year(year)
        reporter_area = self.area(reporter)
        partner_area = self.area(partner)
        if valid_year is None or reporter_area is None or partner_area is None:
            return None
        source = source or self.source_for(reporter)
        series = self.bilateral_series(reporter, partner, source=source)
        now = series[series["year"] == valid_year]
        before = series[series["year"] == valid_year - 1]
        table = self._partner_table(reporter, valid_year, "turnover", source=source)
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

    # --- sources: never mixed; the preferred one with data, or the user's pick ------------------------

    @remembered
    def available_sources(self, reporter: str, frequency: str = "annual") -> tuple[str, ...]:
        """Sources with rows of `reporter` usable for `frequency`, in preference order (others by name).

        Annual: a stored year, or a sub-annual row ending in December (a cumulative to December is the
        year). Monthly and cumulative: any row shorter than a year.
        """
        if frequency not in FREQUENCIES:
            return ()
        frame = self._frame(
            f"""
            SELECT DISTINCT t.source FROM trade_flows t
            WHERE t.reporter = $reporter AND ($only IS NULL OR t.source = $only)
              AND CASE WHEN $frequency = 'annual'
                       THEN ({_ANNUAL}) OR substr(t.period_end, 6, 2) = '12'
                       ELSE NOT ({_ANNUAL}) END
            """,
            {"reporter": reporter, "only": self._only, "frequency": frequency},
        )
        found = [str(s) for s in frame["source"]]
        order = {name: i for i, name in enumerate(self._preference)}
        return tuple(sorted(found, key=lambda s: (order.get(s, len(order)), s)))

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
        """How each source reads in a list: `imf_dots · Direction of Trade Statistics (DOTS)` (the code first:
        it is what the page's subtitle and the link name)."""
        frame = self._frame("SELECT source, title FROM sources", {})
        return {
            str(source): f"{source} · {title}" if isinstance(title, str) and title else str(source)
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

    # --- country groups ---------------------------------------------------------------------------------

    @property
    def groups(self) -> Mapping[str, PartnerGroup]:
        """The country groups offered as partners, by code."""
        return self._groups

    def _with_group_members(self, partners: Sequence[object]) -> list[str]:
        codes = [p for p in partners if isinstance(p, str)]
        extra = [m for p in codes if p in self._groups for m in self._groups[p].all_members()]
        return list(dict.fromkeys([*codes, *extra]))

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

    # --- periods ------------------------------------------------------------------------------------------

    def _stored_rows(
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
        estimated, derived, exports_origin, imports_origin and m_previous / m_change / m_change_pct for each
        measure m (see `with_same_period_a_year_earlier`). Rows ordered by partner as asked, then period.
        """
        source = source if source is not None else self.source_for(reporter, frequency)
        if source is None or frequency not in FREQUENCIES:
            return PeriodTable(_empty_period_frame(), frequency, source, ())
        wanted = None if partners is None else [p for p in dict.fromkeys(partners) if isinstance(p, str)]
        key = (
            self.version_path(),
            reporter,
            frequency,
            source,
            None if wanted is None else tuple(wanted),
            None if years is None else tuple(sorted({int(y) for y in years})),
        )
        with self._lock:
            cached = self._tables.get(key)
            if cached is not None:
                self._tables.move_to_end(key)
            whole = self._tables.get((*key[:-1], None)) if years is not None else None
        if cached is not None:
            # A copy: callers may add columns to the frame they get.
            return replace(cached, frame=cached.frame.copy())
        if whole is not None and not whole.warnings:
            # The same partners' table for every year is kept (the page reads it for its period list as soon as
            # a reporter is chosen): these years are a filter of it, not a query (bench P2: a new period in
            # the KPIs and sentences). Its rows of a year are those computed for that year alone (the year
            # before is in it too); only its warnings could belong to other years, hence none allowed.
            frame = whole.frame[whole.frame["year"].isin(list(years or ()))].reset_index(drop=True)
            return replace(whole, frame=frame)
        table = self._period_table(reporter, frequency=frequency, source=source, wanted=wanted, years=years)
        with self._lock:
            self._tables[key] = table
            while len(self._tables) > _TABLE_CACHE_SIZE:
                self._tables.popitem(last=False)
        return replace(table, frame=table.frame.copy())

    def _period_table(
        self,
        reporter: str,
        *,
        frequency: str,
        source: str,
        wanted: list[str] | None,
        years: Sequence[int] | None,
    ) -> PeriodTable:
        read_years = None if years is None else sorted({y for year in years for y in (year - 1, year)})
        summed: list[str] = []
        warnings: tuple[str, ...] = ()
        if (
            frequency == "annual"
            and not (wanted and any(code in self._groups for code in wanted))
            and not self._years_need_months(reporter, source)
        ):
            table = self._stored_years(reporter, source, partners=wanted, years=read_years)
        else:
            rows = self._stored_rows(
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
        codes = list(dict.fromkeys(str(p) for p in table["partner"]))
        areas = {a.code: a for a in self._areas_of(codes)}
        table = table.assign(
            name=[areas[p].name if p in areas else self._group_name(p) for p in table["partner"]],
            kind=[
                areas[p].kind if p in areas else ("group" if p in self._groups else "unspecified")
                for p in table["partner"]
            ],
            period=[
                period_key(frequency, int(y), int(m))
                for y, m in zip(table["year"], table["month"], strict=True)
            ],
            label=[
                period_label(frequency, int(y), int(m))
                for y, m in zip(table["year"], table["month"], strict=True)
            ],
        )
        if wanted is not None:
            order = {p: i for i, p in enumerate(wanted)}
            table = table.sort_values(
                ["partner", "year", "month"], key=lambda c: c.map(order) if c.name == "partner" else c
            )
        table = table.reset_index(drop=True)
        for column in ("partial", "estimated", "derived"):
            table[column] = table[column].astype("bool")
        return PeriodTable(table, frequency, source, warnings, tuple(summed))

    @remembered
    def _years_need_months(self, reporter: str, source: str) -> bool:
        """Whether some year of the reporter in `source` must be chained from shorter periods: a partner and
        flow with rows inside a calendar year but no stored row for the whole year."""
        frame = self._frame(
            f"""
            SELECT count(*) AS n FROM (
                SELECT t.partner, t.flow, substr(t.period_start, 1, 4) AS year, bool_or({_ANNUAL}) AS whole
                FROM trade_flows t
                WHERE t.source = $source AND t.reporter = $reporter AND t.partner <> $reporter
                  AND substr(t.period_start, 1, 4) = substr(t.period_end, 1, 4)
                GROUP BY ALL
            ) WHERE NOT whole
            """,
            {"source": source, "reporter": reporter},
        )
        return bool(frame["n"].iloc[0])

    def _stored_years(
        self, reporter: str, source: str, *, partners: Sequence[str] | None, years: Sequence[int] | None
    ) -> pd.DataFrame:
        """`with_same_period_a_year_earlier(paired_periods(period_values(rows, "annual")))` in one query, for a
        reporter whose years are all stored (`_years_need_months` is False): nothing to chain, so DuckDB pairs
        the flows and finds the year before directly (about 5x faster than the pandas path on small tables:
        bench P1, P2). The same definitions (_TURNOVER, _BALANCE, _PARTIAL); tests/dashboard/test_periods.py
        checks both paths give the same frame."""
        changes = ", ".join(
            f"m.{m} - b.{m} AS {m}_change, "
            f"(m.{m} - b.{m}) / CASE WHEN b.{m} <> 0 THEN abs(b.{m}) END AS {m}_change_pct, b.{m} AS {m}_previous"
            for m in MEASURE_COLUMNS
        )
        frame = self._frame(
            f"""
            WITH stored AS (
                SELECT t.partner, t.flow, t.period_start, t.period_end, t.value_usd, t.status FROM trade_flows t
                WHERE t.source = $source AND t.reporter = $reporter AND t.partner <> $reporter AND {_ANNUAL}
                  AND ($partners IS NULL OR list_contains($partners, t.partner))
                  AND ($starts IS NULL OR list_contains($starts, t.period_start))
            ), origins AS (
                SELECT partner, flow, period_start, period_end, origin FROM provenance
                WHERE source = $source AND reporter = $reporter
                  AND ($partners IS NULL OR list_contains($partners, partner))
                  AND ($starts IS NULL OR list_contains($starts, period_start))
            ), pair AS (
                SELECT s.partner, CAST(substr(s.period_start, 1, 4) AS BIGINT) AS year, 12::BIGINT AS month,
                    max(s.value_usd) FILTER (WHERE s.flow = 'export') AS exports,
                    max(s.value_usd) FILTER (WHERE s.flow = 'import') AS imports,
                    coalesce(bool_or(s.status = '{ESTIMATED}') FILTER (WHERE s.flow = 'export'), false)
                        AS exports_estimated,
                    coalesce(bool_or(s.status = '{ESTIMATED}') FILTER (WHERE s.flow = 'import'), false)
                        AS imports_estimated,
                    max(o.origin) FILTER (WHERE s.flow = 'export') AS exports_origin,
                    max(o.origin) FILTER (WHERE s.flow = 'import') AS imports_origin
                FROM stored s LEFT JOIN origins o
                  ON o.partner = s.partner AND o.flow = s.flow AND o.period_start = s.period_start
                 AND o.period_end = s.period_end
                GROUP BY s.partner, year
            ), measures AS (
                SELECT *, {_TURNOVER} AS turnover, {_BALANCE} AS balance, {_PARTIAL} AS partial,
                    exports_estimated OR imports_estimated AS estimated, false AS derived
                FROM pair
            )
            SELECT m.partner, m.year, m.month, m.exports, m.imports, m.turnover, m.balance, m.partial,
                m.estimated, m.derived, m.exports_estimated, m.imports_estimated, m.exports_origin,
                m.imports_origin, {changes}
            FROM measures m LEFT JOIN measures b ON b.partner = m.partner AND b.year = m.year - 1
            ORDER BY m.partner, m.year
            """,
            {
                "source": source,
                "reporter": reporter,
                "partners": None if partners is None else list(partners),
                # Annual rows start in January: the years as period starts let DuckDB skip row groups.
                "starts": None if years is None else [f"{int(y):04d}-01" for y in years],
            },
        )
        columns = [*frame.columns[:14], *(f"{m}_previous" for m in MEASURE_COLUMNS)]
        columns += [f"{m}{suffix}" for m in MEASURE_COLUMNS for suffix in ("_change", "_change_pct")]
        frame = frame[columns].astype({f"{m}{suffix}": "float64" for m in MEASURE_COLUMNS
                                       for suffix in ("", "_previous", "_change", "_change_pct")})  # fmt: skip
        for column in ("exports_origin", "imports_origin"):  # as the general path: object, NaN when missing
            frame[column] = frame[column].astype("object").where(frame[column].notna(), float("nan"))
        return frame

    def _areas_of(self, codes: Sequence[str]) -> tuple[Area, ...]:
        """The known areas among `codes`, in the order given (unknown codes left out)."""
        known = self._area_table()
        return tuple(known[code] for code in dict.fromkeys(codes) if code in known)

    @remembered
    def _area_table(self) -> dict[str, Area]:
        """Every area of the store by code: a few hundred rows, read once per version instead of a query for
        the partners of each table (bench P1: about 7 ms a ranking)."""
        return {a.code: a for a in _areas(self._frame("SELECT code, name, kind FROM areas", {}))}

    def _group_name(self, code: str) -> str:
        group = self._groups.get(code)
        return group.name if group else code

    @remembered
    def periods(self, reporter: str, *, frequency: str, source: str | None = None) -> tuple[str, ...]:
        """Period keys (`2019`, or `2020-07`) with any figure for the reporter in `frequency`, ascending."""
        table = self.period_table(reporter, frequency=frequency, source=source)
        frame = table.frame
        if frame.empty:
            return ()
        ordered = frame.sort_values(["year", "month"])
        return tuple(dict.fromkeys(str(p) for p in ordered["period"]))

    @remembered
    def period_ranking(
        self,
        reporter: str,
        period: object,
        *,
        frequency: str = "annual",
        measure: str = "turnover",
        source: str | None = None,
    ) -> PartnerRanking:
        """Every partner of the reporter in one period, ranked by `measure` with shares of the World row.

        Frame: period_table columns for that period plus value, rank (Int64), share; ordered by rank, then
        unranked rows (groups, residuals) by value. Ranks need the World row, as in `partner_ranking`.
        An unknown period, measure or frequency gives an empty ranking.
        """
        parsed = parse_period(frequency, period)
        known = measure if measure in MEASURES else None
        source = source if source is not None else self.source_for(reporter, frequency)
        if parsed is None or known is None or source is None:
            return PartnerRanking(
                _empty_period_frame(), reporter, None, measure, None, None, 0, source=source
            )
        year, month = parsed
        table = self.period_table(reporter, frequency=frequency, source=source, years=[year])
        now = table.frame[table.frame["month"] == month]
        kinds = pd.Series(
            {str(p): str(k) for p, k in zip(now["partner"], now["kind"], strict=True)}, dtype="object"
        )
        ranked = ranked_with_shares(now.drop(columns=["kind"]), known, kinds=kinds)
        total = ranked.attrs.get("total_usd")
        ranked = ranked.sort_values(
            ["rank", "value"], ascending=[True, False], na_position="last", kind="stable"
        )
        return PartnerRanking(
            frame=ranked.reset_index(drop=True),
            reporter=reporter,
            year=year,
            measure=known,
            total_usd=total,
            total_basis=TOTAL_WORLD if total is not None else None,
            partners_ranked=int(ranked["rank"].notna().sum()),
            period=period_key(frequency, year, month),
            label=period_label(frequency, year, month),
            frequency=frequency,
            source=source,
            warnings=table.warnings,
        )

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
        table = self.period_table(reporter, frequency=frequency, source=source).frame
        columns = ["partner", "name", "period", "label", "year", "month", "measure", "value", "rank", "share",
                   "partners_ranked"]  # fmt: skip
        if table.empty or not wanted:
            return pd.DataFrame(columns=columns)
        parts = [ranks_over_periods(table, measure) for measure in MEASURES]
        parts = [p[p["partner"].isin(wanted)] for p in parts]
        history = pd.concat(parts, ignore_index=True)[columns]
        order = {p: i for i, p in enumerate(wanted)}
        history = history.sort_values(
            ["partner", "measure", "year", "month"],
            key=lambda c: c.map(order) if c.name == "partner" else c,
        ).reset_index(drop=True)
        history["rank"] = history["rank"].astype("Int64")
        return history

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
        """The partner's value, rank and share for turnover, exports and imports in one period (one read).

        Missing measures are absent from the answer; rank and share are None without a World row or for
        groups.
        """
        parsed = parse_period(frequency, period)
        source = source if source is not None else self.source_for(reporter, frequency)
        if parsed is None or source is None:
            return {}
        found: dict[str, Standing] = {}
        for measure in MEASURES:
            # The rankings the page draws (remembered), not a second ranking of the same table.
            ranking = self.period_ranking(
                reporter, period, frequency=frequency, measure=measure, source=source
            )
            ranked = ranking.frame
            row = ranked[ranked["partner"] == partner]
            if row.empty or pd.isna(row["value"].iloc[0]):
                continue
            rank = row["rank"].iloc[0]
            found[measure] = Standing(
                value=float(row["value"].iloc[0]),
                rank=None if pd.isna(rank) else int(rank),
                share=_number(row["share"].iloc[0]),
                partners_ranked=ranking.partners_ranked,
            )
        return found

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
        partner_area = self.area(partner) or (
            Area(partner, self._groups[partner].name, "group") if partner in self._groups else None
        )
        if parsed is None or reporter_area is None or partner_area is None:
            return None
        year, month = parsed
        ranking = self.period_ranking(
            reporter, period, frequency=frequency, measure="turnover", source=source
        )
        frame = ranking.frame
        row = frame[frame["partner"] == partner]
        if row.empty and partner in self._groups:
            # A group summed from its members is not in the partner table of the source.
            row = self.period_table(reporter, frequency=frequency, source=ranking.source, partners=[partner],
                                    years=[year]).frame  # fmt: skip
            row = row[row["month"] == month].assign(share=float("nan"))
            row["rank"] = pd.Series(pd.NA, index=row.index, dtype="Int64")
            if ranking.total_usd and len(row):
                row = row.assign(share=row["turnover"] / ranking.total_usd)

        def measure(name: str, *, origin: bool = False) -> YearOnYear:
            if row.empty:
                return _year_on_year(None, None, False)
            first = row.iloc[0]
            value, previous = _number(first[name]), _number(first[f"{name}_previous"])
            stored_origin = first.get(f"{name}_origin") if origin else None
            return _year_on_year(
                value,
                previous,
                bool(first[f"{name}_estimated"])
                if name in ("exports", "imports")
                else bool(first["estimated"]),
                stored_origin if isinstance(stored_origin, str) else None,
            )

        return Kpis(
            reporter=reporter_area,
            partner=partner_area,
            year=year,
            exports=measure("exports", origin=True),
            imports=measure("imports", origin=True),
            turnover=measure("turnover"),
            balance=measure("balance"),
            partial=bool(len(row)) and bool(row["partial"].iloc[0]),
            rank=None if row.empty or pd.isna(row["rank"].iloc[0]) else int(row["rank"].iloc[0]),
            partners_ranked=ranking.partners_ranked,
            share=None if row.empty else _number(row["share"].iloc[0]),
            total_turnover=ranking.total_usd,
            total_basis=ranking.total_basis,
            period_label=period_label(frequency, year, month),
            previous_label=period_label(frequency, year - 1, month),
            derived=bool(len(row)) and bool(row["derived"].iloc[0]),
            source=ranking.source,
        )

    # --- provenance -----------------------------------------------------------------------------------

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
        valid_year = _year(year)
        if year is not None and valid_year is None:
            return None
        params = {
            "source": source,
            "reporter": reporter,
            "partners": None if partners is None else [p for p in partners if isinstance(p, str)],
            "year": valid_year,
            "annual": annual,
        }
        selection = f"""
            t.source = $source AND t.reporter = $reporter AND ({_ANNUAL} OR NOT $annual)
            AND ($partners IS NULL OR list_contains($partners, t.partner))
            AND ($year IS NULL OR {_YEAR} = $year)
        """
        # One pass over the rows: flow, valuation and release of each group (a handful), summed up below. Two
        # queries (valuations per flow, then releases) read the reporter's rows twice (bench P1: ~8 ms).
        groups = self._frame(
            f"""
            SELECT t.flow, t.valuation, t.release, coalesce(any_value(r.description), '') AS description,
                bool_or(t.status = '{ESTIMATED}') AS estimated
            FROM trade_flows t LEFT JOIN releases r ON r.source = t.source AND r.release = t.release
            WHERE {selection}
            GROUP BY t.flow, t.valuation, t.release
            """,
            params,
        )
        if groups.empty:
            return None
        valuations: dict[str, set[str]] = {}
        for flow, valuation in zip(groups["flow"], groups["valuation"], strict=True):
            valuations.setdefault(str(flow), set()).add(str(valuation))
        descriptions = dict(
            zip(groups["release"].astype(str), groups["description"].astype(str), strict=True)
        )
        sources = self._frame(
            "SELECT attribution, url, licence FROM sources WHERE source = $source", {"source": source}
        )
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
        )

    # --- raw rows for the mirror view and the claim checker --------------------------------------------

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
        Derived numbers (gaps, bounds, claim checks) are computed by `dashboard.mirror` and
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


# --- periods: annual, monthly and January–month cumulative ----------------------------------------------
#
# One derivation serves every frequency. For each (partner, flow, year) the stored rows of ONE source are
# pieces of the calendar year: a piece starting in January is a January–month cumulative (a year is the
# cumulative to December, Q1 the cumulative to March); a single month is a month; any other piece (Q2, Q3,
# Q4) only helps to chain a cumulative. From the pieces:
# - cumulative to month m: the stored one when there is one, else the cumulative before the piece ending in
#   m plus that piece (so complete months 1..m, or Jan–Jun plus July, sum up), flagged `derived`;
# - month m: the stored month, else cumulative(m) − cumulative(m−1), flagged `derived`. When a later
#   cumulative is smaller than an earlier one the month is left missing and a warning says so: a negative
#   month would be a hidden revision, not trade;
# - a year: the cumulative to December.

FREQUENCIES: Final = ("annual", "monthly", "cumulative")
MONTH_ABBR: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PERIOD_COLUMNS: Final = ("partner", "flow", "year", "month", "value_usd", "estimated", "derived", "origin")


def period_key(frequency: str, year: int, month: int) -> str:
    """How a period is named in controls and links: `2019` for a year, `2020-07` for a month or Jan–Jul."""
    return str(year) if frequency == "annual" else f"{year:04d}-{month:02d}"


def parse_period(frequency: str, key: object) -> tuple[int, int] | None:
    """(year, last month) of a period key for `frequency`; None when the key does not fit it."""
    if not isinstance(key, (str, int)) or isinstance(key, bool):
        return None
    text = str(key).strip()
    if frequency == "annual":
        year = _year(text)
        return None if year is None else (year, 12)
    if frequency in ("monthly", "cumulative") and len(text) == 7 and text[4] == "-":
        year, month = _year(text[:4]), whole_number(text[5:])
        if year is not None and month is not None and 1 <= month <= 12:
            return year, month
    return None


def period_label(frequency: str, year: int, month: int) -> str:
    """`2019`, `Jul 2020` (a month) or `Jan–Jul 2020` (a cumulative; `Jan 2020` for January alone)."""
    if frequency == "annual":
        return str(year)
    if frequency == "monthly" or month == 1:
        return f"{MONTH_ABBR[month - 1]} {year}"
    return f"Jan\u2013{MONTH_ABBR[month - 1]} {year}"


def _pieces(rows: pd.DataFrame) -> pd.DataFrame:
    """Stored rows with year, first and last month as ints; rows spanning two calendar years are dropped."""
    start_year = rows["period_start"].str.slice(0, 4).astype(int)
    end_year = rows["period_end"].str.slice(0, 4).astype(int)
    pieces = rows.assign(
        year=start_year,
        first=rows["period_start"].str.slice(5, 7).astype(int),
        last=rows["period_end"].str.slice(5, 7).astype(int),
    )
    return pieces[(start_year == end_year) & (pieces["first"] <= pieces["last"])]


def period_values(rows: pd.DataFrame, frequency: str) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Values for `frequency` derived from one source's stored rows, and the warnings met on the way.

    `rows`: partner, flow, period_start, period_end ('YYYY-MM'), value_usd, status, origin (file!sheet!cell
    or None) — rows of a single source (sources are never mixed). Returns (frame, warnings); frame columns
    PERIOD_COLUMNS: partner, flow, year, month (the period's last month; 12 for a year), value_usd (US
    dollars), estimated (any part estimated), derived (computed here, not stored), origin (the stored cell, or
    how the value was derived, e.g. `Jan–Jul 2020 − Jan–Jun 2020`). Periods that cannot be derived are
    absent (never zero). Empty rows give an empty frame.
    """
    if frequency not in FREQUENCIES:
        raise ValueError(f"unknown frequency {frequency!r}; expected one of {', '.join(FREQUENCIES)}")
    out: list[tuple[object, ...]] = []
    warnings: list[str] = []
    if rows.empty:
        return pd.DataFrame(columns=list(PERIOD_COLUMNS)), ()
    pieces = _pieces(rows)
    # The common case (a stored year and nothing else in that year) needs no chaining.
    keys = [pieces["partner"], pieces["flow"], pieces["year"]]
    full_year = (pieces["first"] == 1) & (pieces["last"] == 12)
    if frequency == "annual":
        # A stored year is the year (it wins over any chain of months, as in `_derive_year`): the months
        # and cumulatives stored beside it need no chaining (Python per group; bench P1 on monthly data).
        has_year = full_year.groupby(keys, observed=True).transform("any")
        pieces = pieces[full_year | ~has_year]
        simple = full_year[pieces.index]
    else:
        sizes = pieces.groupby(keys, observed=True)["value_usd"].transform("size")
        simple = (sizes == 1) & full_year
    stored_years = pd.DataFrame(columns=list(PERIOD_COLUMNS))
    if frequency in ("annual", "cumulative"):
        years = pieces[simple]
        stored_years = pd.DataFrame(
            {
                "partner": years["partner"].astype("object"),
                "flow": years["flow"].astype("object"),
                "year": years["year"],
                "month": 12,
                "value_usd": years["value_usd"],
                "estimated": years["status"] == ESTIMATED,
                "derived": False,
                "origin": years["origin"].astype("object"),
            }
        )
    for key, group in pieces[~simple].groupby(["partner", "flow", "year"], observed=True):
        partner, flow, year = key
        out.extend(_derive_year(group, str(partner), str(flow), int(str(year)), frequency, warnings))
    derived = pd.DataFrame(out, columns=list(PERIOD_COLUMNS))
    parts = [p for p in (stored_years, derived) if len(p)]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(PERIOD_COLUMNS))
    frame = frame.astype(
        {"year": "int64", "month": "int64", "value_usd": "float64", "estimated": "bool", "derived": "bool"}
    )
    return frame.sort_values(["partner", "flow", "year", "month"], ignore_index=True), tuple(warnings)


def _span_label(year: int, first: int, last: int) -> str:
    if first == last:
        return f"{MONTH_ABBR[first - 1]} {year}"
    return f"{MONTH_ABBR[first - 1]}\u2013{MONTH_ABBR[last - 1]} {year}"


_Value = tuple[float, bool, bool, "str | None"]  # value, estimated, derived, origin


def _derive_year(
    group: pd.DataFrame, partner: str, flow: str, year: int, frequency: str, warnings: list[str]
) -> list[tuple[object, ...]]:
    pieces: list[tuple[int, int, float, bool, str | None]] = sorted(
        (
            (
                int(first),
                int(last),
                float(value),
                bool(status == ESTIMATED),
                origin if isinstance(origin, str) else None,
            )
            for first, last, value, status, origin in zip(
                group["first"],
                group["last"],
                group["value_usd"],
                group["status"],
                group["origin"],
                strict=True,
            )
        ),
        key=lambda p: (p[1], p[0]),
    )
    months: dict[int, _Value] = {
        first: (value, estimated, False, origin)
        for first, last, value, estimated, origin in pieces
        if first == last
    }
    # cumulative[m]: January to month m; cumulative[0] is the empty start of the year.
    cumulative: dict[int, _Value] = {0: (0.0, False, False, None)}
    for m in range(1, 13):
        ending = [p for p in pieces if p[1] == m]
        stored = next((p for p in ending if p[0] == 1), None)
        if stored is not None:
            cumulative[m] = (stored[2], stored[3], False, stored[4])
            continue
        chained = next((p for p in ending if p[0] - 1 in cumulative), None)
        if chained is not None:
            first, _, value, estimated, _ = chained
            before = cumulative[first - 1]
            basis = f"{_span_label(year, 1, first - 1)} + {_span_label(year, first, m)}"
            cumulative[m] = (before[0] + value, before[1] or estimated, True, basis)
    # A later cumulative smaller than an earlier one: say so, and derive no month across the fall.
    known = sorted(m for m in cumulative if m > 0)
    falling: set[int] = set()
    for earlier, later in itertools.pairwise(known):
        if cumulative[later][0] < cumulative[earlier][0]:
            falling.add(later)
            warnings.append(
                f"{partner} {flow}s: {_span_label(year, 1, later)} ({cumulative[later][0]:,.0f} USD) is smaller "
                f"than {_span_label(year, 1, earlier)} ({cumulative[earlier][0]:,.0f} USD); "
                "no month is derived between them"
            )
    for m in range(2, 13):
        if m not in months and m in cumulative and m - 1 in cumulative and m not in falling:
            now, before = cumulative[m], cumulative[m - 1]
            basis = f"{_span_label(year, 1, m)} \u2212 {_span_label(year, 1, m - 1)}"
            months[m] = (now[0] - before[0], now[1] or before[1], True, basis)
    if frequency == "monthly":
        chosen = months
    elif frequency == "annual":
        chosen = {12: cumulative[12]} if 12 in cumulative else {}
    else:
        chosen = {m: v for m, v in cumulative.items() if m > 0}
    return [(partner, flow, year, m, *chosen[m]) for m in sorted(chosen)]


MEASURE_COLUMNS: Final = ("exports", "imports", "turnover", "balance")


def paired_periods(values: pd.DataFrame) -> pd.DataFrame:
    """Exports and imports side by side per (partner, year, month), with turnover and balance derived.

    `values`: a `period_values` frame. Columns: partner, year, month, exports, imports, turnover, balance
    (US dollars; turnover is the one reported flow when the other is missing and `partial` says so; balance
    only when both are reported), partial, estimated, derived (any part derived), exports_origin,
    imports_origin. Empty in, empty out (same columns).
    """
    columns = ["partner", "year", "month", *MEASURE_COLUMNS, "partial", "estimated", "derived",
               "exports_estimated", "imports_estimated", "exports_origin", "imports_origin"]  # fmt: skip
    if values.empty:
        return pd.DataFrame(columns=columns)
    keys = ["partner", "year", "month"]
    halves = []
    for flow, name in (("export", "exports"), ("import", "imports")):
        part = values[values["flow"] == flow].set_index(keys)
        halves.append(
            part[["value_usd", "estimated", "derived", "origin"]].rename(
                columns={
                    "value_usd": name,
                    "estimated": f"{name}_estimated",
                    "derived": f"{name}_derived",
                    "origin": f"{name}_origin",
                }
            )
        )
    wide = halves[0].join(halves[1], how="outer").reset_index()
    exports, imports = wide["exports"], wide["imports"]
    wide["turnover"] = exports.fillna(0) + imports.fillna(0)
    wide.loc[exports.isna() & imports.isna(), "turnover"] = float("nan")
    wide["balance"] = exports - imports
    wide["partial"] = exports.isna() != imports.isna()
    wide["estimated"] = wide["exports_estimated"].eq(True) | wide["imports_estimated"].eq(True)
    wide["derived"] = wide["exports_derived"].eq(True) | wide["imports_derived"].eq(True)
    wide["exports_estimated"] = wide["exports_estimated"].eq(True)
    wide["imports_estimated"] = wide["imports_estimated"].eq(True)
    return wide[columns].sort_values(keys, ignore_index=True)


def with_same_period_a_year_earlier(paired: pd.DataFrame) -> pd.DataFrame:
    """`paired` plus, for each measure m: m_previous (same partner, same month, year − 1), m_change
    (m − m_previous) and m_change_pct (change over |previous|; missing when previous is 0 or missing)."""
    frame = paired.copy()
    previous = paired[["partner", "year", "month", *MEASURE_COLUMNS]].copy()
    previous["year"] = previous["year"] + 1
    previous = previous.rename(columns={m: f"{m}_previous" for m in MEASURE_COLUMNS})
    frame = frame.merge(previous, on=["partner", "year", "month"], how="left")
    for m in MEASURE_COLUMNS:
        frame[f"{m}_previous"] = frame[f"{m}_previous"].astype("float64")
        frame[m] = frame[m].astype("float64")
        frame[f"{m}_change"] = frame[m] - frame[f"{m}_previous"]
        base = frame[f"{m}_previous"].abs().where(frame[f"{m}_previous"] != 0)
        frame[f"{m}_change_pct"] = frame[f"{m}_change"] / base
    return frame


def ranks_over_periods(table: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Rank and share of `measure` for every partner in every period of a period table, at once.

    The same rules as `ranked_with_shares`, per (year, month): countries and historical entities with the
    measure known are ranked when the period has a World total. Returns table columns partner, name,
    period, label, year, month plus measure, value, rank (Int64), share, partners_ranked.
    """
    frame = table[["partner", "name", "kind", "period", "label", "year", "month", measure, "partial"]].rename(
        columns={measure: "value"}
    )
    frame["value"] = frame["value"].astype("float64")
    world = frame[frame["partner"] == schema.WORLD][["year", "month", "value", "partial"]]
    if measure == "turnover":
        world = world[~world["partial"].astype(bool)]
    world = world.rename(columns={"value": "total"}).drop(columns=["partial"])
    frame = frame.merge(world, on=["year", "month"], how="left")
    eligible = frame["kind"].isin(RANKED_KINDS) & frame["value"].notna() & frame["total"].notna()
    ranks = (
        frame["value"]
        .where(eligible)
        .groupby([frame["year"], frame["month"]])
        .rank(method="min", ascending=False)
    )
    frame["rank"] = ranks.astype("Int64")
    frame["share"] = frame["value"] / frame["total"].where(frame["total"] != 0)
    frame["partners_ranked"] = (
        eligible.groupby([frame["year"], frame["month"]]).transform("sum").astype("int64")
    )
    frame["measure"] = measure
    return frame.drop(columns=["kind", "partial", "total"])


def ranked_with_shares(table: pd.DataFrame, measure: str, *, kinds: pd.Series) -> pd.DataFrame:
    """Rank and share of `measure` among the partners of one period.

    `table`: paired rows of ONE period (partner, turnover, exports, imports, partial, ...), `kinds`: the
    area kind per partner code. Adds value (the measure), rank (Int64; countries and historical entities
    with the measure known, highest first, ties share the better rank; all missing without a World row)
    and share (value / the World row's value; for turnover a partial World row is no total).
    """
    # Columns computed on arrays and added in one `assign` (one copy of the wide frame instead of one per
    # step: this runs for every uncached ranking, KPI card and sentence; load test, bench P1).
    value = table[measure].to_numpy(dtype="float64", na_value=np.nan)
    partners = table["partner"].astype("object").to_numpy()
    known = kinds.to_dict()
    kind = pd.Series([known.get(p, "unspecified") for p in partners], index=table.index, dtype="str")
    world = np.flatnonzero(partners == schema.WORLD)
    total = None
    # For turnover a World row with one flow missing is no total.
    complete = len(world) and not (measure == "turnover" and bool(table["partial"].iloc[world[0]]))
    if complete and not np.isnan(value[world[0]]):
        total = float(value[world[0]])
    rank = pd.array([pd.NA] * len(table), dtype="Int64")
    if total is not None:
        eligible = kind.isin(RANKED_KINDS).to_numpy(dtype=bool) & ~np.isnan(value)
        rank[eligible] = (
            pd.Series(value[eligible]).rank(method="min", ascending=False).astype("int64").to_numpy()
        )
    share = value / total if total else np.full(len(table), np.nan)
    frame = table.assign(value=value, kind=kind, rank=rank, share=share)
    frame.attrs["total_usd"] = total
    return frame
