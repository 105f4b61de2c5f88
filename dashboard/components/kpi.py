"""The headline cards: turnover, exports, imports, balance, rank and share for the chosen year."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard.format import MISSING, money, origin_text, percent, period_text, signed_money, signed_percent
from dashboard.i18n import N_, area_name, label, t, tn
from dashboard.queries.model import TOTAL_WORLD, Kpis, YearOnYear


def _change_line(measure: YearOnYear, previous: str, *, with_pct: bool = True, lang: str = "en") -> html.Div:
    if measure.change is None:
        text = (
            label(lang, "kpi.no_figure_for").format(previous=previous)
            if measure.value is not None
            else label(lang, "kpi.not_reported")
        )
        return html.Div(text, className="kpi-change text-body-secondary")
    pct = (
        f" ({signed_percent(measure.change_pct, lang)})"
        if with_pct and measure.change_pct is not None
        else ""
    )
    direction = "up" if measure.change > 0 else "down" if measure.change < 0 else "flat"
    # The arrow (▲ ▼ ■, coloured) is the class's (assets/10-dashboard.css), hidden from screen readers, which
    # read the signed change: one component, not two (bench P2b: every component a new partner's cards bring
    # costs the browser a pass over the page's components).
    return html.Div(
        label(lang, "kpi.change_on").format(
            change=f"{signed_money(measure.change, lang)}{pct}", previous=previous
        ),
        className=f"kpi-change kpi-{direction}",
    )


def _card(
    label: str,
    value: str,
    detail: list[Any],
    *,
    key: str,
    badges: list[str] | None = None,
    origin: str | None = None,
    lang: str = "en",
) -> html.Div:
    # Flat on purpose: a card, its label, value and lines; the row's grid places it (.kpi-grid, no column
    # wrapper) and its padding is the card's own (no card body). A new partner's cards are new components, and
    # the browser passes over every component of the page for each one (bench P2b): 48 components became 26.
    return html.Div(
        [
            html.Div(
                [
                    label,
                    *(
                        html.Span(b, className="badge bg-light text-dark kpi-badge ms-2")
                        for b in badges or []
                    ),
                ],
                className="kpi-label",
            ),
            # The stored figure's workbook cell, as a tooltip: every number can be traced.
            html.Div(
                value,
                className="kpi-value",
                id=f"kpi-{key}-value",
                title=t(lang, "from {cell}", cell=origin_text(origin)) if origin else None,
            ),
            *detail,
        ],
        className=f"card kpi-card kpi-{key} shadow-sm",
    )


def kpi_cards(kpis: Kpis | None, *, frequency: str, month: int, lang: str = "en") -> list[Any]:
    """Six cards for the pair and period in `kpis`, each change against the same period a year earlier; a
    single explanatory card when there is nothing to show. `frequency` and `month` (the period's last month)
    name the period with `kpis.year` in `lang` (required: the query's own labels are English, and a default
    would name a Jan–Jul period by its year alone)."""
    if kpis is None:
        return [
            dbc.Alert(
                t(lang, "No figures: choose a reporter, a partner and a year with data."),
                color="secondary",
                class_name="kpi-empty mb-0",
            )
        ]
    year = kpis.year
    period = period_text(frequency, year, month, lang)
    previous = period_text(frequency, year - 1, month, lang)
    estimated = [t(lang, "estimated")]
    derived = [t(lang, "derived")] if kpis.derived else []
    partner = area_name(kpis.partner.code, kpis.partner.name, lang)
    reporter = area_name(kpis.reporter.code, kpis.reporter.name, lang)
    turnover_detail: list[Any] = [_change_line(kpis.turnover, previous, lang=lang)]
    if kpis.partial:
        only = (
            N_("exports only: the other flow is not reported")
            if kpis.imports.value is None
            else N_("imports only: the other flow is not reported")
        )
        turnover_detail.append(html.Div(t(lang, only), className="kpi-note"))
    balance = kpis.balance.value
    balance_word = (
        None
        if balance is None
        else t(lang, "surplus for {reporter}", reporter=reporter)
        if balance > 0
        else t(lang, "deficit for {reporter}", reporter=reporter)
        if balance < 0
        else t(lang, "balanced")
    )
    if kpis.rank is not None:
        rank_value = f"#{kpis.rank}"
        rank_detail = tn(
            lang,
            "of {count} partner country by turnover",
            "of {count} partner countries by turnover",
            kpis.partners_ranked,
        )
    elif kpis.partner.kind in ("group", "unspecified"):
        rank_value = MISSING
        rank_detail = t(lang, "groups are not ranked; countries only")
    elif kpis.total_basis is None:
        rank_value = MISSING
        rank_detail = t(
            lang,
            "{reporter} reports no World total for {period}: its partner table may be incomplete",
            reporter=reporter,
            period=period,
        )
    else:
        rank_value = MISSING
        rank_detail = t(lang, "no turnover reported in {period}", period=period)
    basis = t(
        lang,
        N_("World total as reported")
        if kpis.total_basis == TOTAL_WORLD
        else N_("no World total in the data"),
    )
    share_detail = (
        [
            html.Div(
                t(lang, "of {reporter}'s turnover, {total}", reporter=reporter,
                  total=money(kpis.total_turnover, lang)),
                className="kpi-change",
            ),
            html.Div(basis, className="kpi-note"),
        ]
        if kpis.total_turnover is not None
        else [
            html.Div(
                t(lang, "{reporter} reports no World total for {period}", reporter=reporter, period=period),
                className="kpi-change",
            )
        ]
    )  # fmt: skip
    return [
        _card(
            f"{label(lang, 'turnover')} {period}",
            money(kpis.turnover.value, lang),
            turnover_detail,
            key="turnover",
            badges=(estimated if kpis.turnover.estimated else []) + derived or None,
            lang=lang,
        ),
        _card(
            t(lang, "Exports to {partner}", partner=partner),
            money(kpis.exports.value, lang),
            [_change_line(kpis.exports, previous, lang=lang)],
            key="exports",
            origin=kpis.exports.origin,
            badges=estimated if kpis.exports.estimated else None,
            lang=lang,
        ),
        _card(
            t(lang, "Imports from {partner}", partner=partner),
            money(kpis.imports.value, lang),
            [_change_line(kpis.imports, previous, lang=lang)],
            key="imports",
            origin=kpis.imports.origin,
            badges=estimated if kpis.imports.estimated else None,
            lang=lang,
        ),
        _card(
            label(lang, "balance"),
            money(balance, lang),
            [
                _change_line(kpis.balance, previous, with_pct=False, lang=lang),
                *([html.Div(balance_word, className="kpi-note")] if balance_word else []),
            ],
            key="balance",
            badges=estimated if kpis.balance.estimated else None,
            lang=lang,
        ),
        _card(
            t(lang, "Rank"),
            rank_value,
            [html.Div(rank_detail, className="kpi-change")],
            key="rank",
            lang=lang,
        ),
        _card(t(lang, "Share"), percent(kpis.share, lang), share_detail, key="share", lang=lang),
    ]
