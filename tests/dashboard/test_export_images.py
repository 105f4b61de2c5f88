"""PNG, SVG and PDF rendered by kaleido on the system Chromium, and every way the browser can be missing.

The renders share one warm engine for the session (a cold start costs seconds); the failure tests build
their own engines around a missing, dead or mute browser.
"""

from __future__ import annotations

import os
import struct
import time
from pathlib import Path

import plotly.graph_objects as go
import pytest
from defusedxml import ElementTree

from dashboard.export import (
    BrowserMissing,
    ChartMetadata,
    ExportUnavailable,
    ImageEngine,
    chart_image,
    find_browser,
)
from dashboard.export_layout import SIZES, figure_with_footer
from dashboard.queries.answers import TradeQueries
from dashboard.registry import CHARTS, export_chart
from dashboard.state import ViewState
from tests.dashboard.export_fixtures import session_engine

SVG = "{http://www.w3.org/2000/svg}"
LINK = "http://127.0.0.1:8050/?reporter=AZE&partner=ITA&year=2019"
STATE = ViewState("AZE", "ITA", "2019", compare=("ITA", "TUR", "RUS"), source="imf_dots")
PNG_SCALE = SIZES["default"].png_scale
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def engine() -> ImageEngine:
    if not CHROMIUM.is_file() and not os.environ.get("BROWSER_PATH"):
        pytest.fail("image exports need Chromium: `apt-get install -y chromium`", pytrace=False)
    return session_engine()


def png_size(content: bytes) -> tuple[int, int]:
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    assert content[12:16] == b"IHDR"
    width, height = struct.unpack(">II", content[16:24])
    return width, height


def svg_texts(content: bytes) -> list[str]:
    """Every text of the image, and each line of a text of several lines (plotly's <tspan class="line">)."""
    root = ElementTree.fromstring(content)
    assert root.tag == f"{SVG}svg"
    texts = ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]
    lines = ["".join(node.itertext()) for node in root.iter(f"{SVG}tspan") if node.get("class") == "line"]
    return texts + lines


@pytest.mark.parametrize("chart_id", [c for c, chart in CHARTS.items() if "png" in chart.formats])
def test_every_chart_as_png_svg_and_pdf(engine: ImageEngine, queries: TradeQueries, chart_id: str) -> None:
    png = export_chart(queries, chart_id, STATE, fmt="png", link=LINK, engine=engine)
    assert png.filename == f"{chart_id}-AZE-ITA-2019.png" and png.media_type == "image/png"
    width, height = png_size(png.content)
    assert width == 1200 * PNG_SCALE

    svg = export_chart(queries, chart_id, STATE, fmt="svg", link=LINK, engine=engine)
    root = ElementTree.fromstring(svg.content)
    assert root.get("width") == "1200" and int(root.get("height")) * PNG_SCALE == height
    texts = svg_texts(svg.content)
    # The footer is in the image itself, two lines: the source by its name with its release, who reported
    # and the valuation; then the link without its scheme. The definitions stay in the HTML and the data.
    assert (
        "Source: IMF, Direction of Trade Statistics (DOTS), release 2024-06-30 · reported by Azerbaijan · "
        "exports FOB, imports CIF"
    ) in texts
    # The link keeps the parameters the chart reads (this old-style link's `year` is none of them).
    assert any(t.startswith("127.0.0.1:8050/?reporter=AZE") and "year" not in t for t in texts)
    assert not any("Turnover = exports + imports" in t or "imf_dots" in t for t in texts)

    pdf = export_chart(queries, chart_id, STATE, fmt="pdf", link=LINK, engine=engine)
    assert pdf.content.startswith(b"%PDF-")
    assert pdf.content.rstrip().endswith(b"%%EOF")
    assert pdf.media_type == "application/pdf"


def test_the_titles_are_in_the_images(engine: ImageEngine, queries: TradeQueries) -> None:
    texts = svg_texts(export_chart(queries, "trend", STATE, fmt="svg", engine=engine).content)
    assert "Azerbaijan\u2019s trade with Italy" in texts
    assert "Annual, 2017 – 2019 · US dollars · as reported by Azerbaijan" in texts
    texts = svg_texts(export_chart(queries, "ranking", STATE, fmt="svg", engine=engine).content)
    assert "Top 15 partners by turnover, 2019 (Azerbaijan)" in texts
    assert "1. Italy" in texts and "$5.40 bn · 41.5%" in texts  # 5,400 M of a World total of 13,000 M


