"""Callbacks as plain functions: the same inputs Dash would pass, outputs checked without a browser."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import numpy as np
import plotly.graph_objects as go
from dash import no_update
from dash.development.base_component import Component

from dashboard import ids
from dashboard.callbacks.state import OUTPUT_NAMES, link_search, sync_view
from dashboard.callbacks.views import heading_outputs, hidden_sections
from dashboard.components.chart_outputs import (
    comparison_outputs,
    kpi_outputs,
    map_outputs,
    narrative_outputs,
    rank_history_outputs,
    ranking_outputs,
    sources_outputs,
    table_outputs,
    trend_outputs,
)
from dashboard.figures.theme import HIGHLIGHT
from dashboard.queries.answers import TradeQueries
from dashboard.settings import Settings
from dashboard.state import ViewState
from tests.dashboard.stores import M


def walk(node: Any) -> Iterator[Any]:
    """Every component and string under `node`."""
    yield node
    if isinstance(node, Component):
        yield from walk(getattr(node, "children", None))
    elif isinstance(node, (list, tuple)):
        for child in node:
            yield from walk(child)


def by_id(node: Any, wanted: str) -> Component:
    return next(c for c in walk(node) if isinstance(c, Component) and getattr(c, "id", None) == wanted)


def text(node: Any) -> str:
    return " ".join(s for s in walk(node) if isinstance(s, str))


def test_kpi_cards_show_the_pair(queries: TradeQueries) -> None:
    cards = kpi_outputs(queries, ViewState(reporter="AZE", partner="ITA", period="2019"))
    assert len(cards) == 6
    assert by_id(cards, "kpi-turnover-value").children == "$5.40 bn"
    assert by_id(cards, "kpi-exports-value").children == "$5.00 bn"
    assert by_id(cards, "kpi-imports-value").children == "$400.0 m"
    assert by_id(cards, "kpi-balance-value").children == "$4.60 bn"
    assert by_id(cards, "kpi-rank-value").children == "#1"
    assert by_id(cards, "kpi-share-value").children == "41.5%"
    words = text(cards)
    assert "+$1.10 bn (+25.6%) on 2018" in words
    assert "of 3 partner countries by turnover" in words
    assert "World total as reported" in words


def test_kpi_cards_for_a_cumulative_period(queries: TradeQueries) -> None:
    cards = kpi_outputs(
        queries, ViewState(reporter="AZE", partner="ITA", period="2020-07", frequency="cumulative")
    )
    assert by_id(cards, "kpi-turnover-value").children == "$1.92 bn"  # 1,750 + 170
    words = text(cards)
    assert "Turnover Jan–Jul 2020" in words
    assert "−$1.09 bn (−36.2%) on Jan–Jul 2019" in words  # 1,920 − 3,010 = −1,090; / 3,010
    assert by_id(cards, "kpi-share-value").children == "30.5%"  # 1,920 / 6,300


def test_kpi_cards_mark_estimates_and_groups(queries: TradeQueries) -> None:
    assert "estimated" in text(kpi_outputs(queries, ViewState(reporter="AZE", partner="TUR", period="2019")))
    assert "groups are not ranked" in text(
        kpi_outputs(queries, ViewState(reporter="AZE", partner="EUU", period="2019"))
    )
    assert "No figures" in text(
        kpi_outputs(
            queries, ViewState(reporter="AZE", partner="'; DROP TABLE trade_flows; --", period="2019")
        )
    )


def test_narrative_from_the_same_numbers(queries: TradeQueries) -> None:
    paragraph, notes = narrative_outputs(queries, ViewState(reporter="AZE", partner="ITA", period="2019"))
    assert text(paragraph) == (
        "In 2019 Italy was Azerbaijan\u2019s largest partner: turnover $5.40 bn, 41.5% of the total; "
        "exports $5.00 bn (1st), imports $400.0 m (3rd). Turnover rose by $1.10 bn (+25.6%) on 2018. "
        "Azerbaijan had a trade surplus of $4.60 bn with Italy."
    )
    assert notes == []
    _, monthly_notes = narrative_outputs(
        queries, ViewState(reporter="AZE", partner="TUR", period="2020-07", frequency="monthly")
    )
    words = text(monthly_notes)
    assert "derived" in words
    assert "Türkiye, imports: Jan–Jul 2020 ($780.0 m) is smaller than Jan–Jun 2020 ($800.0 m)" in words
    _, mirror_notes = narrative_outputs(queries, ViewState(reporter="ITA", partner="AZE", period="2019"))
    assert "Only annual figures exist" in text(mirror_notes)


def test_trend_outputs(queries: TradeQueries) -> None:
    answer, footer = trend_outputs(
        queries, ViewState(reporter="AZE", partner="ITA", period="2019", flows=("exports", "turnover"))
    )
    figure = go.Figure(answer)  # validated: the plain dict the page gets is a valid figure
    assert [t.name for t in figure.data] == ["Balance", "Exports", "Imports", "Turnover"]
    assert [t.visible for t in figure.data] == ["legendonly", True, "legendonly", True]
    assert (
        "Source: IMF, Direction of Trade Statistics (DOTS); reported by Azerbaijan; exports FOB, imports CIF."
        in (text(footer))
    )
    assert "Release 2024-06-30." in text(footer)
    monthly_answer, monthly_footer = trend_outputs(
        queries, ViewState(reporter="AZE", partner="ITA", period="2020-07", frequency="monthly")
    )
    monthly = go.Figure(monthly_answer)
    exports = next(t for t in monthly.data if t.name == "Exports")
    # As the page gets it: plotly writes a numeric array as base64 of its bytes.
    assert np.frombuffer(base64.b64decode(exports.y["bdata"]), dtype=exports.y["dtype"]).tolist() == [
        400.0,
        250.0,
    ]  # Jul 2019: 2,800 − 2,400; Jul 2020: 1,750 − 1,500 ($ m)
    assert "State Customs Committee" in text(monthly_footer)


def test_heading(queries: TradeQueries) -> None:
    title, subtitle = heading_outputs(queries, "AZE", "ITA", "cumulative", None)
    assert title == "Azerbaijan\u2019s trade with Italy"
    assert subtitle == (
        "January–month cumulative, Jan–Jun 2019 – Jan–Jul 2020 · US dollars · as reported by Azerbaijan"
        " · Foreign trade, January–month"
    )
    assert hidden_sections("map", ("bilateral", "map")) == (True, False)
    assert hidden_sections("nonsense", ("bilateral", "map")) == (False, True)


def test_ranking_outputs(queries: TradeQueries) -> None:
    title, spec, footer = ranking_outputs(
        queries, ViewState(reporter="AZE", partner="TUR", period="2019", top=15)
    )
    assert title == "Top 15 partners by turnover, 2019"
    figure = go.Figure(spec)  # the answer is a plain figure dict; plotly checks it here
    assert list(figure.data[0].marker.color).index(1) == 1
    assert figure.data[0].marker.colorscale[1][1] == HIGHLIGHT  # 1 is the highlight on the two-colour scale
    assert "World total as reported" in text(footer)


def test_comparison_and_rank_history_outputs(queries: TradeQueries) -> None:
    _, figure, footer = comparison_outputs(
        queries, ViewState(reporter="AZE", partner="ITA", period=None, compare=("ITA", "TUR", "CHN", "XTS"))
    )
    assert [t.name for t in figure.data] == ["Italy", "Türkiye", "Organization of Turkic States"]
    assert "reported by Azerbaijan" in text(footer)
    assert "Summed from members (derived): XTS." in text(footer)
    _, empty, no_source = comparison_outputs(queries, ViewState(reporter="AZE", partner="ITA", period=None))
    assert len(empty.data) == 0
    assert "no source" in text(no_source)
    history, _ = rank_history_outputs(
        queries, ViewState(reporter="AZE", partner=None, period=None, compare=("TUR",))
    )
    turnover = next(t for t in history.data if t.xaxis == "x")
    assert list(turnover.y) == [None, 2, 2]  # 2017: no World row, so no rank


def test_map_outputs(queries: TradeQueries) -> None:
    title, figure, _ = map_outputs(
        queries, ViewState(reporter="AZE", partner=None, period="2019", map_measure="balance")
    )
    assert title == "Partners on the map: balance, 2019"
    [data] = figure.data
    assert list(data.locations) == ["ITA", "TUR", "RUS"]
    assert list(data.z) == [4.6, -0.5, -1.5]  # $ bn: 5,000 − 400; 1,000 − 1,500; 300 − 1,800
    assert data.type == "choropleth" and data.locationmode == "ISO-3"


def test_table_outputs(queries: TradeQueries) -> None:
    title, rows, columns, _ = table_outputs(
        queries, ViewState(reporter="AZE", partner=None, period="2020-07", frequency="monthly")
    )
    assert title == "The data behind this view: Jul 2020"
    italy = next(r for r in rows if r["partner"] == "ITA")
    assert (italy["turnover"], italy["turnover_previous"], italy["turnover_change"]) == (
        270 * M,
        430 * M,
        -160 * M,
    )
    assert italy["turnover_change_pct"] == -160 / 430
    assert italy["flags"] == "derived"
    turkey = next(r for r in rows if r["partner"] == "TUR")
    assert turkey["imports"] is None and turkey["flags"] == "derived, one flow only"
    assert any(
        c["field"] == "turnover_change_pct" and c["headerName"] == "Turnover, change %" for c in columns
    )
    assert any(c["headerName"] == "Turnover, Jul 2019" for c in columns)


def test_sources_outputs(queries: TradeQueries) -> None:
    words = text(sources_outputs(queries, ViewState(reporter="AZE", partner="ITA", period="2019")))
    assert "State Customs Committee of the Republic of Azerbaijan" in words
    assert "Public information" in words and "IMF terms of use" in words
    assert "Cost, insurance and freight" in words and "Reported by" in words


def _sync(queries: TradeQueries, **kwargs: Any) -> dict[str, Any]:
    controls = {
        "reporter": "AZE",
        "partner": "ITA",
        "frequency": "annual",
        "period": "2019",
        "source": "imf_dots",
        "flows": ["exports", "imports", "turnover", "balance"],
        "measure": "turnover",
        "top": "15",
        "compare": ["ITA", "TUR", "RUS"],
        "map_measure": "turnover",
        "view": "bilateral",
        **kwargs.pop("controls", {}),
    }
    values = {"trigger": None, "search": "", "options_for": "AZE|annual|imf_dots", **kwargs}
    outputs = sync_view(queries, Settings(), controls=controls, **values)
    return dict(zip(OUTPUT_NAMES, outputs, strict=True))


def test_sync_first_load_without_query_changes_nothing(queries: TradeQueries) -> None:
    assert all(v is no_update for v in _sync(queries).values())


def test_sync_partner_change_writes_the_url_only(queries: TradeQueries) -> None:
    out = _sync(queries, trigger=ids.PARTNER, controls={"partner": "TUR"})
    assert out["link.data"]["to"] == (
        "?view=bilateral&reporter=AZE&partner=TUR&freq=annual&period=2019&source=imf_dots"
        "&flows=exports,imports,turnover,balance&measure=turnover&top=15&partners=ITA,TUR,RUS&map=turnover&lang=en"
    )
    assert out["partner.value"] is no_update
    assert out["partner.options"] is no_update
    assert out["state-note.children"] == []
    # What the controls show once the answer is applied, in APPLY_LINK's order: the browser writes the URL
    # only while they still do (a later change makes this answer stale).
    assert out["link.data"]["from"] == ""
    assert out["link.data"]["controls"] == [
        "TUR", "2019", ["exports", "imports", "turnover", "balance"], "turnover", "15", "turnover", "bilateral",
        "AZE", "annual", "imf_dots", ["ITA", "TUR", "RUS"],
    ]  # fmt: skip


def test_navigation_store_read_defensively() -> None:
    """The NAVIGATION store, written in the browser, reads as a first load when it is anything unexpected."""
    from dashboard.callbacks.state import navigated_search

    assert navigated_search({"search": "?partner=RUS", "first": False}) == (False, "?partner=RUS")
    assert navigated_search({"search": "", "first": True}) == (True, "")
    assert navigated_search(None) == (True, None)
    assert navigated_search(["?x"]) == (True, None)
    assert navigated_search({"search": 5, "first": False}) == (False, None)


def test_link_writes_the_url_of_a_period_change_and_leaves_a_url_that_means_the_view(
    queries: TradeQueries,
) -> None:
    """`_link` (partner, period, flows, ... changes) writes only the URL, and not when the URL already asks
    for the controls' view: after Back to an older link, rewriting it would push a history entry."""
    settings = Settings()
    controls = {"reporter": "AZE", "partner": "ITA", "frequency": "annual", "period": "2018",
                "source": "imf_dots", "flows": ["exports", "imports", "turnover", "balance"],
                "measure": "turnover", "top": "15", "compare": ["ITA", "TUR", "RUS"], "map_measure": "turnover",
                "view": "bilateral"}  # fmt: skip
    old = "?view=bilateral&reporter=AZE&partner=ITA&period=2019"
    assert link_search(queries, settings, search=old, controls=controls) == (
        "?view=bilateral&reporter=AZE&partner=ITA&freq=annual&period=2018&source=imf_dots"
        "&flows=exports,imports,turnover,balance&measure=turnover&top=15&partners=ITA,TUR,RUS&map=turnover&lang=en"
    )
    # An older, shorter link naming the same view (the year under its old name `year`): left as it is.
    same = "?reporter=AZE&partner=ITA&year=2018&source=imf_dots&partners=ITA,TUR,RUS"
    assert link_search(queries, settings, search=same, controls=controls) is no_update


