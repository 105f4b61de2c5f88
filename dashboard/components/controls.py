"""Labelled controls: reporter, partner and year pickers; ranking and comparison options."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.format import period_text
from dashboard.i18n import area_name, label, t
from dashboard.queries.model import FREQUENCIES, MEASURES, Area
from dashboard.queries.periods import parse_period
from dashboard.state import FLOWS, MAP_MEASURES


def _folded(text: str) -> str:
    """`Türkiye` -> `Turkiye`, so that a search typed without accents still finds the name."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def dropdown_labels(lang: str) -> dcc.Dropdown.Labels:
    """The words a dropdown itself shows (its count of chosen items, its search box) in `lang`."""
    return {
        "select_all": t(lang, "Select all"),
        "deselect_all": t(lang, "Deselect all"),
        "selected_count": t(lang, "{num_selected} selected"),
        "search": t(lang, "Search"),
        "clear_search": t(lang, "Clear search"),
        "clear_selection": t(lang, "Clear selection"),
        "no_options_found": t(lang, "No options found"),
    }


def option_label(area: Area, lang: str = "en") -> str:
    """How an area reads in a list: groups and residual rows are labelled so they are not taken for countries."""
    name = area_name(area.code, area.name, lang)
    if area.kind == "group":
        return t(lang, "Group: {name}", name=name)
    if area.kind == "historical":
        return t(lang, "{name} (former)", name=name)
    if area.kind == "unspecified":
        return t(lang, "Other: {name}", name=name)
    return name


def area_options(areas: Sequence[Area], lang: str = "en") -> list[dict[str, str]]:
    """Dropdown options (label, value, search) in the given order of kinds (countries first), by name in the
    language; codes and the English name are searchable, never shown."""
    blocks = {kind: index for index, kind in enumerate(dict.fromkeys(a.kind for a in areas))}
    ordered = (
        areas
        if lang == "en"
        else sorted(
            areas, key=lambda a: (blocks[a.kind], _folded(area_name(a.code, a.name, lang)).casefold())
        )
    )
    options = []
    for a in ordered:
        shown = option_label(a, lang)
        words = (shown, _folded(shown), a.name, _folded(a.name), a.code)
        options.append({"label": shown, "value": a.code, "search": " ".join(dict.fromkeys(words))})
    return options


def year_options(years: Sequence[int]) -> list[dict[str, Any]]:
    """Years, latest first."""
    return [{"label": str(y), "value": y} for y in sorted(years, reverse=True)]


def period_options(frequency: str, periods: Sequence[str], lang: str = "en") -> list[dict[str, str]]:
    """Periods of `frequency`, latest first, labelled `2019`, `Jul 2020` or `Jan–Jul 2020`."""
    options = []
    for key in reversed(periods):
        parsed = parse_period(frequency, key)
        if parsed is not None:
            options.append({"label": period_text(frequency, *parsed, lang), "value": key})
    return options


def frequency_options(available: Sequence[str], lang: str = "en") -> list[dict[str, Any]]:
    """Annual, monthly, January–month; those without data for the reporter are shown disabled."""
    return [
        {"label": label(lang, f"frequency.{f}"), "value": f, "disabled": f not in available}
        for f in FREQUENCIES
    ]


def source_options(sources: Sequence[str], names: dict[str, str] | None = None) -> list[dict[str, str]]:
    """The sources with data for the reporter and frequency, preferred first."""
    names = names or {}
    return [{"label": names.get(s, s), "value": s} for s in sources]


def _labelled(text: str, control: Any, control_id: str, *, hint: str | None = None) -> list[Any]:
    """A control's label, the control and its hint: the children of a `control-field`."""
    children: list[Any] = [dbc.Label(text, html_for=control_id, class_name="control-label")]
    children.append(control)
    if hint:
        children.append(dbc.FormText(hint))
    return children


def _dropdown_column(
    name: str,
    control_id: str,
    options: list[dict[str, Any]],
    value: Any,
    widths: tuple[int, int],
    lang: str,
    **dropdown: Any,
) -> dbc.Col:
    """A column of the controls card: the control's label, a dropdown that is never empty, its hint; `widths`
    the column's (md, xl) widths of 12. The column is the field (no wrapper: bench P2b counts components)."""
    control = dcc.Dropdown(
        labels=dropdown_labels(lang), id=control_id, options=options, value=value, clearable=False, **dropdown
    )
    md, xl = widths
    return dbc.Col(
        _labelled(label(lang, name), control, control_id, hint=label(lang, f"{name}.hint")),
        md=md,
        xl=xl,
        class_name="control-field",
    )


def _segmented(control_id: str, options: list[dict[str, Any]], value: Any) -> dbc.RadioItems:
    return dbc.RadioItems(
        id=control_id,
        options=options,
        value=value,
        class_name="btn-group btn-group-sm",
        input_class_name="btn-check",
        label_class_name="btn btn-outline-primary",
        label_checked_class_name="active",
    )


