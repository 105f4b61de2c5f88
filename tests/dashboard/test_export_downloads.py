"""The download menu's callback without a browser: what it sends, and the alert when Chromium is missing."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import openpyxl
import pytest
from dash import no_update

from dashboard.app import create_app
from dashboard.callbacks.downloads import download_outputs, store_download_outputs
from dashboard.components.chart_card import DOWNLOAD_CHOICES, chart_card
from dashboard.export import FORMATS, ImageEngine
from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore
from dashboard.registry import CHARTS, VIEW_IDS
from dashboard.settings import Settings
from tests.dashboard.export_fixtures import session_engine

HREF = (
    "http://127.0.0.1:8050/?view=partners&reporter=AZE&partner=TUR&freq=annual&period=2018&measure=exports"
    "&top=10&partners=ITA,TUR"
)
# A link written before periods existed (`year`, `compare`) opens the same view.
OLD_HREF = "http://127.0.0.1:8050/?reporter=AZE&partner=TUR&year=2018&measure=exports&top=10&compare=ITA,TUR"
MONTHLY_HREF = (
    "http://127.0.0.1:8050/?view=map&reporter=AZE&partner=ITA&freq=monthly&period=2020-07&map=exports"
)


def content(data: dict[str, object]) -> bytes:
    assert data["base64"] is True
    return base64.b64decode(str(data["content"]))


def test_csv_of_the_view_in_the_url(queries: TradeQueries, tiny_store: Path) -> None:
    data, alert, alert_open = download_outputs(
        queries, Settings(store_dir=tiny_store), engine=ImageEngine(), chart_id="trend", fmt="csv", href=HREF
    )
    assert (alert, alert_open) == ("", False)
    assert data["filename"] == "trend-AZE-TUR-2018.csv"
    assert data["type"] == "text/csv"
    lines = content(data).decode("utf-8-sig").splitlines()
    assert lines[0].startswith(
        "reporter,reporter_name,partner,partner_name,source_id,frequency,period,label,exports_usd"
    )
    assert lines[1].startswith(
        "AZE,Azerbaijan,TUR,Türkiye,imf_dots,annual,2017,2017,800000000,1000000000,1800000000,-200000000,"
    )


def test_an_old_link_exports_the_same_file(queries: TradeQueries, tiny_store: Path) -> None:
    settings = Settings(store_dir=tiny_store)
    new, _, _ = download_outputs(
        queries, settings, engine=ImageEngine(), chart_id="trend", fmt="csv", href=HREF
    )
    old, _, _ = download_outputs(
        queries, settings, engine=ImageEngine(), chart_id="trend", fmt="csv", href=OLD_HREF
    )
    assert content(old) == content(new)


def test_a_monthly_map_from_the_url(queries: TradeQueries, tiny_store: Path) -> None:
    data, alert, _ = download_outputs(
        queries,
        Settings(store_dir=tiny_store),
        engine=ImageEngine(),
        chart_id="map",
        fmt="csv",
        href=MONTHLY_HREF,
    )
    assert alert == "" and data["filename"] == "map-AZE-ITA-2020_07.csv"
    lines = content(data).decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    ita = dict(zip(header, lines[1].split(","), strict=False))
    # July 2020 = Jan–Jul − Jan–Jun of customs_az: ITA exports 1750 − 1500 = 250 M.
    assert (ita["partner"], ita["measure"], ita["value_usd"], ita["derived"]) == (
        "ITA",
        "exports",
        "250000000",
        "True",
    )


def test_the_table_offers_data_only(queries: TradeQueries, tiny_store: Path) -> None:
    data, alert, alert_open = download_outputs(
        queries, Settings(store_dir=tiny_store), engine=ImageEngine(), chart_id="table", fmt="png", href=HREF
    )
    assert data is no_update and alert_open
    assert alert == "The table of all partners exports as CSV or XLSX only, not PNG."


def test_xlsx_cites_the_page_link_and_the_query(queries: TradeQueries, tiny_store: Path) -> None:
    data, _, _ = download_outputs(
        queries,
        Settings(store_dir=tiny_store),
        engine=ImageEngine(),
        chart_id="ranking",
        fmt="xlsx",
        href=HREF,
    )
    book = openpyxl.load_workbook(io.BytesIO(content(data)))
    about = dict(book["About"].iter_rows(min_row=2, values_only=True))
    assert about["Link"] == HREF
    assert about["Title"] == "Top 10 partners by exports, 2018 (Azerbaijan)"
    assert about["Query: measure"] == "exports" and about["Query: compare"] == "ITA,TUR"
    assert about["Query: view"] == "partners" and about["Query: period"] == "2018"
    header = [cell.value for cell in book["Data"][1]]
    ranked = [row[header.index("partner")] for row in book["Data"].iter_rows(min_row=2, values_only=True)]
    assert ranked == ["ITA", "TUR", "RUS"]  # 2018 exports: 4,000 M, 900 M, 200 M


def test_an_image_from_the_warm_engine(queries: TradeQueries, tiny_store: Path) -> None:
    data, alert, alert_open = download_outputs(
        queries,
        Settings(store_dir=tiny_store),
        engine=session_engine(),
        chart_id="comparison",
        fmt="png",
        href=HREF,
    )
    assert (alert, alert_open) == ("", False)
    assert data["filename"] == "comparison-AZE-TUR-2018.png" and data["type"] == "image/png"
    assert content(data)[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_no_chromium_gives_an_alert_not_an_error(
    queries: TradeQueries, tiny_store: Path, tmp_path: Path, fmt: str
) -> None:
    engine = ImageEngine(browser=tmp_path / "no-chromium")
    data, alert, alert_open = download_outputs(
        queries, Settings(store_dir=tiny_store), engine=engine, chart_id="trend", fmt=fmt, href=HREF
    )
    assert data is no_update and alert_open is True
    assert alert.startswith("PNG, SVG and PDF exports need Chromium on the server")
    assert "HTML, CSV and XLSX exports work without it" in alert


@pytest.mark.parametrize("fmt", ["html", "csv", "xlsx"])
def test_without_chromium_the_other_formats_still_work(
    queries: TradeQueries, tiny_store: Path, tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    data, alert, alert_open = download_outputs(
        queries, Settings(store_dir=tiny_store), engine=ImageEngine(), chart_id="trend", fmt=fmt, href=HREF
    )
    assert (alert, alert_open) == ("", False)
    assert data["filename"] == f"trend-AZE-TUR-2018.{fmt}" and content(data)


def test_unknown_chart_or_format_gives_an_alert(queries: TradeQueries, tiny_store: Path) -> None:
    settings = Settings(store_dir=tiny_store)
    engine = ImageEngine()
    data, alert, alert_open = download_outputs(
        queries, settings, engine=engine, chart_id="pie", fmt="csv", href=HREF
    )
    assert data is no_update and alert_open and "cannot be exported" in alert
    data, alert, alert_open = download_outputs(
        queries, settings, engine=engine, chart_id="trend", fmt="gif", href=HREF
    )
    assert data is no_update and alert_open and "Unknown export format" in alert


def test_a_missing_store_gives_an_alert(tmp_path: Path) -> None:
    data, alert, alert_open = store_download_outputs(
        QueryStore(tmp_path / "empty"),
        Settings(store_dir=tmp_path / "empty"),
        engine=ImageEngine(),
        chart_id="trend",
        fmt="csv",
        href=None,
    )
    assert data is no_update and alert_open and "python -m etl refresh" in alert


def test_each_chart_card_of_the_page_has_the_menu(tiny_store: Path) -> None:
    app = create_app(Settings(store_dir=tiny_store))
    client = app.server.test_client()
    found: set[tuple[str, str]] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            ident = node.get("props", {}).get("id") if "props" in node else None
            if isinstance(ident, dict) and ident.get("type") == "chart-download-item":
                found.add((ident["chart"], ident["format"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    # Each view's page (a view not open holds only its controls until its tab opens: callbacks/sections.py).
    for view in VIEW_IDS:
        page = client.get("/_dash-layout", headers={"Referer": f"http://127.0.0.1/?view={view}"})
        walk(json.loads(page.get_data(as_text=True)))
    assert found == {(chart_id, fmt) for chart_id, chart in CHARTS.items() for fmt in chart.formats}
    assert {fmt for chart_id, fmt in found if chart_id == "table"} == {"csv", "xlsx"}
    assert [fmt for fmt, _ in DOWNLOAD_CHOICES] == list(FORMATS)


def test_a_card_without_a_chart_id_has_no_menu() -> None:
    card = chart_card(title_id="t", title="T", graph_id="g", source_id="s", graph_label="A chart")
    assert "chart-download" not in json.dumps(card.to_plotly_json(), default=str)
    card = chart_card(
        title_id="t", title="T", graph_id="g", source_id="s", graph_label="A chart", chart_id="trend"
    )
    text = json.dumps(
        card.to_plotly_json(),
        default=lambda o: o.to_plotly_json() if hasattr(o, "to_plotly_json") else str(o),
    )
    assert (
        '"chart-download-item"' in text
        and '"chart-download-alert"' in text
        and '"chart-download-file"' in text
    )
