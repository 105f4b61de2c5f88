"""Component ids, spelled once (layout and callbacks both import them)."""

from __future__ import annotations

from typing import Final

URL: Final = "url"
LINK: Final = "link"  # a store: the URL the controls ask for, and the URL it replaces (callbacks/state.py)
NAVIGATION: Final = "navigation"  # a store: the URL when the user moved to it, not when the page wrote it
PAGE_SEARCH: Final = (
    "page-search"  # a store: the link the layout was built from (callbacks/first_response.py)
)
VIEW_REPORTER: Final = "view-options-reporter"  # the reporter the option lists were built for
LANG: Final = "lang"  # a store: the page's language (set from the link when the page loads)
STATE_NOTE: Final = "state-note"  # what a link asked for that could not be shown
LANG_LINKS: Final = "lang-links"

VIEW: Final = "view-tabs"

REPORTER: Final = "reporter"
PARTNER: Final = "partner"
FREQUENCY: Final = "frequency"
PERIOD: Final = "period"
YEAR: Final = PERIOD  # the period picker replaced the year picker; annual periods are years
SOURCE: Final = "source"
FLOWS: Final = "flows"
MEASURE: Final = "ranking-measure"
TOP: Final = "ranking-top"
COMPARE: Final = "compare-partners"
MAP_MEASURE: Final = "map-measure"

TITLE: Final = "page-title"
SUBTITLE: Final = "page-subtitle"
KPIS: Final = "kpis"
NARRATIVE: Final = "narrative"
DATA_NOTE: Final = "data-note"  # annual only, derived figures, warnings from the period derivation

TREND_TITLE: Final = "trend-title"
TREND_GRAPH: Final = "trend-graph"
TREND_SOURCE: Final = "trend-source"
RANKING_TITLE: Final = "ranking-title"
RANKING_GRAPH: Final = "ranking-graph"
RANKING_SOURCE: Final = "ranking-source"
COMPARE_TITLE: Final = "compare-title"
COMPARE_GRAPH: Final = "compare-graph"
COMPARE_SOURCE: Final = "compare-source"
RANK_HISTORY_TITLE: Final = "rank-history-title"
RANK_HISTORY_GRAPH: Final = "rank-history-graph"
RANK_HISTORY_SOURCE: Final = "rank-history-source"
MAP_TITLE: Final = "map-title"
MAP_GRAPH: Final = "map-graph"
MAP_SOURCE: Final = "map-source"
TABLE_TITLE: Final = "table-title"
TABLE_GRID: Final = "table-grid"
TABLE_SEARCH: Final = "table-search"
THEME_TOGGLE: Final = "theme-toggle"
TABLE_SOURCE: Final = "table-source"
SOURCES_CONTENT: Final = "sources-content"
# The views whose section holds all its components (the others hold only their controls until opened).
BUILT_VIEWS: Final = "built-views"


def route(name: str) -> str:
    """The store a route's callbacks take as input (routes: dashboard/registry.py, fed by callbacks/routes.py)."""
    return f"route-{name}"


def section(view_id: str) -> str:
    """The id of the element that holds one view."""
    return f"view-{view_id}"


def lang_link(code: str) -> str:
    """The language link to the page in `code` (its href follows the URL: callbacks/views.py)."""
    return f"lang-link-{code}"
