"""Exported images are laid out, not hoped: for every chart the registry exports as an image, every size
preset and every language, no two texts overlap and none leaves the canvas.

Each SVG is measured in a real Chromium (the boxes the browser draws, not estimates): title, subtitle,
legend entries, footer lines, axis titles, tick labels, bar labels. Tick labels of one axis are not
checked against each other (plotly thins them itself). PNG and PDF are the same figure, so for them the
size is checked (every chart at every size): PNG pixels from its header, the PDF page from its MediaBox. One warm kaleido engine
renders everything and one browser page measures it, to keep the module fast.
"""

from __future__ import annotations

import dataclasses
import html
import re
import struct
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import combinations
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import pytest
from playwright.sync_api import Page, sync_playwright

from dashboard.export import TABS, ChartMetadata, ImageEngine
from dashboard.export_layout import SIZES, figure_with_footer, short_link, source_line
from dashboard.i18n import LANGUAGES, label
from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore
from dashboard.registry import CHARTS, build_chart, image_link_keys
from dashboard.state import ViewState
from tests.dashboard.export_fixtures import session_engine
from tests.dashboard.stores import AREAS, TINY_ROWS, publish_rows
from tests.reliability.counts import LONG

CHROMIUM = Path("/usr/bin/chromium")
LINK = "http://127.0.0.1:8050/"
# A partner whose name is long enough to wrap the title and widen the ranking's axis.
LONG_NAME = "Italy (the Italian Republic, with San Marino and the Vatican City State, as customs territory)"
IMAGE_CHARTS = tuple(chart_id for chart_id, chart in CHARTS.items() if "png" in chart.formats)
SOURCE_IDS = (
    "imf_dots",
    "imf_imts",
    "customs_az",
)  # the ids of the fixture store's sources: never shown as text
A4_POINTS = (841.89, 595.28)

# Collects every visible text of the SVG with its box and the key of the group it belongs to: texts with the
# same key (the tick labels of one axis) are not compared with each other.
MEASURE = """
(svgs) => {
  const holder = document.getElementById('holder');
  return svgs.map((svg) => {
    holder.innerHTML = svg;
    const root = holder.querySelector('svg');
    const origin = root.getBoundingClientRect();
    const texts = [];
    root.querySelectorAll('text').forEach((node, index) => {
      const box = node.getBoundingClientRect();
      const content = node.textContent.trim();
      if (!content || box.width === 0 || box.height === 0) return;
      const group = node.parentNode.getAttribute('class') || '';
      const tick = /tick$/.test(group) ? group : '';
      texts.push({
        text: content,
        key: tick || ('text-' + index),
        tick: tick,
        x0: box.left - origin.left, y0: box.top - origin.top,
        x1: box.right - origin.left, y1: box.bottom - origin.top,
      });
    });
    return {width: origin.width, height: origin.height, texts: texts};
  });
}
"""


@pytest.fixture(scope="module")
def queries(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TradeQueries]:
    areas = tuple((code, LONG_NAME if code == "ITA" else name, kind) for code, name, kind in AREAS)
    store_dir = tmp_path_factory.mktemp("layout-store")
    publish_rows(store_dir, TINY_ROWS, areas=areas)
    q = QueryStore(store_dir).current()
    yield q
    q.close()


@pytest.fixture(scope="module")
def engine() -> ImageEngine:
    if not CHROMIUM.is_file():
        pytest.fail("image exports need Chromium: `apt-get install -y chromium`", pytrace=False)
    return session_engine()


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        page = browser.new_page()
        page.set_content('<html><body style="margin:0"><div id="holder"></div></body></html>')
        yield page
        browser.close()


Case = tuple[str, str, str]  # chart id, size, language


