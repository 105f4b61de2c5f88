"""A real Chromium against the app served from a tiny fixture store.

Chromium comes from Debian (`apt-get install -y chromium`), never from `playwright install`. When it is
missing the browser tests fail, with the fix in the message: a skipped browser test would hide a broken CI.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from dashboard.app import create_app
from dashboard.settings import Settings
from tests.dashboard.stores import TINY_ROWS, publish_rows
from tests.serving import served

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


# One patience for every browser test, set once for the whole run: callbacks answer in about a second on a
# loaded 2-core machine (two xdist workers, each with its server and Chromium), so wait up to 20 s, as a user
# would. Set per module, one module's reset leaked into the next module run by the same worker.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium is not at {CHROMIUM}: install it with `apt-get install -y chromium` "
            "(or set CHROMIUM_PATH); browser tests do not skip.",
            pytrace=False,
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard over TINY_ROWS, served by werkzeug on a free loopback port in a daemon thread."""
    store_dir = tmp_path_factory.mktemp("browser-store")
    publish_rows(store_dir, TINY_ROWS)
    with served(create_app(Settings(store_dir=store_dir))) as base:
        yield f"{base}/"


# Package scope, not session: Playwright's sync API keeps an event loop running in the main thread while it
# is open, and later tests (tests/reliability) start their own asyncio loops and Playwright sessions.
@pytest.fixture(scope="package")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="package")
def browser(playwright_instance: Playwright, chromium_path: Path) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=str(chromium_path), headless=True, args=["--no-sandbox"]
    )
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(20_000)  # a slow CI machine: the waits below end as soon as the page is ready
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
        assert errors == [], f"JavaScript errors on the page: {errors}"
    finally:
        context.close()
