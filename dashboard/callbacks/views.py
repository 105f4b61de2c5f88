"""Which view is shown, and the page heading for the current selection."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
from dash import Input, Output, State

from dashboard import ids
from dashboard.components.header import page_subtitle_for, page_title
from dashboard.components.page import language_links
from dashboard.i18n import LANGUAGES, language, t
from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore
from dashboard.state import ViewState
from dashboard.view_content import area_label


def hidden_sections(active: Any, views: Sequence[str]) -> tuple[bool, ...]:
    """`hidden` for each view's section: all but the active one (the first when `active` is unknown)."""
    shown = active if active in views else views[0]
    return tuple(v != shown for v in views)


def language_links_for(search: Any, lang: Any) -> list[Any]:
    """The language links for the page's current query string."""
    current = ViewState(reporter="", partner=None, period=None, lang=language(lang))
    return language_links(current, search=search if isinstance(search, str) else "")


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
# link) reloads the page; the layout is then built in the language of the link.
RELOAD_ON_LANGUAGE = f"""
function(search, lang) {{
    // The document's language is the page's (screen readers, hyphenation, the browser's translate offer).
    if (lang) {{ document.documentElement.lang = lang; }}
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

    @app.callback(Output(ids.LANG_LINKS, "children"), Input(ids.URL, "search"), State(ids.LANG, "data"))
    def _language_links(search: Any, lang: Any) -> list[Any]:
        return language_links_for(search, lang)

    @app.callback(*(Output(ids.section(v), "hidden") for v in views), Input(ids.VIEW, "value"))
    def _show(active: Any) -> tuple[bool, ...]:
        return hidden_sections(active, views)

    @app.callback(
        Output(ids.TITLE, "children"),
        Output(ids.SUBTITLE, "children"),
        Input(ids.REPORTER, "value"),
        Input(ids.PARTNER, "value"),
        Input(ids.FREQUENCY, "value"),
        Input(ids.SOURCE, "value"),
        State(ids.LANG, "data"),
    )
    def _heading(reporter: Any, partner: Any, frequency: Any, source: Any, lang: Any) -> tuple[str, str]:
        return heading_outputs(store.current(), reporter, partner, frequency, source, lang)
