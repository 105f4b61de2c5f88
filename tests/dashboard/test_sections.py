"""A view left out of the page until its tab opens (registry `View.lazy`) is built once, from the controls'
values, keeping meanwhile the controls it holds (callbacks/sections.py). The browser side (a tab opened is
drawn, under the security policy too) is tests/browser and tests/reliability/test_security.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from dash import html, no_update

from dashboard import ids
from dashboard.app import create_app
from dashboard.callbacks.first_response import components_by_id
from dashboard.callbacks.sections import LAZY, built_section
from dashboard.callbacks.state import CONTROL_IDS
from dashboard.components import claims as claims_layout
from dashboard.queries.answers import TradeQueries
from dashboard.registry import CLAIMS, PARTNERS, VIEW_IDS
from dashboard.settings import Settings
from dashboard.state import resolve_view

CONTROLS: dict[str, Any] = {
    "reporter": "AZE", "partner": "ITA", "frequency": "annual", "period": "2019", "source": None,
    "flows": ["exports", "imports"], "measure": "exports", "top": "10", "compare": ["TUR"],
    "map_measure": "balance",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _app(tiny_store: Path) -> None:
    # The map's section names the app's own asset URL (dash.get_app()).
    create_app(Settings(store_dir=tiny_store))


def _build(queries: TradeQueries, opened: str, built: Any) -> tuple[Any, ...]:
    return built_section(queries, Settings(), opened=opened, built=built, controls=CONTROLS, lang="it")


def test_a_lazy_view_is_built_when_its_tab_first_opens(queries: TradeQueries) -> None:
    answer = _build(queries, "partners", ["bilateral", "claims"])
    assert answer[-1] == ["bilateral", "claims", "partners"]
    at = LAZY.index(PARTNERS)
    assert all(value is no_update for i, value in enumerate(answer[:-1]) if i != at)
    section = components_by_id(html.Div(answer[at]))
    # Its charts (filled by the router's request that follows), and its controls as they were, in the page's
    # language.
    assert {ids.RANKING_GRAPH, ids.COMPARE_GRAPH, ids.RANK_HISTORY_GRAPH} <= set(section)
    assert section[ids.MEASURE].value == "exports" and section[ids.TOP].value == "10"
    assert section[ids.COMPARE].value == ["TUR"]
    assert "Turchia" in str(section[ids.COMPARE].options)


def test_a_view_built_or_never_lazy_is_left_as_it_is(queries: TradeQueries) -> None:
    nothing = (no_update,) * (len(LAZY) + 1)
    assert _build(queries, "partners", ["bilateral", "partners"]) == nothing
    assert _build(queries, "bilateral", ["bilateral"]) == nothing
    assert _build(queries, "nonsense", None) == nothing
    # A forged store value counts as nothing built, never as an error.
    assert _build(queries, "map", {"x": 1})[-1] == ["map"]


def test_each_lazy_view_keeps_the_controls_of_its_section(queries: TradeQueries) -> None:
    """What `_sync`, the router and the link read and write is in the page whatever view is open."""
    controls = set(CONTROL_IDS.values())
    for view in LAZY:
        resolved = resolve_view(queries, Settings(), views=VIEW_IDS, view=view.id)
        section = set(components_by_id(html.Div(view.section(resolved, Settings())))) & controls
        kept = set(components_by_id(html.Div(view.placeholder(resolved, Settings())))) & controls
        assert kept == section, view.id
    assert {ids.MEASURE, ids.TOP, ids.COMPARE, ids.MAP_MEASURE} <= {
        control
        for view in LAZY
        for control in components_by_id(
            html.Div(view.placeholder(resolve_view(queries, Settings(), views=VIEW_IDS), Settings()))
        )
    }


def test_the_claim_checker_opened_on_a_link_with_a_claim_shows_it_checked(queries: TradeQueries) -> None:
    claim = "In 2019 Azerbaijan's exports to Italy were $5.0 billion."
    search = "?" + urlencode({"reporter": "AZE", "view": "claims", "claim": claim})
    answer = built_section(
        queries, Settings(), opened="claims", built=["bilateral"], controls=CONTROLS, lang="en", search=search
    )
    section = components_by_id(html.Div(answer[LAZY.index(CLAIMS)]))
    assert section[claims_layout.TEXT].value == claim
    assert "$5.00 bn" in str(section[claims_layout.RESULTS].children)
    # Without a claim in the link, the empty checker.
    plain = built_section(queries, Settings(), opened="claims", built=[], controls=CONTROLS, lang="en")
    assert not getattr(
        components_by_id(html.Div(plain[LAZY.index(CLAIMS)]))[claims_layout.TEXT], "value", None
    )
