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

VIEW = "?reporter=AZE&partner=TUR&year=2018&measure=exports&top=10&compare=ITA,TUR,RUS"
M = 1_000_000
MENU_LABELS = {
    "png": "PNG image",
    "svg": "SVG image (vector)",
    "pdf": "PDF document",
    "html": "Interactive HTML page",
    "csv": "Data as CSV",
    "xlsx": "Data as Excel (XLSX)",
}


def open_view(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#page-title")).to_have_text("Azerbaijan\u2019s trade with Türkiye")
    expect(page.locator("#trend-graph .js-plotly-plot .scatterlayer .trace").first).to_be_visible()


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
        lines = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}tspan")]
        assert f"Link: {link}" in lines  # the page the user was on
        texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
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
        assert table["imports_status"].tolist() == ["reported", "reported", "estimated"]
    else:
        book = openpyxl.load_workbook(io.BytesIO(content))
        assert book.sheetnames == ["Data", "About"]
        about = dict(book["About"].iter_rows(min_row=2, values_only=True))
        assert about["Link"] == link
        assert about["Query: partner"] == "TUR" and about["Query: year"] == "2018"
    expect(page.get_by_role("alert")).to_have_count(0)


def test_the_menu_works_from_the_keyboard(page: Page, app_url: str, tmp_path: Path) -> None:
    open_view(page, app_url + VIEW)
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
    open_view(page, app_without_chromium + VIEW)
    page.get_by_role("button", name="Download Turnover with selected partners").click()
    page.get_by_role("button", name="PDF document").filter(visible=True).click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("PNG, SVG and PDF exports need Chromium on the server: no browser at")
    expect(alert).to_contain_text("HTML, CSV and XLSX exports work without it.")
    # The rest of the page keeps working: another partner, and the data of the same chart.
    expect(page.locator("#kpi-turnover-value")).to_have_text("$2.10 bn")  # Türkiye 2018: 900 M + 1,200 M
    item = download(page, "Turnover with selected partners", "csv")
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
