"""The Dash application factory. No module-level app: `create_app(settings)` builds one.

Production: `gunicorn 'dashboard.app:create_server()'`. Local: `python -m dashboard`.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import dash
import flask
from dash import html

from dashboard import callbacks, security
from dashboard.callbacks.first_response import components_by_id, fill, first_content
from dashboard.components.chrome import PRODUCT, footer_html, header_html
from dashboard.components.page import page
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, preferred_language
from dashboard.queries.store import NoStoreError, QueryStore
from dashboard.registry import PAGE_ROUTES, VIEW_IDS, VIEWS
from dashboard.settings import ASSETS_DIR, Settings, from_env
from dashboard.state import parse_search, state_from_search


def _link_search() -> str | None:
    """The query string (`?…`, or "") of the page that asks for the layout; None when it is not known.

    Dash fetches the layout with a same-origin request whose Referer is the page URL (the security headers
    keep it for same-origin requests), so the labels (the language), the first state and the open view's
    content are built from the link itself; without it the callbacks restore the state from the URL.
    """
    if not flask.has_request_context() or not flask.request.referrer:
        return None
    query = urlsplit(flask.request.referrer).query
    return f"?{query}" if query else ""


def _page_search(link: str | None) -> str:
    """The query string the page's state is built from: the link's, with the browser's language when the
    link names none."""
    if not flask.has_request_context():
        return ""
    search = (link or "").lstrip("?")
    if "lang" not in parse_qs(search):
        # A first visit (a link without `lang=`): the language the browser asks for, when we have it.
        wanted = preferred_language(flask.request.headers.get("Accept-Language"))
        search = f"{search}&lang={wanted}" if search else f"lang={wanted}"
    return search


def _layout(store: QueryStore, settings: Settings) -> html.Div:
    """Built on every page load from the current store version, so a new version shows without restart."""
    try:
        queries = store.current()
        link = _link_search()
        view = state_from_search(queries, settings, _page_search(link), views=VIEW_IDS)
    except NoStoreError as exc:
        return html.Div(
            [html.H1(PRODUCT), html.P(str(exc))],
            className="container py-5",
        )
    layout = page(
        view,
        settings,
        views=VIEWS,
        routes=PAGE_ROUTES,
        source_names=queries.source_titles(),
        page_search=link,
    )
    # The open view's cards, sentences and charts in the first response (callbacks/first_response.py).
    by_id = components_by_id(layout)
    fill(by_id, first_content(queries, by_id, search=link or ""))
    return layout


def _served_language(search: str) -> str:
    """The language of the page for the query string `search`, by the layout's own rule (`_page_search`, then
    the state's): the link's `lang`, the browser's when the link names none, the default for one we lack."""
    wanted = parse_search(_page_search(search)).get("lang")
    return wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE


class _Dash(dash.Dash):
    """Dash, whose page arrives with its header and footer as plain HTML around Dash's root
    (components/chrome.py says why), and with its `<html lang>`: screen readers, hyphenation and the browser's
    translate offer read it before any script runs."""

    def interpolate_index(  # Dash's documented hook for a page of one's own
        self,
        metas: Any = "",
        title: Any = "",
        css: Any = "",
        config: Any = "",
        scripts: Any = "",
        app_entry: Any = "",
        favicon: Any = "",
        renderer: Any = "",
    ) -> str:
        lang = None
        if flask.has_request_context():
            search = flask.request.query_string.decode("utf-8", "replace")
            lang = _served_language(search)
            app_entry = f"{header_html(search, lang)}\n{app_entry}\n{footer_html(lang)}"
        page = super().interpolate_index(
            metas=metas,
            title=title,
            css=css,
            config=config,
            scripts=scripts,
            app_entry=app_entry,
            favicon=favicon,
            renderer=renderer,
        )
        return str(page) if lang is None else page.replace("<html>", f'<html lang="{lang}">', 1)


def _layout_never_stored(layout_path: str) -> Callable[[flask.Response], flask.Response]:
    """An after-request hook marking the layout's answer `Cache-Control: no-store`.

    The layout is built from the link the page was opened with (its Referer) and the browser's language, yet
    its URL is always `/_dash-layout`. On Back or Forward Chromium loads a page's parts from its HTTP cache
    even when stale, so going Back from a language link to an English URL drew the Azerbaijani layout it had
    stored last: the wrong language and the wrong state under a right URL."""

    def hook(response: flask.Response) -> flask.Response:
        if flask.request.path == layout_path:
            response.headers["Cache-Control"] = "no-store"
        return response

    return hook