def test_sync_frequency_change_brings_its_periods_and_source(queries: TradeQueries) -> None:
    out = _sync(queries, trigger=ids.FREQUENCY, controls={"frequency": "cumulative"})
    assert out["period.value"] == "2020-07"  # the latest cumulative of Italy
    assert out["source.value"] == "customs_az"
    assert [o["label"] for o in out["period.options"]] == [
        "Jan–Jul 2020",
        "Jan–Jun 2020",
        "Jan–Jul 2019",
        "Jan–Jun 2019",
    ]
    assert [o["value"] for o in out["source.options"]] == ["customs_az", "imf_imts"]


def test_sync_reporter_change_repairs_partner_and_options(queries: TradeQueries) -> None:
    out = _sync(queries, trigger=ids.REPORTER, controls={"reporter": "ITA"})
    assert out["partner.value"] == "AZE"
    assert [o["label"] for o in out["partner.options"]] == ["Azerbaijan", "Group: Commonwealth of Independent States",
                                                            "Group: Organisation of Islamic Cooperation",
                                                            "Group: Organization of Turkic States"]  # fmt: skip
    assert [o["disabled"] for o in out["frequency.options"]] == [False, True, True]
    assert out["link.data"]["to"].startswith(
        "?view=bilateral&reporter=ITA&partner=AZE&freq=annual&period=2019"
    )


