"""The sources view's content: one row per source and release, then what FOB, CIF and "reported by" mean."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

COLUMNS = (
    ("source", "Source"),
    ("title", "Title and publisher"),
    ("licence", "Licence"),
    ("release", "Release"),
    ("coverage", "Periods"),
    ("stored_rows", "Rows now"),
    ("changes", "Last publication: added / removed / revised"),
)


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return "\u2014"
    return str(value)


def _count(value: Any) -> str:
    return "\u2014" if value is None or pd.isna(value) else f"{int(value):,}"


def sources_content(overview: pd.DataFrame, *, store_version: str | None) -> list[Any]:
    """A table from `sources_overview()` (one row per source and release) and the definitions.

    Text from the store is rendered as components (escaped), never as HTML.
    """
    rows = []
    for record in overview.to_dict("records"):
        url = record.get("url")
        title: list[Any] = [
            html.Strong(_text(record.get("title"))),
            html.Br(),
            _text(record.get("publisher")),
        ]
        if isinstance(url, str) and url.startswith(("https://", "http://")):
            title += [html.Br(), html.A(url, href=url, target="_blank", rel="noopener noreferrer")]
        changes = " / ".join(_count(record.get(c)) for c in ("rows_added", "rows_removed", "rows_revised"))
        rows.append(
            html.Tr(
                [
                    html.Td(html.Code(_text(record.get("source")))),
                    html.Td(title),
                    html.Td(_text(record.get("licence"))),
                    html.Td(
                        [
                            _text(record.get("release")),
                            html.Br(),
                            html.Small(_text(record.get("description"))),
                        ]
                    ),
                    html.Td(f"{_text(record.get('first_period'))} \u2013 {_text(record.get('last_period'))}"),
                    html.Td(_count(record.get("stored_rows")), className="text-end"),
                    html.Td(changes, className="text-end"),
                ],
                className="source-row",
            )
        )
    table = dbc.Table(
        [html.Thead(html.Tr([html.Th(name, scope="col") for _, name in COLUMNS])), html.Tbody(rows)],
        bordered=False,
        hover=True,
        responsive=True,
        size="sm",
        class_name="sources-table",
    )
    refreshed = (
        f"Store version now served: {store_version} (the date and time in its name is the last refresh)."
        if store_version
        else "No store version is published."
    )
    return [
        table,
        html.P(refreshed, className="text-body-secondary small", id="store-version"),
        html.H3("What the numbers mean", className="h6 mt-4"),
        html.Dl(
            [
                html.Dt("Reported by"),
                html.Dd(
                    "Every figure is one economy's own statistics (the reporter): Azerbaijan's exports to Italy "
                    "as Azerbaijan declares them. Italy's report of the same trade (its imports from Azerbaijan) "
                    "is a separate, mirror series with Italy as reporter; the two are never merged."
                ),
                html.Dt("FOB"),
                html.Dd(
                    "Free on board: exports valued at the exporter's border, without international freight and "
                    "insurance."
                ),
                html.Dt("CIF"),
                html.Dd(
                    "Cost, insurance and freight: imports valued at the importer's border, including freight "
                    "and insurance; so a partner's mirror imports are normally a few percent above the "
                    "reporter's exports."
                ),
                html.Dt("Sources"),
                html.Dd(
                    "Rows of different sources are never added together. For each reporter and frequency the "
                    "dashboard shows the first source in its order of preference that has data (TRADE_SOURCES) "
                    "and says which; any other source with data can be chosen."
                ),
                html.Dt("Derived figures"),
                html.Dd(
                    "A month computed as the difference of two January–month cumulatives, a cumulative computed "
                    "as a sum of months, and a country group summed from its members (data/reference/"
                    "partner_groups.csv) are marked derived; stored figures name the file and cell they came from."
                ),
            ],
            className="definitions",
        ),
    ]