# Dash's own page, with two changes:
# - its scripts sit in a <div>, not a <footer>: a second footer is a second "contentinfo" landmark beside the
#   page's own (axe-core's landmark-no-duplicate-contentinfo), and screen readers list both;
# - the chunks that draw the first response's content (the layout arrives with its charts and dropdowns
#   filled, callbacks/first_response.py) are fetched while the main bundles load, not after the layout has
#   rendered (bench P0). plotly.js is not among them: the page runs its own smaller bundle, an asset
#   (assets/05-plotly-dashboard.min.js, tools/plotly-bundle), which Dash's graph uses as `window.Plotly`.
INDEX = """<!DOCTYPE html>
<html>
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
        PRELOADS
    </head>
    <body>
        {%app_entry%}
        <div class="dash-scripts">
            {%config%}
            {%scripts%}
            {%renderer%}
        </div>
    </body>
</html>"""
PRELOADED = (
    "dash/dcc/async-graph.js",
    "dash/dcc/async-dropdown.js",
)


def _index(app: dash.Dash) -> str:
    links = "\n        ".join(
        f'<link rel="preload" as="script" href="{app.get_relative_path("/_dash-component-suites/" + path)}">'
        for path in PRELOADED
    )
    return INDEX.replace("PRELOADS", links)


def create_app(settings: Settings, *, store: QueryStore | None = None) -> dash.Dash:
    """A Dash app reading the store in `settings.store_dir`; its callbacks are registered explicitly."""
    store = store or QueryStore.from_settings(settings)
    app = _Dash(
        __name__,
        title=PRODUCT,
        update_title="",
        assets_folder=str(ASSETS_DIR),
        pages_folder="",
        use_pages=False,
        serve_locally=True,
        # Dash would otherwise build the layout once at start-up and embed it in every HTML page it serves
        # ("validation_layout": 185 KB of JSON, built into each page before the browser can ask for the real
        # layout). tests/dashboard/test_app.py checks what that validation did: every id a callback names is in
        # the layout, and no id is used twice.
        suppress_callback_exceptions=True,
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {"name": "description", "content": "Bilateral trade statistics from official sources"},
        ],
    )
    app.index_string = _index(app)
    app.layout = lambda: _layout(store, settings)
    app.server.after_request(_layout_never_stored(app.config.routes_pathname_prefix + "_dash-layout"))
    callbacks.register_all(app, store, settings)
    security.harden(app.server, script_hashes=app.csp_hashes)

    @app.server.route("/healthz")
    def _health() -> flask.Response:
        path = store.version_path()
        status = 200 if path is not None else 503
        return flask.jsonify({"store": path.name if path else None}), status  # type: ignore[return-value]

    return app


def prepared_app(settings: Settings, *, wait: bool = True) -> dash.Dash:
    """`create_app` on a store whose every reporter is ranked before the first request (`QueryStore.prepare`):
    what serving uses; tests build apps without it (the shipped store answers any question quickly).

    `wait=False` (`python -m dashboard`, one process) ranks in a background thread instead, so the page
    answers at once (~7 s for the shipped store's 224 reporters, ~14 s for the world matrix)."""
    store = QueryStore.from_settings(settings)

    def rank() -> None:
        started = time.perf_counter()
        count = store.prepare(before_fork=wait)
        if count:
            took = time.perf_counter() - started
            print(f"ranked {count} reporters in {took:.1f} s", file=sys.stderr, flush=True)
        settled()

    app = create_app(settings, store=store)
    # Dash sets itself up (registers its scripts' paths) on a process's first request, and a request arriving
    # meanwhile on another thread is refused ("dash is not a registered library"): a worker forked from a
    # preloading master got the page's script requests first, on four threads at once. Set up here instead,
    # before serving (and before the ranking, which closes the connection the layout opens before the fork).
    app.server.test_client().get("/healthz")
    if wait:
        rank()
    else:
        threading.Thread(target=rank, name="rank-every-reporter", daemon=True).start()
    return app


def settled() -> None:
    """Move what start-up built (the page's layout, Dash's registries, every reporter's rankings) out of the
    garbage collector's sight: it lives as long as the process. A full collection then walks only what requests
    made since, not everything (in bench P2b's process, ~195 k objects with the browser driver's, one paused a
    partner change ~70 ms; a server of the world store holds ~24 k after start-up, ~5-10 ms a collection), and
    gunicorn's workers, forked after it, stop writing to the pages they share with the master each time a
    collection walks those objects."""
    gc.collect()
    gc.freeze()


def create_server() -> flask.Flask:
    """The WSGI app for gunicorn, configured from the environment (gunicorn.conf.py: once, before forking)."""
    return prepared_app(from_env(os.environ)).server
