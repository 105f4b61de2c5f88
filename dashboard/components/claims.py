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
from dashboard.components.controls import area_options, dropdown_labels
from dashboard.i18n import LANGUAGE_NAMES, N_, month_names, t, tn

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
# Labels are English msgids, shown through the catalogue.
FORM_MEASURES: Final = {
    "turnover": N_("Turnover"), "exports": N_("Exports"), "imports": N_("Imports"), "balance": N_("Balance"),
    "share": N_("Share of turnover"), "rank": N_("Rank by turnover"),
}  # fmt: skip
# The units' words as the page shows them; the values stay the English words the form reader parses.
UNIT_LABELS: Final = {
    "USD": N_("USD"), "thousand USD": N_("thousand USD"), "million USD": N_("million USD"),
    "billion USD": N_("billion USD"), "percent": N_("percent"), "rank": N_("rank"),
}  # fmt: skip
VERDICT_COLOURS: Final = {
    "consistent": "success",
    "inconsistent": "danger",
    "implausible": "warning",
    "internally inconsistent": "danger",
    "not checkable": "secondary",
}


# An example in each page language, as the press of that language writes it (the text box's placeholder).
EXAMPLES: Final = {
    "en": EXAMPLE,
    "it": "Nei primi sette mesi del 2020 l'interscambio tra Azerbaigian e Italia ha raggiunto 3,7 miliardi di "
    "dollari; le esportazioni verso l'Italia sono state pari a 933,2 milioni di dollari.",
    "az": "2020-ci ilin yanvar-iyul aylarında Azərbaycan ilə İtaliya arasında ticarət dövriyyəsi 3,7 milyard "
    "dollar təşkil edib; İtaliyaya ixrac 933,2 milyon dollar olub.",
    "ru": "В январе–июле 2020 года товарооборот Азербайджана с Италией составил 3,7 млрд долларов; экспорт в "
    "Италию — 933,2 млн долларов.",
}


def _field(label: str, control: Any, control_id: str) -> html.Div:
    return html.Div(
        [dbc.Label(label, html_for=control_id, class_name="control-label"), control],
        className="control-field",
    )


