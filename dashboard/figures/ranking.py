"""A reporter's partners ranked by one measure in one year, the selected partner highlighted."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.theme import HIGHLIGHT, MUTED, TEMPLATE, money_axis, no_data_figure, unit_for
from dashboard.format import money, percent

REQUIRED_COLUMNS = ("partner", "name", "rank", "value", "share", "estimated", "partial")
BAR_HEIGHT = 26


def partner_ranking_bars(
    frame: pd.DataFrame,
    *,
    highlight: str | None = None,
    measure_label: str = "Turnover",
    empty_message: str = "No partners with data for this year",
) -> go.Figure:
    """Horizontal bars, rank 1 at the top, each labelled with its value and share.

    `frame`: one row per partner, ordered by rank: partner (code), name, rank (int), value (US dollars of
    the measure), share (ratio 0..1 of the reporter's total, NaN when unknown), estimated and partial
    (bool). The bar whose `partner` equals `highlight` is drawn in the highlight colour. An empty frame
    gives a "No data" figure.
    """
    if frame.empty:
        return no_data_figure(empty_message)
    unit = unit_for(frame["value"].dropna())
    labels = [f"{int(rank)}. {name}" for rank, name in zip(frame["rank"], frame["name"], strict=True)]
    selected = [str(code) == highlight for code in frame["partner"]]
    notes = [
        "; ".join(n for n in ("estimated" if e else "", "one flow not reported" if p else "") if n)
        for e, p in zip(frame["estimated"], frame["partial"], strict=True)
    ]
    texts = [f"{money(v)} · {percent(s)}" for v, s in zip(frame["value"], frame["share"], strict=True)]
    maximum = float(frame["value"].max()) / unit.divisor
    figure = go.Figure(
        go.Bar(
            x=frame["value"] / unit.divisor,
            y=labels,
            orientation="h",
            marker={"color": [HIGHLIGHT if s else MUTED for s in selected]},
            text=texts,
            textposition="outside",
            cliponaxis=False,
            customdata=[
                [name, money(v), percent(s), f" ({n})" if n else ""]
                for name, v, s, n in zip(frame["name"], frame["value"], frame["share"], notes, strict=True)
            ],
            hovertemplate=(
                f"<b>%{{customdata[0]}}</b><br>{measure_label}: %{{customdata[1]}}%{{customdata[3]}}"
                "<br>Share: %{customdata[2]}<extra></extra>"
            ),
            name=measure_label,
        ),
        layout={"template": TEMPLATE},
    )
    figure.update_layout(
        height=max(150, 70 + BAR_HEIGHT * len(frame)),
        showlegend=False,
        bargap=0.25,
        xaxis={**money_axis(unit), "range": [0, maximum * 1.32 if maximum > 0 else 1], "showgrid": True},
        yaxis={"autorange": "reversed", "gridcolor": "rgba(0,0,0,0)", "ticks": ""},
        meta={"unit": unit.suffix.strip() or "USD"},
    )
    return figure