def selection_controls(
    *,
    reporters: Sequence[Area],
    reporter: str,
    partners: Sequence[Area],
    partner: str | None,
    periods: Sequence[str] = (),
    period: str | None = None,
    frequency: str = "annual",
    frequencies: Sequence[str] = ("annual",),
    sources: Sequence[str] = (),
    source: str | None = None,
    source_names: dict[str, str] | None = None,
    lang: str = "en",
    years: Sequence[int] | None = None,
    year: int | None = None,
) -> dbc.Card:
    """The main selection: whose statistics (reporter), with whom (partner), frequency, period and source.

    `years`/`year` are the older annual-only form of `periods`/`period`."""
    if years is not None and not periods:
        periods = tuple(str(y) for y in sorted(years))
        period = str(year) if year is not None else None
    # The card is its own body (`body=True`) and each column its field: fewer components in every page, each
    # of which the browser passes over at every update (bench P2b).
    return dbc.Card(
        dbc.Row(
            [
                _dropdown_column(
                    "reporter",
                    ids.REPORTER,
                    area_options(reporters, lang),
                    reporter,
                    (6, 2),
                    lang,
                    placeholder=t(lang, "Choose a reporting economy"),
                    disabled=len(reporters) < 2,
                ),
                _dropdown_column(
                    "partner",
                    ids.PARTNER,
                    area_options(partners, lang),
                    partner,
                    (6, 3),
                    lang,
                    placeholder=t(lang, "Type a country or group"),
                    search_order="original",
                ),
                dbc.Col(
                    [
                        dbc.Label(
                            label(lang, "frequency"), html_for=ids.FREQUENCY, class_name="control-label"
                        ),
                        html.Div(
                            _segmented(ids.FREQUENCY, frequency_options(frequencies, lang), frequency),
                            className="chart-controls mb-0",
                        ),
                    ],
                    md=6,
                    xl=3,
                    class_name="control-field",
                ),
                _dropdown_column(
                    "period",
                    ids.PERIOD,
                    period_options(frequency, periods, lang),
                    period,
                    (3, 2),
                    lang,
                    searchable=True,
                ),
                _dropdown_column(
                    "source",
                    ids.SOURCE,
                    source_options(sources, source_names),
                    source,
                    (3, 2),
                    lang,
                    searchable=False,
                ),
            ],
            class_name="g-3",
        ),
        body=True,
        class_name="controls-card shadow-sm",
    )


def flow_controls(*, flows: Sequence[str], lang: str = "en") -> html.Div:
    """Which series the trend chart draws."""
    return html.Div(
        [
            dbc.Label(label(lang, "flows"), html_for=ids.FLOWS, class_name="control-label me-2 mb-0"),
            dbc.Checklist(
                id=ids.FLOWS,
                options=[{"label": label(lang, f), "value": f} for f in FLOWS],
                value=list(flows),
                inline=True,
                class_name="flow-checklist",
            ),
        ],
        className="chart-controls",
    )


def map_controls(*, measure: str, lang: str = "en") -> html.Div:
    """Colour the map by turnover, exports, imports or balance."""
    return html.Div(
        html.Div(
            [
                dbc.Label(
                    label(lang, "measure.map"), html_for=ids.MAP_MEASURE, class_name="control-label me-2 mb-0"
                ),
                _segmented(
                    ids.MAP_MEASURE, [{"label": label(lang, m), "value": m} for m in MAP_MEASURES], measure
                ),
            ],
            className="d-flex align-items-center",
        ),
        className="chart-controls",
    )


def ranking_controls(*, measure: str, top: int, top_choices: Sequence[int], lang: str = "en") -> html.Div:
    """Rank by turnover, exports or imports; how many partners to show."""
    return html.Div(
        [
            html.Div(
                [
                    dbc.Label(
                        label(lang, "measure"), html_for=ids.MEASURE, class_name="control-label me-2 mb-0"
                    ),
                    _segmented(
                        ids.MEASURE, [{"label": label(lang, m), "value": m} for m in MEASURES], measure
                    ),
                ],
                className="d-flex align-items-center",
            ),
            html.Div(
                [
                    dbc.Label(label(lang, "top"), html_for=ids.TOP, class_name="control-label me-2 mb-0"),
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


def comparison_controls(*, partners: Sequence[Area], compare: Sequence[str], lang: str = "en") -> html.Div:
    """Which partners (up to 8) the comparison and rank-over-time charts show."""
    return html.Div(
        html.Div(
            _labelled(
                label(lang, "compare"),
                dcc.Dropdown(
                    labels=dropdown_labels(lang),
                    id=ids.COMPARE,
                    options=area_options(partners, lang),
                    value=list(compare),
                    multi=True,
                    placeholder=t(lang, "Type to add partners"),
                    search_order="original",
                ),
                ids.COMPARE,
            ),
            className="control-field",
        ),
        className="chart-controls chart-controls-wide",
    )
