"""The page's header and footer, as plain HTML around Dash's root (app.py puts them in the page it serves).

They never change while the page is open (a change of language reloads it), so they are not Dash components:
Dash's renderer runs a selector for every component of its tree at each update of its store, and a partner
change makes ~60 of those (bench P2b); the header and footer were 18 of the page's components. What still
moves in them moves in the browser: the language links' hrefs follow the URL (callbacks/views.py
RELOAD_ON_LANGUAGE), the theme toggle is assets/20-theme.js.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

import jinja2

from dashboard import ids
from dashboard.i18n import LANGUAGE_NAMES, LANGUAGES, label, t

PRODUCT = "Bilateral Trade Statistics"

# The markup react-bootstrap drew for dbc.Navbar/NavbarBrand and html.* before (the house CSS styles it).
_TEMPLATES = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
_HEADER = _TEMPLATES.from_string(
    """<header role="banner" class="app-navbar navbar navbar-expand-md navbar-dark bg-dark">
<div class="container-xxl">
<a href="/" class="brand navbar-brand"><span class="brand-mark" aria-hidden="true">◆</span>{{ product }}</a>
<span class="navbar-tagline">{{ tagline }}</span>
<nav id="{{ links_id }}" class="lang-links ms-auto" aria-label="{{ language }}">
{%- for link in links %}<a id="{{ link.id }}" class="lang-link{{ ' active' if link.current }}" href="{{ link.href }}" \
lang="{{ link.code }}" title="{{ link.name }}"{{ ' aria-current="true"'|safe if link.current }}>{{ link.code|upper }}</a>
{%- endfor -%}
</nav>
<button id="{{ toggle_id }}" class="btn btn-sm btn-outline-light theme-toggle ms-2" type="button" \
aria-pressed="false"><span aria-hidden="true">◐</span> {{ toggle }}</button>
</div>
</header>"""
)
_FOOTER = _TEMPLATES.from_string(
    """<footer class="app-footer">
<div class="container-xxl">
<p><strong>{{ read }} </strong>{{ reading }}</p>
<p>{{ derived }}</p>
<p class="mb-0">{{ ranks }}</p>
</div>
</footer>"""
)


@dataclass(frozen=True)
class LanguageLink:
    code: str
    href: str
    current: bool

    @property
    def id(self) -> str:
        return ids.lang_link(self.code)

    @property
    def name(self) -> str:
        return LANGUAGE_NAMES[self.code]


def language_search(search: str, code: str) -> str:
    """The query string `search` with its `lang` set to `code`: the other parameters in order and untouched,
    `lang` replaced in place or added at the end. What the browser does afterwards (URLSearchParams.set)."""
    params: list[tuple[str, str]] = []
    placed = False
    for name, value in parse_qsl(search.lstrip("?"), keep_blank_values=True):
        if name != "lang":
            params.append((name, value))
        elif not placed:
            params.append((name, code))
            placed = True
    if not placed:
        params.append(("lang", code))
    return "?" + urlencode(params, safe=",")


def language_links(search: str, lang: str) -> list[LanguageLink]:
    """A link to the same page in each language, from the page's query string."""
    return [LanguageLink(code, language_search(search, code), code == lang) for code in LANGUAGES]


def header_html(search: str, lang: str) -> str:
    """The banner: the product, its tagline, the language links and the dark-theme toggle."""
    return _HEADER.render(
        product=label(lang, "product"),
        tagline=label(lang, "tagline"),
        language=label(lang, "language"),
        links_id=ids.LANG_LINKS,
        links=language_links(search, lang),
        toggle_id=ids.THEME_TOGGLE,
        toggle=label(lang, "theme.toggle"),
    )


def footer_html(lang: str) -> str:
    """How to read the figures: valuation, mirrors, derived figures, ranks."""
    return _FOOTER.render(
        read=label(lang, "footer.read"),
        reading=t(
            lang,
            "Every number is as the reporter declares it: its exports valued FOB, its imports CIF. "
            "A partner's own (mirror) report of the same trade is a separate series under that "
            "partner as reporter. Turnover = exports + imports; balance = exports − imports, shown "
            "only when both flows are reported. Missing figures are left out, never counted as zero. "
            "Rows of different sources are never added together.",
        ),
        derived=label(lang, "note.derived"),
        ranks=t(
            lang,
            "Rank and share count countries only (groups such as World or European Union are not "
            "ranked); the total is the reporter's World figure where reported.",
        ),
    )
