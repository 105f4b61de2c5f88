"""Exports of a chart: images (PNG, SVG, PDF), a self-contained HTML page, and its data as CSV or XLSX.

(Over 400 lines: the image engine, the HTML page and both data files share one metadata block.)

The HTML page and the data files carry every fact of the chart on the page: its title, the source and
release, the definitions (FOB/CIF, turnover, balance), the units, the query (the view state) and the page
link. An image carries the title and a two-line footer (the source by name, release, reporter, valuation;
a short link), laid out in dashboard/export_layout.py.

Images are rendered by kaleido on the system Chromium through `ImageEngine`: one browser started on the
first image and kept warm (about 0.2 s per image instead of 2-3 s for a browser per image). The engine
checks that the browser exists before starting it and bounds every step with a timeout, because a
kaleido server whose browser did not start otherwise blocks its caller forever (STACK.md, "Chart
export"). Nothing here downloads a browser.

Text cells of CSV and XLSX files that a spreadsheet would run as a formula (`= + - @`) are neutralised
with a leading quote (`etl.tabular.neutralised`, the rule of every tabular export of the project).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import html
import io
import logging
import os
import re
import signal
import subprocess
import textwrap
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import openpyxl
import pandas as pd
import plotly.graph_objects as go
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dashboard.export_layout import SIZES, figure_with_footer
from dashboard.geo import GEO_TRACES, geo_assets_script, topojson_url
from dashboard.i18n import LANGUAGES, N_, plotly_locale_config, t
from etl.tabular import FORMULA_PREFIXES, neutralised

if TYPE_CHECKING:
    from dashboard.queries.model import SourceNote

_log = logging.getLogger(__name__)
# choreographer logs "JSONError decoding message. Ignoring" with a traceback when the browser's reply is split
# across pipe reads on a loaded machine, then carries on: the image is still written (or our timeout reports
# it). Its traceback on stderr read as a failure of an export that succeeded; only its critical errors pass.
# (Its logger comes from choreographer's own logging module: a plain logging.getLogger would lack its levels.)
QUIETED_LOGGER: Final = "choreographer.channels.pipe"

IMAGE_FORMATS: Final = ("png", "svg", "pdf")
DATA_FORMATS: Final = ("csv", "xlsx")
FORMATS: Final = (*IMAGE_FORMATS, "html", *DATA_FORMATS)
MEDIA_TYPES: Final = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# English msgids: the HTML page and the About sheet write them in the export's language (t(lang, ...)).
DEFINITIONS: Final = (
    N_(
        "Figures are as the reporter declares them: its exports valued FOB (free on board), its imports CIF "
        "(cost, insurance and freight); a partner's own (mirror) report of the same trade is a separate series."
    ),
    N_("Turnover = exports + imports (marked partial when only one flow is reported)."),
    N_("Balance = exports − imports, only when both flows are reported."),
    N_("Missing figures are left empty, never counted as zero."),
)
UNITS: Final = N_("US dollars, full units (never thousands or millions); shares are ratios (0.25 = 25 %).")

# Characters per footer line of the HTML page (its footer wraps by itself; the images have their own layout,
# dashboard/export_layout.py).
FOOTER_CHARS: Final = 150

BROWSER_HINT: Final = (
    "install it with `apt-get install -y chromium` or set BROWSER_PATH to a Chromium or Chrome executable"
)


@dataclass(frozen=True)
class ChartMetadata:
    """What an exported chart says about itself (all plain text; escaped wherever it is rendered).

    `source` e.g. `Source: IMF, Direction of Trade Statistics (DOTS); reported by Azerbaijan; exports FOB,
    imports CIF.`; `release` e.g. `Release 2024-06-30.`; `citation` the source note both come from;
    `query` the view state as (name, value) pairs;
    `link` the page that shows the chart (empty when unknown).
    """

    chart_id: str
    title: str
    subtitle: str = ""
    source: str = ""
    release: str = ""
    licences: tuple[str, ...] = ()
    source_urls: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    definitions: tuple[str, ...] = DEFINITIONS
    units: str = UNITS
    query: tuple[tuple[str, str], ...] = ()
    link: str = ""
    citation: SourceNote | None = None  # the parts of `source` the image footer names (None: no rows)
    lang: str = "en"  # the language the export is written in (the view's `lang`)

    def with_view(self, *, query: Mapping[str, object], link: str) -> ChartMetadata:
        """A copy naming the view state (values as text; sequences comma-separated) and the page link; the
        export is written in the view's language."""
        chosen = query.get("lang")
        lang = chosen if isinstance(chosen, str) and chosen in LANGUAGES else self.lang
        return replace(self, query=tuple((str(k), _text(v)) for k, v in query.items()), link=link, lang=lang)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (tuple, list)):
        return ",".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class ExportFile:
    """One exported file: its bytes, a safe file name and its media type."""

    content: bytes
    filename: str
    media_type: str


