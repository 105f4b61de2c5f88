"""Partners on a world map coloured by one measure (choropleth by ISO alpha-3; no map tiles, no internet)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.theme import TEMPLATE, no_data_figure, unit_for
from dashboard.format import money, percent

# Colour-blind-safe scales: a single-hue blue ramp, and an orange–white–blue diverging scale (Okabe–Ito ends).
SEQUENTIAL = [[0.0, "#E8F1F8"], [0.5, "#56B4E9"], [1.0, "#0072B2"]]
DIVERGING = [[0.0, "#D55E00"], [0.5, "#F7F7F7"], [1.0, "#0072B2"]]
MAPPED_KINDS = ("country",)


def partner_map(frame: pd.DataFrame, *, measure: str = "turnover", measure_label: str = "Turnover",
                height: int = 480) -> go.Figure:  # fmt: skip
    """A choropleth of the partners' `measure` (US dollars) in one period.

    `frame`: one row per partner: partner (ISO alpha-3), name, kind, the measure column, share (ratio or
    NaN). Only countries with a known value are drawn (groups and former economies have no outline).
    Balance uses a diverging scale centred on zero. Empty: a "No data" figure.
    """
    rows = frame[frame["kind"].isin(MAPPED_KINDS) & frame[measure].notna()] if len(frame) else frame
    if rows.empty:
        return no_data_figure("No partner countries with data for this period", height=height)
    unit = unit_for(rows[measure].abs())
    values = rows[measure] / unit.divisor
    diverging = measure == "balance"
    limit = float(values.abs().max()) or 1.0
    figure = go.Figure(
        go.Choropleth(
            locations=rows["partner"].astype(str),
            locationmode="ISO-3",
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
        ),
        layout={"template": TEMPLATE, "height": height},
    )
    figure.update_geos(
        projection_type="natural earth",
        showframe=False,
        showcoastlines=False,
        showland=True,
        landcolor="#F0F2F5",
        showcountries=True,
        countrycolor="#D9DEE4",
    )
    figure.update_layout(margin={"l": 0, "r": 0, "t": 8, "b": 8}, meta={"unit": unit.suffix.strip() or "USD"})
    return figure
