# ruff: noqa: S311 - seeded generators give reproducible benchmark inputs; nothing here is a secret
"""The page benchmarks in headless Chromium: P0 (navigation), P2 (period change) and P2b (partner change).

Each against a floor measured in the same run, in the same browser, the same way. Written against the page's
public surface only (URLs, the element ids of dashboard/ids.py, `/_dash-dependencies` and the callbacks it
declares), so the first-page behaviour can change underneath without the benchmark knowing it.

The page's Content-Security-Policy forbids eval, so readiness is waited for with selectors (Playwright's
locators run in its own isolated world), never with `wait_for_function`.
"""

from __future__ import annotations

import gc
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.callbacks import Callback, callbacks_of, page_values
from bench.report import Result
from bench.serving import REPO_ROOT, gunicorn, static_files, werkzeug
from bench.synthetic import build_store, country_codes
from dashboard import ids
from dashboard.registry import VIEW_IDS

CHROMIUM = Path("/usr/bin/chromium")
# (reporters, partners, years) of the store the pages read: a world matrix as big as a real one's reporter.
PAGE_STORE = {"full": (40, 40, 30), "quick": (40, 40, 30), "tiny": (8, 8, 30)}
P0_VISITS = {"full": (5, 5), "quick": (1, 3), "tiny": (1, 1)}  # (per link, of the floor)
P0_LINKS = {"full": None, "quick": None, "tiny": ("",)}  # None: the default page and every view
P2_CHANGES = {"full": 30, "quick": 8, "tiny": 3}
# (rounds, changes a round): ours and the floor alternate, a round each in turn, so that a slower or faster
# minute of this shared host falls on both; medians of every change (one round of 20 had moved by ~10 %).
P2B_ROUNDS = {"full": (3, 20), "quick": (1, 6), "tiny": (1, 2)}
LINK = "reporter=AZE&partner=ITA&period=2018"
TIMEOUT_MS = 120_000


def _drawn(graph_id: str) -> str:
    # A trace is drawn only from a real figure: the placeholder the layout shows first has none.
    return f"#{graph_id} .main-svg .trace"


KPI_SHOWN = f"#{ids.KPIS} .kpi-card .kpi-value"
# What "shown" means for each view: its KPI cards and its trend, its main chart, grid or content.
READY: dict[str, tuple[str, ...]] = {
    "bilateral": (KPI_SHOWN, _drawn(ids.TREND_GRAPH)),
    "partners": (_drawn(ids.RANKING_GRAPH),),
    "map": (_drawn(ids.MAP_GRAPH),),
    "table": (f"#{ids.TABLE_GRID} .ag-row",),
    "sources": (f"#{ids.SOURCES_CONTENT} > *",),
    "mirror": (_drawn("mirror-graph"),),  # dashboard/components/mirror.py GRAPH
    "claims": ("#claim-text",),  # dashboard/components/claims.py TEXT: the view is a form, no chart
}
DEFAULT_VIEW = VIEW_IDS[0]  # the page a bare URL opens
FLOOR_DRAWN = (".js-plotly-plot .main-svg .trace",)


def chromium_missing() -> str | None:
    """Why the page benchmarks cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM}"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright is not installed"
    return None


@contextmanager
def _browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        try:
            yield browser
        finally:
            browser.close()


def _store(folder: Path, mode: str) -> Path:
    reporters, partners, years = PAGE_STORE[mode]
    build_store(folder / "store", reporters=reporters, partners=partners, years=years)
    return folder / "store"


def _skipped(benchmark_id: str, what: str, target: str, why: str) -> Result:
    return Result(benchmark_id, what, "", "", None, target, None, note=f"skipped: {why}")


# --- P0: navigation -> the page shown, in a fresh browser context ---------------------------------------------


class NotShown(Exception):
    """A visit whose page did not show what it should within TIMEOUT_MS: a finding, reported as a FAIL line."""


def _visit(browser: Any, url: str, ready: tuple[str, ...]) -> float:
    """Seconds from `goto` to every `ready` selector visible, in a fresh context (no cache, no cookies)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        for selector in ready:
            try:
                page.wait_for_selector(selector, state="visible", timeout=TIMEOUT_MS)
            except PlaywrightTimeout:
                raise NotShown(f"{selector} not visible {TIMEOUT_MS / 1000:.0f} s after goto {url}") from None
        return time.perf_counter() - started
    finally:
        context.close()