def export_filename(chart_id: str, parts: tuple[object, ...], fmt: str) -> str:
    """`trend-AZE-ITA-2019.png`: the chart id and the view's main choices, restricted to [A-Za-z0-9_-]."""
    words = [chart_id, *(str(p) for p in parts if p not in (None, ""))]
    stem = "-".join(re.sub(r"[^A-Za-z0-9_]+", "_", w).strip("_") for w in words)
    return f"{stem or 'chart'}.{fmt}"


# --- the footer of the HTML page (the images carry a shorter one: export_layout.py) ------------------------


def footer_lines(metadata: ChartMetadata, *, width: int = FOOTER_CHARS) -> list[str]:
    """The page's footer as plain-text lines of at most `width` characters: source and release, licence, notes,
    definitions, units and the link (a link longer than `width` keeps its own, unbroken line)."""
    lang = metadata.lang
    paragraphs: list[str] = []
    source = " ".join(part for part in (metadata.source, metadata.release) if part)
    if metadata.licences:
        source = f"{source} {t(lang, 'Licence')}: {'; '.join(metadata.licences)}.".strip()
    if source:
        paragraphs.append(source)
    paragraphs.extend(metadata.notes)
    paragraphs.append(t(lang, "Definitions") + ": " + " ".join(t(lang, d) for d in metadata.definitions))
    paragraphs.append(f"{t(lang, 'Units')}: {t(lang, metadata.units)}")
    lines = [line for paragraph in paragraphs for line in textwrap.wrap(paragraph, width) or [""]]
    if metadata.link:
        lines.append(f"{t(lang, 'Link')}: {metadata.link}")
    return lines


# --- HTML -------------------------------------------------------------------------------------------

_PAGE_STYLE = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1F2933;"
    "max-width:1240px;margin:24px auto;padding:0 16px}h1{font-size:1.4rem;margin:0}"
    ".subtitle{color:#52606D;margin:4px 0 12px}footer{color:#52606D;font-size:.85rem;border-top:1px solid "
    "#E4E7EB;margin-top:12px;padding-top:8px}footer p{margin:4px 0}"
)


def chart_html(figure: go.Figure, metadata: ChartMetadata) -> str:
    """A self-contained interactive page: plotly.js inlined (no CDN, works offline), the title above the
    chart and the footer (source, release, licence, definitions, units, query and link) below it. Months and
    numbers on its axes and in its hover texts are written in the export's language, as on the page (plotly's
    `locale` config with its CLDR dictionary handed in: no locale script to load)."""
    chart = figure.to_html(
        full_html=False,
        include_plotlyjs=True,
        include_mathjax=False,
        config={"displaylogo": False, "responsive": True, **plotly_locale_config(metadata.lang)},
        default_width="100%",
        default_height=f"{figure.layout.height or 420}px",
    )
    esc, lang = html.escape, metadata.lang
    footer = [f"<p>{esc(line)}</p>" for line in footer_lines(replace(metadata, link=""), width=10_000)]
    if metadata.query:
        query = "; ".join(f"{name}={value}" for name, value in metadata.query)
        footer.append(f"<p>{esc(t(lang, 'Query'))}: {esc(query)}</p>")
    for url in metadata.source_urls:
        if _is_web_link(url):
            footer.append(f'<p>{esc(t(lang, "Source website"))}: <a href="{esc(url)}">{esc(url)}</a></p>')
    if metadata.link:
        shown, word = esc(metadata.link), esc(t(lang, "Link"))
        footer.append(
            f'<p>{word}: <a href="{shown}">{shown}</a></p>'
            if _is_web_link(metadata.link)
            else f"<p>{word}: {shown}</p>"
        )
    if any(trace.type in GEO_TRACES for trace in figure.data):
        chart = geo_assets_script() + chart  # the map's outlines inlined too: offline, no CDN
    subtitle = f'<p class="subtitle">{esc(metadata.subtitle)}</p>' if metadata.subtitle else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(metadata.title)}</title>\n<style>{_PAGE_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{esc(metadata.title)}</h1>\n{subtitle}\n{chart}\n<footer>\n"
        + "\n".join(footer)
        + "\n</footer>\n</body>\n</html>\n"
    )