@pytest.fixture(scope="module")
def exported(queries: TradeQueries) -> dict[Case, go.Figure]:
    """Every image chart at every size in every language, laid out for export."""
    figures: dict[Case, go.Figure] = {}
    for chart_id in IMAGE_CHARTS:
        chart = CHARTS[chart_id]
        for lang in LANGUAGES:
            state = ViewState(
                "AZE",
                "ITA",
                "2019",
                compare=("ITA", "TUR", "RUS"),
                source="imf_dots",
                view=chart.tab,
                lang=lang,
            )
            figure, _, metadata = build_chart(queries, chart_id, state, link=LINK + "?" + _search(state))
            keys = image_link_keys(queries, chart, state)
            for size in SIZES:
                figures[chart_id, size, lang] = figure_with_footer(
                    figure, metadata, size=size, lang=lang, link_keys=keys
                )
    return figures


def _search(state: ViewState) -> str:
    from dashboard.state import to_search

    return to_search(state).lstrip("?")


def _rendered(engine: ImageEngine, figures: dict[Case, go.Figure], fmt: str) -> dict[Case, bytes]:
    """Every figure as `fmt`, as many at once as the engine has browser tabs."""

    def image(case: Case) -> bytes:
        figure = figures[case]
        scale = SIZES[case[1]].png_scale if fmt == "png" else 1.0
        return engine.render(
            figure, fmt=fmt, width=figure.layout.width, height=figure.layout.height, scale=scale
        )

    with ThreadPoolExecutor(max_workers=TABS) as pool:
        return dict(zip(figures, pool.map(image, figures), strict=True))


def _checked(exported: dict[Case, go.Figure]) -> dict[Case, go.Figure]:
    """The cases measured: with RELIABILITY=long every chart × size × language; in the quick suite every
    language at the tightest size (the 1200×675 card), and the other sizes in each language in turn (so the
    suite keeps to its 6 minutes on 2 cores), every chart and size still measured."""
    if LONG:
        return exported
    charts = list(dict.fromkeys(c for c, _, _ in exported))
    sizes = list(dict.fromkeys(s for _, s, _ in exported))
    return {
        (c, s, lang): figure
        for (c, s, lang), figure in exported.items()
        if s == "social" or lang == LANGUAGES[(charts.index(c) + sizes.index(s)) % len(LANGUAGES)]
    }


@pytest.fixture(scope="module")
def measured(engine: ImageEngine, page: Page, exported: dict[Case, go.Figure]) -> dict[Case, dict[str, Any]]:
    svgs = _rendered(engine, _checked(exported), "svg")
    cases = list(svgs)
    boxes = page.evaluate(MEASURE, [svgs[c].decode("utf-8") for c in cases])
    return dict(zip(cases, boxes, strict=True))


def _overlap(a: dict[str, Any], b: dict[str, Any], tolerance: float = 0.5) -> bool:
    return (
        min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > tolerance
        and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > tolerance
    )


def test_no_text_overlaps_another_or_leaves_the_canvas(
    exported: dict[Case, go.Figure], measured: dict[Case, dict[str, Any]]
) -> None:
    problems: list[str] = []
    for case, image in measured.items():
        figure = exported[case]
        assert (image["width"], image["height"]) == (figure.layout.width, figure.layout.height)
        texts = image["texts"]
        assert len(texts) >= 4, case
        for text in texts:
            inside = (
                text["x0"] >= -0.5
                and text["y0"] >= -0.5
                and text["x1"] <= image["width"] + 0.5
                and text["y1"] <= image["height"] + 0.5
            )
            if not inside:
                problems.append(f"{case}: {text['text']!r} leaves the canvas {text}")
        for a, b in combinations(texts, 2):
            if a["key"] != b["key"] and _overlap(a, b):
                problems.append(f"{case}: {a['text']!r} overlaps {b['text']!r}")
    assert not problems, "\n".join(problems)


