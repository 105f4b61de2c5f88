"""The page as a person uses it: Italy first, then Türkiye picked by typing in the partner list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
# The first answer of a page runs several queries on a shared 2-core machine: wait longer than 5 s.


def plotted(page: Page, graph_id: str) -> list[dict[str, object]]:
    """The traces plotly.js is drawing in one graph (names, decoded y values, marker colours)."""
    return page.evaluate(
        """id => Array.from(document.getElementById(id).querySelector('.js-plotly-plot')._fullData)
                 .map(t => ({name: t.name, y: Array.from(t.y || []), z: Array.from(t.z || []),
                             locations: Array.from(t.locations || []),
                             color: t.marker && Array.from([].concat(t.marker.color))}))""",
        graph_id,
    )


def test_default_pair_then_choose_turkiye(page: Page, app_url: str) -> None:
    page.goto(app_url)
    expect(page.locator("#page-title")).to_have_text("Azerbaijan\u2019s trade with Italy")
    expect(page.locator("#kpi-turnover-value")).to_have_text("$5.40 bn")
    expect(page.locator("#kpi-exports-value")).to_have_text("$5.00 bn")
    expect(page.locator("#kpi-imports-value")).to_have_text("$400.0 m")
    expect(page.locator("#kpi-rank-value")).to_have_text("#1")
    expect(page.locator("#narrative")).to_contain_text("In 2019 Italy was Azerbaijan\u2019s largest partner")
    expect(page.locator("#trend-source")).to_contain_text("reported by Azerbaijan; exports FOB, imports CIF")
    expect(page.locator("#trend-graph .js-plotly-plot .scatterlayer .trace").first).to_be_visible()
    exports = next(t for t in plotted(page, "trend-graph") if t["name"] == "Exports")
    assert exports["y"] == [3.0, 4.0, 5.0]

    # Pick Türkiye the way a person does: open the list, type, choose the option.
    page.locator("#partner").click()
    page.locator(".dash-dropdown-search").fill("Türk")
    option = page.locator(".dash-dropdown-option", has_text="Türkiye")
    expect(option).to_have_count(1)
    option.click()

    expect(page.locator("#page-title")).to_have_text("Azerbaijan\u2019s trade with Türkiye")
    expect(page.locator("#kpi-turnover-value")).to_have_text("$2.50 bn")
    expect(page.locator("#kpi-rank-value")).to_have_text("#2")
    expect(page.locator(".kpi-imports")).to_contain_text("estimated")
    expect(page).to_have_url(re.compile(r"partner=TUR"))
    page.wait_for_function(
        """() => document.getElementById('trend-graph').querySelector('.js-plotly-plot')
                   ._fullData.some(t => t.name === 'Exports' && t.y[0] === 0.8)"""
    )
    exports = next(t for t in plotted(page, "trend-graph") if t["name"] == "Exports")
    assert exports["y"] == [0.8, 0.9, 1.0]

    # The ranking lives in the partners view; its tab is reached like any link.
    page.locator("#view-tabs label", has_text="Partners").click()
    expect(page).to_have_url(re.compile(r"view=partners"))
    expect(page.locator("#ranking-title")).to_have_text("Top 15 partners by turnover, 2019")
    page.wait_for_function(
        "() => document.querySelector('#ranking-graph .js-plotly-plot')?._fullData?.length"
    )
    fills = page.evaluate(
        "() => Array.from(document.querySelectorAll('#ranking-graph .trace.bars .point path'))"
        ".map(p => getComputedStyle(p).fill)"
    )
    # as drawn: #9FB3C8 muted, #D55E00 highlighted (Türkiye, second)
    assert fills == ["rgb(159, 179, 200)", "rgb(213, 94, 0)", "rgb(159, 179, 200)"]
    expect(page.locator("#view-bilateral")).to_be_hidden()


def test_a_new_period_brings_its_cards(page: Page, app_url: str) -> None:
    """The cards answer a new period through their own router (dashboard/callbacks/routes.py), the trend only
    moves its marker in the browser."""
    page.goto(app_url)
    expect(page.locator("#kpi-exports-value")).to_have_text("$5.00 bn")
    page.locator("#period").click()
    page.locator(".dash-dropdown-search").fill("2018")
    page.locator(".dash-dropdown-option", has_text="2018").first.click()
    expect(page.locator("#kpi-exports-value")).to_have_text("$4.00 bn")
    expect(page.locator(".kpi-exports")).to_contain_text("on 2017")
    expect(page).to_have_url(re.compile(r"period=2018"))


def test_shared_link_opens_that_view(page: Page, app_url: str) -> None:
    page.goto(app_url + "?reporter=AZE&partner=RUS&year=2018&measure=exports&top=10&view=partners")
    expect(page.locator("#page-title")).to_have_text("Azerbaijan\u2019s trade with Russia")
    expect(page.locator("#ranking-title")).to_have_text("Top 10 partners by exports, 2018")
    page.locator("#view-tabs label", has_text="Bilateral").click()
    expect(page.locator("#kpi-turnover-value")).to_have_text("$200.0 m")
    expect(page.locator(".kpi-turnover")).to_contain_text("exports only")
    expect(page.locator("#kpi-balance-value")).to_have_text("\u2014")  # unknown, not zero


@pytest.mark.parametrize(
    "link",
    [
        "",
        "?reporter=AZE&partner=TUR&year=2018&view=partners&lang=it",
        "?partner=RUS&view=map",
        "?view=mirror",
    ],
)
def test_the_first_response_holds_the_content(page: Page, app_url: str, link: str) -> None:
    """Issue 14: the page for a link arrives with its cards, sentences and charts; no callback runs on load."""
    asked: list[str] = []
    page.on(
        "request", lambda r: asked.append(r.post_data or "") if "_dash-update-component" in r.url else None
    )
    page.goto(app_url + link)
    expect(page.locator(".js-plotly-plot .main-svg:visible").first).to_be_visible()
    if not link:
        expect(page.locator("#kpi-turnover-value")).to_have_text("$5.40 bn")
        expect(page.locator("#trend-graph .js-plotly-plot .scatterlayer .trace").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert asked == []
    # The page still answers what the user changes afterwards.
    page.locator("#view-tabs label").nth(3).click()
    expect(page).to_have_url(re.compile(r"view=table"))
    expect(page.locator("#table-grid .ag-row").first).to_be_visible()
    assert asked
    # The language links follow the URL (rewritten in the browser, callbacks/views.py LANGUAGE_HREFS).
    expect(page.locator("#lang-link-ru")).to_have_attribute(
        "href", re.compile(r"view=table.*lang=ru|lang=ru.*view=table")
    )
