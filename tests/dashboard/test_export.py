"""Exports without a browser: the chart registry, the footer, CSV, XLSX (About sheet) and HTML.

Expected values are recomputed by hand from TINY_ROWS (tests/dashboard/stores.py), in millions (M).
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.export import (
    DEFINITIONS,
    ChartMetadata,
    about_rows,
    chart_html,
    data_table,
    data_xlsx,
    export_filename,
    footer_lines,
)
from dashboard.export_layout import figure_with_footer
from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore
from dashboard.registry import (
    CHARTS,
    UnknownChart,
    build_chart,
    chart_by_id,
    chart_by_view,
    export_chart,
    view_state_from_search,
)
from dashboard.settings import Settings
from dashboard.state import ViewState
from tests.dashboard.export_fixtures import HOSTILE_AREAS, HOSTILE_NAMES
from tests.dashboard.stores import TINY_ROWS

M = 1_000_000
LINK = "http://127.0.0.1:8050/?reporter=AZE&partner=ITA&year=2019"
SOURCE = (
    "Source: IMF, Direction of Trade Statistics (DOTS); reported by Azerbaijan; exports FOB, imports CIF."
)
STATE = ViewState(
    reporter="AZE", partner="ITA", period="2019", compare=("ITA", "TUR", "RUS"), source="imf_dots"
)
SUBTITLE = "Annual, 2017 – 2019 · US dollars · as reported by Azerbaijan"


def read_csv(content: bytes) -> pd.DataFrame:
    assert content.startswith(b"\xef\xbb\xbf")  # the byte-order mark spreadsheet programs need for UTF-8
    return pd.read_csv(io.BytesIO(content), encoding="utf-8-sig", keep_default_na=False, dtype=str)


# --- the registry ---------------------------------------------------------------------------------------


def test_the_registry_names_every_chart_of_the_page() -> None:
    assert list(CHARTS) == ["trend", "ranking", "comparison", "rank_history", "map", "table", "mirror"]
    assert chart_by_view("bilateral").chart_id == "trend"
    assert chart_by_view("partners").chart_id == "ranking"  # the tab's name is an alias of its first chart
    assert chart_by_view("rank").chart_id == "rank_history"
    assert CHARTS["table"].formats == ("csv", "xlsx")
    assert chart_by_id("ranking").title == "Top partners"
    with pytest.raises(UnknownChart):
        chart_by_id("pie")
    with pytest.raises(UnknownChart):
        chart_by_view("pie")


def test_the_view_comes_from_the_url_as_the_page_resolves_it(queries: TradeQueries, tiny_store: Path) -> None:
    settings = Settings(store_dir=tiny_store)
    state = view_state_from_search(
        queries,
        settings,
        "view=partners&reporter=AZE&partner=TUR&period=2018&measure=exports&top=10&map=imports",
    )
    assert state == dataclasses.replace(
        STATE, partner="TUR", period="2018", measure="exports", top=10, view="partners", map_measure="imports"
    )
    # An old link's `year` is the period; a month in another frequency and source.
    assert view_state_from_search(queries, settings, "partner=TUR&year=2018").period == "2018"
    monthly = view_state_from_search(queries, settings, "freq=monthly&period=2020-07&partners=ITA,TUR")
    assert (monthly.frequency, monthly.period, monthly.source, monthly.compare) == (
        "monthly",
        "2020-07",
        "customs_az",
        ("ITA", "TUR"),
    )
    # Nonsense falls back to the defaults, as a shared link does on the page.
    assert view_state_from_search(queries, settings, "partner=XXX&year=abc") == STATE
    assert view_state_from_search(queries, settings, None) == STATE


def test_trend_data_are_the_stored_figures_with_their_cells(queries: TradeQueries) -> None:
    figure, data, metadata = build_chart(queries, "trend", STATE, link=LINK)
    assert isinstance(figure, go.Figure) and len(figure.data) == 4
    assert data["period"].tolist() == ["2017", "2018", "2019"]
    assert data["derived"].tolist() == [False] * 3
    assert data["exports_usd"].tolist() == [3000 * M, 4000 * M, 5000 * M]
    assert data["imports_usd"].tolist() == [250 * M, 300 * M, 400 * M]
    assert data["turnover_usd"].tolist() == [3250 * M, 4300 * M, 5400 * M]
    assert data["balance_usd"].tolist() == [2750 * M, 3700 * M, 4600 * M]
    # The provenance the tiny store holds: row i of TINY_ROWS is cell A{i+2} of the reporter's workbook.
    assert data["exports_origin"].tolist() == [
        "DOTS_AZE.xlsx!'Exports, FOB'!A2",
        "DOTS_AZE.xlsx!'Exports, FOB'!A6",
        "DOTS_AZE.xlsx!'Exports, FOB'!A15",
    ]
    assert data["imports_origin"].tolist()[-1] == "DOTS_AZE.xlsx!'Imports, CIF'!A16"
    assert metadata.title == "Azerbaijan\u2019s trade with Italy"
    assert metadata.subtitle == SUBTITLE
    assert metadata.source == SOURCE
    assert metadata.release == "Release 2024-06-30."
    assert metadata.licences == ("IMF terms of use",)
    assert metadata.source_urls == ("https://data.imf.org/",)
    assert metadata.link == LINK
    assert dict(metadata.query) == {
        "reporter": "AZE",
        "partner": "ITA",
        "period": "2019",
        "measure": "turnover",
        "top": "15",
        "compare": "ITA,TUR,RUS",
        "frequency": "annual",
        "source": "imf_dots",
        "flows": "exports,imports,turnover,balance",
        "view": "bilateral",
        "map_measure": "turnover",
        "lang": "en",
    }


def test_ranking_data_rank_and_share_of_the_world_total(queries: TradeQueries) -> None:
    _, data, metadata = build_chart(queries, "ranking", STATE)
    world = (8000 + 5000) * M
    assert data["partner"].tolist() == ["ITA", "TUR", "RUS"]  # groups (EUU, WLD) are not ranked
    assert data["rank"].tolist() == [1, 2, 3]
    assert data["value_usd"].tolist() == [5400 * M, 2500 * M, 2100 * M]
    assert data["share"].tolist() == pytest.approx([5400 / 13000, 2500 / 13000, 2100 / 13000])
    assert data["reporter_total_usd"].tolist() == [world] * 3
    assert data["estimated"].tolist() == [False, True, False]  # TUR's 2019 imports are an estimate
    assert metadata.title == "Top 15 partners by turnover, 2019 (Azerbaijan)"
    assert "Open markers are the source's estimates." in metadata.notes


def test_comparison_data_leave_missing_years_out(queries: TradeQueries) -> None:
    _, data, metadata = build_chart(queries, "comparison", STATE)
    rows = {(p, y): v for p, y, v in zip(data["partner"], data["period"], data["value_usd"], strict=True)}
    assert rows == {
        ("ITA", "2017"): 3250 * M,
        ("ITA", "2018"): 4300 * M,
        ("ITA", "2019"): 5400 * M,
        ("TUR", "2017"): 1800 * M,
        ("TUR", "2018"): 2100 * M,
        ("TUR", "2019"): 2500 * M,
        ("RUS", "2018"): 200 * M,  # exports only: turnover is partial, never imports counted as zero
        ("RUS", "2019"): 2100 * M,
    }
    assert data["value_usd"].tolist() == data["turnover_usd"].tolist()
    partial = data[data["partial"]]
    assert list(zip(partial["partner"], partial["period"], strict=True)) == [("RUS", "2018")]
    assert metadata.subtitle == SUBTITLE


# --- the footer of the HTML page (and, by field, of the About sheet) ---------------------------------------


def metadata(**changes: object) -> ChartMetadata:
    base = ChartMetadata(
        chart_id="trend",
        title="Azerbaijan\u2019s trade with Italy",
        subtitle="Annual, 2017–2019",
        source=SOURCE,
        release="Release 2024-06-30.",
        licences=("IMF terms of use",),
        source_urls=("https://data.imf.org/",),
        query=(("reporter", "AZE"), ("partner", "ITA")),
        link=LINK,
    )
    return ChartMetadata(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def test_footer_lines_name_source_release_licence_definitions_units_and_link() -> None:
    lines = footer_lines(metadata(), width=150)
    assert all(len(line) <= 150 for line in lines)
    text = " ".join(lines)
    assert lines[0].startswith(SOURCE + " Release 2024-06-30. Licence: IMF terms of use.")
    assert "Turnover = exports + imports" in text
    assert "valued FOB" in text and "CIF" in text
    assert "Balance = exports − imports" in text
    assert "Units: US dollars, full units" in text
    assert lines[-1] == f"Link: {LINK}"


def test_a_long_link_keeps_its_own_unbroken_line() -> None:
    link = "http://example.org/?" + "&".join(f"p{i}=v{i}" for i in range(60))
    assert footer_lines(metadata(link=link), width=80)[-1] == f"Link: {link}"
    assert not any(line.startswith("Link") for line in footer_lines(metadata(link=""), width=80))


def test_the_exported_figure_has_title_and_a_two_line_footer_below_the_plot() -> None:
    figure = go.Figure(go.Scatter(x=[2018, 2019], y=[1, 2]), layout={"height": 420})
    exported = figure_with_footer(figure, metadata(title="<b>Trade</b> & more"))
    assert figure.layout.title.text is None and not figure.layout.annotations  # the page figure is untouched
    assert exported.layout.width == 1200
    margin = exported.layout.margin
    assert exported.layout.height - margin.t - margin.b == 420  # the plot keeps the page's height
    assert exported.layout.title.text == "<b>&lt;b&gt;Trade&lt;/b&gt; &amp; more</b>"  # data text escaped
    assert exported.layout.title.subtitle.text == "Annual, 2017–2019"
    source, link = exported.layout.annotations
    assert source.text == SOURCE.rstrip(".")  # hand-made metadata: its source as written
    assert link.text == "127.0.0.1:8050/?reporter=AZE&amp;partner=ITA&amp;year=2019"
    assert all(note.yanchor == "top" and note.y == 0 and note.yshift < 0 for note in (source, link))
    # The definitions stay in the HTML page and the About sheet, not under the chart.
    assert not any("Turnover" in note.text for note in exported.layout.annotations)


# --- CSV -------------------------------------------------------------------------------------------------


def test_csv_holds_the_store_values_in_whole_dollars(queries: TradeQueries) -> None:
    exported = export_chart(queries, "trend", STATE, fmt="csv", link=LINK)
    assert exported.filename == "trend-AZE-ITA-2019.csv"
    assert exported.media_type == "text/csv"
    table = read_csv(exported.content)
    assert table.columns.tolist() == [
        "reporter",
        "reporter_name",
        "partner",
        "partner_name",
        "source_id",
        "frequency",
        "period",
        "label",
        "exports_usd",
        "imports_usd",
        "turnover_usd",
        "balance_usd",
        "partial",
        "estimated",
        "derived",
        "exports_origin",
        "imports_origin",
        "source",
        "release",
    ]
    first = table.iloc[0].to_dict()
    assert first == {
        "reporter": "AZE",
        "reporter_name": "Azerbaijan",
        "partner": "ITA",
        "partner_name": "Italy",
        "source_id": "imf_dots",
        "frequency": "annual",
        "period": "2017",
        "label": "2017",
        "exports_usd": "3000000000",
        "imports_usd": "250000000",
        "turnover_usd": "3250000000",
        "balance_usd": "2750000000",
        "partial": "False",
        "estimated": "False",
        "derived": "False",
        "exports_origin": "DOTS_AZE.xlsx!'Exports, FOB'!A2",
        "imports_origin": "DOTS_AZE.xlsx!'Imports, CIF'!A3",
        "source": SOURCE,
        "release": "Release 2024-06-30.",
    }
    assert table["exports_usd"].tolist() == ["3000000000", "4000000000", "5000000000"]


def test_csv_leaves_missing_figures_empty_not_zero(make_store: Callable[..., Path]) -> None:
    rows = [r for r in TINY_ROWS if not (r[1] == "ITA" and r[2] == "import" and r[3] == 2018)]
    queries = QueryStore(make_store(rows)).current()
    try:
        table = read_csv(export_chart(queries, "trend", STATE, fmt="csv").content)
    finally:
        queries.close()
    row_2018 = table[table["period"] == "2018"].iloc[0]
    assert row_2018["imports_usd"] == "" and row_2018["balance_usd"] == ""
    assert row_2018["turnover_usd"] == "4000000000" and row_2018["partial"] == "True"


def test_dollars_with_cents_are_kept_not_rounded() -> None:
    frame = pd.DataFrame({"value_usd": [5_460_000.5, float("nan")], "share": [0.5, 0.25]})
    table = data_table(frame, metadata())
    assert table["value_usd"].tolist()[0] == 5_460_000.5
    whole = data_table(pd.DataFrame({"value_usd": [5_460_000.0, float("nan")]}), metadata())
    assert str(whole["value_usd"].dtype) == "Int64" and whole["value_usd"].tolist()[0] == 5_460_000


def test_hostile_names_are_neutralised_in_csv(make_store: Callable[..., Path]) -> None:
    queries = QueryStore(make_store(TINY_ROWS, areas=HOSTILE_AREAS)).current()
    try:
        table = read_csv(export_chart(queries, "comparison", STATE, fmt="csv").content)
    finally:
        queries.close()
    assert sorted(set(table["partner_name"])) == sorted(
        "'" + HOSTILE_NAMES[code] for code in ("ITA", "TUR", "RUS")
    )
    for column in table.columns:
        if column.endswith("_usd"):
            # Numbers stay numbers (a negative balance is not a formula): digits with an optional minus.
            assert table[column].str.fullmatch(r"-?\d*").all(), column
        else:
            assert not table[column].str.match(r"^[=+\-@]").any(), column


# --- XLSX ------------------------------------------------------------------------------------------------


def test_xlsx_has_the_data_and_an_about_sheet(queries: TradeQueries) -> None:
    exported = export_chart(queries, "ranking", STATE, fmt="xlsx", link=LINK)
    assert exported.filename == "ranking-AZE-ITA-2019.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(exported.content))
    assert book.sheetnames == ["Data", "About"]
    data = book["Data"]
    header = [cell.value for cell in data[1]]
    assert header[:11] == [
        "reporter",
        "source_id",
        "frequency",
        "period",
        "label",
        "measure",
        "rank",
        "partner",
        "partner_name",
        "kind",
        "value_usd",
    ]
    rows = [dict(zip(header, (cell.value for cell in row), strict=True)) for row in data.iter_rows(min_row=2)]
    assert [(r["rank"], r["partner"], r["value_usd"]) for r in rows] == [
        (1, "ITA", 5_400_000_000),
        (2, "TUR", 2_500_000_000),
        (3, "RUS", 2_100_000_000),
    ]
    assert rows[0]["share"] == pytest.approx(5400 / 13000)
    assert rows[0]["source"] == SOURCE
    value_column = header.index("value_usd") + 1
    assert data.cell(row=2, column=value_column).number_format == "#,##0"
    assert data.cell(row=2, column=header.index("share") + 1).number_format == "0.00%"

    about = {}
    definitions = []
    for field, value in book["About"].iter_rows(min_row=2, values_only=True):
        if field == "Definition":
            definitions.append(value)
        else:
            about[field] = value
    assert about["Title"] == "Top 15 partners by turnover, 2019 (Azerbaijan)"
    assert about["Source"] == SOURCE
    assert about["Release"] == "Release 2024-06-30."
    assert about["Licence"] == "IMF terms of use"
    assert about["Source website"] == "https://data.imf.org/"
    assert about["Units"].startswith("US dollars, full units")
    assert about["Query: reporter"] == "AZE"
    assert about["Query: period"] == "2019"
    assert about["Query: frequency"] == "annual"
    assert about["Query: measure"] == "turnover"
    assert about["Query: compare"] == "ITA,TUR,RUS"
    assert about["Link"] == LINK
    assert definitions == list(DEFINITIONS)


def test_hostile_names_are_text_not_formulas_in_xlsx(make_store: Callable[..., Path]) -> None:
    queries = QueryStore(make_store(TINY_ROWS, areas=HOSTILE_AREAS)).current()
    try:
        content = export_chart(queries, "trend", STATE, fmt="xlsx", link="=cmd").content
    finally:
        queries.close()
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not [t for t in texts if re.match(r"^[=+\-@]", t)]
    assert "'" + HOSTILE_NAMES["ITA"] in texts  # the partner name, kept whole behind the quote
    about = dict(book["About"].iter_rows(min_row=2, values_only=True))
    assert about["Title"] == "'" + HOSTILE_NAMES["AZE"] + "\u2019s trade with " + HOSTILE_NAMES["ITA"]
    assert about["Link"] == "'=cmd"


def test_about_rows_in_order() -> None:
    fields = [field for field, _ in about_rows(metadata(notes=("A note.",)))]
    assert fields[:6] == ["Title", "Subtitle", "Chart", "Source", "Release", "Licence"]
    assert fields[-3:] == ["Query: reporter", "Query: partner", "Link"]
    assert "Note" in fields and fields.count("Definition") == len(DEFINITIONS)


def test_xlsx_of_the_data_alone() -> None:
    frame = pd.DataFrame({"partner": pd.Categorical(["ITA"]), "value_usd": [1.0]})
    book = openpyxl.load_workbook(io.BytesIO(data_xlsx(frame, metadata())))
    assert [c.value for c in book["Data"][2]] == ["ITA", 1, SOURCE, "Release 2024-06-30."]


# --- HTML ------------------------------------------------------------------------------------------------


def test_html_is_self_contained_with_plotly_inline(queries: TradeQueries) -> None:
    exported = export_chart(queries, "trend", STATE, fmt="html", link=LINK)
    assert exported.filename == "trend-AZE-ITA-2019.html"
    page = exported.content.decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script src" not in page  # nothing loaded from a CDN or any other address
    assert re.search(r"plotly\.js v\d+\.\d+\.\d+", page)  # the library itself is inlined
    assert "Plotly.newPlot" in page
    assert "<title>Azerbaijan\u2019s trade with Italy</title>" in page
    assert f"<p>{SOURCE} Release 2024-06-30. Licence: IMF terms of use.</p>" in page
    assert "Turnover = exports + imports" in page
    assert "Query: reporter=AZE; partner=ITA; period=2019; measure=turnover;" in page
    assert '<a href="http://127.0.0.1:8050/?reporter=AZE&amp;partner=ITA&amp;year=2019">' in page


def test_html_escapes_names_and_never_links_a_script(make_store: Callable[..., Path]) -> None:
    queries = QueryStore(make_store(TINY_ROWS, areas=HOSTILE_AREAS)).current()
    try:
        page = export_chart(queries, "comparison", STATE, fmt="html", link="javascript:alert(1)").content
    finally:
        queries.close()
    text = page.decode("utf-8")
    assert "<script>alert(1)</script>" not in text
    assert 'href="javascript:' not in text
    assert "<p>Link: javascript:alert(1)</p>" in text


def test_chart_html_of_an_empty_chart() -> None:
    text = chart_html(go.Figure(), metadata(link="", subtitle=""))
    assert "<p>Link:" not in text and '<p class="subtitle">' not in text


def test_filenames_are_safe() -> None:
    assert export_filename("trend", ("AZE", "ITA", 2019), "png") == "trend-AZE-ITA-2019.png"
    assert export_filename("trend", ("../../etc", None, ""), "csv") == "trend-etc.csv"


def test_an_unknown_format_is_refused(queries: TradeQueries) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export_chart(queries, "trend", STATE, fmt="gif")
    with pytest.raises(ValueError, match="ImageEngine"):
        export_chart(queries, "trend", STATE, fmt="png")


def test_choreographers_ignored_pipe_errors_stay_off_stderr() -> None:
    """A split browser message is logged by choreographer with a traceback and ignored; the export still
    succeeds, so the CLI's stderr must not carry it (it read as a failure)."""
    import logging

    import logistro

    from dashboard.export import QUIETED_LOGGER, ImageEngine

    engine = ImageEngine()
    try:
        engine.render(go.Figure(), fmt="svg", width=100, height=100)
    finally:
        engine.close()
    quieted = logistro.getLogger(QUIETED_LOGGER)
    assert hasattr(quieted, "debug2")  # still choreographer's own logger class
    assert not quieted.isEnabledFor(logging.ERROR) and quieted.isEnabledFor(logging.CRITICAL)


def test_the_files_of_an_italian_or_russian_view_are_written_in_its_language(queries: TradeQueries) -> None:
    italian = dataclasses.replace(STATE, lang="it")
    book = openpyxl.load_workbook(io.BytesIO(export_chart(queries, "ranking", italian, fmt="xlsx").content))
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    assert about["Titolo"].startswith("Primi 15 partner per interscambio, 2019")
    assert about["Fonte"].startswith(
        "Fonte: IMF, Direction of Trade Statistics (DOTS); dichiarato da: Azerbaigian"
    )
    assert about["Unità"].startswith("Dollari USA, unità intere")
    assert "Definizione" in about and "Definition" not in about
    page = export_chart(queries, "trend", dataclasses.replace(STATE, lang="ru"), fmt="html").content.decode()
    assert '<html lang="ru">' in page
    assert "<h1>Торговля: Азербайджан — Италия</h1>" in page and "Определения:" in page
    assert "Definitions" not in page
