"""A reporter's partners ranked by one measure in one year, the selected partner highlighted."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dashboard.figures.theme import (
    HIGHLIGHT,
    MUTED,
    figure_spec,
    language_layout,
    money_axis,
    no_data_spec,
    unit_for,
)
from dashboard.format import money, percent
from dashboard.i18n import t

REQUIRED_COLUMNS = ("partner", "name", "rank", "value", "share", "estimated", "partial")
BAR_HEIGHT = 26


def partner_ranking_spec(
    frame: pd.DataFrame,
    *,
    highlight: str | None = None,
    measure_label: str = "Turnover",
    empty_message: str | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """Horizontal bars, rank 1 at the top, each labelled with its value and share, as a plain figure dict
    (`theme.figure_spec`): the ranking callback answers it as it is; the exports wrap it in a go.Figure.

    `frame`: one row per partner, ordered by rank: partner (code), name, rank (int), value (US dollars of
    the measure), share (ratio 0..1 of the reporter's total, NaN when unknown), estimated and partial
    (bool). The bar whose `partner` equals `highlight` is drawn in the highlight colour. An empty frame
    gives a "No data" figure. Not validated: tests/dashboard/test_figures.py runs plotly's validator on it.
    """
    if frame.empty:
        return no_data_spec(empty_message or t(lang, "No partners with data for this year"))
    # Each column read once, as a list (a pandas column read or operation costs ~15 µs: bench P1).
    values = frame["value"].to_numpy("float64", na_value=np.nan).tolist()
    unit = unit_for(values)
    labels = [f"{int(rank)}. {name}" for rank, name in zip(frame["rank"], frame["name"], strict=True)]
    selected = [str(code) == highlight for code in frame["partner"]]
    notes = [
        "; ".join(
            n for n in (t(lang, "estimated") if e else "", t(lang, "one flow not reported") if p else "") if n
        )
        for e, p in zip(frame["estimated"], frame["partial"], strict=True)
    ]
    shares = frame["share"].to_numpy("float64", na_value=np.nan).tolist()
    texts = [f"{money(v, lang)} · {percent(s, lang)}" for v, s in zip(values, shares, strict=True)]
    drawn = [v for v in values if v == v]  # v != v only for NaN
    maximum = (max(drawn) if drawn else float("nan")) / unit.divisor
    # Payload (bench P6: a 200-partner ranking must weigh at most half of plotly.express's JSON): the hover
    # reuses the bar's label (%{y}) and text (%{text}) instead of repeating name, money and share per bar in
    # customdata; colours are 0/1 on a two-colour scale instead of a colour string per bar; bar lengths keep
    # 4 decimals of the axis unit (below the axis's 3), the exact figure is in the text.
    bars: dict[str, object] = {
        "type": "bar",
        "x": [round(v / unit.divisor, 4) for v in values],  # a list: plain numbers, not base64
        "y": labels,
        "orientation": "h",
        "marker": {
            "color": [1 if s else 0 for s in selected],
            "colorscale": [[0, MUTED], [1, HIGHLIGHT]],
            "cmin": 0,
            "cmax": 1,
        },
        "text": texts,
        # Inside the bar where it fits (the longest bars), outside after the others: a fixed headroom after the
        # longest bar cut its label ("4,57 Mld USD · 18,7%") in a half-width card or on a phone.
        "textposition": "auto",
        "insidetextanchor": "end",
        "cliponaxis": False,
        "customdata": [f" ({n})" if n else "" for n in notes],
        "hovertemplate": (
            f"<b>%{{y}}</b><br>{measure_label} · {t(lang, 'share')}: %{{text}}%{{customdata}}<extra></extra>"
        ),
        "name": measure_label,
    }
    return figure_spec(
        [bars],
        {
            "height": max(150, 70 + BAR_HEIGHT * len(frame)),
            "showlegend": False,
            "bargap": 0.25,
            "xaxis": {
                **money_axis(unit, lang),
                "range": [0, maximum * 1.04 if maximum > 0 else 1],
                "showgrid": True,
            },
            "yaxis": {"autorange": "reversed", "gridcolor": "rgba(0,0,0,0)", "ticks": ""},
            "meta": {"unit": unit.suffix.strip() or "USD"},
            **language_layout(lang),
        },
    )