def test_one_warm_browser_serves_every_image(engine: ImageEngine) -> None:
    figure = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    engine.render(figure, fmt="svg", width=300, height=200)
    browser = engine._kaleido
    assert engine.running and browser is not None
    started = time.perf_counter()
    for _ in range(3):
        assert engine.render(figure, fmt="png", width=300, height=200)[:4] == b"\x89PNG"
    assert engine._kaleido is browser  # the same browser: no start per image
    # Warm images take a fraction of a second here; a cold start (a browser per image) takes seconds.
    assert (time.perf_counter() - started) / 3 < 2.0


def test_the_image_engine_refuses_a_non_image_format(engine: ImageEngine) -> None:
    with pytest.raises(ValueError, match="not an image format"):
        engine.render(go.Figure(), fmt="html", width=10, height=10)


def test_chart_image_adds_the_footer(engine: ImageEngine) -> None:
    metadata = ChartMetadata(
        chart_id="x", title="A <title> & co", source="Source: a test.", link="http://x/?a=1&b=2"
    )
    content = chart_image(engine, go.Figure(go.Scatter(x=[1, 2], y=[1, 2])), metadata, fmt="svg")
    texts = svg_texts(content)
    assert "A <title> & co" in texts and "Source: a test" in texts and "x/?a=1&b=2" in texts
    exported = figure_with_footer(go.Figure(), metadata)
    root = ElementTree.fromstring(content)
    assert int(root.get("height")) == exported.layout.height


# --- no browser, a dead browser, a mute browser, a slow render ---------------------------------------------


def test_a_missing_browser_is_named_with_the_fix(tmp_path: Path) -> None:
    missing = tmp_path / "no-chromium"
    engine = ImageEngine(browser=missing)
    with pytest.raises(BrowserMissing) as caught:
        engine.render(go.Figure(), fmt="png", width=100, height=100)
    message = str(caught.value)
    assert f"no browser at {missing}" in message
    assert "apt-get install -y chromium" in message and "BROWSER_PATH" in message
    assert "HTML, CSV and XLSX exports work without it" in message
    assert not engine.running


def test_browser_path_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "chrome"
    monkeypatch.setenv("BROWSER_PATH", str(missing))
    assert find_browser() == str(missing)
    with pytest.raises(BrowserMissing, match="no browser at"):
        ImageEngine().render(go.Figure(), fmt="svg", width=100, height=100)
    monkeypatch.delenv("BROWSER_PATH")
    assert find_browser() is not None  # Debian's chromium, found the way kaleido finds it


def test_a_file_that_is_not_executable_is_no_browser(tmp_path: Path) -> None:
    plain = tmp_path / "chromium"
    plain.write_text("not a program")
    with pytest.raises(BrowserMissing):
        ImageEngine(browser=plain).render(go.Figure(), fmt="pdf", width=100, height=100)


def test_a_browser_that_dies_at_start_is_reported(tmp_path: Path) -> None:
    dead = tmp_path / "chromium"
    dead.write_text("#!/bin/sh\nexit 1\n")
    dead.chmod(0o755)
    engine = ImageEngine(browser=dead, start_timeout=20)
    with pytest.raises(ExportUnavailable, match="could not be started") as caught:
        engine.render(go.Figure(), fmt="png", width=100, height=100)
    assert "HTML, CSV and XLSX exports work without it" in str(caught.value)
    assert not engine.running
    engine.close()  # waits for the failed start's clean-up


def process_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_a_browser_that_never_answers_times_out_and_is_killed(tmp_path: Path) -> None:
    # STACK.md's trap: a kaleido server whose browser does not start blocks its caller forever.
    mute = tmp_path / "chromium"
    pid_file = tmp_path / "pid"
    mute.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 120\n")
    mute.chmod(0o755)
    engine = ImageEngine(browser=mute, start_timeout=2)
    started = time.perf_counter()
    with pytest.raises(ExportUnavailable, match="did not answer within 2 s"):
        engine.render(go.Figure(), fmt="png", width=100, height=100)
    assert time.perf_counter() - started < 10  # the user hears at once
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 40
    while process_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not process_alive(pid), "the mute browser was left running"
    engine.close()


