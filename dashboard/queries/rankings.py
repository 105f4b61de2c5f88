"""Every period's partner ranking of one reporter, frequency and source, computed once per store version.

A ranking, a rank history and the table view all read the same per-reporter rankings: the reporter's whole
period table ranked by each measure in one vectorised pass (`derived.ranked`, so rank and share keep their
one definition), with the rows of each period already in ranking order. A question is then a take of one
period's rows, not a query and a ranking (a new period or measure of a known reporter: ~35 ms, now ~1-2 ms).

Computed by the server, not written by the ETL at publish time: every reporter's default (annual) rankings
before serving (`TradeQueries.rank_every_reporter`, kept for the version's life), any other on its first
question (bounded). Measured on synthetic stores of bench/synthetic.py, on a shared 2-core machine, so ±50 %:
- lazily, the first question (period table, rankings, source notes) took ~140-190 ms on 1.3 M rows and
  ~450-1200 ms on 50 M rows: DuckDB reads only the reporter's row groups (3 of 405), so it follows one
  reporter's rows (21.6 k -> 250 k here), never the store's; every later question is a ~1-2 ms cut.
- at publish, ranking every reporter with the same code took 11 s (1.3 M rows) and 302 s plus 15 s of
  writing and 511 MB more per version (50 M rows), for a first question of ~6 ms / ~30 ms read back; and the
  ETL would have to compute derived numbers that live here (or copy their definitions into SQL).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd
from cachetools import LRUCache

from dashboard.queries.cache import answer_size
from dashboard.queries.derived import ranked
from dashboard.queries.model import MEASURES, PeriodTable

# Per store version and worker process, apart from the answer cache: a reporter's rankings are what every
# ranking, map, table and rank-history answer is cut from, so small answers must not push them out. About
# 1 MB a reporter of 60 partners and 30 years (most of it the workbook cells of its period table, which the
# answer cache shares): every reporter of the world matrix fits.
RANKINGS_CACHE_BYTES: Final = 256 * 1024 * 1024
RANKED_COLUMNS: Final = ("value", "rank", "share", "partners_ranked", "total_usd")
HISTORY_COLUMNS: Final = (
    "partner", "name", "period", "label", "year", "month", "measure", "value", "rank", "share", "partners_ranked",
)  # fmt: skip


@dataclass(frozen=True)
class PeriodRanking:
    """One period's ranking cut from `ReporterRankings`: the frame (period-table columns plus value, rank,
    share; ordered by rank, then unranked rows by value), the World total (None without one) and how many
    partners are ranked."""

    frame: pd.DataFrame
    total_usd: float | None
    partners_ranked: int


@dataclass(frozen=True)
class ReporterRankings:
    """A reporter's period table with, per measure, each row's rank, share and World total (`derived.ranked`)
    and the rows' positions in ranking order, period by period. Read-only once built."""

    table: PeriodTable
    by_measure: dict[str, pd.DataFrame]  # RANKED_COLUMNS aligned with table.frame's rows
    orders: dict[str, np.ndarray]  # positions of table.frame's rows: by period, then ranking order
    period_keys: np.ndarray  # year * 100 + month of each position of an order (the same for every measure)
    # by_measure's rank and total_usd as float arrays (NaN: none), and the rows' partner codes: what a
    # period's count of ranked partners, its total and its top rows are read from without a frame.
    ranks: dict[str, np.ndarray]
    totals: dict[str, np.ndarray]
    partners: np.ndarray
    # Per measure, the table's columns with that measure's value, rank and share after them: the frame a
    # period's ranking is one take of. Its columns are the table's and by_measure's own (copy-on-write: no
    # data of its own); a take of each and a concat cost ~0.9 ms a question against ~0.2 ms (bench P1).
    ranked_tables: dict[str, pd.DataFrame]

    def period(
        self,
        year: int,
        month: int,
        measure: str,
        *,
        top: int | None = None,
        include: str | None = None,
        only: str | None = None,
    ) -> PeriodRanking:
        """The ranking of one period by `measure`, as `TradeQueries.period_ranking` answers it; with `top`,
        only the rows `derived.top_of(frame, top, include=include)` keeps (the partners a chart draws),
        taken without the others (bench P1: the whole period's rows cost more than the chart); with `only`,
        only that partner's row (none when it has none)."""
        key = year * 100 + month
        start, stop = np.searchsorted(self.period_keys, [key, key + 1], side="left")
        # A take of the period's rows, not a copy of the table in each measure's order: three more copies of
        # every reporter's table (its workbook cells are long strings) would crowd the cache for ~1 ms.
        positions = self.orders[measure][start:stop]
        ranks = self.ranks[measure][positions]
        total = float(self.totals[measure][positions[0]]) if len(positions) else float("nan")
        partners_ranked = int(np.count_nonzero(~np.isnan(ranks)))
        if only is not None:
            # A partner has one row a period: a slice of it, not a take (~0.2 ms of ~33 columns: bench P2b).
            found = np.flatnonzero(self.partners[positions] == only)
            at = int(positions[found[0]]) if len(found) else 0
            frame = self.ranked_tables[measure].iloc[at : at + len(found[:1])].copy(deep=False)
            frame.index = pd.RangeIndex(len(frame))
            return PeriodRanking(frame=frame, total_usd=None if np.isnan(total) else total,
                                 partners_ranked=partners_ranked)  # fmt: skip
        if top is not None:
            chosen = self.partners[positions] == include if include is not None else False
            positions = positions[~np.isnan(ranks) & ((ranks <= max(int(top), 0)) | chosen)]
        frame = self.ranked_tables[measure].take(positions)
        frame.index = pd.RangeIndex(len(frame))  # a new frame of its own: set in place
        return PeriodRanking(
            frame=frame,
            total_usd=None if np.isnan(total) else total,
            partners_ranked=partners_ranked,
        )

    def history(self, partners: Sequence[str]) -> pd.DataFrame:
        """Rank and share of each of `partners` in every period for every measure: HISTORY_COLUMNS, ordered by
        partner as asked, measure, year, month (`TradeQueries.rank_history`)."""
        frame = self.table.frame
        chosen = frame["partner"].isin(list(partners)).to_numpy()
        if frame.empty or not chosen.any():
            return pd.DataFrame(columns=list(HISTORY_COLUMNS))
        base = frame.loc[chosen, ["partner", "name", "period", "label", "year", "month"]]
        parts = [
            base.assign(
                measure=measure,
                **{
                    c: self.by_measure[measure].loc[chosen, c]
                    for c in ("value", "rank", "share", "partners_ranked")
                },
            )
            for measure in MEASURES
        ]
        history = pd.concat(parts, ignore_index=True)[list(HISTORY_COLUMNS)]
        order = {p: i for i, p in enumerate(partners)}
        history = history.sort_values(
            ["partner", "measure", "year", "month"],
            key=lambda c: c.map(order) if c.name == "partner" else c,
        ).reset_index(drop=True)
        history["rank"] = history["rank"].astype("Int64")
        return history


