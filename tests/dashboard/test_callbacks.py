"""Callbacks as plain functions: the same inputs Dash would pass, outputs checked without a browser."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dash import no_update
from dash.development.base_component import Component

from dashboard import ids
from dashboard.callbacks.comparison import comparison_outputs
from dashboard.callbacks.kpis import kpi_outputs
from dashboard.callbacks.ranking import ranking_outputs
from dashboard.callbacks.state import sync_view
from dashboard.callbacks.trend import trend_outputs
from dashboard.figures.theme import HIGHLIGHT
from dashboard.queries import TradeQueries
from dashboard.settings import Settings


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
    cards = kpi_outputs(queries, "AZE", "ITA", 2019)
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


def test_kpi_cards_mark_estimates_and_groups(queries: TradeQueries) -> None:
    assert "estimated" in text(kpi_outputs(queries, "AZE", "TUR", 2019))
    assert "groups are not ranked" in text(kpi_outputs(queries, "AZE", "EUU", 2019))
    assert "No figures" in text(kpi_outputs(queries, "AZE", "'; DROP TABLE trade_flows; --", 2019))


def test_trend_outputs(queries: TradeQueries) -> None:
    title, subtitle, figure, footer = trend_outputs(queries, "AZE", "ITA", 2019)
    assert title == "Azerbaijan\u2019s trade with Italy"
    assert subtitle == "Annual, 2017\u20132019 · US dollars · as reported by Azerbaijan"
    assert len(figure.data) == 4
    assert (
        "Source: IMF, Direction of Trade Statistics (DOTS); reported by Azerbaijan; exports FOB, imports CIF."
        in (text(footer))
    )
    assert "Release 2024-06-30." in text(footer)


def test_ranking_outputs(queries: TradeQueries) -> None:
    title, figure, footer = ranking_outputs(queries, "AZE", "TUR", 2019, "turnover", "15")
    assert title == "Top 15 partners by turnover, 2019"
    assert list(figure.data[0].marker.color).index(1) == 1
    assert figure.data[0].marker.colorscale[1][1] == HIGHLIGHT  # 1 is the highlight on the two-colour scale
    assert "World total as reported" in text(footer)


def test_comparison_outputs(queries: TradeQueries) -> None:
    figure, footer = comparison_outputs(queries, "AZE", "ITA", ["ITA", "TUR", "CHN"])
    assert [t.name for t in figure.data] == ["Italy", "Türkiye"]
    assert "reported by Azerbaijan" in text(footer)
    empty, no_source = comparison_outputs(queries, "AZE", "ITA", [])
    assert len(empty.data) == 0
    assert "no source" in text(no_source)


def _sync(queries: TradeQueries, **kwargs: Any) -> dict[str, Any]:
    values = {
        "trigger": None,
        "search": "",
        "reporter": "AZE",
        "partner": "ITA",
        "year": 2019,
        "measure": "turnover",
        "top": "15",
        "compare": ["ITA", "TUR", "RUS"],
        "options_for": "AZE",
        **kwargs,
    }
    names = ["search", "options_for", "partner_options", "compare_options", "year_options", "reporter",
             "partner", "year", "measure", "top", "compare"]  # fmt: skip
    return dict(zip(names, sync_view(queries, Settings(store_dir=queries.store_dir), **values), strict=True))


def test_sync_first_load_without_query_changes_nothing(queries: TradeQueries) -> None:
    assert all(v is no_update for v in _sync(queries).values())


def test_sync_partner_change_writes_the_url_only(queries: TradeQueries) -> None:
    out = _sync(queries, trigger=ids.PARTNER, partner="TUR")
    assert out["search"] == "?reporter=AZE&partner=TUR&year=2019&measure=turnover&top=15&compare=ITA,TUR,RUS"
    assert out["partner"] is no_update
    assert out["partner_options"] is no_update


def test_sync_reporter_change_repairs_partner_and_options(queries: TradeQueries) -> None:
    out = _sync(queries, trigger=ids.REPORTER, reporter="ITA")
    assert out["partner"] == "AZE"
    assert [o["label"] for o in out["partner_options"]] == ["Azerbaijan"]
    assert out["options_for"] == "ITA"
    assert out["search"].startswith("?reporter=ITA&partner=AZE&year=2019")


def test_sync_from_a_shared_link(queries: TradeQueries) -> None:
    out = _sync(queries, trigger=ids.URL, search="?reporter=AZE&partner=RUS&year=2018&measure=imports&top=10")
    assert (out["partner"], out["year"], out["measure"], out["top"]) == ("RUS", 2018, "imports", "10")
    assert out["search"] is no_update  # the URL is the source here: not rewritten


def test_group_options_are_labelled(queries: TradeQueries) -> None:
    out = _sync(queries, trigger=ids.REPORTER, reporter="AZE", options_for="ITA")
    labels = [o["label"] for o in out["partner_options"]]
    assert labels == ["Italy", "Russia", "Türkiye", "Group: European Union", "Group: World"]
    turkiye = next(o for o in out["partner_options"] if o["value"] == "TUR")
    assert "Turkiye" in turkiye["search"]  # found when typed without the accent