def _is_web_link(url: str) -> bool:
    # Only http(s) links become clickable: a `javascript:` link from a crafted URL must stay text.
    return url.startswith(("http://", "https://"))


# --- data: CSV and XLSX -------------------------------------------------------------------------------


def data_table(frame: pd.DataFrame, metadata: ChartMetadata) -> pd.DataFrame:
    """The frame as exported: `*_usd` columns in whole dollars when every value is whole (Int64, empty
    where missing), categoricals as text, and two last columns `source` and `release` so a CSV file on
    its own still names where its numbers come from."""
    table = frame.copy()
    for column in table.columns:
        series = table[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            table[column] = series.astype("object").where(series.notna(), None)
        elif str(column).endswith("_usd") and pd.api.types.is_float_dtype(series):
            finite = series.dropna()
            if (finite == finite.round()).all() and (finite.abs() < 2**53).all():
                table[column] = series.round().astype("Int64")
    table["source"] = metadata.source
    table["release"] = metadata.release
    return table


def data_csv(frame: pd.DataFrame, metadata: ChartMetadata) -> bytes:
    """UTF-8 CSV (with a byte-order mark, so spreadsheet programs read names such as Türkiye right)."""
    text = neutralised(data_table(frame, metadata)).to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8-sig")


def about_rows(metadata: ChartMetadata) -> list[tuple[str, str]]:
    """The About sheet, as (field, value) rows in order, in the export's language."""
    lang = metadata.lang
    rows: list[tuple[str, str]] = [(t(lang, "Title"), metadata.title)]
    if metadata.subtitle:
        rows.append((t(lang, "Subtitle"), metadata.subtitle))
    rows += [
        (t(lang, "Chart"), metadata.chart_id),
        (t(lang, "Source"), metadata.source),
        (t(lang, "Release"), metadata.release),
        (t(lang, "Licence"), "; ".join(metadata.licences)),
    ]
    rows += [(t(lang, "Source website"), url) for url in metadata.source_urls]
    rows += [(t(lang, "Note"), note) for note in metadata.notes]
    rows += [(t(lang, "Definition"), t(lang, text)) for text in metadata.definitions]
    rows.append((t(lang, "Units"), t(lang, metadata.units)))
    rows += [(f"{t(lang, 'Query')}: {name}", value) for name, value in metadata.query]
    rows.append((t(lang, "Link"), metadata.link))
    return rows


def data_xlsx(frame: pd.DataFrame, metadata: ChartMetadata) -> bytes:
    """An XLSX workbook: sheet `Data` (the table, header in bold, money as #,##0, shares as %) and sheet
    `About` (source, licence, release, definitions, units, the query and the link)."""
    table = neutralised(data_table(frame, metadata))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Data"
    sheet.append([_safe(str(c)) for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.itertuples(index=False, name=None):
        sheet.append([_cell(v) for v in row])
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        number_format = (
            "#,##0" if str(column).endswith("_usd") else "0.00%" if str(column) == "share" else None
        )
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
        widest = max([len(str(column)), *(len(str(v)) for v in table[column].head(200))])
        sheet.column_dimensions[letter].width = min(max(10, widest + 2), 60)
    sheet.freeze_panes = "A2"

    about = book.create_sheet("About")
    about.append(["Field", "Value"])
    about["A1"].font = Font(bold=True)
    about["B1"].font = Font(bold=True)
    for field, value in about_rows(metadata):
        about.append([_safe(field), _safe(value)])
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 110
    for (cell,) in about.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _safe(text: str) -> str:
    """Text that openpyxl stores as text, not as a formula (the rule of `etl.tabular.neutralised`)."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


# --- images: one warm Chromium per process -------------------------------------------------------------


class ExportUnavailable(Exception):
    """An image cannot be made now. The message is for the user: what failed and what still works."""


class BrowserMissing(ExportUnavailable):
    """No Chromium to render with."""


def find_browser(environ: Mapping[str, str] | None = None) -> str | None:
    """The browser kaleido would use: BROWSER_PATH when set, else choreographer's own search of PATH and
    the usual install places (e.g. /usr/bin/chromium). The answer is not checked; see `ImageEngine`."""
    environ = os.environ if environ is None else environ
    if environ.get("BROWSER_PATH"):
        return environ["BROWSER_PATH"]
    from choreographer.browsers.chromium import Chromium  # kaleido's own dependency

    return Chromium.find_browser(skip_local=False)


def _missing_browser_message(path: str | None) -> str:
    where = f"no browser at {path}" if path else "no Chromium or Chrome was found"
    return (
        f"PNG, SVG and PDF exports need Chromium on the server: {where} ({BROWSER_HINT}). "
        "HTML, CSV and XLSX exports work without it."
    )


# Browser tabs per engine: images are drawn in parallel up to this many (two cores here; a tab is one more
# renderer in the same browser).
TABS = 2


class ImageEngine:
    """kaleido on one Chromium, started on the first image and kept warm; safe to share between threads.

    The browser runs on a private event loop in a daemon thread; callers wait on a future with a timeout,
    never on a queue that a dead browser would leave unanswered. Any failure (browser missing, start or
    render timed out, browser died) raises `ExportUnavailable` with a message for the user and discards
    the browser, so the next image starts a fresh one. After a fork (gunicorn workers) the child starts
    its own browser: the parent's thread does not exist in the child.

    kaleido's `start_sync_server()` is not used: its callers share one result queue (two threads can
    receive each other's image) and block without a timeout when its browser failed to start.
    """

    def __init__(
        self,
        *,
        browser: str | Path | None = None,
        start_timeout: float = 30.0,
        render_timeout: float = 30.0,
    ) -> None:
        self._browser = None if browser is None else str(browser)
        self.start_timeout = start_timeout
        self.render_timeout = render_timeout
        self._lock = threading.RLock()  # re-entered: a failed start (under the lock) records its clean-up
        self._pid: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self._closing_at_exit = False
        self._shutting: list[threading.Thread] = []  # loops of abandoned browsers, still closing them

    @property
    def running(self) -> bool:
        """True when a browser of this process is open and ready."""
        return self._kaleido is not None and self._pid == os.getpid()

    def browser_path(self) -> str:
        """The executable to start; raises BrowserMissing when it is not an executable file."""
        path = self._browser or find_browser()
        if not path or not Path(path).is_file() or not os.access(path, os.X_OK):
            raise BrowserMissing(_missing_browser_message(path))
        return path

    def render(self, figure: go.Figure, *, fmt: str, width: int, height: int, scale: float = 1.0) -> bytes:
        """The figure as PNG, SVG or PDF bytes, `width` x `height` CSS pixels (PNG pixels x `scale`)."""
        return self.render_many([figure], fmt=fmt, width=width, height=height, scale=scale)[0]

    def render_many(
        self, figures: Sequence[go.Figure], *, fmt: str, width: int, height: int, scale: float = 1.0
    ) -> list[bytes]:
        """Several figures as images, in order, rendered side by side on the browser's tabs (TABS): about
        twice the images per second of one after the other on two cores (bench P4). Each image has the
        render time limit; the first failure raises `ExportUnavailable`, as `render` does."""
        if fmt not in IMAGE_FORMATS:
            raise ValueError(f"not an image format: {fmt!r} (one of {', '.join(IMAGE_FORMATS)})")
        kaleido, loop = self._started()
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        # The map's outlines from the shipped file: plotly.js would otherwise fetch them from its CDN.
        futures = [
            asyncio.run_coroutine_threadsafe(kaleido.calc_fig(f, opts=opts, topojson=topojson_url()), loop)
            for f in figures
        ]
        try:
            return [self._image(future, kaleido, fmt) for future in futures]
        finally:
            for future in futures:
                future.cancel()  # after a failure: the others are abandoned too (a no-op once done)

    def _image(self, future: Any, kaleido: Any, fmt: str) -> bytes:
        try:
            image = future.result(timeout=self.render_timeout)
        except TimeoutError:
            future.cancel()
            self._discard(kaleido)
            raise ExportUnavailable(
                f"The {fmt.upper()} image was not ready within {self.render_timeout:g} s, so it was "
                "abandoned; try again (the renderer restarts). HTML, CSV and XLSX exports are not affected."
            ) from None
        except Exception as exc:
            self._discard(kaleido)
            _log.warning("image export failed: %r", exc)
            raise ExportUnavailable(
                f"The {fmt.upper()} image could not be rendered ({type(exc).__name__}: {exc}); try again. "
                "HTML, CSV and XLSX exports are not affected."
            ) from None
        if not isinstance(image, bytes) or not image:
            raise ExportUnavailable(f"The {fmt.upper()} renderer returned no image; try again.")
        return image

    def close(self) -> None:
        """Close the browser (if this process started one); the next image starts a new one."""
        with self._lock:
            kaleido, self._kaleido = self._kaleido, None
            loop, thread, pid = self._loop, self._thread, self._pid
            self._loop = self._thread = self._pid = None
        if kaleido is not None and loop is not None and pid == os.getpid():
            self._shut(kaleido, loop, thread)
        with self._lock:
            shutting, self._shutting = self._shutting, []
        for closing in shutting:  # browsers abandoned after a failure, closing in the background
            closing.join(timeout=30)

    # --- internals ---

    def _started(self) -> tuple[Any, asyncio.AbstractEventLoop]:
        with self._lock:
            if self._pid is not None and self._pid != os.getpid():
                # Forked after the parent started its browser: that thread and loop are not ours.
                self._kaleido = self._loop = self._thread = self._pid = None
            if self._kaleido is None:
                self._start()
            assert self._loop is not None
            return self._kaleido, self._loop

    def _start(self) -> None:
        path = self.browser_path()
        import logistro  # imported on first use, as kaleido is: the page and the data exports never need them

        from dashboard.image_tabs import TabKeepingKaleido

        logistro.getLogger(QUIETED_LOGGER).setLevel(logging.CRITICAL)

        loop = asyncio.new_event_loop()
        loop.set_exception_handler(_quiet_exception_handler)
        thread = threading.Thread(target=loop.run_forever, name="kaleido-engine", daemon=True)
        thread.start()

        opening: list[Any] = []

        async def opened() -> Any:
            # mathjax=False: kaleido would otherwise load MathJax from a CDN; no chart uses LaTeX.
            try:
                engine = TabKeepingKaleido(n=TABS, timeout=self.render_timeout, mathjax=False, path=path)
                opening.append(engine)
                await engine.open()
            except Exception as exc:  # returned, not raised: a cancelled start reports nothing twice
                return exc
            return engine

        future = asyncio.run_coroutine_threadsafe(opened(), loop)
        try:
            engine = future.result(timeout=self.start_timeout)
            if isinstance(engine, Exception):
                raise engine
        except Exception as exc:
            future.cancel()
            # A browser that started but never answered is still running. It will not answer a polite
            # Browser.close either (choreographer would wait for that, then kill it ~20 s later), so kill
            # it now; the close then finds it gone and only ends the loop, in the background.
            # choreographer starts it in a session of its own, behind a Python wrapper: kill the group.
            # Once killed, kaleido's own close has nothing left to close but would still wait ~15 s.
            browser = opening[0] if opening else None
            process = getattr(browser, "subprocess", None)
            if isinstance(getattr(process, "pid", None), int):
                with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                    os.killpg(process.pid, signal.SIGKILL)  # type: ignore[union-attr]
                    browser = None
                    process.wait(timeout=5)  # type: ignore[union-attr]  # reaped: no zombie left behind
            self._shut(browser, loop, thread, wait=False)
            if isinstance(exc, TimeoutError):
                reason = f"did not answer within {self.start_timeout:g} s"
            else:
                first = exc.args[0] if exc.args and isinstance(exc.args[0], str) else ""
                reason = f"could not be started ({type(exc).__name__}{': ' + first if first else ''})"
            _log.warning("Chromium at %s %s", path, reason)
            raise ExportUnavailable(
                f"PNG, SVG and PDF exports need Chromium on the server, and the one at {path} {reason} "
                f"({BROWSER_HINT}). HTML, CSV and XLSX exports work without it."
            ) from None
        self._kaleido, self._loop, self._thread, self._pid = engine, loop, thread, os.getpid()
        if not self._closing_at_exit:
            atexit.register(self.close)
            self._closing_at_exit = True

    def _discard(self, kaleido: Any) -> None:
        with self._lock:
            if self._kaleido is not kaleido:
                return  # another thread already replaced it
            loop, thread = self._loop, self._thread
            self._kaleido = self._loop = self._thread = self._pid = None
        if loop is not None:
            self._shut(kaleido, loop, thread, wait=False)  # the user hears at once; the close goes on

    def _shut(
        self,
        kaleido: Any,
        loop: asyncio.AbstractEventLoop,
        thread: threading.Thread | None,
        *,
        wait: bool = True,
    ) -> None:
        """Close the browser (choreographer kills it when it does not close), end the loop's tasks and stop
        the loop; `wait=False` leaves that to the loop's thread."""

        async def ended() -> None:
            try:
                if kaleido is not None:
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(kaleido.close(), timeout=15)
                current = asyncio.current_task()
                pending = [task for task in asyncio.all_tasks() if task is not current]
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
            finally:
                asyncio.get_running_loop().call_soon(asyncio.get_running_loop().stop)

        try:
            ending = asyncio.run_coroutine_threadsafe(ended(), loop)
        except RuntimeError:  # the loop is closed already
            return
        if not wait:
            if thread is not None:
                with self._lock:
                    self._shutting = [t for t in self._shutting if t.is_alive()] + [thread]
            return
        with contextlib.suppress(Exception):
            ending.result(timeout=25)
        if thread is not None:
            thread.join(timeout=10)
        if not loop.is_running():
            with contextlib.suppress(Exception):
                loop.close()


def _quiet_exception_handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """Errors of the browser's own tasks that nobody awaits any more (an abandoned render, a browser being
    closed), logged in one line. asyncio's default handler formats a traceback, and Python 3.11 parses
    source lines to do so; from a task finalised by the garbage collector in the middle of another
    `ast.parse` that fails with "AST constructor recursion depth mismatch"."""
    _log.debug("kaleido: %s %r", context.get("message"), context.get("exception"))


def chart_image(
    engine: ImageEngine,
    figure: go.Figure,
    metadata: ChartMetadata,
    *,
    fmt: str,
    size: str = "default",
    lang: str = "en",
    link_keys: tuple[str, ...] = (),
) -> bytes:
    """The chart with its title and footer as PNG, SVG or PDF bytes at the size preset `size`
    (export_layout.SIZES), its own words in `lang`; the footer's link keeps only `link_keys` (all when
    empty)."""
    exported = figure_with_footer(figure, metadata, size=size, lang=lang, link_keys=link_keys)
    scale = SIZES[size].png_scale if fmt == "png" else 1.0
    width, height = int(exported.layout.width), int(exported.layout.height)
    return engine.render(exported, fmt=fmt, width=width, height=height, scale=scale)
