"""The map's outlines ship once, as plotly's own topojson asset; the map's replies carry codes and values only.

Runs the real app (Flask test client), the real shipped file and, for the image, kaleido on the system
Chromium. The browser side (one fetch of the file, no request leaving 127.0.0.1) is tests/browser/test_map.py.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from defusedxml import ElementTree

from bench.callbacks import callbacks_of, page_values
from dashboard import ids
from dashboard.app import create_app
from dashboard.export import ImageEngine
from dashboard.figures.map import LAND, SEQUENTIAL
from dashboard.geo import WORLD_TOPOJSON, geo_assets_script, outlined_countries, topojson_url
from dashboard.queries.answers import TradeQueries
from dashboard.queries.store import QueryStore
from dashboard.registry import export_chart
from dashboard.settings import Settings
from dashboard.state import ViewState
from etl import schema
from etl.reference import Reference
from tests.dashboard.export_fixtures import session_engine
from tests.dashboard.map_stores import EXPORTS_2019, PARTNERS, WITHOUT_OUTLINE, publish_world

REPLY_LIMIT = 30_000  # bytes: the bound for one answer of the map (it was ~436 KB)
SVG = "{http://www.w3.org/2000/svg}"
INLINED = 'window.PlotlyGeoAssets.topojson["world_110m"]='
STATE = ViewState("AZE", "ITA", "2019", view="map", map_measure="exports", source="imf_dots")


def map_request(period: str, measure: str) -> dict[str, Any]:
    """The body Dash's renderer posts to `/_dash-update-component` when the map view asks for its figure."""
    return {
        "output": "..map-title.children...map-graph.figure...map-source.children..",
        "outputs": [
            {"id": "map-title", "property": "children"},
            {"id": "map-graph", "property": "figure"},
            {"id": "map-source", "property": "children"},
        ],
        "inputs": [
            {
                "id": "route-map",  # what the page's router (dashboard/callbacks/routes.py) sets
                "property": "data",
                "value": {
                    "reporter": "AZE",
                    "frequency": "annual",
                    "period": period,
                    "source": None,
                    "map_measure": measure,
                },
            }
        ],
        "changedPropIds": ["route-map.data"],
        "state": [{"id": "lang", "property": "data", "value": "en"}],
    }


@pytest.fixture(scope="module")
def world_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store_dir = tmp_path_factory.mktemp("world-store")
    publish_world(store_dir)
    return store_dir


@pytest.fixture
def world_queries(world_store: Path) -> Iterator[TradeQueries]:
    queries = QueryStore(world_store).current()
    yield queries
    queries.close()


def test_the_shipped_file_is_plotlys_world_topojson_keyed_by_the_stores_codes() -> None:
    topology = json.loads(WORLD_TOPOJSON.read_text(encoding="utf-8"))
    # The layers plotly.js draws from world_110m.json: countries for the choropleth, land and borders behind.
    layers = {"countries", "land", "coastlines", "ocean", "lakes", "rivers", "subunits"}
    assert layers <= set(topology["objects"])
    outlined = outlined_countries()
    areas = Reference().areas()
    countries = set(areas.loc[areas[schema.KIND] == "country", schema.CODE])
    assert len(outlined) == 174 and {"AZE", "ITA", "TUR", "RUS", "CHN", "USA"} <= outlined
    assert outlined <= countries  # every outline is a code the store uses for a country
    # The store's countries without an outline are not coloured (their rows stay in the data and exports):
    # small states and territories Natural Earth draws only at 1:50m, and Kosovo, which Natural Earth (and
    # so this file) leaves without an ISO code, as it does Northern Cyprus and Somaliland.
    unnamed = [g for g in topology["objects"]["countries"]["geometries"] if not g.get("id")]
    assert len(unnamed) == 3
    assert set(WITHOUT_OUTLINE) <= countries - outlined


def test_the_map_reply_holds_codes_and_values_within_30_kb(world_store: Path) -> None:
    client = create_app(Settings(store_dir=world_store)).server.test_client()
    reply = client.post("/_dash-update-component", json=map_request("2019", "exports"))
    assert reply.status_code == 200
    body = reply.get_data()
    assert len(body) <= REPLY_LIMIT, f"the map's reply is {len(body):,} bytes"
    figure = json.loads(body)["response"]["map-graph"]["figure"]
    [trace] = figure["data"]
    assert "geojson" not in trace and trace["locationmode"] == "ISO-3"
    # Ranked by exports, largest first; in $ bn (the largest, 1,750 m, sets the unit).
    expected = sorted(EXPORTS_2019.items(), key=lambda item: -item[1])
    assert trace["locations"] == [code for code, _ in expected]
    assert _numbers(trace["z"]) == pytest.approx([value / 1e9 for _, value in expected])  # $ bn
    assert figure["layout"]["geo"]["showland"] is True and figure["layout"]["geo"]["landcolor"] == LAND


