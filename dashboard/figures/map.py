"""Partners on a world map coloured by one measure (choropleth by ISO alpha-3; no map tiles, no internet)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import make_colorscale, sequential, unlabel_rgb

from dashboard.figures.theme import TEMPLATE, language_layout, no_data_figure, unit_for
from dashboard.format import currency_sign, money, percent, unit_suffix
from dashboard.i18n import t

# Colour-blind-safe scales: a single-hue blue ramp, and an orange–white–blue diverging scale (Okabe–Ito ends).
# The ramp is plotly's Blues without its three palest steps: the old palest end was the land's own grey
# (1.0:1 against LAND), so a small partner vanished on either theme; the palest kept step is 1.5:1 on LAND.
SEQUENTIAL = make_colorscale(
    ["#{:02X}{:02X}{:02X}".format(*(int(part) for part in unlabel_rgb(c))) for c in sequential.Blues[3:]]
)
COLORBAR_FRAME = "#7B8794"  # the colour bar's outline: seen on the white and the dark page alike (≥ 3:1)
DIVERGING = [[0.0, "#D55E00"], [0.5, "#F7F7F7"], [1.0, "#0072B2"]]
MAPPED_KINDS = ("country",)
LAND = "#EEF0F3"  # every country without a figure
BORDER = "#C5CCD4"


def partner_map(
    frame: pd.DataFrame,
    *,
    measure: str = "turnover",
    measure_label: str = "Turnover",
    height: int = 480,
    lang: str = "en",
) -> go.Figure:
    """A choropleth of the partners' `measure` (US dollars) in one period, by ISO alpha-3 code.

    `frame`: one row per partner: partner (ISO alpha-3), name, kind, the measure column, share (ratio or
    NaN). Only countries with a known value are coloured (groups and former economies have no outline);
    the land and borders of every other country are drawn in grey. Balance uses a diverging scale centred
    on zero. No country with data: a "No data" figure.

    The figure holds codes and values only: plotly.js draws the outlines from its world topojson
    (`dashboard.geo`), which the page, kaleido and the HTML export hand it from the shipped file. A country
    without an outline there (a small state at 1:110m, or Kosovo) keeps its row but is not drawn.
    """
    rows = frame[frame["kind"].isin(MAPPED_KINDS) & frame[measure].notna()] if len(frame) else frame
    if rows.empty:
        return no_data_figure(t(lang, "No partner countries with data for this period"), height=height)
    unit = unit_for(rows[measure].abs())
    values = rows[measure] / unit.divisor
    diverging = measure == "balance"
    limit = float(values.abs().max()) or 1.0
    figure = go.Figure(layout={"template": TEMPLATE, "height": height, **language_layout(lang)})
    scale = (
        f"$ {unit.suffix.strip() or 'USD'}"
        if lang == "en"
        else f"{unit_suffix(unit, lang).strip()} {currency_sign(lang)}".strip()
    )
    figure.add_trace(
        go.Choropleth(
            locationmode="ISO-3",
            locations=rows["partner"].astype(str),
            z=values,
            text=rows["name"],
            colorscale=DIVERGING if diverging else SEQUENTIAL,
            zmin=-limit if diverging else 0,
            zmax=limit,
            marker={"line": {"color": "#9AA5B1", "width": 0.4}},
            colorbar={
                "title": {"text": f"{measure_label}, {scale}"},
                "thickness": 12,
                "outlinecolor": COLORBAR_FRAME,
                "outlinewidth": 1,
                "orientation": "h",
                "y": -0.05,
                "yanchor": "top",
                "len": 0.6,
            },
            customdata=[
                [money(v, lang), percent(s, lang)]
                for v, s in zip(rows[measure], rows.get("share", [None] * len(rows)), strict=True)
            ],
            hovertemplate=f"<b>%{{text}}</b><br>{measure_label}: %{{customdata[0]}}"
            + ("" if diverging else "<br>" + t(lang, "Share") + ": %{customdata[1]}")
            + "<extra></extra>",
            name=measure_label,
        )
    )
    # The grey world behind the partners comes from the same topojson (land and borders), so no outline
    # is sent twice. Coastlines, oceans and the frame stay off: the map reads as before, on white.
    figure.update_geos(
        # The whole world, whichever partners have figures (plotly.js 4 fits the partners by default).
        fitbounds=False,
        projection_type="natural earth",
        showland=True,
        landcolor=LAND,
        showcountries=True,
        countrycolor=BORDER,
        countrywidth=0.4,
        showcoastlines=False,
        showocean=False,
        showlakes=False,
        showframe=False,
        bgcolor="rgba(0,0,0,0)",
    )
    figure.update_layout(margin={"l": 0, "r": 0, "t": 8, "b": 8}, meta={"unit": unit.suffix.strip() or "USD"})
    return figure
