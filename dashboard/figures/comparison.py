"""Turnover of a reporter with several partners over the years, one line per partner."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.theme import OKABE_ITO, TEMPLATE, money_axis, no_data_figure, unit_for
from dashboard.format import money

REQUIRED_COLUMNS = ("year", "partner", "name", "turnover", "estimated", "partial")


def partners_comparison(
    frame: pd.DataFrame,
    *,
    highlight: str | None = None,
    height: int = 420,
    empty_message: str = "Choose partners to compare",
) -> go.Figure:
    """One line of annual turnover per partner, in the frame's partner order; `highlight` drawn thicker.

    `frame`: long format, one row per (partner, year): year (int), partner (code; categorical order is
    kept), name, turnover (US dollars), estimated and partial (bool). Missing years leave gaps. Colours
    follow the partner order. An empty frame gives a "No data" figure.
    """
    if frame.empty:
        return no_data_figure(empty_message, height=height)
    unit = unit_for(frame["turnover"].dropna())
    years = list(range(int(frame["year"].min()), int(frame["year"].max()) + 1))
    partners = (
        [p for p in frame["partner"].cat.categories if p in set(frame["partner"])]
        if isinstance(frame["partner"].dtype, pd.CategoricalDtype)
        else list(dict.fromkeys(frame["partner"]))
    )
    figure = go.Figure(layout={"template": TEMPLATE, "height": height})
    for index, partner in enumerate(partners):
        rows = frame[frame["partner"] == partner].set_index("year").reindex(years)
        name = str(rows["name"].dropna().iloc[0])
        colour = OKABE_ITO[index % len(OKABE_ITO)]
        chosen = partner == highlight
        estimated = rows["estimated"].eq(True)
        partial = rows["partial"].eq(True)
        notes = [
            "; ".join(n for n in ("estimated" if e else "", "one flow only" if p else "") if n)
            for e, p in zip(estimated, partial, strict=True)
        ]
        figure.add_trace(
            go.Scatter(
                x=years,
                y=rows["turnover"] / unit.divisor,
                name=name,
                mode="lines+markers",
                line={"color": colour, "width": 4 if chosen else 2},
                marker={
                    "color": colour,
                    "size": 7 if chosen else 5,
                    "symbol": ["circle-open" if e else "circle" for e in estimated],
                },
                opacity=1.0 if chosen or highlight is None else 0.85,
                customdata=[
                    [money(v), f" ({n})" if n else ""] for v, n in zip(rows["turnover"], notes, strict=True)
                ],
                hovertemplate=f"{name}: %{{customdata[0]}}%{{customdata[1]}}<extra></extra>",
            )
        )
    figure.update_layout(
        hovermode="x unified",
        yaxis=money_axis(unit),
        # Whole years only: on a short span plotly's own ticks fall on half-years ("2017 2017 2018").
        xaxis={
            "tickformat": "d",
            "range": [years[0] - 0.6, years[-1] + 0.6],
            **({"tick0": years[0], "dtick": 1} if years[-1] - years[0] <= 15 else {}),
        },
        meta={"unit": unit.suffix.strip() or "USD"},
    )
    return figure