def _median_visit(browser: Any, url: str, ready: tuple[str, ...], count: int) -> tuple[float | None, str]:
    """(median seconds of `count` visits, or None if a visit's page was not shown; what went wrong)."""
    times = []
    for _ in range(count):
        try:
            times.append(_visit(browser, url, ready))
        except NotShown as exc:
            return None, str(exc)
    return statistics.median(times), ""


def _export_page(store: Path, folder: Path) -> Path:
    """The bilateral chart's self-contained HTML export, as a user writes it with the command line."""
    path = folder / "floor" / "index.html"
    path.parent.mkdir()
    subprocess.run(
        [sys.executable, "-m", "dashboard", "export", "--view", "bilateral", "--reporter", "AZE",
         "--partner", "ITA", "--period", "2018", "--format", "html", "--output", str(path)],
        cwd=REPO_ROOT, env=os.environ | {"TRADE_STORE_DIR": str(store)}, check=True, capture_output=True,
    )  # fmt: skip
    return path


def p0(mode: str, folder: Path) -> Iterator[Result]:
    target = "<= 1.25x the floor"
    why = chromium_missing()
    if why:
        yield _skipped("P0", "navigation -> page shown (Chromium)", target, why)
        return
    store = _store(folder, mode)
    exported = _export_page(store, folder)
    per_link, floor_visits = P0_VISITS[mode]
    links = P0_LINKS[mode] or ("", *VIEW_IDS)
    with _browser() as browser:
        with static_files(exported.parent) as base:
            floor_url = f"{base}/{exported.name}"
            if mode != "tiny":  # the smoke test's mode checks the wiring, not the numbers
                _visit(browser, floor_url, FLOOR_DRAWN)  # warm-up: the server's first answer, untimed
            floor = statistics.median(_visit(browser, floor_url, FLOOR_DRAWN) for _ in range(floor_visits))
        with gunicorn("dashboard.app:create_server()", {"TRADE_STORE_DIR": str(store)}) as (base, _):
            if mode != "tiny":
                _median_visit(browser, f"{base}/", READY[DEFAULT_VIEW], 1)  # warm-up, untimed
            for view in links:
                url = f"{base}/?view={view}&{LINK}" if view else f"{base}/"
                ready = READY[view or DEFAULT_VIEW]
                ours, failure = _median_visit(browser, url, ready, per_link)
                if ours is None:
                    yield Result("P0", f"navigation -> {view or 'default page'} shown (Chromium)",
                                 f"{floor * 1000:.0f} ms export", "not shown", None, target, False,
                                 note=f"a visit failed: {failure}")  # fmt: skip
                    continue
                ratio = ours / floor
                yield Result(
                    id="P0",
                    what=f"navigation -> {view or 'default page'} shown (Chromium)",
                    baseline=f"{floor * 1000:.0f} ms export",
                    ours=f"{ours * 1000:.0f} ms",
                    ratio=ratio,
                    target=target,
                    passed=ratio <= 1.25,
                    note=(
                        f"fresh browser context per visit (empty cache), time from goto to {' and '.join(ready)} "
                        f"visible; median of {per_link} visit(s) per link after one untimed visit, ours under "
                        "gunicorn as `make serve` runs it, the default page and a shared link of each view of "
                        "dashboard/registry.py. Floor: the bilateral trend's self-contained HTML export "
                        f"(`python -m dashboard export --format html`) served by http.server, median of "
                        f"{floor_visits} visits until its chart is drawn. Ratio: our time / the floor."
                        if view == links[-1]
                        else ""
                    ),
                )


# --- P2: period change -> trend drawn; P2b: partner change -> cards and trend updated ---------------------------

_MEASURE_PERIOD = """
async (period) => {
  const gd = document.querySelector('#trend-graph .js-plotly-plot');
  const t0 = performance.now();
  const drawn = new Promise((resolve) => {
    const handler = () => { gd.removeListener('plotly_afterplot', handler); resolve(performance.now() - t0); };
    gd.on('plotly_afterplot', handler);
  });
  window.dash_clientside.set_props('period', {value: period});
  return await drawn;
}
"""

# Both must happen: the trend redrawn (plotly_afterplot) and the cards' values no longer the ones before.
_MEASURE_PARTNER = """
async (partner) => {
  const gd = document.querySelector('#trend-graph .js-plotly-plot');
  const cards = document.getElementById('kpis');
  const values = () => Array.from(cards.querySelectorAll('.kpi-value')).map((e) => e.textContent).join('|');
  const before = values();
  const t0 = performance.now();
  const drawn = new Promise((resolve) => {
    const handler = () => { gd.removeListener('plotly_afterplot', handler); resolve(performance.now()); };
    gd.on('plotly_afterplot', handler);
  });
  const changed = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (values() !== before) { observer.disconnect(); resolve(performance.now()); }
    });
    observer.observe(cards, {subtree: true, childList: true, characterData: true});
  });
  window.dash_clientside.set_props('partner', {value: partner});
  const ends = await Promise.all([drawn, changed]);
  return Math.max(...ends) - t0;
}
"""


