"""The views in a real browser: monthly and cumulative periods, partners, the map, the table, shared links.

Numbers come from tests/dashboard/stores.py (TINY_ROWS and PERIOD_ROWS) and are worked out by hand in the
comments. One served app for the session (conftest), few page loads per test.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
# The first answer of a page runs several queries on a shared 2-core machine: wait longer than 5 s.


def traces(page: Page, graph_id: str) -> list[dict[str, object]]:
    """What plotly.js draws in one graph: trace type, name, y, z and locations."""
    page.wait_for_function(
        "id => document.querySelector('#' + id + ' .js-plotly-plot')?._fullData?.length > 0", arg=graph_id
    )
    return page.evaluate(
        """id => Array.from(document.getElementById(id).querySelector('.js-plotly-plot')._fullData)
                 .map(t => ({type: t.type, name: t.name, xaxis: t.xaxis, y: Array.from(t.y || []),
                             z: Array.from(t.z || []), locations: Array.from(t.locations || [])}))""",
        graph_id,
    )


def choose(page: Page, dropdown_id: str, typed: str | None, option: str) -> None:
    """Open a Dash dropdown, type (when it is searchable), pick the option, as a person does."""
    page.locator(f"#{dropdown_id}").click()
    if typed is not None:
        page.locator(".dash-dropdown-search").fill(typed)
    page.locator(".dash-dropdown-option", has_text=option).first.click()


def test_switch_to_cumulative_then_monthly(page: Page, app_url: str) -> None:
    page.goto(app_url)
    expect(page.locator("#kpi-turnover-value")).to_have_text("$5.40 bn")
    page.locator("#frequency label", has_text="Jan–month").click()
    # customs_az, Jan–Jul 2020: exports 1,750 m + imports 170 m; a year earlier 2,800 + 210 = 3,010 m.
    expect(page.locator("#kpi-turnover-value")).to_have_text("$1.92 bn")
    expect(page.locator(".kpi-turnover")).to_contain_text("Turnover Jan–Jul 2020")
    expect(page.locator(".kpi-turnover")).to_contain_text("−$1.09 bn (−36.2%) on Jan–Jul 2019")
    expect(page.locator("#kpi-share-value")).to_have_text("30.5%")  # of the World's 3,500 + 2,800 m
    expect(page.locator("#source")).to_contain_text("Foreign trade, January–month")
    expect(page.locator("#trend-source")).to_contain_text("State Customs Committee")
    expect(page).to_have_url(re.compile(r"freq=cumulative&period=2020-07&source=customs_az"))

    page.locator("#frequency label", has_text="Monthly").click()
    # July 2020 = Jan–Jul − Jan–Jun: exports 250 m, imports 20 m; July 2019: 400 + 30 = 430 m.
    expect(page.locator("#kpi-turnover-value")).to_have_text("$270.0 m")
    expect(page.locator(".kpi-turnover")).to_contain_text("derived")
    expect(page.locator(".kpi-turnover")).to_contain_text("−$160.0 m (−37.2%) on Jul 2019")
    expect(page.locator("#data-note")).to_contain_text(
        "Türkiye, imports: Jan–Jul 2020 ($780.0 m) is smaller than Jan–Jun 2020 ($800.0 m)"
    )
    # The trend is its own answer: wait for the monthly one rather than read the cumulative one still shown.
    page.wait_for_function(
        """() => document.querySelector('#trend-graph .js-plotly-plot')?._fullData
                   ?.some(t => t.name === 'Exports' && t.y.length === 2)"""
    )
    exports = next(t for t in traces(page, "trend-graph") if t["name"] == "Exports")
    assert exports["y"] == [400.0, 250.0]

    # Another source with data: IMF monthly rows, January to March.
    choose(page, "source", None, "International Trade in Goods (IMTS)")
    expect(page.locator("#period")).to_contain_text("Mar 2020")
    expect(page.locator("#kpi-turnover-value")).to_have_text("$225.0 m")  # 200 + 25
    expect(page.locator("#trend-source")).to_contain_text("International Trade in Goods (IMTS)")


def test_compare_partners_and_rank_over_time(page: Page, app_url: str) -> None:
    page.goto(app_url + "?view=partners&partners=ITA,TUR")
    expect(page.locator("#ranking-title")).to_have_text("Top 15 partners by turnover, 2019")
    assert [t["name"] for t in traces(page, "compare-graph")] == ["Italy", "Türkiye"]
    choose(page, "compare-partners", "Turkic", "Organization of Turkic States")
    page.wait_for_function(
        "() => document.querySelector('#compare-graph .js-plotly-plot')._fullData.length === 3"
    )
    compared = traces(page, "compare-graph")
    assert [t["name"] for t in compared] == ["Italy", "Türkiye", "Organization of Turkic States"]
    assert compared[2]["y"] == [1.8, 2.1, 2.5]  # Türkiye alone among the members: 1,800, 2,100, 2,500 m
    expect(page.locator("#compare-source")).to_contain_text("Summed from members (derived): XTS.")
    expect(page).to_have_url(re.compile(r"partners=ITA,TUR,XTS"))
    ranks = [t for t in traces(page, "rank-history-graph") if t["name"] == "Türkiye"]
    # Turnover 2018/2019: 2nd; exports 2nd, 2nd; imports 1st in 2018 (1,200 > 300 > —), 2nd in 2019.
    assert [(t["xaxis"], t["y"][1:]) for t in ranks] == [("x", [2, 2]), ("x2", [2, 2]), ("x3", [1, 2])]


def test_map_coloured_by_exports(page: Page, app_url: str) -> None:
    page.goto(app_url + "?view=map&period=2019")
    page.locator("#map-measure label", has_text="Exports").click()
    expect(page.locator("#map-title")).to_have_text("Partners on the map: exports, 2019")
    page.wait_for_function(
        "() => document.querySelector('#map-graph .js-plotly-plot')._fullData[0]?.z?.[2] === 0.3"
    )
    [data] = traces(page, "map-graph")  # one trace: the grey world is the topojson's land, not a trace
    assert (data["type"], data["locations"], data["z"]) == (
        "choropleth",
        ["ITA", "TUR", "RUS"],
        [5.0, 1.0, 0.3],
    )
    expect(page.locator("#map-graph path.choroplethlocation").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"map=exports"))


def test_table_filter(page: Page, app_url: str) -> None:
    page.goto(app_url + "?view=table&period=2019")
    rows = page.locator(".ag-pinned-left-cols-container .ag-row")
    expect(rows).to_have_count(5)  # Italy, Türkiye, Russia, then the groups EU and World
    expect(page.locator(".ag-center-cols-container")).to_contain_text("$5,400,000,000")
    page.locator(".ag-pinned-left-header .ag-floating-filter input").fill("Tür")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Türkiye")
    # Türkiye 2019: turnover 2,500 m, 2018: 2,100 m -> +400 m, +19.0 %.
    row = page.locator(".ag-center-cols-container .ag-row").first
    expect(row).to_contain_text("$2,500,000,000")
    expect(row).to_contain_text("$400,000,000")
    expect(row).to_contain_text("+19.0%")


# Holds the answers of one server callback for 1.5 s, as on a slow link or a busy server, so that a second
# change is made while the first one's answer is on its way. `{slow}` is text of the callback's output key.
SLOW_ANSWERS = """
(slow) => {
    const plain = window.fetch.bind(window);
    window.fetch = async (input, init) => {
        const response = await plain(input, init);
        const body = init && typeof init.body === "string" ? init.body : "";
        if (body.includes(slow)) {
            await new Promise((done) => setTimeout(done, 1500));
        }
        return response;
    };
}
"""


@pytest.mark.parametrize(
    "slow",
    [
        # the URL writer: both answers start from the same URL, the first is stale when it lands
        '"output":"link.data"',
        # the sync: it ran on the echo of the period's URL and set the old view back when it landed
        "state-note.children",
    ],
    ids=["url-writer", "sync"],
)
def test_two_quick_changes_both_reach_the_url(page: Page, app_url: str, slow: str) -> None:
    """A period, then a tab, in quick succession: the page and the URL end with both, and Back leads to the
    link first opened (CI once ended with the table open and `view=bilateral` in the URL)."""
    page.add_init_script(f"({SLOW_ANSWERS})({slow!r})")
    page.goto(app_url + "?partner=RUS&period=2019")
    expect(page.locator("#kpi-turnover-value")).to_have_text("$2.10 bn")
    choose(page, "period", "2018", "2018")
    expect(page.locator("#kpi-turnover-value")).to_have_text("$200.0 m")
    if slow == "state-note.children":
        expect(page).to_have_url(re.compile(r"period=2018"))  # the URL written: its echo would now go out
    page.locator("#view-tabs label", has_text="Table").click()
    expect(page.locator("#table-title")).to_have_text("The data behind this view: 2018")
    expect(page).to_have_url(re.compile(r"view=table.*period=2018"))
    page.wait_for_timeout(2_000)  # every held answer has landed: nothing may have undone the tab
    expect(page).to_have_url(re.compile(r"view=table.*period=2018"))
    expect(page.locator("#view-table")).to_be_visible()
    # Back: one entry for each URL written (the stale first answer of the slow URL writer writes none).
    page.go_back()
    if "period=2019" not in page.url:
        page.go_back()
    expect(page).to_have_url(re.compile(r"period=2019"))
    expect(page.locator("#kpi-turnover-value")).to_have_text("$2.10 bn")


def test_copied_link_back_forward_and_an_invalid_parameter(page: Page, app_url: str) -> None:
    page.goto(app_url + "?partner=XXX&freq=weekly&period=2019")
    expect(page.locator("#state-note")).to_contain_text("partner='XXX' → ITA")
    expect(page.locator("#state-note")).to_contain_text("freq='weekly' → annual")
    expect(page.locator("#kpi-turnover-value")).to_have_text("$5.40 bn")

    choose(page, "partner", "Rus", "Russia")
    expect(page.locator("#kpi-turnover-value")).to_have_text("$2.10 bn")
    choose(page, "period", "2018", "2018")
    expect(page.locator("#kpi-turnover-value")).to_have_text("$200.0 m")
    # The trend's shaded year follows the period (moved in the browser: callbacks/trend.py MOVE_SELECTION).
    page.wait_for_function(
        """() => {
            const shapes = document.querySelector('#trend-graph .js-plotly-plot').layout.shapes || [];
            return shapes.length === 1 && shapes[0].name === 'selected-period' && shapes[0].x0 === 2017.5;
        }"""
    )
    page.locator("#view-tabs label", has_text="Table").click()
    expect(page.locator("#table-title")).to_have_text("The data behind this view: 2018")
    # The table's content and the URL are written by two callbacks; either may land first.
    expect(page).to_have_url(re.compile(r"view=table.*partner=RUS.*period=2018"))
    copied = page.url

    # The copied link in a fresh page restores exactly that view, without a note.
    other = page.context.new_page()
    other.goto(copied)
    expect(other.locator("#table-title")).to_have_text("The data behind this view: 2018")
    expect(other.locator("#view-tabs label", has_text="Table")).to_have_class(re.compile("active"))
    expect(other.locator("#partner")).to_contain_text("Russia")
    expect(other.locator("#state-note")).to_be_empty()
    other.close()

    # Back: the bilateral view of Russia in 2018; back again: 2019; forward: 2018.
    page.go_back()
    expect(page.locator("#view-bilateral")).to_be_visible()
    expect(page.locator("#kpi-turnover-value")).to_have_text("$200.0 m")
    page.go_back()
    expect(page.locator("#kpi-turnover-value")).to_have_text("$2.10 bn")
    page.go_forward()
    expect(page.locator("#kpi-turnover-value")).to_have_text("$200.0 m")

    # Azerbaijani labels by the language link; Back returns to the English page of the same view.
    page.locator("#lang-links a", has_text="AZ").click()
    expect(page.locator("#view-tabs")).to_contain_text("Cədvəl")
    expect(page.locator("#kpi-turnover-value")).to_have_text("200\u00a0mln\u00a0US$")
    page.go_back()
    expect(page.locator("#view-tabs")).to_contain_text("Table")