def _numbers(array: Any) -> list[float]:
    """A plotly JSON array as numbers: plotly 7 sends numeric arrays as typed base64 (`dtype`, `bdata`)."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def test_the_page_points_plotly_at_the_shipped_file(tiny_store: Path) -> None:
    client = create_app(Settings(store_dir=tiny_store)).server.test_client()
    client.get("/")
    layout = client.get("/_dash-layout", headers={"Referer": "http://127.0.0.1/?view=map"}).get_json()
    assert _map_graph_config(layout)["topojsonURL"] == "/assets/topojson/"
    served = client.get("/assets/topojson/world_110m.json")
    assert served.status_code == 200 and served.get_data() == WORLD_TOPOJSON.read_bytes()


def test_the_file_url_honours_the_requests_prefix(monkeypatch: pytest.MonkeyPatch, tiny_store: Path) -> None:
    # Behind a proxy that serves the app under /trade/ and strips that prefix before the app sees it.
    monkeypatch.setenv("DASH_REQUESTS_PATHNAME_PREFIX", "/trade/")
    client = create_app(Settings(store_dir=tiny_store)).server.test_client()
    client.get("/")
    layout = client.get("/_dash-layout", headers={"Referer": "http://127.0.0.1/trade/?view=map"}).get_json()
    assert _map_graph_config(layout)["topojsonURL"] == "/trade/assets/topojson/"
    assert client.get("/assets/topojson/world_110m.json").status_code == 200


def test_the_map_opened_later_names_its_own_apps_file(
    monkeypatch: pytest.MonkeyPatch, tiny_store: Path
) -> None:
    """The map's section is built when its tab first opens (callbacks/sections.py), in a callback: it names the
    file under its own app's prefix even when the process created another app since (as the tests do)."""
    client = create_app(Settings(store_dir=tiny_store)).server.test_client()
    monkeypatch.setenv("DASH_REQUESTS_PATHNAME_PREFIX", "/trade/")
    create_app(Settings(store_dir=tiny_store))
    callbacks = callbacks_of(client.get("/_dash-dependencies").get_json())
    build = next(c for c in callbacks if (ids.BUILT_VIEWS, "data") in c.outputs)
    values = {**page_values(view="map"), (ids.BUILT_VIEWS, "data"): ["bilateral"]}
    replies = []
    # In a thread of its own, as a served request is: Dash's answer to `_dash-dependencies` above left its app
    # in this thread's context, which would hide the fault.
    post = threading.Thread(
        target=lambda: replies.append(
            client.post("/_dash-update-component", json=build.body(values, changed=0))
        )
    )
    post.start()
    post.join()
    assert replies[0].status_code == 200
    assert _map_graph_config(replies[0].get_json())["topojsonURL"] == "/assets/topojson/"


def _map_graph_config(layout: Any) -> dict[str, Any]:
    """The config of the map's dcc.Graph in the page layout JSON."""
    found = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == "map-graph":
                found.append(node["props"]["config"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(layout)
    assert len(found) == 1, "the layout has one map graph"
    return found[0]


def test_kaleido_and_the_html_export_get_the_file_itself() -> None:
    assert topojson_url() == WORLD_TOPOJSON.parent.as_uri() + "/"
    script = geo_assets_script()
    assert script.startswith("<script>") and script.endswith("</script>") and script.count("</script>") == 1
    assert INLINED in script


def test_the_map_image_draws_every_outlined_partner(world_queries: TradeQueries) -> None:
    engine: ImageEngine = session_engine()
    svg = export_chart(world_queries, "map", STATE, fmt="svg", engine=engine).content
    root = ElementTree.fromstring(svg)
    drawn = [
        p
        for p in root.iter(f"{SVG}path")
        if p.get("class") == "choroplethlocation" and len(p.get("d") or "") > 20
    ]
    # Drawn offline from the shipped file (a CDN fetch would fail here, and the image with it).
    assert len(drawn) == len(PARTNERS) - len(WITHOUT_OUTLINE)
    fills = {p.get("fill") for p in drawn}
    assert len(fills) > 100  # one colour per value (rounded to whole RGB steps)
    assert _rgb(str(SEQUENTIAL[-1][1])) in fills  # the largest partner in the scale's darkest blue
    land = [p for p in root.iter(f"{SVG}g") if "land" in (p.get("class") or "").split()]
    assert land and any(_rgb(LAND) in (path.get("style") or "") for path in land[0].iter(f"{SVG}path"))


def _rgb(colour: str) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def test_the_html_export_inlines_the_outlines(world_queries: TradeQueries) -> None:
    page = export_chart(world_queries, "map", STATE, fmt="html").content.decode("utf-8")
    assert page.count(INLINED) == 1
    # The outlines come before plotly.js draws the figure (the page's own script for the plot).
    assert page.index(INLINED) < page.index("Plotly.newPlot")
    trend = export_chart(world_queries, "trend", STATE, fmt="html").content.decode("utf-8")
    assert INLINED not in trend  # only a map carries the 136 KB of outlines
    inlined = page.split(INLINED, 1)[1].split(";</script>", 1)[0]
    assert json.loads(inlined) == json.loads(WORLD_TOPOJSON.read_text(encoding="utf-8"))
    assert re.search(r"<h1>Partners on the map: exports, 2019 \(Azerbaijan\)</h1>", page)
