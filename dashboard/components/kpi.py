"""The headline cards: turnover, exports, imports, balance, rank and share for the chosen year."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard.components.aria import aria
from dashboard.format import MISSING, money, origin_text, percent, signed_money, signed_percent
from dashboard.queries import TOTAL_WORLD, Kpis, YearOnYear


def _change_line(measure: YearOnYear, year: int, *, with_pct: bool = True) -> html.Div:
    if measure.change is None:
        text = f"no figure for {year - 1}" if measure.value is not None else "not reported"
        return html.Div(text, className="kpi-change text-body-secondary")
    arrow = "▲" if measure.change > 0 else "▼" if measure.change < 0 else "■"
    pct = f" ({signed_percent(measure.change_pct)})" if with_pct and measure.change_pct is not None else ""
    direction = "up" if measure.change > 0 else "down" if measure.change < 0 else "flat"
    return html.Div(
        [
            html.Span(arrow, className=f"kpi-arrow kpi-{direction}", **aria(hidden="true")),
            f" {signed_money(measure.change)}{pct} on {year - 1}",
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


def kpi_cards(kpis: Kpis | None) -> list[dbc.Col]:
    """Six cards for the pair and year in `kpis`; a single explanatory card when there is nothing to show."""
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
    estimated = ["estimated"]
    partner = kpis.partner.name
    reporter = kpis.reporter.name
    turnover_detail: list[Any] = [_change_line(kpis.turnover, year)]
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
        rank_detail = f"{reporter} reports no World total for {year}: its partner table may be incomplete"
    else:
        rank_value = MISSING
        rank_detail = f"no turnover reported in {year}"
    basis = "World total as reported" if kpis.total_basis == TOTAL_WORLD else "no World total in the data"
    share_detail = (
        [
            html.Div(f"of {reporter}'s turnover, {money(kpis.total_turnover)}", className="kpi-change"),
            html.Div(basis, className="kpi-note"),
        ]
        if kpis.total_turnover is not None
        else [html.Div(f"{reporter} reports no World total for {year}", className="kpi-change")]
    )
    return [
        _card(
            f"Turnover {year}",
            money(kpis.turnover.value),
            turnover_detail,
            key="turnover",
            badges=estimated if kpis.turnover.estimated else None,
        ),
        _card(
            f"Exports to {partner}",
            money(kpis.exports.value),
            [_change_line(kpis.exports, year)],
            key="exports",
            origin=kpis.exports.origin,
            badges=estimated if kpis.exports.estimated else None,
        ),
        _card(
            f"Imports from {partner}",
            money(kpis.imports.value),
            [_change_line(kpis.imports, year)],
            key="imports",
            origin=kpis.imports.origin,
            badges=estimated if kpis.imports.estimated else None,
        ),
        _card(
            "Balance",
            money(balance),
            [
                _change_line(kpis.balance, year, with_pct=False),
                *([html.Div(balance_word, className="kpi-note")] if balance_word else []),
            ],
            key="balance",
            badges=estimated if kpis.balance.estimated else None,
        ),
        _card("Rank", rank_value, [html.Div(rank_detail, className="kpi-change")], key="rank"),
        _card("Share", percent(kpis.share), share_detail, key="share"),
    ]
