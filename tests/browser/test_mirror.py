"""The mirror view in a real Chromium: Azerbaijan–Türkiye explained, a shared link, another partner chosen."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from dashboard.app import create_app
from dashboard.settings import Settings
from tests.dashboard.mirror_stores import publish_flows
from tests.serving import refresh_store, served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def mirror_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over tests/dashboard/mirror_stores.py (both sides of AZE–ITA, –TUR, –RUS; customs cumulatives)."""
    store_dir = tmp_path_factory.mktemp("mirror-store")
    publish_flows(store_dir)
    with served(create_app(Settings(store_dir=store_dir))) as base:
        yield f"{base}/"


def traces(page: Page, graph_id: str) -> list[dict[str, object]]:
    return page.evaluate(
        """id => Array.from(document.getElementById(id).querySelector('.js-plotly-plot')._fullData)
                 .map(t => ({name: t.name, y: Array.from(t.y || [])}))""",
        graph_id,
    )


def choose(page: Page, dropdown: str, text: str) -> None:
    page.locator(f"#{dropdown}").click()
    page.locator(".dash-dropdown-search").fill(text)
    page.locator(".dash-dropdown-option", has_text=text).first.click()


def test_turkiye_2019_explained_then_italy(page: Page, mirror_url: str) -> None:
    page.goto(mirror_url + "?reporter=AZE&partner=TUR&year=2019&view=mirror")
    expect(page.locator("#mirror-title")).to_have_text(
        "Azerbaijan and Türkiye: two reports of the same trade"
    )
    explanation = page.locator("#mirror-explanation")
    expect(explanation).to_contain_text(
        "In 2019 Azerbaijan reports exports to Türkiye of $2.80 bn (FOB); Türkiye reports imports from "
        "Azerbaijan of $420.0 m (CIF)."
    )
    expect(explanation).to_contain_text("Freight and insurance cannot explain this")
    expect(explanation).to_contain_text("Transit through Türkiye (Ceyhan)")
    expect(page.locator("#mirror-ranking tbody tr").first).to_contain_text("Türkiye")
    expect(page.locator("#mirror-ranking tbody tr")).to_have_count(3)  # Türkiye, Italy, Russia
    expect(page.locator("#mirror-source")).to_contain_text(
        "Türkiye's report: Direction of Trade Statistics (DOTS) release 2022"
    )
    page.wait_for_function(
        """() => { const p = document.querySelector('#mirror-graph .js-plotly-plot');
                   return p && p._fullData && p._fullData.some(t => t.name === 'As Türkiye reports it'); }"""
    )
    mirrored = [t for t in traces(page, "mirror-graph") if t["name"] == "As Türkiye reports it"]
    assert mirrored[0]["y"][0] == pytest.approx(0.42)  # 2019 imports from Azerbaijan, billions

    choose(page, "partner", "Italy")
    expect(explanation).to_contain_text("Italy reports imports from Azerbaijan of $5.60 bn (CIF)")
    expect(page.locator("#mirror-ranking tr.table-active")).to_contain_text("Italy")
    # The controls rewrite the link; the open view stays in it.
    expect(page).to_have_url(re.compile(r"view=mirror.*partner=ITA"))


def test_tabs_and_shared_links(page: Page, mirror_url: str) -> None:
    page.goto(mirror_url + "?reporter=AZE&partner=ITA&year=2019&view=claims")
    expect(page.locator("#claim-text")).to_be_visible()
    expect(page.locator("#mirror-graph")).to_be_hidden()
    # The page's first callbacks answered: a click before the tabs' callback is wired would be lost (a
    # fresh-clone run on a loaded machine once saw it).
    page.wait_for_load_state("networkidle")
    page.locator("#view-tabs label", has_text="Mirror: both reports").click()
    expect(page.locator("#mirror-graph")).to_be_visible()
    expect(page).to_have_url(re.compile(r"view=mirror"))
    page.go_back()
    expect(page.locator("#claim-text")).to_be_visible()
    page.go_forward()
    expect(page.locator("#mirror-graph")).to_be_visible()
    # Another partner chosen while the mirror view is open: the link keeps the open view.
    choose(page, "partner", "Russia")
    expect(page).to_have_url(re.compile(r"view=mirror.*partner=RUS"))
    expect(page.locator("#mirror-explanation")).to_contain_text("Russia reports imports from Azerbaijan")


@pytest.fixture(scope="module")
def snapshot_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("snapshot")
    refresh_store(folder / "store", folder / "raw")
    with served(create_app(Settings(store_dir=folder / "store"))) as base:
        yield f"{base}/"


def test_shipped_data_azerbaijan_turkiye_2019(page: Page, snapshot_url: str) -> None:
    page.goto(snapshot_url + "?reporter=AZE&partner=TUR&year=2019&view=mirror")
    expect(page.locator("#mirror-explanation")).to_contain_text(
        "In 2019 Azerbaijan reports exports to Türkiye of $2.86 bn (FOB); Türkiye reports imports from "
        "Azerbaijan of $411.0 m (CIF). Türkiye's CIF figure is $2.45 bn lower than Azerbaijan's FOB figure"
    )
    expect(page.locator("#mirror-ranking tr.table-active")).to_contain_text("Türkiye")