def _changes(url: str, script: str, values: list[str], ready: tuple[str, ...]) -> list[float]:
    """Milliseconds of each change in one page (the page loaded and settled first, untimed)."""
    from dashboard.app import settled

    with _browser() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url, timeout=TIMEOUT_MS)
        for selector in ready:
            page.wait_for_selector(selector, state="visible", timeout=TIMEOUT_MS)
        page.wait_for_timeout(1500)  # the first page's remaining callbacks answered: not part of a change
        # The server shares this process with the browser driver (~195 k objects in all): what exists now is
        # moved out of the garbage collector's sight, as a served process's start-up is, so that a full
        # collection of the driver's objects does not pause a reply ~70 ms.
        settled()
        try:
            timings = []
            for value in values:
                timings.append(float(page.evaluate(script, value)))
                page.wait_for_timeout(300)
            return timings
        finally:
            gc.unfreeze()


def _floor_app(outputs: list[tuple[str, str]], inputs: str, answers: dict[str, list[Any]]) -> Any:
    """A Dash app of the page's ids whose one callback returns, for the input's value, the precomputed
    `answers` (our own callbacks' replies): what is left is Dash and the browser drawing the same things."""
    import dash
    import dash_bootstrap_components  # noqa: F401 - registers the card components the answers contain
    from dash import Input, Output, dcc, html

    app = dash.Dash(__name__)
    first = next(iter(answers))
    components: list[Any] = [dcc.Dropdown(id=inputs, options=list(answers), value=first)]
    for component_id, prop in outputs:
        components.append(dcc.Graph(id=component_id) if prop == "figure" else html.Div(id=component_id))
    app.layout = html.Div(components)

    @app.callback([Output(i, p) for i, p in outputs], Input(inputs, "value"))
    def precomputed(value: object) -> list[Any]:
        return answers.get(str(value), answers[first])

    return app


def _callback(deps: list[dict[str, Any]], output: tuple[str, str]) -> Callback:
    # The callback that fills `output` first (a later one with allow_duplicate has "@hash" after its property).
    return next(c for c in callbacks_of(deps) if output in c.outputs)


def _replies(base: str, wanted: list[tuple[str, str]], values: list[dict[Any, Any]]) -> list[list[Any]]:
    """For each set of page values, our server's answers to `wanted` outputs (asked over HTTP, as the page)."""
    deps = httpx.get(f"{base}/_dash-dependencies", timeout=30).json()
    answers = []
    for each in values:
        found: dict[tuple[str, str], Any] = {}
        for output in wanted:
            callback = _callback(deps, output)
            reply = httpx.post(
                f"{base}/_dash-update-component", json=callback.body(each, changed=None), timeout=120
            )
            reply.raise_for_status()
            response = reply.json()["response"]
            found[output] = response[output[0]][output[1]]
        answers.append([found[o] for o in wanted])
    return answers


def _trend_figures(base: str, years: list[str]) -> dict[str, Any]:
    """Our trend figure for the pair with each year marked, as our server answers it."""
    replies = _replies(base, [(ids.TREND_GRAPH, "figure")], [page_values(year=y) for y in ["2018", *years]])
    return dict(zip(["2018", *years], replies, strict=True))


