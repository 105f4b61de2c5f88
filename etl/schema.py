"""The tidy table every source adapts to, and the tables written beside it.

Column names live here as constants so that no module spells them twice (DESIGN.md, habit 1).
"""

from __future__ import annotations

from typing import Final

# trade_flows: one row per (source, reporter, partner, flow, period) as the *reporter* declares it.
SOURCE: Final = "source"
REPORTER: Final = "reporter"
PARTNER: Final = "partner"
FLOW: Final = "flow"
PERIOD_START: Final = "period_start"
PERIOD_END: Final = "period_end"
VALUE_USD: Final = "value_usd"
VALUATION: Final = "valuation"
STATUS: Final = "status"
RELEASE: Final = "release"

TRADE_FLOWS: Final = "trade_flows"
TRADE_FLOW_COLUMNS: Final = (
    SOURCE,
    REPORTER,
    PARTNER,
    FLOW,
    PERIOD_START,
    PERIOD_END,
    VALUE_USD,
    VALUATION,
    STATUS,
    RELEASE,
)
KEY_COLUMNS: Final = (SOURCE, REPORTER, PARTNER, FLOW, PERIOD_START, PERIOD_END)
# Rows are stored in this order: queries filter by reporter first, and a sorted store answers a
# single-reporter query ~20x faster than an unsorted one (STACK.md, "Data").
SORT_COLUMNS: Final = (REPORTER, PARTNER, FLOW, PERIOD_START, PERIOD_END, SOURCE)

# Where a figure came from: "file!'sheet'!cell" or a URL. Kept out of trade_flows (whose shape is fixed
# by DESIGN.md) in the `provenance` table, one row per trade_flows key.
ORIGIN: Final = "origin"
PROVENANCE: Final = "provenance"
PROVENANCE_COLUMNS: Final = (*KEY_COLUMNS, ORIGIN)

FLOWS: Final = ("export", "import")
VALUATIONS: Final = ("FOB", "CIF")
STATUSES: Final = ("reported", "estimated", "provisional")
PERIOD_PATTERN: Final = r"^\d{4}-(0[1-9]|1[0-2])$"

# areas: every code that may appear as reporter or partner, with a display name and its kind.
AREAS: Final = "areas"
CODE: Final = "code"
NAME: Final = "name"
KIND: Final = "kind"
AREA_COLUMNS: Final = (CODE, NAME, KIND)
# country: a current ISO 3166-1 economy; historical: a former one (ISO 3166-3 or own code);
# group: an aggregate (World, EU, ...); unspecified: IMF's "... not specified" residual rows.
AREA_KINDS: Final = ("country", "historical", "group", "unspecified")

# sources: facts constant for a source; releases: one row per published release of a source.
SOURCES: Final = "sources"
SOURCE_COLUMNS: Final = (SOURCE, "publisher", "title", "url", "licence", "attribution", "unit_original")
RELEASES: Final = "releases"
RELEASE_COLUMNS: Final = (
    SOURCE,
    RELEASE,
    "description",
    "rows",
    "rows_added",
    "rows_removed",
    "rows_revised",
    "inputs",
)

# revisions: the largest value changes of each source in the latest refresh (`python -m etl diff`).
REVISIONS: Final = "revisions"
VALUE_BEFORE: Final = "value_before"
CHANGE_USD: Final = "change_usd"
REVISION_COLUMNS: Final = (*KEY_COLUMNS, RELEASE, VALUE_BEFORE, VALUE_USD, CHANGE_USD)
# How many revisions per source the store keeps (the largest by absolute change).
REVISIONS_KEPT: Final = 50

WORLD: Final = "WLD"
EUROPEAN_UNION: Final = "EUU"