def test_sync_from_a_shared_link_with_bad_parameters(queries: TradeQueries) -> None:
    out = _sync(
        queries,
        trigger=ids.NAVIGATION,
        search="?view=map&partner=RUS&period=2018&measure=imports&top=10&freq=weekly&lang=xx",
    )
    assert (out["partner.value"], out["period.value"], out["ranking-measure.value"], out["ranking-top.value"]) == (
        "RUS", "2018", "imports", "10",
    )  # fmt: skip
    assert out["view-tabs.value"] == "map"
    assert out["link.data"] is no_update  # the URL is the source here: not rewritten
    note = text(out["state-note.children"])
    assert "freq='weekly' → annual" in note and "lang='xx' → en" in note


def test_group_options_are_labelled(queries: TradeQueries) -> None:
    out = _sync(queries, trigger=ids.REPORTER, options_for="ITA|annual|imf_dots")
    labels = [o["label"] for o in out["partner.options"]]
    assert labels[:5] == ["Italy", "Russia", "Türkiye", "Group: European Union", "Group: World"]
    assert labels[5:] == [
        "Group: Commonwealth of Independent States",
        "Group: Organisation of Islamic Cooperation",
        "Group: Organization of Turkic States",
    ]
    turkiye = next(o for o in out["partner.options"] if o["value"] == "TUR")
    assert "Turkiye" in turkiye["search"]  # found when typed without the accent


