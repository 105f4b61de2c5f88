"""Fixtures: a tiny published store and a query object over it (data in tests/dashboard/stores.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore
from tests.dashboard import stores
from tests.dashboard.stores import TINY_ROWS, Row, publish_rows


@pytest.fixture
def tidy_frame() -> Callable[..., object]:
    """The `trade_flows` frame factory: `tidy_frame([(reporter, partner, flow, year, usd[, status]), ...])`."""
    return stores.tidy_frame


@pytest.fixture
def tiny_store(tmp_path: Path) -> Path:
    """A store directory holding TINY_ROWS as its current version."""
    store_dir = tmp_path / "store"
    publish_rows(store_dir, TINY_ROWS)
    return store_dir


@pytest.fixture
def queries(tiny_store: Path) -> Iterator[TradeQueries]:
    q = QueryStore(tiny_store).current()
    yield q
    q.close()


@pytest.fixture
def make_store(tmp_path: Path) -> Callable[..., Path]:
    """Publish any rows into a fresh store dir: `make_store(rows)` -> store dir."""
    counter = iter(range(1000))

    def make(rows: Iterable[Row], **kwargs: object) -> Path:
        store_dir = tmp_path / f"store-{next(counter)}"
        publish_rows(store_dir, rows, **kwargs)
        return store_dir

    return make