def test_a_render_that_times_out_is_abandoned_and_the_next_one_works() -> None:
    engine = ImageEngine(start_timeout=60, render_timeout=60)
    try:
        figure = go.Figure(go.Scatter(x=[1, 2], y=[2, 1]))
        engine.render(figure, fmt="svg", width=200, height=100)
        first = engine._kaleido
        engine.render_timeout = 0.000_001  # no render is that fast
        with pytest.raises(ExportUnavailable, match="not ready within"):
            engine.render(figure, fmt="png", width=200, height=100)
        assert not engine.running
        engine.render_timeout = 60
        assert engine.render(figure, fmt="pdf", width=200, height=100).startswith(b"%PDF-")
        assert engine._kaleido is not first  # a fresh browser replaced the abandoned one
    finally:
        engine.close()
    assert not engine.running


def test_a_forked_worker_starts_its_own_browser(engine: ImageEngine) -> None:
    # gunicorn --preload forks workers from a process that may have rendered already: the parent's browser
    # thread does not exist in the child, which must start its own instead of waiting on it forever.
    figure = go.Figure(go.Scatter(x=[1, 2], y=[1, 2]))
    engine.render(figure, fmt="png", width=100, height=100)
    parent_browser = engine._kaleido
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report on the pipe, never return into pytest
        os.close(read_end)
        try:
            fresh = not engine.running
            image = engine.render(figure, fmt="svg", width=100, height=100)
            own = engine.running and engine._kaleido is not parent_browser
            engine.close()
            os.write(write_end, f"{fresh} {image.startswith(b'<svg')} {own}".encode())
        except BaseException as exc:
            os.write(write_end, repr(exc).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    deadline = time.monotonic() + 90
    while os.waitpid(pid, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            pytest.fail("the forked worker's export never finished")
        time.sleep(0.2)
    with os.fdopen(read_end, "rb") as pipe:
        assert pipe.read().decode() == "True True True"
    assert engine._kaleido is parent_browser  # the parent's browser is untouched and still serves
    assert engine.render(figure, fmt="pdf", width=100, height=100).startswith(b"%PDF-")


def test_tabs_drawn_again_without_a_reload_give_the_same_images_and_pdfs_still_reload(
    engine: ImageEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kaleido reloads a tab's page after every image; the engine's tabs skip that after PNG and SVG (bench P4)
    but not after a PDF, which is printed from the page itself. Images come out the same either way."""
    import kaleido

    from dashboard import image_tabs

    assert image_tabs.reuses_tabs(), "kaleido's tab internals changed: dashboard/image_tabs.py falls back"
    reloads: list[str] = []
    handing_back = kaleido.Kaleido._return_kaleido_tab

    async def counted(self: object, tab: object) -> None:
        reloads.append(image_tabs._drawing.get() or "")
        await handing_back(self, tab)

    monkeypatch.setattr(kaleido.Kaleido, "_return_kaleido_tab", counted)
    figures = [
        go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout={"paper_bgcolor": "#fde"}),
        go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2]), layout={"title": {"text": "second"}}),
    ] * 2
    engine.render(figures[0], fmt="png", width=300, height=200)  # the browser started before counting
    reloads.clear()
    monkeypatch.setattr(image_tabs, "RELOAD_EVERY", 1)  # kaleido's own way: a reload after every image
    reloaded = engine.render_many(figures, fmt="png", width=300, height=200)
    assert len(reloads) == 4
    monkeypatch.setattr(image_tabs, "RELOAD_EVERY", 64)
    reloads.clear()
    kept = engine.render_many(figures, fmt="png", width=300, height=200)
    assert reloads == [] and kept == reloaded and kept[0] != kept[1]
    assert svg_texts(engine.render(figures[1], fmt="svg", width=300, height=200)).count("second") == 1
    assert reloads == []
    for figure in figures[:2]:
        assert engine.render(figure, fmt="pdf", width=300, height=200).startswith(b"%PDF-")
    assert reloads == ["pdf", "pdf"]
