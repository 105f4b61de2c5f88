"""The claim checker's layout: paste text -> confirm the figures found -> verdicts; or one claim by form.

Filled by `dashboard.callbacks.claims`. Every verdict row shows the data's value, source and release, and the
other series (other sources, the partner's mirror report) where they exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.claims.model import FORM_UNITS, MONTHS
from dashboard.components.aria import aria
from dashboard.components.controls import area_options

SECTION: Final = "claims-view"
TEXT: Final = "claim-text"
TEXT_LANG: Final = "claim-text-lang"
EXTRACT: Final = "claim-extract"
FOUND: Final = "claim-found"
FOUND_STORE: Final = "claim-found-store"
FOUND_MESSAGE: Final = "claim-found-message"
CHECK: Final = "claim-check"
RESULTS: Final = "claim-results"
FORM_PARTNER: Final = "claim-form-partner"
FORM_PERIOD: Final = "claim-form-period"
FORM_YEAR: Final = "claim-form-year"
FORM_MONTH: Final = "claim-form-month"
FORM_MEASURE: Final = "claim-form-measure"
FORM_VALUE: Final = "claim-form-value"
FORM_UNIT: Final = "claim-form-unit"
FORM_CHECK: Final = "claim-form-check"
FORM_RESULT: Final = "claim-form-result"

EXAMPLE: Final = (
    "Italy was Azerbaijan's main trading partner in January–July 2020, with turnover of $3.7 billion; "
    "exports to Italy amounted to $933.2 million."
)
FORM_MEASURES: Final = {
    "turnover": "Turnover", "exports": "Exports", "imports": "Imports", "balance": "Balance",
    "share": "Share of turnover", "rank": "Rank by turnover",
}  # fmt: skip
VERDICT_COLOURS: Final = {
    "consistent": "success",
    "inconsistent": "danger",
    "implausible": "warning",
    "internally inconsistent": "danger",
    "not checkable": "secondary",
}


def _field(label: str, control: Any, control_id: str) -> html.Div:
    return html.Div(
        [dbc.Label(label, html_for=control_id, class_name="control-label"), control],
        className="control-field",
    )


def claims_section(
    *, partners: Sequence[Any], partner: str | None, years: Sequence[int], year: int | None
) -> html.Section:
    """The checker; `partners` (Areas) and `years` fill the form, preset to the page's partner and year."""
    text_card = dbc.Card(
        dbc.CardBody(
            [
                html.H2("Check a published text", className="chart-title"),
                html.P(
                    "Paste a sentence or paragraph in English, Italian, Azerbaijani or Russian. The figures it "
                    "states are listed for you to confirm, then each is checked against the data.",
                    className="text-body-secondary small",
                ),
                dbc.Label("Text to check", html_for=TEXT, class_name="control-label"),
                dbc.Textarea(id=TEXT, placeholder=EXAMPLE, rows=4, maxLength=20_000, class_name="mb-2"),
                _field(
                    "Language of the text",
                    dcc.Dropdown(
                        id=TEXT_LANG, options=text_language_options(), value="auto", clearable=False
                    ),
                    TEXT_LANG,
                ),
                dbc.Button("Find the figures", id=EXTRACT, color="primary", class_name="me-2"),
                html.Div(id=FOUND_MESSAGE, className="mt-3", **aria(live="polite")),
                dcc.Checklist(
                    id=FOUND, options=[], value=[], className="claim-found", labelClassName="d-block"
                ),
                dcc.Store(id=FOUND_STORE, data=[]),
                dbc.Button(
                    "Check the ticked figures", id=CHECK, color="primary", outline=True, class_name="mt-2"
                ),
                html.Div(id=RESULTS, className="mt-3", **aria(live="polite")),
            ]
        ),
        class_name="chart-card shadow-sm h-100",
    )
    form_card = dbc.Card(
        dbc.CardBody(
            [
                html.H2("Check one figure", className="chart-title"),
                _field(
                    "Partner",
                    dcc.Dropdown(
                        id=FORM_PARTNER, options=area_options(partners), value=partner, clearable=False
                    ),
                    FORM_PARTNER,
                ),
                _field(
                    "Period",
                    dbc.RadioItems(
                        id=FORM_PERIOD,
                        options=[
                            {"label": "A year", "value": "year"},
                            {"label": "A month", "value": "month"},
                            {"label": "January to a month", "value": "cumulative"},
                        ],
                        value="year",
                        inline=True,
                    ),
                    FORM_PERIOD,
                ),
                dbc.Row(
                    [
                        dbc.Col(
                            _field(
                                "Year",
                                dcc.Dropdown(
                                    id=FORM_YEAR,
                                    options=[
                                        {"label": str(y), "value": y} for y in sorted(years, reverse=True)
                                    ],
                                    value=year,
                                    clearable=False,
                                ),
                                FORM_YEAR,
                            )
                        ),
                        dbc.Col(
                            _field(
                                "Month (to)",
                                dcc.Dropdown(
                                    id=FORM_MONTH,
                                    options=[{"label": m, "value": i + 1} for i, m in enumerate(MONTHS)],
                                    value=12,
                                    clearable=False,
                                ),
                                FORM_MONTH,
                            )
                        ),
                    ]
                ),
                dbc.Row(
                    [
                        dbc.Col(
                            _field(
                                "Measure",
                                dcc.Dropdown(
                                    id=FORM_MEASURE,
                                    options=[
                                        {"label": label, "value": value}
                                        for value, label in FORM_MEASURES.items()
                                    ],
                                    value="turnover",
                                    clearable=False,
                                ),
                                FORM_MEASURE,
                            )
                        ),
                        dbc.Col(
                            _field(
                                "Value", dbc.Input(id=FORM_VALUE, type="text", placeholder="3.7"), FORM_VALUE
                            )
                        ),
                        dbc.Col(
                            _field(
                                "Unit",
                                dcc.Dropdown(
                                    id=FORM_UNIT,
                                    options=[{"label": u, "value": u} for u in FORM_UNITS],
                                    value="billion USD",
                                    clearable=False,
                                ),
                                FORM_UNIT,
                            )
                        ),
                    ]
                ),
                dbc.Button("Check", id=FORM_CHECK, color="primary", class_name="mt-2"),
                html.Div(id=FORM_RESULT, className="mt-3", **aria(live="polite")),
            ]
        ),
        class_name="chart-card shadow-sm h-100",
    )
    return html.Section(
        dbc.Row([dbc.Col(text_card, lg=7), dbc.Col(form_card, lg=5)], class_name="g-4 section-row"),
        id=SECTION,
        **aria(label="Claim checker"),
    )


