"""Every view in Azerbaijani, Italian and Russian, as a reader of each sees it: no word of the page left in
English (the sources' own titles, quoted and marked lang="en", and codes aside), and numbers written with
the language's own separators and units."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from dashboard import i18n
from dashboard.i18n import label
from dashboard.registry import VIEWS
from tests.dashboard.stores import SOURCES

# Words that are the same in every language of the page, or proper names and codes.
ALLOWED = {
    "fob", "cif", "usd", "imf", "dots", "png", "svg", "pdf", "html", "csv", "xlsx", "excel", "iso", "comtrade",
    "english", "italiano", "русский", "azərbaycanca", "partner", "export", "import", "plotly",
}  # fmt: skip
WORD = re.compile(r"[^\W\d_]{4,}")
# The sources' own names (titles, publishers, attributions) are proper names: quoted as the store holds them.
SOURCE_WORDS = {
    w.casefold()
    for s in SOURCES
    for key in ("title", "publisher", "attribution")
    for w in WORD.findall(s[key])
}

# The visible text of the page: its elements' rendered text (innerText: hidden views and closed details
# left out) and the charts' SVG labels; text marked as quoted English (lang="en") is left out.
VISIBLE_TEXT = """
() => {
    const quoted = Array.from(document.querySelectorAll('main [lang="en"]'));
    const saved = quoted.map(el => [el, el.style.display]);
    quoted.forEach(el => { el.style.display = 'none'; });
    const nav = document.querySelector('#lang-links');
    const parts = [document.querySelector('main').innerText];
    document.querySelectorAll('main .js-plotly-plot svg text').forEach(node => {
        if (node.getClientRects().length && node.closest('[hidden]') === null) parts.push(node.textContent);
    });
    saved.forEach(([el, display]) => { el.style.display = display; });
    return parts.join('\\n');
}
"""


def english_words(lang: str) -> set[str]:
    """Words of the page's English texts that the language's own texts never use."""
    english: set[str] = set()
    for text in i18n.texts_in_source():
        for part in text if isinstance(text, tuple) else (text,):
            english.update(w.casefold() for w in WORD.findall(re.sub(r"\{\w*\}", " ", part)))
    own: set[str] = set()
    for translated in i18n.catalogue(lang).values():
        own.update(w.casefold() for w in WORD.findall(translated))
    return english - own - ALLOWED - SOURCE_WORDS


def _open(page: Page, url: str, view: str, lang: str) -> None:
    tab = label(lang, next(v.label_key for v in VIEWS if v.id == view))
    page.locator("#view-tabs label", has_text=tab).click()
    expect(page).to_have_url(re.compile(f"view={view}" if view != "bilateral" else "lang="))


# Each language's money and the partner's name as it writes them (the title keeps names in the nominative).
WRITTEN = {
    "it": (r"^\d+(,\d+)?\u00a0(Mld|Mln)\u00a0USD$", "Russia"),
    "ru": (r"^\d+(,\d+)?\u00a0(млрд|млн)\u00a0\$$", "Россия"),
    "az": (r"^\d+(,\d+)?\u00a0(mlrd|mln)\u00a0US\$$", "Rusiya"),
}


@pytest.mark.parametrize("lang", ["az", "it", "ru"])
def test_every_view_reads_in_the_language(page: Page, app_url: str, lang: str) -> None:
    page.goto(app_url + f"?reporter=AZE&partner=RUS&period=2018&lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    money, name = WRITTEN[lang]
    expect(page.locator("#kpi-turnover-value")).to_have_text(re.compile(money))
    expect(page.locator("#page-title")).to_contain_text(name)
    # Plotly writes the axis numbers with the language's decimal sign and unit.
    expect(page.locator("#trend-graph .ytick text").first).to_be_visible()
    ticks = page.locator("#trend-graph .ytick text").all_text_contents()
    assert ticks and not any(re.search(r"\d\.\d|\bbn\b|\$\d", tick) for tick in ticks), (lang, ticks)
    foreign = english_words(lang)
    leftovers: dict[str, list[str]] = {}
    for view in VIEWS:
        _open(page, app_url, view.id, lang)
        ready = {
            "bilateral": "#trend-graph .main-svg",
            "partners": "#ranking-graph .main-svg",
            "map": "#map-graph .main-svg",
            "table": "#table-grid .ag-row",
            "sources": ".sources-table",
            "mirror": "#mirror-graph .main-svg",
            "claims": "#claim-text",
        }[view.id]
        expect(page.locator(ready).first).to_be_visible()
        page.wait_for_timeout(300)  # the last callbacks of the view land
        words = {w.casefold() for w in WORD.findall(page.evaluate(VISIBLE_TEXT))}
        found = sorted(words & foreign)
        if found:
            leftovers[view.id] = found
    assert leftovers == {}, f"English words on the {lang} page: {leftovers}"


def test_a_first_visit_without_lang_follows_the_browser(browser, app_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="it-IT", extra_http_headers={"Accept-Language": "it-IT,it;q=0.9"})
    try:
        page = context.new_page()
        page.goto(app_url + "?reporter=AZE&partner=RUS&period=2018")
        expect(page.locator("#view-tabs")).to_contain_text(label("it", "view.partners"))
        expect(page.locator("html")).to_have_attribute("lang", "it")
    finally:
        context.close()


def test_back_across_a_language_link_draws_the_page_of_its_url(page: Page, app_url: str) -> None:
    """Back from a language link to an entry the page wrote itself (a period chosen): Chromium loads that
    page's parts from its HTTP cache, and once drew the Azerbaijani layout it had stored last on the English
    URL (CI, stop 21). The layout's answer is never stored (app.py `_layout_never_stored`)."""
    page.goto(app_url + "?partner=RUS&period=2019&lang=en")
    expect(page.locator("#kpi-turnover-value")).to_have_text("$2.10 bn")
    page.locator("#period").click()
    page.locator(".dash-dropdown-option", has_text="2018").first.click()
    expect(page.locator("#kpi-turnover-value")).to_have_text("$200.0 m")
    expect(page).to_have_url(re.compile(r"period=2018.*lang=en"))

    page.locator("#lang-links a", has_text="AZ").click()
    expect(page.locator("#view-tabs")).to_contain_text(label("az", "view.table"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"period=2018.*lang=en"))
    expect(page.locator("#view-tabs")).to_contain_text("Table")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#kpi-turnover-value")).to_have_text("$200.0 m")
