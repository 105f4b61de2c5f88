"""A chart card's text alternative: the graph is a figure named by what kind of chart it is and described by
its title, the sentences about it and its source footer; a ranking's and a map's footer open with a summary
for screen readers only ("Largest partners: ..."), in the page's language."""

from __future__ import annotations

from typing import Any

from dash import html

from dashboard.components.chart_card import chart_card
from dashboard.components.chart_outputs import map_outputs, ranking_outputs
from dashboard.queries.answers import TradeQueries
from dashboard.state import ViewState
from tests.dashboard.test_callbacks import text, walk


def figure_of(card: Any) -> html.Div:
    return next(
        node for node in walk(card) if isinstance(node, html.Div) and getattr(node, "role", None) == "figure"
    )


def test_the_graph_is_a_figure_described_by_title_sentences_and_source() -> None:
    card = chart_card(
        title_id="t",
        title="Trade",
        graph_id="g",
        source_id="s",
        graph_label="Exports by year",
        described_by=("n",),
    )
    figure = figure_of(card)
    assert figure.to_plotly_json()["props"]["aria-label"] == "Exports by year"
    assert figure.to_plotly_json()["props"]["aria-describedby"] == "t n s"
    plain = figure_of(chart_card(title_id="t", title="Trade", graph_id="g", source_id="s", graph_label="x"))
    assert plain.to_plotly_json()["props"]["aria-describedby"] == "t s"


def summary_of(footer: list[Any]) -> str:
    first = footer[0]
    assert isinstance(first, html.Span) and "visually-hidden" in first.className.split()
    return text(first).strip()


def test_ranking_footer_opens_with_the_largest_partners(queries: TradeQueries) -> None:
    # 2019 turnover: ITA 5,000 + 400, TUR 1,000 + 1,500, RUS 300 + 1,800 of the World's 8,000 + 5,000 ($ m).
    _, _, footer = ranking_outputs(queries, ViewState(reporter="AZE", partner="TUR", period="2019"))
    assert summary_of(footer) == (
        "Largest partners: Italy $5.40 bn (41.5%); Türkiye $2.50 bn (19.2%); Russia $2.10 bn (16.2%)."
    )
    assert "World total as reported" in text(footer)  # the visible footer follows
    _, _, footer_ru = ranking_outputs(
        queries, ViewState(reporter="AZE", partner="TUR", period="2019", lang="ru")
    )
    assert summary_of(footer_ru) == (
        "Крупнейшие партнёры: Италия 5,4\u00a0млрд\u00a0$ (41,5%); Турция 2,5\u00a0млрд\u00a0$ (19,2%); "
        "Россия 2,1\u00a0млрд\u00a0$ (16,2%)."
    )


def test_map_footer_summarises_the_measure_shown(queries: TradeQueries) -> None:
    _, _, exports = map_outputs(
        queries, ViewState(reporter="AZE", partner=None, period="2019", map_measure="exports")
    )
    assert summary_of(exports) == (
        "Largest partners: Italy $5.00 bn (62.5%); Türkiye $1.00 bn (12.5%); Russia $300.0 m (3.8%)."
    )
    # Balances rank by turnover and have no share.
    _, _, balance = map_outputs(
        queries, ViewState(reporter="AZE", partner=None, period="2019", map_measure="balance")
    )
    assert summary_of(balance) == "Largest partners: Italy $4.60 bn; Türkiye −$500.0 m; Russia −$1.50 bn."
    _, _, nothing = map_outputs(
        queries, ViewState(reporter="AZE", partner=None, period="2017", map_measure="exports")
    )
    assert not any(
        "Largest partners" in str(part) for part in walk(nothing)
    )  # 2017: no World total, no ranks
