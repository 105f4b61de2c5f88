"""Downloading every export format from a chart card in a real Chromium, and the alert without Chromium.

The files are checked as a user would open them: PNG and PDF by their magic bytes, SVG parsed, the HTML
page self-contained, CSV against the stored figures, XLSX opened with its About sheet.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from defusedxml import ElementTree
from playwright.sync_api import Download, Page, expect

from dashboard.app import create_app
from dashboard.settings import Settings
from tests.dashboard.stores import TINY_ROWS, publish_rows
from tests.serving import served

pytestmark = pytest.mark.browser

VIEW = "?view=bilateral&reporter=AZE&partner=TUR&period=2018&measure=exports&top=10&partners=ITA,TUR,RUS"
PARTNERS = VIEW.replace("view=bilateral", "view=partners")
TABLE = "?view=table&reporter=AZE&partner=TUR&freq=monthly&period=2020-07"
# The first answer of a page runs several queries on a shared 2-core machine: wait longer than 5 s.
M = 1_000_000
MENU_LABELS = {
    "png": "PNG image",
    "svg": "SVG image (vector)",
    "pdf": "PDF document",
    "html": "Interactive HTML page",
    "csv": "Data as CSV",
    "xlsx": "Data as Excel (XLSX)",
}


def open_view(page: Page, url: str, graph: str = "trend-graph") -> None:
    page.goto(url)
    expect(page.locator("#page-title")).to_have_text("Azerbaijan\u2019s trade with Türkiye")
    page.wait_for_function(
        "id => document.querySelector('#' + id + ' .js-plotly-plot')?._fullData?.length > 0", arg=graph
    )


def download(page: Page, card_title: str, fmt: str, *, timeout: float = 60_000) -> Download:
    """Open the card's Download menu and choose `fmt`, as a person does with the mouse."""
    page.get_by_role("button", name=f"Download {card_title}").click()
    with page.expect_download(timeout=timeout) as caught:
        page.get_by_role("button", name=MENU_LABELS[fmt]).filter(visible=True).click()
    return caught.value


def saved(item: Download, tmp_path: Path) -> bytes:
    target = tmp_path / item.suggested_filename
    item.save_as(target)
    return target.read_bytes()


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf", "html", "csv", "xlsx"])
def test_download_each_format_of_the_trend(page: Page, app_url: str, tmp_path: Path, fmt: str) -> None:
    open_view(page, app_url + VIEW)
    item = download(page, "Trade over time", fmt)
    assert item.suggested_filename == f"trend-AZE-TUR-2018.{fmt}"
    content = saved(item, tmp_path)
    link = app_url + VIEW
    if fmt == "png":
        assert content[:8] == b"\x89PNG\r\n\x1a\n"
    elif fmt == "svg":
        root = ElementTree.fromstring(content)
        texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
        # The page the user was on, without its scheme and with only what the trend reads.
        assert (
            app_url.removeprefix("http://") + "?view=bilateral&reporter=AZE&partner=TUR&period=2018" in texts
        )
        assert "Azerbaijan\u2019s trade with Türkiye" in texts
    elif fmt == "pdf":
        assert content.startswith(b"%PDF-")
    elif fmt == "html":
        page_text = content.decode("utf-8")
        assert "<script src" not in page_text and "plotly.js v" in page_text
        assert "<title>Azerbaijan\u2019s trade with Türkiye</title>" in page_text
    elif fmt == "csv":
        table = pd.read_csv(io.BytesIO(content), encoding="utf-8-sig")
        assert table["partner_name"].tolist() == ["Türkiye"] * 3
        assert table["exports_usd"].tolist() == [800 * M, 900 * M, 1000 * M]
        assert table["imports_usd"].tolist() == [1000 * M, 1200 * M, 1500 * M]
        assert table["estimated"].tolist() == [False, False, True]  # TUR's 2019 imports: an estimate
    else:
        book = openpyxl.load_workbook(io.BytesIO(content))
        assert book.sheetnames == ["Data", "About"]
        about = dict(book["About"].iter_rows(min_row=2, values_only=True))
        assert about["Link"] == link
        assert about["Query: partner"] == "TUR" and about["Query: period"] == "2018"
    expect(page.get_by_role("alert")).to_have_count(0)


