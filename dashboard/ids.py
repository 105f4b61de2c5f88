"""Component ids, spelled once (layout and callbacks both import them)."""

from __future__ import annotations

from typing import Final

URL: Final = "url"
VIEW_REPORTER: Final = "view-options-reporter"  # the reporter the option lists were built for

REPORTER: Final = "reporter"
PARTNER: Final = "partner"
YEAR: Final = "year"
MEASURE: Final = "ranking-measure"
TOP: Final = "ranking-top"
COMPARE: Final = "compare-partners"

TITLE: Final = "page-title"
SUBTITLE: Final = "page-subtitle"
KPIS: Final = "kpis"

TREND_TITLE: Final = "trend-title"
TREND_GRAPH: Final = "trend-graph"
TREND_SOURCE: Final = "trend-source"
RANKING_TITLE: Final = "ranking-title"
RANKING_GRAPH: Final = "ranking-graph"
RANKING_SOURCE: Final = "ranking-source"
COMPARE_GRAPH: Final = "compare-graph"
COMPARE_SOURCE: Final = "compare-source"
