"""Partners on a world map coloured by one measure (choropleth by ISO alpha-3; no map tiles, no internet)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.theme import TEMPLATE, no_data_figure, unit_for
from dashboard.format import money, percent

# Colour-blind-safe scales: a single-hue blue ramp, and an orange–white–blue diverging scale (Okabe–Ito ends).
SEQUENTIAL = [[0.0, "#E8F1F8"], [0.5, "#56B4E9"], [1.0, "#0072B2"]]
DIVERGING = [[0.0, "#D55E00"], [0.5, "#F7F7F7"], [1.0, "#0072B2"]]
MAPPED_KINDS = ("country",)


def partner_map(
    frame: pd.DataFrame,
    *,
    geojson: dict[str, Any],
    measure: str = "turnover",
    measure_label: str = "Turnover",
    height: int = 480,
) -> go.Figure:
    """A choropleth of the partners' `measure` (US dollars) in one period, on the outlines in `geojson`.

    `frame`: one row per partner: partner (ISO alpha-3), name, kind, the measure column, share (ratio or
    NaN). Only countries with a known value are coloured (groups and former economies have no outline);
    every other country of `geojson` (a FeatureCollection whose feature ids are ISO alpha-3) is drawn in
    grey. Balance uses a diverging scale centred on zero. No country with data: a "No data" figure.
    """
    rows = frame[frame["kind"].isin(MAPPED_KINDS) & frame[measure].notna()] if len(frame) else frame
    if rows.empty:
        return no_data_figure("No partner countries with data for this period", height=height)
    outlines = [str(f["id"]) for f in geojson.get("features", [])]
    unit = unit_for(rows[measure].abs())
    values = rows[measure] / unit.divisor
    diverging = measure == "balance"
    limit = float(values.abs().max()) or 1.0
    figure = go.Figure(layout={"template": TEMPLATE, "height": height})
    # plotly.js fetches its own topojson from the internet when a base layer is shown or when the FIRST
    # trace has a `locationmode` (every choropleth has one). A first trace placed by lon/lat has none, so
    # this invisible point keeps the map offline: only the outlines in `geojson` are drawn.
    figure.add_trace(
        go.Scattergeo(
            lon=[0], lat=[0], mode="markers", marker={"opacity": 0}, hoverinfo="skip", showlegend=False
        )
    )
    # Every country in grey first, so the map reads as a world map where partners have no figure.
    figure.add_trace(
        go.Choropleth(
            geojson=geojson,
            locations=outlines,
            z=[0] * len(outlines),
            featureidkey="id",
            colorscale=[[0, "#EEF0F3"], [1, "#EEF0F3"]],
            showscale=False,
            hoverinfo="skip",
            marker={"line": {"color": "#C5CCD4", "width": 0.4}},
            name="no figure",
        )
    )
    figure.add_trace(
        go.Choropleth(
            geojson=geojson,
            featureidkey="id",
            locations=rows["partner"].astype(str),
            z=values,
            text=rows["name"],
            colorscale=DIVERGING if diverging else SEQUENTIAL,
            zmin=-limit if diverging else 0,
            zmax=limit,
            marker={"line": {"color": "#9AA5B1", "width": 0.4}},
            colorbar={
                "title": {"text": f"{measure_label}, $ {unit.suffix.strip() or 'USD'}"},
                "thickness": 12,
                "orientation": "h",
                "y": -0.05,
                "yanchor": "top",
                "len": 0.6,
            },
            customdata=[
                [money(v), percent(s)]
                for v, s in zip(rows[measure], rows.get("share", [None] * len(rows)), strict=True)
            ],
            hovertemplate=f"<b>%{{text}}</b><br>{measure_label}: %{{customdata[0]}}"
            + ("" if diverging else "<br>Share: %{customdata[1]}")
            + "<extra></extra>",
            name=measure_label,
        )
    )
    # No base layers: they would make plotly.js fetch its own topojson from the internet.
    figure.update_geos(projection_type="natural earth", visible=False, showframe=False)
    figure.update_layout(margin={"l": 0, "r": 0, "t": 8, "b": 8}, meta={"unit": unit.suffix.strip() or "USD"})
    return figure
