"""The store most claim tests check against: tests/dashboard/mirror_stores.py's annual IMF rows and customs'
January–June and January–July 2020 cumulatives, published once per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore
from tests.dashboard.mirror_stores import CUSTOMS_ROWS, MIRROR_ROWS, publish_flows


@pytest.fixture(scope="module")
def mirror_queries(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TradeQueries]:
    folder: Path = tmp_path_factory.mktemp("mirror-and-customs")
    publish_flows(folder, MIRROR_ROWS + CUSTOMS_ROWS)
    store = QueryStore(folder)
    yield store.current()
    store.close()