def test_the_menu_works_from_the_keyboard(page: Page, app_url: str, tmp_path: Path) -> None:
    open_view(page, app_url + PARTNERS, "ranking-graph")
    toggle = page.get_by_role("button", name="Download Top partners")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Data as Excel (XLSX)").filter(visible=True)).to_be_visible()
    with page.expect_download(timeout=30_000) as caught:
        for _ in range(6):  # PNG, SVG, PDF, HTML, CSV, XLSX: the sixth item
            page.keyboard.press("ArrowDown")
        focused = page.evaluate("document.activeElement.textContent")
        assert focused == "Data as Excel (XLSX)"
        page.keyboard.press("Enter")
    item = caught.value
    assert item.suggested_filename == "ranking-AZE-TUR-2018.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(saved(item, tmp_path)))
    header = [c.value for c in book["Data"][1]]
    rows = [dict(zip(header, r, strict=True)) for r in book["Data"].iter_rows(min_row=2, values_only=True)]
    assert [(r["rank"], r["partner"], r["value_usd"]) for r in rows] == [
        (1, "ITA", 4000 * M),
        (2, "TUR", 900 * M),
        (3, "RUS", 200 * M),
    ]


@pytest.fixture
def app_without_chromium(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A second app whose image engine finds no browser (BROWSER_PATH names a file that does not exist)."""
    store_dir = tmp_path_factory.mktemp("no-chromium-store")
    publish_rows(store_dir, TINY_ROWS)
    monkeypatch.setenv("BROWSER_PATH", str(store_dir / "no-chromium"))
    with served(create_app(Settings(store_dir=store_dir))) as base:
        yield f"{base}/"


def test_without_chromium_an_alert_and_the_data_still_download(
    page: Page, app_without_chromium: str, tmp_path: Path
) -> None:
    open_view(page, app_without_chromium + PARTNERS, "compare-graph")
    page.get_by_role("button", name="Download Selected partners over time").click()
    page.get_by_role("button", name="PDF document").filter(visible=True).click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("PNG, SVG and PDF exports need Chromium on the server: no browser at")
    expect(alert).to_contain_text("HTML, CSV and XLSX exports work without it.")
    # The rest of the page keeps working: the other charts, and the data of the same chart.
    expect(page.locator("#ranking-title")).to_have_text("Top 10 partners by exports, 2018")
    item = download(page, "Selected partners over time", "csv")
    table = pd.read_csv(io.BytesIO(saved(item, tmp_path)), encoding="utf-8-sig")
    assert table["turnover_usd"].tolist() == [
        3250 * M,
        4300 * M,
        5400 * M,
        1800 * M,
        2100 * M,
        2500 * M,
        200 * M,
        2100 * M,
    ]
    expect(alert).to_have_count(0)  # a successful export closes the alert


def test_the_table_downloads_its_data_only(page: Page, app_url: str, tmp_path: Path) -> None:
    page.goto(app_url + TABLE)
    expect(page.locator(".ag-pinned-left-cols-container .ag-row")).to_have_count(3)  # ITA, TUR, World
    page.get_by_role("button", name="Download The data behind this view").click()
    items = page.locator(".chart-download .dropdown-item").filter(visible=True)
    expect(items).to_have_text(["Data as CSV", "Data as Excel (XLSX)"])
    with page.expect_download(timeout=30_000) as caught:
        items.first.click()
    item = caught.value
    assert item.suggested_filename == "table-AZE-TUR-2020_07.csv"
    table = pd.read_csv(io.BytesIO(saved(item, tmp_path)), encoding="utf-8-sig", dtype=str)
    # July 2020 from customs_az's Jan–Jul minus Jan–Jun: Italy 250 + 20 = 270 M, a year earlier 400 + 30 M.
    ita = table[table["partner"] == "ITA"].iloc[0]
    assert (ita["turnover_usd"], ita["turnover_previous_usd"], ita["derived"]) == (
        str(270 * M),
        str(430 * M),
        "True",
    )
