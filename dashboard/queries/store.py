"""The published store as the dashboard sees it: one query object per store version.

A refresh publishes a new versioned file and moves the `CURRENT` pointer (etl/store.py). A request reads the
pointer ONCE (`QueryStore.current()`) and asks every question of its answer to the query object of that
version, so its answers, and the composite answers inside it, all come from one release. The object of a
retired version stays usable by the requests still holding it; its connection and cache go when the last
one lets it go. No restart, no failed request.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from dashboard.queries.answers import TradeQueries
from dashboard.queries.cache import DEFAULT_CACHE_BYTES
from dashboard.queries.groups import PARTNER_GROUPS_CSV, PartnerGroup, load_partner_groups
from dashboard.settings import DEFAULT_SOURCE_ORDER, Settings
from etl.store import StoreError, current_store_path


class NoStoreError(StoreError):
    """Nothing has been published yet: the message tells the user to run the ETL."""


class QueryStore:
    """The store directory being served; hands out the query object of its current version."""

    def __init__(
        self,
        store_dir: Path,
        *,
        source: str | None = None,
        preference: Sequence[str] = DEFAULT_SOURCE_ORDER,
        groups: Mapping[str, PartnerGroup] | None = None,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
    ) -> None:
        """`preference`: sources in the order they are offered; `source` limits the answers to that one
        source; `groups`: country groups offered as partners (default: data/reference/partner_groups.csv);
        `cache_bytes`: the answer cache of each version's query object."""
        self._store_dir = Path(store_dir)
        self._options = {
            "source": source,
            "preference": tuple(preference),
            "groups": dict(groups) if groups is not None else load_partner_groups(PARTNER_GROUPS_CSV),
            "cache_bytes": cache_bytes,
        }
        self._lock = threading.Lock()
        self._current: TradeQueries | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> QueryStore:
        """The store of `settings`, with its source preference (TRADE_SOURCES) and single source (TRADE_SOURCE)."""
        return cls(settings.store_dir, source=settings.source, preference=settings.sources)

    @property
    def store_dir(self) -> Path:
        return self._store_dir

    def version_path(self) -> Path | None:
        """The published store file the pointer names now, or None when nothing is published."""
        return current_store_path(self._store_dir)

    def current(self) -> TradeQueries:
        """The query object of the version the pointer names now (one pointer read).

        Raises NoStoreError when nothing is published. A pointer that cannot be read or a new version that
        cannot be opened yet does not fail a request that the open version can answer.
        """
        try:
            path = current_store_path(self._store_dir)
        except StoreError:
            if self._current is None:
                raise
            return self._current
        with self._lock:
            if path is None:
                if self._current is None:
                    raise NoStoreError(
                        f"no trade store is published in {self._store_dir}; build it with `python -m etl refresh`"
                    )
            elif self._current is None or self._current.path != path:
                try:
                    self._current = TradeQueries(path, **self._options)  # type: ignore[arg-type]
                except StoreError:
                    if self._current is None:
                        raise
            return self._current

    def prepare(self, *, before_fork: bool = True) -> int:
        """Rank every reporter of the current version now (`TradeQueries.rank_every_reporter`); how many
        reporters were ranked (0: no store yet).

        Called before serving: under gunicorn's `preload_app` (gunicorn.conf.py) once, in the master, whose
        workers then share the answers it computed instead of each computing them. `before_fork` closes the
        version's connection (a DuckDB connection must not cross the fork; the next question opens one) and
        freezes what was computed; one process serving meanwhile (`before_fork=False`) keeps both as they are.
        """
        try:
            queries = self.current()
        except NoStoreError:
            return 0
        count = queries.rank_every_reporter()
        if not before_fork:
            return count
        queries.release_connection()
        # What was just computed lives as long as the version: out of the garbage collector's passes, which
        # otherwise walk it again and again (a pass over a gigabyte of kept rankings doubled a ranking answer
        # at 50 M rows, bench P5b), and, before gunicorn forks, out of the pages those passes would copy.
        gc.collect()
        gc.freeze()
        return count

    def close(self) -> None:
        """Close the current version's connection (shutdown and tests)."""
        with self._lock:
            if self._current is not None:
                self._current.close()
                self._current = None
