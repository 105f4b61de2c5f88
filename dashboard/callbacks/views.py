"""Which view is shown, and the page heading for the current selection."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import dash
from dash import Input, Output, State

from dashboard import ids
from dashboard.components.header import page_subtitle_for, page_title
from dashboard.i18n import LANGUAGES, language, t
from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore
from dashboard.view_content import area_label


def hidden_sections(active: Any, views: Sequence[str]) -> tuple[bool, ...]:
    """`hidden` for each view's section: all but the active one (the first when `active` is unknown).

    The layout's first answer; SHOW_SECTION does the same in the browser for each tab opened afterwards."""
    shown = active if active in views else views[0]
    return tuple(v != shown for v in views)


# A tab opened shows its section in the browser: a request for six booleans cost a round trip that competed
# with the opened view's charts for the server (one request per tab click, before issue 14).
SHOW_SECTION = """
function(active) {
    const views = VIEWS;
    const shown = views.includes(active) ? active : views[0];
    return views.map((v) => v !== shown);
}
"""


def heading_outputs(
    queries: TradeQueries, reporter: Any, partner: Any, frequency: Any, source: Any, lang: Any = "en"
) -> tuple[str, str]:
    """(page title, subtitle) in the page's language."""
    reporter, partner, lang = str(reporter), str(partner), language(lang)
    reporter_name = area_label(queries, reporter, lang) or t(lang, "the reporter")
    partner_name = area_label(queries, partner, lang) or t(lang, "the partner")
    chosen = queries.source_for(reporter, str(frequency), wanted=source)
    periods = queries.periods(reporter, frequency=str(frequency), source=chosen)
    source_name = queries.source_titles().get(chosen, chosen) if chosen else None
    return page_title(reporter_name, partner_name, lang), page_subtitle_for(
        periods, frequency=str(frequency), reporter_name=reporter_name, source=source_name, lang=lang
    )


# Every label is built with the page, so a change of language in the URL (Back or Forward across a language
# link) reloads the page; the layout is then built in the language of the link. The language links are plain
# HTML outside Dash's tree (components/chrome.py): each keeps the page's current query string with its own
# `lang` (the other parameters in order and untouched, `lang` replaced in place or added at the end), rewritten
# here as the URL changes, as `language_search` wrote the first ones.
RELOAD_ON_LANGUAGE = f"""
function(search, lang) {{
    // The document's language is the page's (screen readers, hyphenation, the browser's translate offer).
    if (lang) {{ document.documentElement.lang = lang; }}
    for (const [code, id] of Object.entries({json.dumps({code: ids.lang_link(code) for code in LANGUAGES})})) {{
        const link = document.getElementById(id);
        if (link) {{
            const params = new URLSearchParams(search || "");
            params.set("lang", code);
            link.setAttribute("href", "?" + params.toString().replace(/%2C/g, ","));
        }}
    }}
    // No `lang` in the link: the page was built in the browser's language (Accept-Language); keep it.
    const wanted = new URLSearchParams(search || "").get("lang");
    if (lang && wanted && wanted !== lang && {list(LANGUAGES)!r}.includes(wanted)) {{
        window.location.reload();
    }}
    return window.dash_clientside.no_update;
}}
"""


def register(app: dash.Dash, store: QueryStore, *, views: Sequence[str]) -> None:
    app.clientside_callback(
        RELOAD_ON_LANGUAGE, Output(ids.LANG, "data"), Input(ids.URL, "search"), State(ids.LANG, "data")
    )

    app.clientside_callback(
        SHOW_SECTION.replace("VIEWS", json.dumps(list(views))),
        *(Output(ids.section(v), "hidden") for v in views),
        Input(ids.VIEW, "value"),
        prevent_initial_call=True,
    )
