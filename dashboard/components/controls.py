"""Labelled controls: reporter, partner and year pickers; ranking and comparison options."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.queries import MEASURES, Area

MEASURE_LABELS = {"turnover": "Turnover", "exports": "Exports", "imports": "Imports"}


def _folded(text: str) -> str:
    """`Türkiye` -> `Turkiye`, so that a search typed without accents still finds the name."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def area_label(area: Area) -> str:
    """How an area reads in a list: groups and residual rows are labelled so they are not taken for countries."""
    if area.kind == "group":
        return f"Group: {area.name}"
    if area.kind == "historical":
        return f"{area.name} (former)"
    if area.kind == "unspecified":
        return f"Other: {area.name}"
    return area.name


def area_options(areas: Sequence[Area]) -> list[dict[str, str]]:
    """Dropdown options (label, value, search) in the given order; codes are searchable, never shown."""
    return [
        {
            "label": area_label(a),
            "value": a.code,
            "search": " ".join(dict.fromkeys((area_label(a), _folded(area_label(a)), a.code))),
        }
        for a in areas
    ]


def year_options(years: Sequence[int]) -> list[dict[str, Any]]:
    """Years, latest first."""
    return [{"label": str(y), "value": y} for y in sorted(years, reverse=True)]


def _field(label: str, control: Any, control_id: str, *, hint: str | None = None) -> html.Div:
    children: list[Any] = [dbc.Label(label, html_for=control_id, class_name="control-label")]
    children.append(control)
    if hint:
        children.append(dbc.FormText(hint))
    return html.Div(children, className="control-field")


def selection_controls(
    *,
    reporters: Sequence[Area],
    reporter: str,
    partners: Sequence[Area],
    partner: str | None,
    years: Sequence[int],
    year: int | None,
) -> dbc.Card:
    """The main selection: whose statistics (reporter), with whom (partner), which year."""
    return dbc.Card(
        dbc.CardBody(
            dbc.Row(
                [
                    dbc.Col(
                        _field(
                            "Reporter",
                            dcc.Dropdown(
                                id=ids.REPORTER,
                                options=area_options(reporters),
                                value=reporter,
                                clearable=False,
                                placeholder="Choose a reporting economy",
                                disabled=len(reporters) < 2,
                            ),
                            ids.REPORTER,
                            hint="Whose statistics: the economy that reports the trade",
                        ),
                        md=4,
                    ),
                    dbc.Col(
                        _field(
                            "Partner",
                            dcc.Dropdown(
                                id=ids.PARTNER,
                                options=area_options(partners),
                                value=partner,
                                clearable=False,
                                placeholder="Type a country or group",
                                search_order="original",
                            ),
                            ids.PARTNER,
                            hint="Countries first; groups are labelled “Group:”",
                        ),
                        md=5,
                    ),
                    dbc.Col(
                        _field(
                            "Year",
                            dcc.Dropdown(
                                id=ids.YEAR,
                                options=year_options(years),
                                value=year,
                                clearable=False,
                                searchable=True,
                            ),
                            ids.YEAR,
                            hint="For the figures in the cards and the ranking",
                        ),
                        md=3,
                    ),
                ],
                class_name="g-3",
            )
        ),
        class_name="controls-card shadow-sm",
    )


def ranking_controls(*, measure: str, top: int, top_choices: Sequence[int]) -> html.Div:
    """Rank by turnover, exports or imports; how many partners to show."""
    return html.Div(
        [
            html.Div(
                [
                    dbc.Label("Rank by", html_for=ids.MEASURE, class_name="control-label me-2 mb-0"),
                    dbc.RadioItems(
                        id=ids.MEASURE,
                        options=[{"label": MEASURE_LABELS[m], "value": m} for m in MEASURES],
                        value=measure,
                        class_name="btn-group btn-group-sm",
                        input_class_name="btn-check",
                        label_class_name="btn btn-outline-primary",
                        label_checked_class_name="active",
                    ),
                ],
                className="d-flex align-items-center",
            ),
            html.Div(
                [
                    dbc.Label("Show", html_for=ids.TOP, class_name="control-label me-2 mb-0"),
                    dbc.Select(
                        id=ids.TOP,
                        options=[{"label": f"Top {n}", "value": str(n)} for n in top_choices],
                        value=str(top),
                        size="sm",
                    ),
                ],
                className="d-flex align-items-center",
            ),
        ],
        className="chart-controls",
    )


def comparison_controls(*, partners: Sequence[Area], compare: Sequence[str]) -> html.Div:
    """Which partners the comparison chart shows."""
    return html.Div(
        _field(
            "Partners to compare",
            dcc.Dropdown(
                id=ids.COMPARE,
                options=area_options(partners),
                value=list(compare),
                multi=True,
                placeholder="Type to add partners",
                search_order="original",
            ),
            ids.COMPARE,
        ),
        className="chart-controls chart-controls-wide",
    )
