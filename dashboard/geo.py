"""Country outlines for the map, read from the repository (no map tiles, nothing fetched from the internet).

`data/reference/world-110m.topojson` is Natural Earth's 1:110m countries as TopoJSON (npm package
world-atlas 2.0.2; licence beside it). This module decodes it into GeoJSON whose feature ids are ISO 3166
alpha-3 codes, the codes of the tidy table, so plotly's `go.Choropleth(geojson=..., locations=ISO3)` draws
it without plotly.js downloading its own topojson.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

import pycountry

WORLD_TOPOJSON: Final = Path(__file__).resolve().parents[1] / "data" / "reference" / "world-110m.topojson"
# Features without an ISO numeric code in Natural Earth: the codes the store would use for them.
UNNUMBERED: Final = {"Kosovo": "XKX", "N. Cyprus": "XNC", "Somaliland": "XSL"}


def _alpha3(numeric: str | None, name: str) -> str | None:
    if numeric is None:
        return UNNUMBERED.get(name)
    country = pycountry.countries.get(numeric=numeric.zfill(3))
    return country.alpha_3 if country is not None else None


def world_geojson(path: Path = WORLD_TOPOJSON) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the countries, feature `id` = ISO alpha-3, `properties.name`.

    Raises ValueError naming the file when it is not the expected TopoJSON.
    """
    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
        scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
        arcs = [_decode_arc(arc, scale, translate) for arc in topology["arcs"]]
        geometries = topology["objects"]["countries"]["geometries"]
    except (OSError, KeyError, TypeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not a world-atlas TopoJSON file ({exc})") from exc
    features = []
    for geometry in geometries:
        name = str(geometry.get("properties", {}).get("name", ""))
        code = _alpha3(geometry.get("id"), name)
        if code is None or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        coordinates = [[_ring(ring, arcs) for ring in polygon] for polygon in polygons]
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"name": name},
                "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _decode_arc(arc: list[list[int]], scale: list[float], translate: list[float]) -> list[list[float]]:
    # Quantized, delta-encoded positions (TopoJSON specification, section 2.1.2).
    x = y = 0
    points = []
    for dx, dy in arc:
        x += dx
        y += dy
        points.append([round(x * scale[0] + translate[0], 4), round(y * scale[1] + translate[1], 4)])
    return points


def _ring(indexes: list[int], arcs: list[list[list[float]]]) -> list[list[float]]:
    points: list[list[float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their joining point.
        points.extend(arc if not points else arc[1:])
    return points
