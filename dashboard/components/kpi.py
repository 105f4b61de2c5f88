"""The headline cards: turnover, exports, imports, balance, rank and share for the chosen year."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard.components.aria import aria
from dashboard.format import MISSING, money, origin_text, percent, signed_money, signed_percent
from dashboard.i18n import label
from dashboard.queries.model import TOTAL_WORLD, Kpis, YearOnYear


def _change_line(measure: YearOnYear, previous: str, *, with_pct: bool = True, lang: str = "en") -> html.Div:
    if measure.change is None:
        text = (
            label(lang, "kpi.no_figure_for").format(previous=previous)
            if measure.value is not None
            else label(lang, "kpi.not_reported")
        )
        return html.Div(text, className="kpi-change text-body-secondary")
    arrow = "▲" if measure.change > 0 else "▼" if measure.change < 0 else "■"
    pct = f" ({signed_percent(measure.change_pct)})" if with_pct and measure.change_pct is not None else ""
    direction = "up" if measure.change > 0 else "down" if measure.change < 0 else "flat"
    return html.Div(
        [
            html.Span(arrow, className=f"kpi-arrow kpi-{direction}", **aria(hidden="true")),
            " "
            + label(lang, "kpi.change_on").format(
                change=f"{signed_money(measure.change)}{pct}", previous=previous
            ),
        ],
        className="kpi-change",
    )


def _card(
    label: str,
    value: str,
    detail: list[Any],
    *,
    key: str,
    badges: list[str] | None = None,
    origin: str | None = None,
) -> dbc.Col:
    header = [html.Span(label, className="kpi-label")]
    header += [
        dbc.Badge(b, color="light", text_color="dark", class_name="ms-2 kpi-badge") for b in badges or []
    ]
    return dbc.Col(
        dbc.Card(
            dbc.CardBody(
                [
                    html.Div(header, className="d-flex align-items-center"),
                    # The stored figure's workbook cell, as a tooltip: every number can be traced.
                    html.Div(
                        value,
                        className="kpi-value",
                        id=f"kpi-{key}-value",
                        title=f"from {origin_text(origin)}" if origin else None,
                    ),
                    *detail,
                ]
            ),
            class_name=f"kpi-card kpi-{key} h-100 shadow-sm",
        ),
        xs=6,
        md=4,
        xl=2,
    )


def kpi_cards(kpis: Kpis | None, *, lang: str = "en") -> list[dbc.Col]:
    """Six cards for the pair and period in `kpis`, each change against the same period a year earlier; a
    single explanatory card when there is nothing to show."""
    if kpis is None:
        return [
            dbc.Col(
                dbc.Alert(
                    "No figures: choose a reporter, a partner and a year with data.", color="secondary"
                ),
                width=12,
            )
        ]
    year = kpis.year
    period = kpis.period_label or str(year)
    previous = kpis.previous_label or str(year - 1)
    estimated = ["estimated"]
    derived = ["derived"] if kpis.derived else []
    partner = kpis.partner.name
    reporter = kpis.reporter.name
    turnover_detail: list[Any] = [_change_line(kpis.turnover, previous, lang=lang)]
    if kpis.partial:
        only = "exports" if kpis.imports.value is None else "imports"
        turnover_detail.append(html.Div(f"{only} only: the other flow is not reported", className="kpi-note"))
    balance = kpis.balance.value
    balance_word = (
        None
        if balance is None
        else f"surplus for {reporter}"
        if balance > 0
        else f"deficit for {reporter}"
        if balance < 0
        else "balanced"
    )
    if kpis.rank is not None:
        rank_value = f"#{kpis.rank}"
        countries = "partner country" if kpis.partners_ranked == 1 else "partner countries"
        rank_detail = f"of {kpis.partners_ranked} {countries} by turnover"
    elif kpis.partner.kind in ("group", "unspecified"):
        rank_value = MISSING
        rank_detail = "groups are not ranked; countries only"
    elif kpis.total_basis is None:
        rank_value = MISSING
        rank_detail = f"{reporter} reports no World total for {period}: its partner table may be incomplete"
    else:
        rank_value = MISSING
        rank_detail = f"no turnover reported in {period}"
    basis = "World total as reported" if kpis.total_basis == TOTAL_WORLD else "no World total in the data"
    share_detail = (
        [
            html.Div(f"of {reporter}'s turnover, {money(kpis.total_turnover)}", className="kpi-change"),
            html.Div(basis, className="kpi-note"),
        ]
        if kpis.total_turnover is not None
        else [html.Div(f"{reporter} reports no World total for {period}", className="kpi-change")]
    )
    return [
        _card(
            f"{label(lang, 'turnover')} {period}",
            money(kpis.turnover.value),
            turnover_detail,
            key="turnover",
            badges=(estimated if kpis.turnover.estimated else []) + derived or None,
        ),
        _card(
            f"{label(lang, 'exports')} → {partner}" if lang != "en" else f"Exports to {partner}",
            money(kpis.exports.value),
            [_change_line(kpis.exports, previous, lang=lang)],
            key="exports",
            origin=kpis.exports.origin,
            badges=estimated if kpis.exports.estimated else None,
        ),
        _card(
            f"{label(lang, 'imports')} ← {partner}" if lang != "en" else f"Imports from {partner}",
            money(kpis.imports.value),
            [_change_line(kpis.imports, previous, lang=lang)],
            key="imports",
            origin=kpis.imports.origin,
            badges=estimated if kpis.imports.estimated else None,
        ),
        _card(
            label(lang, "balance"),
            money(balance),
            [
                _change_line(kpis.balance, previous, with_pct=False, lang=lang),
                *([html.Div(balance_word, className="kpi-note")] if balance_word else []),
            ],
            key="balance",
            badges=estimated if kpis.balance.estimated else None,
        ),
        _card("Rank", rank_value, [html.Div(rank_detail, className="kpi-change")], key="rank"),
        _card("Share", percent(kpis.share), share_detail, key="share"),
    ]
