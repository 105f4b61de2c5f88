"""Month axes of exported images name their months in the export's language (CLDR via Babel), and their
labels never touch each other, at every size preset; the HTML export names them through plotly's locale.

kaleido's images carry no plotly locale, so `export_layout.month_ticks` writes the ticks itself. The SVGs
are made by the export itself (`registry.export_chart`, as the CLI and the download menu make them) and
measured in a real Chromium: the boxes the browser draws, compared pairwise, tick labels included.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

from dashboard.export import TABS
from dashboard.export_layout import MONTH_STEPS, SIZES, TICK_GAP, month_ticks, text_width
from dashboard.i18n import LANGUAGES, month_names
from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore
from dashboard.registry import export_chart
from dashboard.state import ViewState
from tests.dashboard.export_fixtures import session_engine
from tests.dashboard.stores import PERIOD_ROWS, TINY_ROWS, M, publish_rows
from tests.dashboard.test_export_layout import MEASURE, _overlap

CHROMIUM = Path("/usr/bin/chromium")
# Five years of single months for AZE–TUR (imf_imts): a long span, where a label a month cannot fit.
LONG_MONTHS = tuple(
    ("imf_imts", "AZE", "TUR", flow, f"{year}-{month:02d}", f"{year}-{month:02d}", (40 + month) * M)
    for flow in ("export", "import")
    for year in range(2016, 2021)
    for month in range(1, 13)
)
CUMULATIVE = ViewState(
    "AZE", "ITA", "2020-07", frequency="cumulative", source="customs_az", compare=("ITA", "TUR")
)
LONG_MONTHLY = ViewState("AZE", "TUR", "2020-12", frequency="monthly", source="imf_imts")
CASES = (
    ("trend", CUMULATIVE),  # Jan–month cumulatives, Jun 2019 – Jul 2020
    ("rank_history", CUMULATIVE),  # three panels: a third of the width each
    ("trend", LONG_MONTHLY),  # 60 months
)


@pytest.fixture(scope="module")
def queries(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TradeQueries]:
    store_dir = tmp_path_factory.mktemp("month-ticks-store")
    publish_rows(store_dir, TINY_ROWS, period_rows=(*PERIOD_ROWS, *LONG_MONTHS))
    q = QueryStore(store_dir).current()
    yield q
    q.close()


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    if not CHROMIUM.is_file():
        pytest.fail("image exports need Chromium: `apt-get install -y chromium`", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        page = browser.new_page()
        yield page
        browser.close()


Case = tuple[str, ViewState, str]  # chart id, view (with its language), size


@pytest.fixture(scope="module")
def measured(queries: TradeQueries, page: Page) -> dict[Case, dict[str, Any]]:
    """Every case in every language at the tightest size (the 1200×675 card), and at the other sizes in two
    languages in turn (as test_export_layout does, to keep the quick suite quick), exported as SVG and
    measured in Chromium."""
    sizes = list(SIZES)
    cases = [
        (chart_id, dataclasses.replace(state, lang=lang), size)
        for index, (chart_id, state) in enumerate(CASES)
        for size in sizes
        for lang in LANGUAGES
        if size == "social" or lang in (LANGUAGES[(index + sizes.index(size)) % 4], "ru")
    ]
    engine = session_engine()

    def svg(case: Case) -> str:
        chart_id, state, size = case
        exported = export_chart(queries, chart_id, state, fmt="svg", engine=engine, size=size)
        return exported.content.decode("utf-8")

    with ThreadPoolExecutor(max_workers=TABS) as pool:
        svgs = list(pool.map(svg, cases))
    page.set_content('<html><body style="margin:0"><div id="holder"></div></body></html>')
    return dict(zip(cases, page.evaluate(MEASURE, svgs), strict=True))


def _x_ticks(image: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in image["texts"] if re.fullmatch(r"x\d*tick", t["tick"])]


def test_month_ticks_are_cldr_names_in_the_exports_language(measured: dict[Case, dict[str, Any]]) -> None:
    for (chart_id, state, size), image in measured.items():
        names = month_names(state.lang, width="abbreviated")
        labels = [t["text"] for t in _x_ticks(image)]
        assert labels, (chart_id, state.lang, size)
        for text in labels:
            month, _, year = text.rpartition(" ")
            assert re.fullmatch(r"\d{4}", year) and (month == "" or month in names), (chart_id, size, text)
        if state is not LONG_MONTHLY:
            assert any(text.rpartition(" ")[0] for text in labels), labels  # months named, not only years
    italian = [
        t["text"] for t in _x_ticks(measured["trend", dataclasses.replace(CUMULATIVE, lang="it"), "a4"])
    ]
    assert "gen 2020" in italian and "Jan 2020" not in italian
    russian = [
        t["text"] for t in _x_ticks(measured["trend", dataclasses.replace(CUMULATIVE, lang="ru"), "social"])
    ]
    assert "янв. 2020" in russian


def test_no_tick_label_touches_another_text(measured: dict[Case, dict[str, Any]]) -> None:
    problems = []
    for case, image in measured.items():
        ticks = _x_ticks(image)
        for a, b in combinations(image["texts"], 2):
            if (a in ticks or b in ticks) and _overlap(a, b):
                problems.append(f"{case[0]} {case[1].lang} {case[2]}: {a['text']!r} overlaps {b['text']!r}")
        for tick in ticks:
            assert tick["x0"] >= -0.5 and tick["x1"] <= image["width"] + 0.5, (case, tick)
    assert not problems, "\n".join(problems)


# --- the ticks themselves, without a browser -------------------------------------------------------------


def test_the_step_grows_with_the_span_and_shrinks_with_the_room() -> None:
    months = [(2020, m) for m in range(1, 13)]
    wide = month_ticks(months, "ru", width=2000, font_size=13)
    assert wide["ticktext"] == [f"{name} 2020" for name in month_names("ru", width="abbreviated")]
    assert wide["tickvals"][0] == "2020-01-01" and wide["tickvals"][-1] == "2020-12-01"
    narrow = month_ticks(months, "ru", width=200, font_size=13)
    assert narrow["ticktext"] == ["янв. 2020", "июль 2020"]  # every six months, on the calendar
    years = month_ticks([(y, m) for y in range(2000, 2021) for m in (1, 12)], "it", width=600, font_size=13)
    assert years["ticktext"] == [str(y) for y in range(2000, 2021, 2)]
    assert month_ticks([], "en", width=500, font_size=13) == {}
    assert month_ticks([(2020, 7)], "az", width=50, font_size=13)["ticktext"] == ["iyl 2020"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("width", [250, 360, 700, 1000])
def test_the_chosen_labels_fit_between_their_ticks(lang: str, width: int) -> None:
    months = [(y, m) for y in range(2016, 2021) for m in range(1, 13)]
    for span in (3, 14, 60):
        ticks = month_ticks(months[-span:], lang, width=width, font_size=13)
        values = [int(v[:4]) * 12 + int(v[5:7]) for v in ticks["tickvals"]]
        if len(values) < 2:
            continue
        step = min(b - a for a, b in pairwise(values))
        assert step in MONTH_STEPS
        widest = max(text_width(text, 13) for text in ticks["ticktext"])
        assert widest + TICK_GAP <= step * width / span, (lang, width, span, ticks["ticktext"])


def test_the_html_export_names_months_through_plotlys_locale(queries: TradeQueries, page: Page) -> None:
    italian = export_chart(queries, "trend", dataclasses.replace(CUMULATIVE, lang="it"), fmt="html").content
    assert b'"locale": "it"' in italian and b'"shortMonths": ["gen", "feb"' in italian
    english = export_chart(queries, "trend", CUMULATIVE, fmt="html").content
    assert b'"locales": {' not in english and b'"locale": "' not in english  # plotly's own English
    # Drawn by Chromium (one language: the page inlines 4 MB of plotly.js): Russian months on the axis.
    russian = export_chart(queries, "trend", dataclasses.replace(CUMULATIVE, lang="ru"), fmt="html").content
    page.set_content(russian.decode("utf-8"))
    page.wait_for_selector(".xtick text")
    labels = page.eval_on_selector_all(".xtick text", "nodes => nodes.map(n => n.textContent)")
    assert any(text.startswith("янв.") for text in labels), labels
    assert not any(text.startswith("Jan") for text in labels), labels