def test_language_links_keep_the_links_query_string() -> None:
    """The page's first links, as the browser rewrites them when the URL changes (URLSearchParams.set;
    tests/browser/test_dashboard.py): the other parameters in order, `lang` replaced in place or added."""
    from dashboard.components.chrome import language_links, language_search

    links = language_links("?reporter=AZE&partner=RUS&view=table&lang=it&flows=exports,imports", "it")
    assert [(a.code, a.current, a.id) for a in links] == [
        ("en", False, "lang-link-en"),
        ("az", False, "lang-link-az"),
        ("it", True, "lang-link-it"),
        ("ru", False, "lang-link-ru"),
    ]
    assert links[0].href == "?reporter=AZE&partner=RUS&view=table&lang=en&flows=exports,imports"
    assert language_search("", "az") == "?lang=az"
    assert language_search("partner=TUR&lang=en&lang=ru", "it") == "?partner=TUR&lang=it"
    assert language_search("q=a b&x=%22%3E", "en") == "?q=a+b&x=%22%3E&lang=en"


def test_kpi_cards_in_azerbaijani(queries: TradeQueries) -> None:
    words = text(kpi_outputs(queries, ViewState(reporter="AZE", partner="ITA", period="2019", lang="az")))
    assert "Dövriyyə 2019" in words
    assert "2018 ilə müqayisədə +1,1\u00a0mlrd\u00a0US$ (+25,6%)" in words
    assert "İxrac → İtaliya" in words and "bəyan edilən dünya cəmi" in words


