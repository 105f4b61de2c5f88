"""The map in a real Chromium: coloured countries drawn from the shipped topojson, fetched once from the app,
and not one request leaving 127.0.0.1; the HTML export draws the same map from the file alone.

Data: tests/dashboard/map_stores.py (Azerbaijan's exports to every country with an outline, and two without).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from dashboard.app import create_app
from dashboard.queries.store import QueryStore
from dashboard.registry import export_chart
from dashboard.settings import Settings
from dashboard.state import ViewState
from tests.dashboard.map_stores import PARTNERS, WITHOUT_OUTLINE, publish_world
from tests.serving import served

pytestmark = pytest.mark.browser

OUTLINED = len(PARTNERS) - len(WITHOUT_OUTLINE)
# Countries plotly.js drew: a choropleth path with an outline, filled with a colour of the scale.
DRAWN = """() => Array.from(document.querySelectorAll('path.choroplethlocation'))
                  .filter(p => (p.getAttribute('d') || '').length > 20 && getComputedStyle(p).fill.startsWith('rgb'))
                  .map(p => getComputedStyle(p).fill)"""


@pytest.fixture(scope="module")
def world_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store_dir = tmp_path_factory.mktemp("map-world-store")
    publish_world(store_dir)
    return store_dir


@pytest.fixture(scope="module")
def world_url(world_store: Path) -> Iterator[str]:
    with served(create_app(Settings(store_dir=world_store))) as base:
        yield f"{base}/"


def recorded(page: Page) -> tuple[list[str], list[str]]:
    """(every URL the page asked for, those not on 127.0.0.1 or a local file); the latter are aborted, so
    a request to a CDN fails the test instead of waiting on a network this machine does not have."""
    asked: list[str] = []
    outside: list[str] = []

    def handle(route: Route) -> None:
        url = route.request.url
        asked.append(url)
        parts = urlsplit(url)
        if parts.scheme in ("file", "data", "blob") or parts.hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", handle)
    return asked, outside


def test_the_map_draws_coloured_countries_without_leaving_the_machine(page: Page, world_url: str) -> None:
    asked, outside = recorded(page)
    page.goto(world_url + "?view=map&period=2019")
    expect(page.locator("#map-title")).to_have_text("Partners on the map: turnover, 2019")
    page.wait_for_function(f"() => ({DRAWN})().length === {OUTLINED}")
    fills = page.evaluate(DRAWN)
    assert len(set(fills)) > 100 and "rgb(8, 48, 107)" in fills  # a colour per value; the largest darkest

    page.locator("#map-measure label", has_text="Exports").click()
    expect(page.locator("#map-title")).to_have_text("Partners on the map: exports, 2019")
    page.wait_for_function(
        "() => document.querySelector('#map-graph .js-plotly-plot')._fullData[0]?.hovertemplate"
        "?.includes('Exports')"
    )
    assert len(page.evaluate(DRAWN)) == OUTLINED
    # The outlines came once, from the app's assets; the second figure reused them.
    assert [u for u in asked if "topojson" in u] == [world_url + "assets/topojson/world_110m.json"]
    assert outside == []


def test_the_html_export_draws_the_map_offline(page: Page, world_store: Path, tmp_path: Path) -> None:
    queries = QueryStore(world_store).current()
    try:
        state = ViewState("AZE", "ITA", "2019", view="map", map_measure="exports", source="imf_dots")
        exported = export_chart(queries, "map", state, fmt="html")
    finally:
        queries.close()
    path = tmp_path / exported.filename
    path.write_bytes(exported.content)
    asked, outside = recorded(page)
    page.goto(path.as_uri())
    page.wait_for_function(f"() => ({DRAWN})().length === {OUTLINED}")
    assert outside == [] and asked == [path.as_uri()]  # plotly.js and the outlines are in the page