def verdict_table(rows: Sequence[dict[str, str]]) -> Any:
    """Verdicts as a table: one row per figure (`dashboard.claims.verdict_frame` records)."""
    if not rows:
        return html.P("Nothing to check: tick at least one figure.", className="text-body-secondary")
    header = html.Thead(
        html.Tr(
            [html.Th("Claim"), html.Th("Verdict"), html.Th("Data"), html.Th("Why"), html.Th("Other series")]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(
                        [
                            html.Strong(row["claim"]),
                            html.Br(),
                            html.Small(row["what"], className="text-body-secondary"),
                        ]
                    ),
                    html.Td(
                        dbc.Badge(
                            row["verdict"],
                            color=VERDICT_COLOURS.get(row.get("verdict_word", row["verdict"]), "secondary"),
                            class_name="verdict",
                        )
                    ),
                    html.Td(
                        [
                            html.Span(row["data"], className="verdict-data"),
                            html.Br(),
                            html.Small(
                                " · ".join(p for p in (row["data_period"], row["source"]) if p),
                                className="text-body-secondary",
                                title=row["origin"],
                            ),
                        ]
                    ),
                    html.Td(row["explanation"], className="small"),
                    html.Td(row["other_series"], className="small"),
                ],
                className="claim-verdict",
            )
            for row in rows
        ]
    )
    return dbc.Table([header, body], size="sm", responsive=True, class_name="claim-verdicts mb-0")


def text_language_options() -> list[dict[str, str]]:
    """Auto-detect, then each language the reader knows by its own name (CLDR)."""
    from babel import Locale

    names = [
        {"label": str(Locale.parse(code).get_display_name(code)).capitalize(), "value": code}
        for code in ("en", "it", "az", "ru")
    ]
    return [{"label": "Tell from the text", "value": "auto"}, *names]


def language_name(code: str) -> str:
    from babel import Locale

    return str(Locale.parse(code).get_display_name("en"))


def found_message(count: int, language: str | None = None) -> Any:
    if count == 0:
        return dbc.Alert(
            "No figures found. State amounts such as “$3.7 billion”, “933.2 million” or “26.36 percent”.",
            color="secondary",
            class_name="mb-2",
        )
    read_as = f" in {language_name(language)}" if language else ""
    return html.P(
        f"{count} figure{'s' if count != 1 else ''} found{read_as}. Untick any that were misread, then check.",
        className="mb-1 fw-semibold",
    )
