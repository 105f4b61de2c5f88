"""axe-core (shipped inside axe-playwright-python) on the served page: no serious or critical violation on any
view, in any language, in the light or the dark theme.

Quick by default (CI): every view in English (the first in both themes, the others alternating between
them), then one view of each other language in one theme. With RELIABILITY=long, the full matrix:
every view × every language × light and dark. One page load per language; the views are opened with their
tabs, as a reader does. A failure lists each violation: rule id, impact, how many elements, axe's help text
and the elements' selectors.
"""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from dashboard.components import claims
from dashboard.i18n import LANGUAGES
from dashboard.registry import VIEW_IDS
from tests.reliability.counts import LONG

pytestmark = pytest.mark.browser

PAIR = "?reporter=AZE&partner=RUS&period=2018"
BLOCKING = {"serious", "critical"}
THEMES = ("light", "dark")

# What shows that a view's callbacks have answered: its source footer or its content filled.
READY = {
    "bilateral": "#trend-source > *",
    "partners": "#ranking-source > *",
    "map": "#map-source > *",
    "table": "#table-grid .ag-row",
    "sources": ".sources-table",
    "mirror": "#mirror-source > *",
    "claims": f"#{claims.TEXT}",
}
NOTHING_LOADING = "() => document.querySelector('[data-dash-is-loading]') === null"

Plan = tuple[tuple[str, tuple[str, ...]], ...]  # (view, themes) in the order they are opened


def plan(lang: str) -> Plan:
    """The views of `lang` to check and the themes each is checked in."""
    if LONG:
        return tuple((view, THEMES) for view in VIEW_IDS)
    if lang == "en":  # the first view in both themes, then the themes alternating
        return ((VIEW_IDS[0], THEMES), *((view, (THEMES[n % 2],)) for n, view in enumerate(VIEW_IDS[1:], 1)))
    # One view each, none repeated, the themes alternating: the translated texts' lengths and words.
    picks = {"az": ("partners", "dark"), "it": ("claims", "light"), "ru": ("map", "dark")}
    view, theme = picks[lang]
    return ((view, (theme,)),)


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.fixture(scope="module")
def axe_page(browser: Browser) -> Any:
    # Reduced motion: Bootstrap then draws its buttons without colour transitions, so axe never measures a
    # button halfway between two states just after the test clicked it.
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, reduced_motion="reduce")
    context.set_default_timeout(20_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def described(violations: list[dict[str, Any]]) -> list[str]:
    """One line per violation: rule id, impact, count, help text, the first selectors."""
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['help']} — "
        + "; ".join(" ".join(str(t) for t in node["target"]) for node in v["nodes"][:6])
        for v in violations
    ]


def set_theme(page: Page, theme: str) -> None:
    """The theme as the header's toggle sets it (assets/20-theme.js)."""
    if page.locator("html").get_attribute("data-bs-theme") != theme:
        page.locator("#theme-toggle").click()
    expect(page.locator("html")).to_have_attribute("data-bs-theme", theme)
    page.mouse.move(0, 0)  # the pointer off the toggle: axe checks the page at rest, not a hovered button


def open_view(page: Page, view: str) -> None:
    """The view's tab chosen, its callbacks answered; the claim checker with figures found and checked."""
    page.locator("#view-tabs label").nth(VIEW_IDS.index(view)).click()
    expect(page.locator(f"#view-tabs input[value={view}]")).to_be_checked()
    expect(page.locator(READY[view]).first).to_be_visible()
    page.wait_for_function(NOTHING_LOADING)
    if view == "claims":  # the figures found (a checklist) and their verdicts (a table) as well
        lang = page.locator("html").get_attribute("lang") or "en"
        page.locator(f"#{claims.TEXT}").fill(claims.EXAMPLES[lang])
        page.locator(f"#{claims.EXTRACT}").click()
        expect(page.locator(f"#{claims.FOUND} input[type=checkbox]").first).to_be_visible()
        page.locator(f"#{claims.CHECK}").click()
        expect(page.locator(f"#{claims.RESULTS} tr").first).to_be_visible()
        page.mouse.move(0, 0)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_serious_axe_violations(axe_page: Page, axe: Axe, app_url: str, lang: str) -> None:
    page = axe_page
    page.goto(f"{app_url}{PAIR}&lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    found: list[str] = []
    for view, themes in plan(lang):
        open_view(page, view)
        for theme in themes:
            set_theme(page, theme)
            violations = axe.run(page).response["violations"]
            blocking = [v for v in violations if v["impact"] in BLOCKING]
            found += [f"[{lang} {view} {theme}] {line}" for line in described(blocking)]
    assert found == [], "axe found serious or critical violations:\n" + "\n".join(found)