def test_the_pair_callback_answers_only_what_a_change_changes(queries: TradeQueries) -> None:
    """Issue 14: a new partner is one request; a new period only new cards; new flows only a new trend."""
    from dash import no_update

    from dashboard.callbacks.trend import pair_outputs

    state = ViewState(reporter="AZE", partner="TUR", period="2019")
    # A new partner triggers the callback alone: the cards' router reads only the view and the period.
    answered = pair_outputs(queries, state, {"partner.value"}, view="bilateral")
    assert no_update not in answered
    title, _, figure, _, cards, *_ = answered
    assert "Türkiye" in title and figure["data"] and "$2.50 bn" in text(cards)
    shown = pair_outputs(queries, state, {"route-bilateral.data"}, view="bilateral")
    assert [v is no_update for v in shown] == [True] * 4 + [False] * 3
    shown = pair_outputs(queries, state, {"flows.value"}, view="bilateral")
    assert [v is no_update for v in shown] == [True, True, False, False, True, True, True]
    # On another view only the heading follows the partner.
    shown = pair_outputs(queries, state, {"partner.value"}, view="map")
    assert [v is no_update for v in shown] == [False, False] + [True] * 5
    # The bilateral tab opened: its router sets the route, and Dash calls this once with both.
    shown = pair_outputs(queries, state, {"view-tabs.value", "route-bilateral.data"}, view="bilateral")
    assert [v is no_update for v in shown] == [True, True] + [False] * 5


def test_the_pair_reply_is_the_json_dash_would_send_less_what_is_shown(queries: TradeQueries) -> None:
    """The reply is plain JSON (so Dash writes it without walking it in Python), equal to what plotly's
    encoder makes of the components and figure, and an output the page already shows is not sent again."""
    import json

    from dash import no_update
    from plotly.io.json import to_json_plotly

    from dashboard.callbacks.trend import SHOWN, pair_outputs, pair_reply

    answered = pair_outputs(
        queries, ViewState(reporter="AZE", partner="TUR", period="2019"), {"partner.value"}, view="bilateral"
    )
    sent = pair_reply(answered, {})
    assert [json.loads(to_json_plotly(v)) if not isinstance(v, str) else v for v in answered] == list(sent)
    assert all(isinstance(v, (str, list, dict)) for v in sent)  # nothing but JSON left for Dash to walk
    # The page shows the title and the data notes already: those two are not sent; the rest are.
    title, notes = (next(i for i, c in SHOWN if c == name) for name in ("page-title", "data-note"))
    shown = {title: sent[title], notes: sent[notes]}
    again = pair_reply(answered, shown)
    assert [i for i, v in enumerate(again) if v is no_update] == sorted((title, notes))
    # What the page shows for another partner is answered.
    other = pair_reply(answered, {title: "Azerbaijan and Italy", notes: [{"props": {}}]})
    assert no_update not in other
