"""Which live services a refresh asks (the fetching itself is tested against a local server, per source and in
test_refresh_online.py)."""

from __future__ import annotations

from etl.refresh.fetch import live_sources
from etl.refresh.registry import SOURCE_MODULES


def test_default_live_sources_skip_comtrade_without_a_key() -> None:
    chosen, skipped = live_sources([], {})
    assert "comtrade" not in chosen
    names = {s.source: s.skipped for s in skipped}
    if "comtrade" in SOURCE_MODULES:
        assert names["comtrade"] == "COMTRADE_API_KEY not set"
    chosen, _ = live_sources(["comtrade"], {})
    assert chosen == ["comtrade"]  # asked for explicitly: its fetch says how to get a key