def test_title_subtitle_and_a_footer_of_two_lines_naming_the_source(
    queries: TradeQueries, exported: dict[Case, go.Figure], measured: dict[Case, dict[str, Any]]
) -> None:
    for (chart_id, size, lang), figure in exported.items():
        footer = [
            html.unescape(a.text) for a in figure.layout.annotations if a.font.size == SIZES[size].footer_font
        ]
        assert len(footer) == 2 and not any("<br>" in line for line in footer)
        source, link = footer
        assert source.startswith(label(lang, "export.source").format(source="")), source
        assert link.startswith(f"127.0.0.1:8050/?view={CHARTS[chart_id].tab}&") and link.endswith(
            f"lang={lang}"
        )
        if (chart_id, size, lang) not in measured:
            continue  # not rendered in the quick suite (see _checked); its figure's footer is checked above
        texts = [t["text"] for t in measured[chart_id, size, lang]["texts"]]
        assert texts.count(source) == 1 and texts.count(link) == 1
        assert figure.layout.title.text.count("<br>") <= 1  # the title: at most two lines
        # Sources by their titles; the link leaves out the source the page would pick anyway.
        assert not any(source_id in text for text in texts for source_id in SOURCE_IDS)
    trend = exported["trend", "default", "en"]
    (source_text, link_text) = [html.unescape(a.text) for a in trend.layout.annotations][-2:]
    assert source_text == (
        "Source: IMF, Direction of Trade Statistics (DOTS), release 2024-06-30 · reported by Azerbaijan · "
        "exports FOB, imports CIF"
    )
    assert link_text == (
        "127.0.0.1:8050/?view=bilateral&reporter=AZE&partner=ITA&freq=annual&period=2019"
        "&flows=exports,imports,turnover,balance&lang=en"
    )
    # The long title wraps onto a second line instead of running off the canvas.
    assert trend.layout.title.text.count("<br>") == 1
    assert trend.layout.title.subtitle.text == "Annual, 2017 – 2019 · US dollars · as reported by Azerbaijan"


def test_the_legend_sits_above_the_plot_under_the_subtitle(measured: dict[Case, dict[str, Any]]) -> None:
    image = measured["trend", "default", "en"]
    boxes = {t["text"]: t for t in image["texts"]}
    legend = [boxes[name] for name in ("Exports", "Imports", "Turnover", "Balance")]
    subtitle = boxes["Annual, 2017 – 2019 · US dollars · as reported by Azerbaijan"]
    ticks = [t for t in image["texts"] if t["tick"]]
    footer = boxes[
        "Source: IMF, Direction of Trade Statistics (DOTS), release 2024-06-30 · reported by "
        "Azerbaijan · exports FOB, imports CIF"
    ]
    assert all(subtitle["y1"] <= entry["y0"] for entry in legend)
    assert all(entry["y1"] <= tick["y0"] for entry in legend for tick in ticks)
    assert all(tick["y1"] <= footer["y0"] for tick in ticks)


def _png_size(content: bytes) -> tuple[int, int]:
    assert content[:8] == b"\x89PNG\r\n\x1a\n" and content[12:16] == b"IHDR"
    width, height = struct.unpack(">II", content[16:24])
    return width, height