def reporter_rankings(table: PeriodTable) -> ReporterRankings:
    """Rank `table` (a reporter's whole period table) by every measure at once."""
    # The remembered table itself (copy-on-write: no copy of its data), shared with the answer cache.
    frame = table.frame.reset_index(drop=True)
    keys = frame["year"].to_numpy("int64") * 100 + frame["month"].to_numpy("int64")
    by_measure: dict[str, pd.DataFrame] = {}
    orders: dict[str, np.ndarray] = {}
    # Only the columns a rank needs: ranking a copy of the whole table (forty columns) three times cost more
    # than the ranks themselves.
    needed = frame[["partner", "kind", "year", "month", "partial", *MEASURES]]
    for measure in MEASURES:
        done = ranked(needed, measure)[list(RANKED_COLUMNS)]
        by_measure[measure] = done
        # Ranking order within a period: rank, then the unranked rows (groups, residuals) by value, largest
        # first, missing last; a stable sort keeps ties in table order, as `period_ranking` always did.
        rank = done["rank"].to_numpy("float64", na_value=np.nan)
        value = done["value"].to_numpy("float64")
        orders[measure] = np.lexsort(
            (np.where(np.isnan(value), np.inf, -value), np.where(np.isnan(rank), np.inf, rank), keys)
        )
    period_keys = np.sort(keys, kind="stable")
    whole = PeriodTable(frame, table.frequency, table.source, table.warnings, table.summed_groups)
    return ReporterRankings(
        whole,
        by_measure,
        orders,
        period_keys,
        ranks={m: done["rank"].to_numpy("float64", na_value=np.nan) for m, done in by_measure.items()},
        totals={m: done["total_usd"].to_numpy("float64", na_value=np.nan) for m, done in by_measure.items()},
        partners=frame["partner"].to_numpy(object),
        ranked_tables={
            m: pd.concat([frame, done[["value", "rank", "share"]]], axis=1) for m, done in by_measure.items()
        },
    )


class RankingsCache:
    """Reporter rankings of one store version, each computed once even when several threads ask for the same
    reporter at the same moment (the first computes, the others wait for it).

    Two parts: the rankings `keep` computed before serving (every reporter's default one, held for the
    version's life: a uniform stream of questions over the world matrix would otherwise evict them as fast as
    it asks, bench P1) and those computed on a question, bounded in bytes."""

    def __init__(self, max_bytes: int = RANKINGS_CACHE_BYTES) -> None:
        self._cache: LRUCache[Hashable, ReporterRankings] = LRUCache(maxsize=max_bytes, getsizeof=_size)
        self._kept: dict[Hashable, ReporterRankings] = {}
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def keep(self, key: Hashable, compute: Callable[[], ReporterRankings]) -> ReporterRankings:
        """The rankings of `key`, computed now unless known, and held until the version goes."""
        found = self.get(key, compute)
        with self._lock:
            self._kept[key] = found
            self._cache.pop(key, None)
        return found

    def kept_bytes(self) -> int:
        """What the rankings held for the version's life weigh (as the bounded part counts them)."""
        with self._lock:
            return sum(_size(r) for r in self._kept.values())

    def _known(self, key: Hashable) -> ReporterRankings | None:
        found = self._kept.get(key)
        return found if found is not None else self._cache.get(key)

    def get(self, key: Hashable, compute: Callable[[], ReporterRankings]) -> ReporterRankings:
        with self._lock:
            found = self._known(key)
            if found is not None:
                return found
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            with self._lock:
                found = self._known(key)
            if found is not None:
                return found
            found = compute()
            with self._lock:
                # Larger than the whole cache: answered, not remembered.
                with contextlib.suppress(ValueError):
                    self._cache[key] = found
                self._computing.pop(key, None)
            return found


def _size(rankings: Any) -> int:
    # Not ranked_tables: their columns are those of the frames counted here.
    frames = [rankings.table.frame, *rankings.by_measure.values()]
    arrays = [
        *rankings.orders.values(),
        rankings.period_keys,
        *rankings.ranks.values(),
        *rankings.totals.values(),
    ]
    return sum(answer_size(f) for f in frames) + sum(int(a.nbytes) for a in arrays)
