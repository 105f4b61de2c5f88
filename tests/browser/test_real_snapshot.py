"""The shipped data as a new user sees them: Azerbaijan–Italy with the IMF's figures, then another year."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from dashboard.app import create_app
from dashboard.settings import Settings
from tests.serving import refresh_store, served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def snapshot_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a store that `python -m etl refresh` built from data/snapshot, as `make run` does."""
    folder = tmp_path_factory.mktemp("snapshot")
    refresh_store(folder / "store", folder / "raw")
    with served(create_app(Settings(store_dir=folder / "store"))) as base:
        yield f"{base}/"


def choose(page: Page, dropdown: str, text: str) -> None:
    page.locator(f"#{dropdown}").click()
    page.locator(".dash-dropdown-search").fill(text)
    page.locator(".dash-dropdown-option", has_text=text).first.click()


def test_italy_2019_shows_the_imf_figures(page: Page, snapshot_url: str) -> None:
    page.goto(snapshot_url)
    expect(page.locator("#page-title")).to_have_text("Azerbaijan\u2019s trade with Italy")
    expect(page.locator("#kpi-rank-value")).to_have_text("#1")
    expect(page.locator("#trend-source")).to_contain_text(
        "Source: IMF, Direction of Trade Statistics (DOTS); reported by Azerbaijan; exports FOB, imports CIF"
    )
    expect(page.locator("#trend-source")).to_contain_text("Release 2022")

    choose(page, "period", "2019")
    expect(page.locator("#kpi-exports-value")).to_have_text("$5.64 bn")
    expect(page.locator("#kpi-imports-value")).to_have_text("$371.8 m")
    expect(page.locator("#kpi-turnover-value")).to_have_text("$6.01 bn")
    expect(page.locator("#narrative")).to_contain_text(
        "In 2019 Italy was Azerbaijan\u2019s largest partner: turnover $6.01 bn"
    )
    expect(page.locator("#narrative")).to_contain_text("exports $5.64 bn (1st), imports $371.8 m")

    choose(page, "partner", "Israel")
    expect(page.locator("#page-title")).to_have_text("Azerbaijan\u2019s trade with Israel")
    expect(page.locator("#kpi-exports-value")).not_to_have_text("$5.64 bn")


def test_a_kpi_figure_names_its_workbook_cell(page: Page, snapshot_url: str) -> None:
    page.goto(snapshot_url + "?reporter=AZE&partner=ITA&year=2019")
    expect(page.locator("#kpi-exports-value")).to_have_text("$5.64 bn")
    expect(page.locator("#kpi-exports-value")).to_have_attribute(
        "title", "from DOTS_13.xlsx · Exports, FOB · AD22"
    )
