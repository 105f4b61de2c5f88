"""Headline cards, the sentences in words and the data notes for the chosen pair and period."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, html, no_update

from dashboard import ids
from dashboard.callbacks.routes import routed
from dashboard.components.kpi import kpi_cards
from dashboard.i18n import label, language
from dashboard.narrative import bilateral_sentences
from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore

VIEW = "bilateral"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def kpi_outputs(
    queries: TradeQueries,
    reporter: Any,
    partner: Any,
    period: Any,
    *,
    frequency: Any = "annual",
    source: Any = None,
    lang: Any = "en",
) -> list[Any]:
    """The KPI row's children for one period (annual periods are years)."""
    kpis = queries.period_kpis(
        str(reporter), str(partner), frequency=str(frequency), period=period, source=_text(source)
    )
    return kpi_cards(kpis, lang=language(lang))


def narrative_outputs(
    queries: TradeQueries,
    reporter: Any,
    partner: Any,
    period: Any,
    *,
    frequency: Any = "annual",
    source: Any = None,
    lang: Any = "en",
) -> tuple[list[Any], list[Any]]:
    """(the sentences as a paragraph, the data notes: annual only, derived figures, derivation warnings)."""
    lang = language(lang)
    frequency, source = str(frequency), _text(source)
    kpis = queries.period_kpis(str(reporter), str(partner), frequency=frequency, period=period, source=source)
    standing = queries.partner_standing(
        str(reporter), str(partner), frequency=frequency, period=period, source=source
    )
    sentences = bilateral_sentences(kpis, standing, lang=lang)
    paragraph: list[Any] = [html.P(" ".join(sentences), className="narrative-text")] if sentences else []
    notes: list[Any] = []
    if queries.frequencies(str(reporter)) == ("annual",):
        notes.append(dbc.Alert(label(lang, "note.annual_only"), color="info", class_name="annual-only-note"))
    if kpis is not None and kpis.derived:
        notes.append(dbc.Alert(label(lang, "note.derived"), color="light", class_name="derived-note"))
    warnings = queries.period_ranking(str(reporter), period, frequency=frequency, source=source).warnings
    if warnings:
        notes.append(
            dbc.Alert(
                [
                    html.Strong("The source's cumulative figures fall: "),
                    html.Ul([html.Li(w) for w in warnings]),
                ],
                color="warning",
                class_name="derivation-warning",
            )
        )
    return paragraph, notes


def register(app: dash.Dash, store: QueryStore) -> None:
    # Input: the bilateral route (callbacks/routes.py), set only while this view is open. One callback for the
    # cards, the sentences and the notes: one request per change, and they read the same remembered answers.
    @app.callback(
        Output(ids.KPIS, "children"),
        Output(ids.NARRATIVE, "children"),
        Output(ids.DATA_NOTE, "children"),
        Input(ids.route("bilateral"), "data"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def _bilateral(data: Any, lang: Any) -> tuple[Any, Any, Any]:
        wanted = routed(data)
        if not wanted:
            return no_update, no_update, no_update
        reporter, partner, period = wanted.get("reporter"), wanted.get("partner"), wanted.get("period")
        frequency, source = wanted.get("frequency"), wanted.get("source")
        cards = kpi_outputs(
            store.current(), reporter, partner, period, frequency=frequency, source=source, lang=lang
        )
        paragraph, notes = narrative_outputs(
            store.current(), reporter, partner, period, frequency=frequency, source=source, lang=lang
        )
        return cards, paragraph, notes
