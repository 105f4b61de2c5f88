"""A partner's rank over time, one panel each for turnover, exports and imports."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.periods import period_dates, time_axis
from dashboard.figures.theme import OKABE_ITO, TEMPLATE, language_layout, no_data_figure
from dashboard.format import percent
from dashboard.i18n import label, t

PANELS = ("turnover", "exports", "imports")


def rank_history_figure(frame: pd.DataFrame, *, height: int = 380, lang: str = "en") -> go.Figure:
    """Rank (1 at the top) of each partner per period, three panels side by side.

    `frame`: long, from `rank_history`: partner, name, year, month, label, measure, rank (Int64, missing
    where not ranked: a gap, not a last place), share, partners_ranked. Empty frame or no rank at all: a
    "No data" figure explaining that ranks need the reporter's World total.
    """
    if frame.empty or frame["rank"].notna().sum() == 0:
        return no_data_figure(
            t(lang, "No ranks: the reporter gives no World total for these periods"), height=height
        )
    figure = make_subplots(rows=1, cols=3, shared_yaxes=True, subplot_titles=[label(lang, m) for m in PANELS],
                           horizontal_spacing=0.04)  # fmt: skip
    figure.update_layout(template=TEMPLATE, height=height, **language_layout(lang))
    of, share = t(lang, "of"), t(lang, "share")
    for column, measure in enumerate(PANELS, start=1):
        for index, partner in enumerate(dict.fromkeys(frame["partner"])):
            rows = frame[(frame["partner"] == partner) & (frame["measure"] == measure)]
            if rows.empty:
                continue
            colour = OKABE_ITO[index % len(OKABE_ITO)]
            ranks = [None if pd.isna(r) else int(r) for r in rows["rank"]]
            figure.add_trace(
                go.Scatter(
                    x=period_dates(rows),
                    y=ranks,
                    name=str(rows["name"].iloc[0]),
                    legendgroup=str(partner),
                    showlegend=column == 1,
                    mode="lines+markers",
                    line={"color": colour, "width": 2},
                    marker={"color": colour, "size": 6},
                    customdata=[
                        [when, "—" if r is None else f"#{r}", n, percent(s, lang)]
                        for when, r, n, s in zip(
                            rows["label"], ranks, rows["partners_ranked"], rows["share"], strict=True
                        )
                    ],
                    hovertemplate=(
                        f"{rows['name'].iloc[0]} · %{{customdata[0]}}: %{{customdata[1]}} {of} %{{customdata[2]}}"
                        f" · {share} %{{customdata[3]}}<extra></extra>"
                    ),
                ),
                row=1,
                col=column,
            )
    worst = int(frame["rank"].max())
    # Whole ranks only, 1 at the top.
    figure.update_yaxes(
        range=[worst + 0.5, 0.5], tick0=1, dtick=1 if worst <= 12 else None, tickformat="d", title=None
    )
    figure.update_yaxes(title=t(lang, "Rank"), row=1, col=1)
    figure.update_xaxes(**time_axis(frame))
    return figure