def _pdf_page(content: bytes) -> tuple[float, float]:
    assert content.startswith(b"%PDF-")
    found = re.search(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", content)
    assert found is not None
    x0, y0, x1, y1 = (float(v) for v in found.groups())
    return x1 - x0, y1 - y0


def test_png_and_pdf_have_the_size_of_their_preset(
    engine: ImageEngine, exported: dict[Case, go.Figure]
) -> None:
    # Every chart at every size, the languages taking turns: a file's size is its figure's (measured for every
    # language above), so rendering each language again would only repeat it (and cost the module ~15 s).
    pairs = [(chart_id, size) for chart_id in IMAGE_CHARTS for size in SIZES]
    files = {
        (c, s, LANGUAGES[i % len(LANGUAGES)]): exported[c, s, LANGUAGES[i % len(LANGUAGES)]]
        for i, (c, s) in enumerate(pairs)
    }
    files |= {case: exported[case] for case in (("ranking", "social", "en"), ("trend", "a4", "en"))}
    pngs = _rendered(engine, files, "png")
    pdfs = _rendered(engine, files, "pdf")
    for case, figure in files.items():
        preset = SIZES[case[1]]
        width, height = figure.layout.width, figure.layout.height
        assert width == preset.width and (preset.height is None or height == preset.height)
        assert _png_size(pngs[case]) == (round(width * preset.png_scale), round(height * preset.png_scale))
        page_width, page_height = _pdf_page(pdfs[case])
        assert page_width == pytest.approx(width * 0.75, abs=1) and page_height == pytest.approx(
            height * 0.75, abs=1
        )
    assert _png_size(pngs["ranking", "social", "en"]) == (1200, 675)  # the social card, pixel for pixel
    assert _pdf_page(pdfs["trend", "a4", "en"]) == pytest.approx(A4_POINTS, abs=1)  # an A4 landscape page


# --- the parts, without a browser --------------------------------------------------------------------------


def test_a_chart_without_rows_says_so_in_the_footer() -> None:
    metadata = ChartMetadata(
        chart_id="x",
        title="T",
        source="No rows selected, so no source to cite.",
        link="http://h:1/?view=map&reporter=AZE&source=s&lang=en",
    )
    exported = figure_with_footer(go.Figure(), metadata, size="social", lang="en")
    assert [html.unescape(a.text) for a in exported.layout.annotations] == [
        "No rows selected, so no source to cite",
        "h:1/?view=map&reporter=AZE&source=s&lang=en",
    ]
    assert source_line(metadata, "en") == "No rows selected, so no source to cite"
    bare = figure_with_footer(go.Figure(), ChartMetadata(chart_id="x", title="T"), size="a4")
    assert not bare.layout.annotations  # nothing to cite, no link: no footer at all


def test_the_link_names_a_source_only_when_the_view_needs_it(queries: TradeQueries) -> None:
    chart = CHARTS["trend"]
    annual = ViewState("AZE", "ITA", "2019", source="imf_dots", view="bilateral")
    assert queries.source_for("AZE", "annual") == "imf_dots"  # what the page picks without `source=`
    assert image_link_keys(queries, chart, annual) == (
        "view", "reporter", "partner", "freq", "period", "flows", "lang"
    )  # fmt: skip
    # Months: customs_az is preferred, so a view of imf_imts months must say so in its link.
    monthly = dataclasses.replace(annual, frequency="monthly", period="2020-03", source="imf_imts")
    assert queries.source_for("AZE", "monthly") == "customs_az"
    assert "source" in image_link_keys(queries, chart, monthly)
    assert image_link_keys(queries, dataclasses.replace(chart, reads=()), annual) == ()  # keeps everything


def test_the_short_link_keeps_the_parameters_the_chart_reads() -> None:
    link = "https://trade.example.org/?view=map&reporter=AZE&partner=ITA&flows=exports&map=exports&lang=az"
    assert short_link(link, ("view", "reporter", "map", "lang")) == (
        "trade.example.org/?view=map&reporter=AZE&map=exports&lang=az"
    )
    assert short_link(link) == link.removeprefix("https://")
    assert short_link("not a link") == "not a link"


def test_a_title_too_long_for_two_lines_is_shortened_never_cut(queries: TradeQueries) -> None:
    figure, _, metadata = build_chart(queries, "trend", ViewState("AZE", "ITA", "2019", source="imf_dots"))
    long = dataclasses.replace(metadata, title=" ".join([metadata.title] * 6), subtitle=metadata.subtitle * 5)
    for size in SIZES:
        exported = figure_with_footer(figure, long, size=size)
        lines = exported.layout.title.text.split("<br>")
        assert len(lines) == 2 and lines[-1].endswith("…</b>")
        assert exported.layout.title.subtitle.text.endswith("…")
