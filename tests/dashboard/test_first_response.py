"""The page's first response holds the open view's content (issue 14): the layout Dash fetches for a link is built
with that link's cards, sentences and charts, and with the route stores set so the browser asks for nothing on
load. The browser side (no update request on load) is tests/browser/test_dashboard.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from dashboard import ids
from dashboard.app import create_app
from dashboard.callbacks.routes import ROUTES
from dashboard.callbacks.state import CONTROL_IDS
from dashboard.components import claims as claims_layout
from dashboard.components import mirror as mirror_layout
from dashboard.registry import VIEW_IDS, VIEWS
from dashboard.settings import Settings
from tests.serving import kpi_request


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "props" in node:
            yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _layout(app: Any, link: str | None, **headers: str) -> dict[str, dict[str, Any]]:
    """The layout's components' props by id, fetched as the browser does (Referer: the page's URL)."""
    client = app.server.test_client()
    if link is not None:
        headers["Referer"] = f"http://127.0.0.1:8050/{link}"
    reply = client.get("/_dash-layout", headers=headers)
    assert reply.status_code == 200
    return {
        c["props"]["id"]: c["props"]
        for c in _walk(json.loads(reply.data))
        if isinstance(c["props"].get("id"), str)
    }


def _text(node: Any) -> str:
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, dict):
        return _text(node.get("props", {}).get("children"))
    if isinstance(node, list):
        return " ".join(_text(n) for n in node)
    return ""


def _link(view: str, **extra: str) -> str:
    return "?" + urlencode({"reporter": "AZE", "partner": "ITA", "year": "2019", "view": view, **extra})


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from tests.dashboard.stores import TINY_ROWS, publish_rows

    store_dir = tmp_path_factory.mktemp("first-response") / "store"
    publish_rows(store_dir, TINY_ROWS)
    return create_app(Settings(store_dir=store_dir))


def test_a_shared_link_arrives_with_its_cards_sentences_and_trend(app: Any) -> None:
    props = _layout(app, _link("bilateral"))
    # The same cards the KPI callback answers for this state (tests/dashboard/test_app.py's round trip).
    cards = _text(props[ids.KPIS]["children"])
    assert "$5.40 bn" in cards
    reply = app.server.test_client().post("/_dash-update-component", json=kpi_request("AZE", "ITA", 2019))
    answered = json.loads(reply.data)["response"][ids.KPIS]["children"]
    assert props[ids.KPIS]["children"] == answered
    assert "2019" in _text(props[ids.NARRATIVE]["children"])
    trend = props[ids.TREND_GRAPH]["figure"]
    assert {"Exports", "Imports", "Turnover"} <= {t.get("name") for t in trend["data"]}
    assert "Italy" in props[ids.TITLE]["children"]
    # The page knows the link it was built from, and dcc.Location starts on it (no announcement on mount).
    assert props[ids.PAGE_SEARCH]["data"] == _link("bilateral")
    assert props[ids.URL]["search"] == _link("bilateral")


@pytest.mark.parametrize("view", VIEW_IDS)
def test_every_view_arrives_with_its_routes_answered(app: Any, view: str) -> None:
    props = _layout(app, _link(view))
    assert props[ids.VIEW]["value"] == view
    assert props[ids.section(view)]["hidden"] is False
    for route in next(v for v in VIEWS if v.id == view).routes:
        # The router compares this with the controls' values it would send: equal, so it sends nothing.
        _, uses = ROUTES[route.name]
        controls = {name: props[cid]["value"] for name, cid in CONTROL_IDS.items() if name in uses}
        assert props[ids.route(route.name)]["data"] == {name: controls.get(name) for name in uses}
        if route.outputs:  # the mirror route's outputs are its own callback's (see the mirror test below)
            first_id, first_prop = route.outputs[0]  # the cards, or a chart card's title: never empty
            assert props[first_id].get(first_prop), route.name
        for component_id, prop in route.outputs:
            if prop == "figure":
                assert props[component_id][prop]["data"], (route.name, component_id)


def test_the_map_and_mirror_and_sources_views_hold_their_charts(app: Any) -> None:
    assert _layout(app, _link("map"))[ids.MAP_GRAPH]["figure"]["data"]
    mirror = _layout(app, _link("mirror"))
    assert mirror[mirror_layout.GRAPH]["figure"]["data"]
    assert "Italy" in _text(mirror[mirror_layout.EXPLANATION]["children"])
    assert "Direction of Trade" in _text(_layout(app, _link("sources"))[ids.SOURCES_CONTENT]["children"])


def test_a_shared_claim_arrives_checked(app: Any) -> None:
    claim = "In 2019 Azerbaijan's exports to Italy were $5.0 billion."
    props = _layout(app, _link("claims", claim=claim))
    assert props[claims_layout.TEXT]["value"] == claim
    assert "$5.00 bn" in _text(props[claims_layout.RESULTS]["children"])


def test_a_layout_built_without_the_link_leaves_the_url_to_the_browser(app: Any) -> None:
    """No Referer (a privacy extension, a proxy): the callbacks restore the state from the URL as before."""
    props = _layout(app, None)
    assert props[ids.PAGE_SEARCH].get("data") is None
    assert "search" not in props[ids.URL]
    # The default view is still drawn from the default state.
    assert props[ids.TREND_GRAPH]["figure"]["data"]


def test_the_language_links_and_other_views_need_no_answer_on_load(app: Any, tmp_path: Path) -> None:
    props = _layout(app, _link("bilateral", lang="it"))
    assert "Italia" in props[ids.TITLE]["children"]
    assert ids.LANG_LINKS not in props  # plain HTML around the layout (tests/dashboard/test_app.py)
    # Views that are not open are not built: only their controls are in the page until the tab opens.
    assert ids.RANKING_GRAPH not in props and ids.MAP_GRAPH not in props
    assert props[ids.MEASURE]["value"] == "turnover" and props[ids.MAP_MEASURE]["value"]
    assert props[ids.BUILT_VIEWS]["data"] == [v.id for v in VIEWS if not v.lazy or v.id == "bilateral"]
