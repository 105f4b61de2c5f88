"""Security: debug off, security headers on every response, a CSP under which the page really runs in
Chromium, hostile values into every callback input, spreadsheet formula injection in exports.

Dependency advisories cannot be checked here (no internet, no advisory database on the machine): the
installed versions are listed in bench/RESULTS.md so they can be checked elsewhere; nothing here pretends to.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Route, sync_playwright

from bench.callbacks import Callback, callbacks_of, page_values
from dashboard import ids
from dashboard.app import create_app
from dashboard.registry import VIEW_IDS
from dashboard.security import STATIC_HEADERS
from dashboard.settings import Settings, from_env
from etl import cli
from tests.dashboard.stores import TINY_ROWS, publish_rows, store_tables
from tests.reliability.counts import LONG, add, record
from tests.serving import served

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
HOSTILE_PER_CALLBACK = 1000 if LONG else 100
# More than the app registers (19 server-side callbacks in Dash 4's dependency list today); a test below fails
# when the app outgrows it, so no callback is ever left unfuzzed.
MAX_CALLBACKS = 30
# Text that only a stack trace or a server path would put in a reply.
LEAKS = ("Traceback", 'File "/', "site-packages", "/work/", "duckdb.", "Exception:", "Error:")


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("security-store")
    publish_rows(folder, TINY_ROWS)
    return folder


@pytest.fixture(scope="module")
def client(store_dir: Path) -> Any:
    return create_app(Settings(store_dir=store_dir)).server.test_client()


def test_debug_is_off_by_default() -> None:
    assert from_env({}).debug is False
    assert Settings().debug is False
    assert from_env({"TRADE_DASHBOARD_DEBUG": "1"}).debug is True
    record(
        "security",
        **{
            "debug by default": "off",
            "dependency advisories": "not checked (offline); versions in bench/RESULTS.md",
        },
    )


def test_every_response_carries_the_security_headers(client: Any) -> None:
    callback = callbacks_of(client.get("/_dash-dependencies").get_json())[1]
    replies = {
        "page": client.get("/"),
        "layout": client.get("/_dash-layout"),
        "dependencies": client.get("/_dash-dependencies"),
        "health": client.get("/healthz"),
        "asset": client.get("/assets/10-dashboard.css"),
        "any path": client.get("/no-such-page/../../etc/passwd"),
        "asset traversal": client.get("/assets/..%2f..%2f..%2f..%2fetc/passwd"),
        "suite traversal": client.get("/_dash-component-suites/dash/..%2f..%2f..%2f..%2fetc/passwd"),
        "callback": client.post("/_dash-update-component", json=callback.body(page_values())),
        "bad json": client.post(
            "/_dash-update-component", data=b"{not json", content_type="application/json"
        ),
    }
    for name, reply in replies.items():
        for header, value in STATIC_HEADERS.items():
            assert reply.headers.get(header) == value, (name, header)
        policy = reply.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "'unsafe-eval'" not in policy, name
        assert "script-src 'self' 'sha256-" in policy and "'unsafe-inline'" not in policy.split(";")[1], name
    # Dash answers every page path with its index (client-side routing); no path reaches a file outside.
    for name in ("any path", "asset traversal", "suite traversal"):
        assert "root:" not in replies[name].get_data(as_text=True), name
    assert replies["asset traversal"].status_code == 404 and replies["suite traversal"].status_code >= 400
    assert replies["bad json"].status_code in (400, 415), replies["bad json"].status_code
    assert not any(leak in replies["bad json"].get_data(as_text=True) for leak in LEAKS)
    record("security", **{"header checks": len(replies) * (len(STATIC_HEADERS) + 1)})


@pytest.fixture(scope="module")
def browser_page(store_dir: Path) -> Iterator[tuple[Any, str]]:
    if not CHROMIUM.is_file():
        pytest.fail(f"Chromium is not at {CHROMIUM}: apt-get install -y chromium", pytrace=False)
    with served(create_app(Settings(store_dir=store_dir))) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield browser, base
        finally:
            browser.close()


def _load(browser: Any, base: str, *, strip_hashes: bool = False) -> tuple[list[str], int]:
    """Load the page; (CSP violations and JS errors seen, charts drawn)."""
    context = browser.new_context()
    page = context.new_page()
    seen: list[str] = []
    page.on("pageerror", lambda error: seen.append(f"pageerror: {error}"))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    page.on("console", lambda m: seen.append(m.text) if "CSP violation" in m.text else None)
    if strip_hashes:

        def without_hashes(route: Route) -> None:
            reply = route.fetch()
            headers = dict(reply.headers)
            policy = headers["content-security-policy"]
            headers["content-security-policy"] = re.sub(r" 'sha256-[^']*'", "", policy)
            route.fulfill(response=reply, headers=headers)

        page.route(f"{base}/", without_hashes)
    page.goto(f"{base}/")
    drawn = 0
    if strip_hashes:
        # The blocked page never draws: wait for the violation report (not for a chart that cannot come), then
        # a second more, and count what was drawn.
        for _ in range(200):
            if any("script-src" in message for message in seen):
                break
            page.wait_for_timeout(100)
        page.wait_for_timeout(1000)
        drawn = page.locator(".js-plotly-plot:has(.main-svg)").count()
        context.close()
        return seen, drawn
    try:
        page.wait_for_selector("#trend-graph .main-svg", timeout=20_000)
        page.wait_for_timeout(1500)
        # The open bilateral view's trend chart must have its traces, and a view opened afterwards (its section
        # built then, callbacks/sections.py) its charts: the callbacks ran and their replies were drawn under
        # the policy. The views never opened hold no chart.
        page.wait_for_selector("#trend-graph .scatterlayer .trace", timeout=20_000)
        page.locator("#view-tabs label").nth(VIEW_IDS.index("partners")).click()
        page.wait_for_selector(f"#{ids.RANKING_GRAPH} .barlayer .trace", timeout=20_000)
        page.wait_for_timeout(1000)
        drawn = page.locator(".js-plotly-plot:has(.main-svg)").count()
    except Exception:
        pass
    context.close()
    return seen, drawn


def test_the_page_runs_under_the_policy_with_no_violation(browser_page: tuple[Any, str]) -> None:
    browser, base = browser_page
    seen, drawn = _load(browser, base)
    assert seen == []
    assert drawn == 4  # trend, then ranking, comparison and rank history
    # The detector works: without the inline script's hash the renderer is blocked and reported.
    blocked, drawn_blocked = _load(browser, base, strip_hashes=True)
    assert any("script-src" in message for message in blocked), blocked
    assert drawn_blocked == 0
    record("security", **{"CSP violations in Chromium": len(seen), "charts drawn under CSP": drawn})


HOSTILE_TEXT = st.one_of(
    st.sampled_from(
        [
            "' OR 1=1 --",
            "AZE'; DROP TABLE trade_flows; --",
            '" UNION SELECT * FROM provenance --',
            "1; ATTACH '/etc/passwd' AS x",
            "$reporter",
            "../../../../etc/passwd",
            "/etc/shadow",
            "C:\\Windows\\win.ini",
            "file:///etc/passwd",
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "javascript:alert(1)",
            "{{7*7}}",
            "${jndi:ldap://x}",
            "=cmd|' /C calc'!A0",
            "%00",
            "\x00\x01\x02",
            "\u202e\u0645\u0631\u062d\u0628\u0627",
            "🇦🇿🇮🇹" * 50,
            "ｉｔａ",
            "",
            " ",
            "9" * 400,
            "-1",
            "2019.5",
            "1e309",
            "NaN",
            "None",
            "null",
            "__proto__",
        ]
    ),
    st.text(max_size=200).filter(lambda t: not any(leak.lower() in t.lower() for leak in LEAKS)),
    st.integers(min_value=1, max_value=64).map(lambda n: "A" * (n * 4096)),
)
HOSTILE = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**63), max_value=2**63),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=False, allow_infinity=False),
        HOSTILE_TEXT,
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def _callbacks(client: Any) -> list[Callback]:
    return callbacks_of(client.get("/_dash-dependencies").get_json())


def test_every_callback_is_fuzzed(client: Any) -> None:
    callbacks = _callbacks(client)
    assert 10 < len(callbacks) <= MAX_CALLBACKS, [c.output for c in callbacks]
    record("security", **{"server-side callbacks": len(callbacks)})


def _open_view(client: Any, callback: Callback) -> str:
    """The tab under which `callback` does its work: each view's callbacks answer no_update (204) while
    their tab is closed, so good values with the wrong tab would leave the callback's body unexercised."""
    for view in VIEW_IDS:
        reply = client.post("/_dash-update-component", json=callback.body(page_values(view=view)))
        if reply.status_code == 200:
            return view
    return "bilateral"


