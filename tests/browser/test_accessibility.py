"""Accessibility and comfort in a real browser: a keyboard walk with visible focus, the phone layout at
390 px, the table's bounded grid and quick search, the dark theme (toggle, memory, system preference).

One served app with 130 partners, so the table holds > 100 rows; about 35 s on one worker.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from dashboard.app import create_app
from dashboard.registry import VIEW_IDS
from dashboard.settings import Settings
from tests.dashboard.stores import TINY_ROWS, publish_rows
from tests.serving import served

pytestmark = pytest.mark.browser

M = 1_000_000
MANY = 130
PAIR = "?reporter=AZE&partner=ITA&year=2020"


@pytest.fixture(scope="module")
def many_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """TINY_ROWS plus 130 small partners exporting to Azerbaijan in 2019 and 2020."""
    extra = tuple(
        ("AZE", f"X{n:02d}", "export", year, (n + 1) * M) for n in range(MANY) for year in (2019, 2020)
    )
    store_dir = tmp_path_factory.mktemp("a11y-store")
    publish_rows(store_dir, TINY_ROWS + extra)
    with served(create_app(Settings(store_dir=store_dir))) as base:
        yield f"{base}/"


def themed_page(browser: Browser, scheme: str, width: int = 1400, height: int = 1000) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)  # type: ignore[arg-type]
    context.set_default_timeout(20_000)
    return context.new_page()


def ready(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#_dash-app-content, #react-entry-point")).to_have_count(1)
    page.wait_for_load_state("networkidle")


FOCUS_STYLE = (
    "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
)


def test_keyboard_walk_shows_focus_and_operates_tabs(browser: Browser, many_url: str) -> None:
    page = themed_page(browser, "light")
    try:
        ready(page, f"{many_url}{PAIR}&view=bilateral")
        unfocused = page.evaluate(
            f"() => Array.from(document.querySelectorAll('a[href], button, input, select'))"
            f".slice(0, 40).map({FOCUS_STYLE})"
        )
        assert unfocused  # controls exist to walk through
        for _ in range(25):
            page.keyboard.press("Tab")
            focused = page.evaluate(
                f"""() => {{ const el = document.activeElement; if (!el || el === document.body) return null;
                    const r = el.getBoundingClientRect(); el.scrollIntoView({{block: 'nearest'}});
                    return {{tag: el.tagName, id: el.id, visible: r.width > 0 && r.height > 0,
                            style: ({FOCUS_STYLE})(el)}}; }}"""
            )
            assert focused is not None
            assert focused["visible"], focused
            outline, width, shadow = focused["style"]
            assert (outline != "none" and width != "0px") or shadow != "none", focused
        # The view tabs answer the keyboard: focus a tab's radio and choose it with Space.
        tab = page.locator("#view-tabs input[value=table]")
        tab.focus()
        page.keyboard.press("Space")
        expect(page).to_have_url(re.compile(r"view=table"))
        # The theme toggle answers Enter.
        page.locator("#theme-toggle").focus()
        page.keyboard.press("Enter")
        expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    finally:
        page.context.close()


def test_phone_layout_has_no_horizontal_scroll(browser: Browser, many_url: str, tmp_path: Path) -> None:
    page = themed_page(browser, "light", width=390, height=844)
    wide: dict[str, int] = {}
    try:
        for view in VIEW_IDS:
            ready(page, f"{many_url}{PAIR}&view={view}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide[view] = width
            shot = tmp_path / f"phone-{view}.png"
            page.screenshot(path=str(shot), full_page=False)
            assert shot.is_file() and shot.stat().st_size > 0
    finally:
        page.context.close()
    assert wide == {}, f"views wider than 390 px: {wide}"


def test_table_grid_is_bounded_with_sticky_header_and_quick_search(browser: Browser, many_url: str) -> None:
    page = themed_page(browser, "light", height=900)
    try:
        ready(page, f"{many_url}{PAIR}&view=table")
        grid = page.locator("#table-grid")
        expect(grid.locator(".ag-header")).to_be_visible()
        rows = page.evaluate("() => dash_ag_grid.getApi('table-grid').getDisplayedRowCount()")
        assert rows > 100
        box = grid.bounding_box()
        assert box is not None and box["height"] <= 900
        page.locator(".ag-body-viewport").first.evaluate("el => { el.scrollTop = 2000; }")
        header = grid.locator(".ag-header").bounding_box()
        assert header is not None and box["y"] - 1 <= header["y"] <= box["y"] + 5
        # The quick search keeps only the rows whose text holds the typed partner name.
        name = page.evaluate("() => dash_ag_grid.getApi('table-grid').getDisplayedRowAtIndex(11).data.name")
        page.get_by_label("Search the table").fill(name)
        page.wait_for_function("() => dash_ag_grid.getApi('table-grid').getDisplayedRowCount() < 20")
        shown = page.evaluate(
            "() => { const api = dash_ag_grid.getApi('table-grid'); const names = [];"
            " api.forEachNodeAfterFilter(node => names.push(node.data.name)); return names; }"
        )
        assert name in shown and all(name in other for other in shown), shown
    finally:
        page.context.close()


PAPER = "() => getComputedStyle(document.querySelector('.js-plotly-plot .main-svg')).backgroundColor"
BODY = "() => getComputedStyle(document.body).backgroundColor"


def dark(rgb: str) -> bool:
    red, green, blue = (int(part) for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])
    return (red + green + blue) / 3 < 60


def test_dark_toggle_and_system_preference(browser: Browser, many_url: str) -> None:
    page = themed_page(browser, "light")
    try:
        ready(page, f"{many_url}{PAIR}&view=bilateral")
        page.wait_for_selector(".js-plotly-plot .main-svg")
        assert not dark(page.evaluate(BODY)) and not dark(page.evaluate(PAPER))
        page.locator("#theme-toggle").click()
        expect(page.locator("#theme-toggle")).to_have_attribute("aria-pressed", "true")
        assert dark(page.evaluate(BODY)) and dark(page.evaluate(PAPER))
        page.reload()  # the choice persists
        expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    finally:
        page.context.close()
    fresh = themed_page(browser, "dark")
    try:
        ready(fresh, f"{many_url}{PAIR}&view=bilateral")
        fresh.wait_for_selector(".js-plotly-plot .main-svg")
        assert dark(fresh.evaluate(BODY)) and dark(fresh.evaluate(PAPER))
    finally:
        fresh.context.close()