def claims_section(
    *, partners: Sequence[Any], partner: str | None, years: Sequence[int], year: int | None, lang: str = "en"
) -> html.Section:
    """The checker; `partners` (Areas) and `years` fill the form, preset to the page's partner and year."""
    text_card = dbc.Card(
        dbc.CardBody(
            [
                html.H2(t(lang, "Check a published text"), className="chart-title"),
                html.P(
                    t(
                        lang,
                        "Paste a sentence or paragraph in English, Italian, Azerbaijani or Russian. The figures "
                        "it states are listed for you to confirm, then each is checked against the data.",
                    ),
                    className="text-body-secondary small",
                ),
                dbc.Label(t(lang, "Text to check"), html_for=TEXT, class_name="control-label"),
                dbc.Textarea(
                    id=TEXT,
                    placeholder=EXAMPLES.get(lang, EXAMPLE),
                    rows=4,
                    maxLength=20_000,
                    class_name="mb-2",
                ),
                _field(
                    t(lang, "Language of the text"),
                    dcc.Dropdown(
                        labels=dropdown_labels(lang),
                        id=TEXT_LANG,
                        options=text_language_options(lang),
                        value="auto",
                        clearable=False,
                    ),
                    TEXT_LANG,
                ),
                dbc.Button(t(lang, "Find the figures"), id=EXTRACT, color="primary", class_name="me-2"),
                html.Div(id=FOUND_MESSAGE, className="mt-3", **aria(live="polite")),
                # Bootstrap's checklist: each box is an <input> with its own <label for> (Dash 4's checklist
                # drew an unnamed listbox, which axe counts as a serious aria-input-field-name violation).
                dbc.Checklist(id=FOUND, options=[], value=[], class_name="claim-found"),
                dcc.Store(id=FOUND_STORE, data=[]),
                dbc.Button(
                    t(lang, "Check the ticked figures"),
                    id=CHECK,
                    color="primary",
                    outline=True,
                    class_name="mt-2",
                ),
                html.Div(id=RESULTS, className="mt-3", **aria(live="polite")),
            ]
        ),
        class_name="chart-card shadow-sm h-100",
    )
    form_card = dbc.Card(
        dbc.CardBody(
            [
                html.H2(t(lang, "Check one figure"), className="chart-title"),
                _field(
                    t(lang, "Partner"),
                    dcc.Dropdown(
                        labels=dropdown_labels(lang),
                        id=FORM_PARTNER,
                        options=area_options(partners, lang),
                        value=partner,
                        clearable=False,
                    ),
                    FORM_PARTNER,
                ),
                _field(
                    t(lang, "Period"),
                    dbc.RadioItems(
                        id=FORM_PERIOD,
                        options=[
                            {"label": t(lang, "A year"), "value": "year"},
                            {"label": t(lang, "A month"), "value": "month"},
                            {"label": t(lang, "January to a month"), "value": "cumulative"},
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
                                t(lang, "Year"),
                                dcc.Dropdown(
                                    labels=dropdown_labels(lang),
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
                                t(lang, "Month (to)"),
                                dcc.Dropdown(
                                    labels=dropdown_labels(lang),
                                    id=FORM_MONTH,
                                    options=[
                                        {"label": m, "value": i + 1}
                                        for i, m in enumerate(MONTHS if lang == "en" else month_names(lang))
                                    ],
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
                                t(lang, "Measure"),
                                dcc.Dropdown(
                                    labels=dropdown_labels(lang),
                                    id=FORM_MEASURE,
                                    options=[
                                        {"label": t(lang, label), "value": value}
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
                                t(lang, "Value"),
                                dbc.Input(
                                    id=FORM_VALUE, type="text", placeholder="3.7" if lang == "en" else "3,7"
                                ),
                                FORM_VALUE,
                            )
                        ),
                        dbc.Col(
                            _field(
                                t(lang, "Unit"),
                                dcc.Dropdown(
                                    labels=dropdown_labels(lang),
                                    id=FORM_UNIT,
                                    options=[
                                        {"label": t(lang, UNIT_LABELS.get(u, u)), "value": u}
                                        for u in FORM_UNITS
                                    ],
                                    value="billion USD",
                                    clearable=False,
                                ),
                                FORM_UNIT,
                            )
                        ),
                    ]
                ),
                dbc.Button(t(lang, "Check"), id=FORM_CHECK, color="primary", class_name="mt-2"),
                html.Div(id=FORM_RESULT, className="mt-3", **aria(live="polite")),
            ]
        ),
        class_name="chart-card shadow-sm h-100",
    )
    return html.Section(
        dbc.Row([dbc.Col(text_card, lg=7), dbc.Col(form_card, lg=5)], class_name="g-4 section-row"),
        id=SECTION,
        **aria(label=t(lang, "Claim checker")),
    )


def verdict_table(rows: Sequence[dict[str, str]], lang: str = "en") -> Any:
    """Verdicts as a table: one row per figure (`dashboard.claims.verdict_frame` records)."""
    if not rows:
        return html.P(t(lang, "Nothing to check: tick at least one figure."), className="text-body-secondary")
    header = html.Thead(
        html.Tr(
            [
                html.Th(t(lang, word))
                for word in (N_("Claim"), N_("Verdict"), N_("Data"), N_("Why"), N_("Other series"))
            ]
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


def text_language_options(lang: str = "en") -> list[dict[str, str]]:
    """Auto-detect, then each language the reader knows by its own name (CLDR)."""
    names = [{"label": LANGUAGE_NAMES[code], "value": code} for code in ("en", "it", "az", "ru")]
    return [{"label": t(lang, "Tell from the text"), "value": "auto"}, *names]


def language_name(code: str, lang: str = "en") -> str:
    """A language's name as the page's language says it (CLDR): Russian, russo, rus, русский."""
    from babel import Locale

    return str(Locale.parse(code).get_display_name(lang))


def found_message(count: int, language: str | None = None, lang: str = "en") -> Any:
    if count == 0:
        return dbc.Alert(
            t(
                lang,
                "No figures found. State amounts such as “$3.7 billion”, “933.2 million” or “26.36 percent”.",
            ),
            color="secondary",
            class_name="mb-2",
        )
    if language:
        found = tn(
            lang,
            "{count} figure found in {language}.",
            "{count} figures found in {language}.",
            count,
            language=language_name(language, lang),
        )
    else:
        found = tn(lang, "{count} figure found.", "{count} figures found.", count)
    return html.P(
        found + " " + t(lang, "Untick any that were misread, then check."), className="mb-1 fw-semibold"
    )
