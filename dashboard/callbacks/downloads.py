"""The download menu of every chart card: one pattern-matching callback for every chart and format.

The view is read from the page URL (the shareable state, the same one a copied link reopens), so an
export is exactly the chart on screen and names the link it came from. Images come from one warm
Chromium per process (`ImageEngine`, started on the first image); when Chromium is missing or fails, the
card shows an alert saying so and every other part of the app, HTML, CSV and XLSX exports included, keeps
working.
"""

from __future__ import annotations

import base64
import logging
from typing import Any
from urllib.parse import parse_qs, urlsplit

import dash
from dash import ALL, MATCH, Input, Output, State, ctx, no_update

from dashboard import ids
from dashboard.components.chart_card import DOWNLOAD_ALERT, DOWNLOAD_FILE, DOWNLOAD_ITEM
from dashboard.export import FORMATS, ExportUnavailable, ImageEngine
from dashboard.i18n import language, t
from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import NoStoreError, QueryStore
from dashboard.registry import FormatNotOffered, UnknownChart, export_chart, view_state_from_search
from dashboard.settings import Settings

_log = logging.getLogger(__name__)


def download_outputs(
    queries: TradeQueries,
    settings: Settings,
    *,
    engine: ImageEngine,
    chart_id: str,
    fmt: str,
    href: str | None,
) -> tuple[Any, str, bool]:
    """(dcc.Download data or no_update, alert text, alert open) for one click on a download item.

    `href` is the page URL: its query string is the view, and the whole URL is the link the export cites.
    """
    search = urlsplit(href).query if href else ""
    lang = language(parse_qs(search).get("lang", [None])[0])
    if fmt not in FORMATS:
        return no_update, t(lang, "Unknown export format {format}.", format=repr(fmt)), True
    try:
        state = view_state_from_search(queries, settings, search)
        exported = export_chart(queries, chart_id, state, fmt=fmt, link=href or "", engine=engine)
    except ExportUnavailable as exc:
        return no_update, str(exc), True
    except FormatNotOffered as exc:
        return no_update, f"{str(exc)[0].upper()}{str(exc)[1:]}.", True
    except UnknownChart:
        return no_update, t(lang, "This chart ({chart}) cannot be exported.", chart=chart_id), True
    except NoStoreError as exc:
        return no_update, str(exc), True
    except Exception:
        _log.exception("export of %s as %s failed", chart_id, fmt)
        failed = t(
            lang, "The {format} export failed on the server; the error has been logged.", format=fmt.upper()
        )
        return no_update, failed, True
    data = {
        "content": base64.b64encode(exported.content).decode("ascii"),
        "filename": exported.filename,
        "type": exported.media_type,
        "base64": True,
    }
    return data, "", False


def store_download_outputs(
    store: QueryStore, settings: Settings, *, engine: ImageEngine, chart_id: str, fmt: str, href: str | None
) -> tuple[Any, str, bool]:
    """`download_outputs` on the store's current version; an alert saying what to do when none is published."""
    try:
        queries = store.current()
    except NoStoreError as exc:
        return no_update, str(exc), True
    return download_outputs(queries, settings, engine=engine, chart_id=chart_id, fmt=fmt, href=href)


def register(app: dash.Dash, store: QueryStore, *, settings: Settings | None = None) -> None:
    """Answer every chart card's download menu; the image engine belongs to this app (one per process)."""
    settings = settings or Settings(store_dir=store.store_dir)
    engine = ImageEngine()

    @app.callback(
        Output({"type": DOWNLOAD_FILE, "chart": MATCH}, "data"),
        Output({"type": DOWNLOAD_ALERT, "chart": MATCH}, "children"),
        Output({"type": DOWNLOAD_ALERT, "chart": MATCH}, "is_open"),
        Input({"type": DOWNLOAD_ITEM, "chart": MATCH, "format": ALL}, "n_clicks"),
        State(ids.URL, "href"),
        prevent_initial_call=True,
    )
    def _download(clicks: list[int | None], href: str | None) -> tuple[Any, str, bool]:
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(clicks):
            return no_update, no_update, no_update  # type: ignore[return-value]
        return store_download_outputs(
            store,
            settings,
            engine=engine,
            chart_id=str(trigger.get("chart")),
            fmt=str(trigger.get("format")),
            href=href,
        )