def p2(mode: str, folder: Path) -> Iterator[Result]:
    target = "<= 1.15x the floor (hold)"
    why = chromium_missing()
    if why:
        yield _skipped("P2", "period change -> trend drawn (Chromium)", target, why)
        return
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one access-log line per request otherwise
    from dashboard.app import create_app
    from dashboard.settings import Settings

    store = _store(folder, mode)
    # A different year at every change (never the page's first, 2018): no answer is asked for twice, so
    # what the dashboard remembers per store version (dashboard/queries/cache.py) cannot flatter it.
    years = [str(y) for y in range(2020, 1990, -1) if y != 2018][: P2_CHANGES[mode]]
    trend_ready = (_drawn(ids.TREND_GRAPH),)
    with werkzeug(create_app(Settings(store_dir=store))) as base:
        ours = _changes(f"{base}/?view=bilateral&{LINK}", _MEASURE_PERIOD, years, trend_ready)
        answers = _trend_figures(base, years)
    with werkzeug(_floor_app([(ids.TREND_GRAPH, "figure")], ids.PERIOD, answers)) as base:
        floor = _changes(f"{base}/", _MEASURE_PERIOD, years, trend_ready)
    ours_median, floor_median = statistics.median(ours), statistics.median(floor)
    growth = ours_median / floor_median
    yield Result(
        id="P2",
        what="period change -> trend drawn (Chromium)",
        baseline=f"{floor_median:.0f} ms median",
        ours=f"{ours_median:.0f} ms median",
        ratio=growth,
        target=target,
        passed=growth <= 1.15,
        note=(
            f"{len(years)} changes each, each to a different year, headless Chromium, werkzeug on 127.0.0.1; "
            "time from set_props('period') to plotly_afterplot of the bilateral view's trend chart. Floor: a "
            "Dash app whose callback returns our trend figure for the pair with that year marked (asked of our "
            "server beforehand). Ours also runs the other callbacks the change triggers (KPIs, sentences and "
            "notes, URL sync)."
        ),
    )


def p2b(mode: str, folder: Path) -> Iterator[Result]:
    target = "<= 1.2x the floor"
    why = chromium_missing()
    if why:
        yield _skipped("P2b", "partner change -> cards and trend (Chromium)", target, why)
        return
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from dashboard.app import create_app
    from dashboard.settings import Settings

    store = _store(folder, mode)
    _, partners_n, _ = PAGE_STORE[mode]
    rounds, per_round = P2B_ROUNDS[mode]
    chooser = random.Random(14)
    # A different partner at every change of a round, never ITA (the page's first), and a new app each round:
    # nothing is asked of a server twice.
    candidates = [c for c in country_codes(partners_n - 1) if c not in {"AZE", "ITA"}]
    wanted = [(ids.KPIS, "children"), (ids.TREND_GRAPH, "figure")]
    ready = (KPI_SHOWN, _drawn(ids.TREND_GRAPH))
    ours: list[float] = []
    floor: list[float] = []
    medians: list[str] = []
    for _ in range(rounds):
        partners = chooser.sample(candidates, per_round)
        # A new app each round: its answers remembered per store version start empty, as on a new server.
        with werkzeug(create_app(Settings(store_dir=store))) as base:
            mine = _changes(f"{base}/?view=bilateral&{LINK}", _MEASURE_PARTNER, partners, ready)
            # Asked after the timed changes, so that no answer remembered by this server flattered them.
            replies = _replies(base, wanted, [page_values(partner=p, year=2018) for p in ["ITA", *partners]])
        answers = dict(zip(["ITA", *partners], replies, strict=True))
        with werkzeug(_floor_app(wanted, ids.PARTNER, answers)) as base:
            theirs = _changes(f"{base}/", _MEASURE_PARTNER, partners, ready)
        ours += mine
        floor += theirs
        medians.append(f"{statistics.median(mine):.0f} vs {statistics.median(theirs):.0f} ms")
    ours_median, floor_median = statistics.median(ours), statistics.median(floor)
    ratio = ours_median / floor_median
    yield Result(
        id="P2b",
        what="partner change -> cards and trend (Chromium)",
        baseline=f"{floor_median:.0f} ms median",
        ours=f"{ours_median:.0f} ms median",
        ratio=ratio,
        target=target,
        passed=ratio <= 1.2,
        note=(
            f"{rounds} round(s) of {per_round} changes each, ours and the floor alternating, every change of a "
            "round to another partner, headless Chromium, werkzeug on 127.0.0.1; time from the partner "
            "control's value set (set_props('partner')) until both the KPI cards' values changed and the "
            "trend's plotly_afterplot; medians of all changes (rounds, ours vs floor: "
            f"{'; '.join(medians)}). Ours: a new app each round. Floor: a Dash app whose callback returns the "
            "cards and trend figure our server answered for each partner (asked over HTTP after our round), "
            "precomputed. Ours also runs the other callbacks the change triggers (sentences and notes, URL sync, "
            "option lists)."
        ),
    )


def _in_scratch(benchmark: Callable[[str, Path], Iterator[Result]]) -> Callable[[str], Iterator[Result]]:
    def run(mode: str) -> Iterator[Result]:
        with tempfile.TemporaryDirectory(prefix="bench-pages-") as folder:
            yield from benchmark(mode, Path(folder))

    return run


BENCHMARKS: dict[str, Callable[[str], Iterator[Result]]] = {
    "P0": _in_scratch(p0),
    "P2": _in_scratch(p2),
    "P2b": _in_scratch(p2b),
}