@pytest.mark.parametrize("index", range(MAX_CALLBACKS))
def test_hostile_values_in_every_callback_input_get_no_traceback(client: Any, index: int) -> None:
    callbacks = _callbacks(client)
    if index >= len(callbacks):
        pytest.skip(f"the app registers {len(callbacks)} callbacks")
    callback = callbacks[index]
    good = page_values(view=_open_view(client, callback))
    statuses: dict[int, int] = {}

    per_input = [0] * len(callback.inputs)

    @settings(max_examples=HOSTILE_PER_CALLBACK, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        values=st.lists(HOSTILE, min_size=len(callback.inputs), max_size=len(callback.inputs)), data=st.data()
    )
    def post(values: list[Any], data: Any) -> None:
        hostile = dict(good)
        # Every input hostile at once, which gives each input HOSTILE_PER_CALLBACK values; and then one input
        # alone among good values, so a callback that gives up on its first bad input still meets the others.
        single = data.draw(st.integers(0, len(callback.inputs) - 1))
        variants = [range(len(callback.inputs))] + ([[single]] if data.draw(st.integers(0, 3)) == 0 else [])
        for chosen in variants:
            for i in chosen:
                hostile[callback.inputs[i]] = values[i]
                per_input[i] += 1
            body = callback.body(hostile, changed=single)
            reply = client.post(
                "/_dash-update-component", data=json.dumps(body), content_type="application/json"
            )
            statuses[reply.status_code] = statuses.get(reply.status_code, 0) + 1
            text = reply.get_data(as_text=True)
            assert reply.status_code in (200, 204) or 400 <= reply.status_code < 500, (
                reply.status_code,
                body,
                text[:500],
            )
            assert not any(leak in text for leak in LEAKS), (body, text[:1000])
            hostile = dict(good)

    post()
    assert min(per_input) >= HOSTILE_PER_CALLBACK
    add("security", "hostile requests", sum(statuses.values()))
    add("security", "callbacks fuzzed")
    add("security", "5xx replies", sum(n for s, n in statuses.items() if s >= 500))


def test_exports_neutralise_spreadsheet_formulas(tmp_path: Path) -> None:
    """A text cell starting with = + - @ (or tab/CR) is written with a leading quote in CSV and XLSX."""
    store_dir = tmp_path / "store"
    tables = store_tables(TINY_ROWS[:2], release='=HYPERLINK("http://evil","x")')
    from etl.store import publish

    publish(tables, store_dir=store_dir)
    environ = {"TRADE_STORE_DIR": str(store_dir), "TRADE_RAW_DIR": str(tmp_path / "raw")}
    assert (
        cli.main(["export", "--format", "csv", "--output", str(tmp_path / "out.csv")], environ=environ) == 0
    )
    assert (
        cli.main(["export", "--format", "xlsx", "--output", str(tmp_path / "out.xlsx")], environ=environ) == 0
    )
    csv = pd.read_csv(tmp_path / "out.csv", dtype=str)
    assert set(csv["release"]) == {'\'=HYPERLINK("http://evil","x")'}
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("release") + 1)
    assert cell.data_type == "s" and str(cell.value).startswith("'=")
    record("security", **{"formula cells neutralised": "csv and xlsx"})
