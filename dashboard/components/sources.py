"""The sources view's content: one row per source and release, then what FOB, CIF and "reported by" mean."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard.format import number_text
from dashboard.i18n import N_, t

# Headers are English msgids, shown through the catalogue. Sources are named by their titles, never their ids.
COLUMNS = (
    ("title", N_("Title and publisher")),
    ("licence", N_("Licence")),
    ("release", N_("Release")),
    ("coverage", N_("Periods")),
    ("stored_rows", N_("Rows now")),
    ("changes", N_("Last publication: added / removed / revised")),
)


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return "\u2014"
    return str(value)


def _count(value: Any, lang: str = "en") -> str:
    return "\u2014" if value is None or pd.isna(value) else number_text(int(value), lang)


def sources_content(overview: pd.DataFrame, *, store_version: str | None, lang: str = "en") -> list[Any]:
    """A table from `sources_overview()` (one row per source and release) and the definitions.

    Text from the store is rendered as components (escaped), never as HTML. The sources' own words (title,
    publisher, licence, release notes) are quoted as the store holds them, in English, and marked `lang="en"`.
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
        changes = " / ".join(
            _count(record.get(c), lang) for c in ("rows_added", "rows_removed", "rows_revised")
        )
        rows.append(
            html.Tr(
                [
                    html.Td(title, lang="en"),
                    html.Td(_text(record.get("licence")), lang="en"),
                    html.Td(
                        [
                            _text(record.get("release")),
                            html.Br(),
                            html.Small(_text(record.get("description")), lang="en"),
                        ]
                    ),
                    html.Td(f"{_text(record.get('first_period'))} \u2013 {_text(record.get('last_period'))}"),
                    html.Td(_count(record.get("stored_rows"), lang), className="text-end"),
                    html.Td(changes, className="text-end"),
                ],
                className="source-row",
            )
        )
    table = dbc.Table(
        [html.Thead(html.Tr([html.Th(t(lang, name), scope="col") for _, name in COLUMNS])), html.Tbody(rows)],
        bordered=False,
        hover=True,
        responsive=True,
        size="sm",
        class_name="sources-table",
    )
    refreshed = (
        t(lang, "Store version now served: {version} (the date and time in its name is the last refresh).",
          version=store_version)
        if store_version
        else t(lang, "No store version is published.")
    )  # fmt: skip
    return [
        table,
        html.P(refreshed, className="text-body-secondary small", id="store-version"),
        html.H3(t(lang, "What the numbers mean"), className="h6 mt-4"),
        html.Dl(
            [
                html.Dt(t(lang, "Reported by")),
                html.Dd(
                    t(lang, "Every figure is one economy's own statistics (the reporter): Azerbaijan's exports to "
                      "Italy as Azerbaijan declares them. Italy's report of the same trade (its imports from "
                      "Azerbaijan) is a separate, mirror series with Italy as reporter; the two are never merged.")
                ),
                html.Dt("FOB"),
                html.Dd(
                    t(lang, "Free on board: exports valued at the exporter's border, without international freight "
                      "and insurance.")
                ),
                html.Dt("CIF"),
                html.Dd(
                    t(lang, "Cost, insurance and freight: imports valued at the importer's border, including "
                      "freight and insurance; so a partner's mirror imports are normally a few percent above the "
                      "reporter's exports.")
                ),
                html.Dt(t(lang, "Sources")),
                html.Dd(
                    t(lang, "Rows of different sources are never added together. For each reporter and frequency "
                      "the dashboard shows the first source in its order of preference that has data and says "
                      "which; any other source with data can be chosen.")
                ),
                html.Dt(t(lang, "Derived figures")),
                html.Dd(
                    t(lang, "A month computed as the difference of two January–month cumulatives, a cumulative "
                      "computed as a sum of months, and a country group summed from its members are marked "
                      "derived; stored figures name the file and cell they came from.")
                ),
            ],
            className="definitions",
        ),
    ]  # fmt: skip
