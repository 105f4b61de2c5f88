"""A partner's rank over time, one panel each for turnover, exports and imports."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.periods import period_dates, time_axis
from dashboard.figures.theme import OKABE_ITO, assembled, language_layout, no_data_figure
from dashboard.format import percent
from dashboard.i18n import label, t

PANELS = ("turnover", "exports", "imports")
SPACING = 0.04  # between the panels, a share of the width


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
    # Plain dicts assembled without validation (`theme.assembled`), in the layout `make_subplots` gave (three
    # columns, shared rank axis): make_subplots and validated Scatter traces cost ~20 ms a figure (bench P1;
    # tests/dashboard/test_figures.py runs plotly's validator on it instead).
    width = (1 - SPACING * (len(PANELS) - 1)) / len(PANELS)
    domains = [(i * (width + SPACING), i * (width + SPACING) + width) for i in range(len(PANELS))]
    domains[-1] = (domains[-1][0], 1.0)
    worst = int(frame["rank"].max())
    # Whole ranks only, 1 at the top.
    rank_axis: dict[str, object] = {"range": [worst + 0.5, 0.5], "tick0": 1, "tickformat": "d"}
    if worst <= 12:
        rank_axis["dtick"] = 1
    layout: dict[str, object] = {"height": height, **language_layout(lang)}
    x_axis = time_axis(frame)
    for column, (start, end) in enumerate(domains, start=1):
        suffix = "" if column == 1 else str(column)
        layout[f"xaxis{suffix}"] = {"anchor": f"y{suffix}", "domain": [start, end], **x_axis}
        y_axis = {"anchor": f"x{suffix}", "domain": [0.0, 1.0], **rank_axis}
        layout[f"yaxis{suffix}"] = (
            {**y_axis, "title": {"text": t(lang, "Rank")}}
            if column == 1
            else {**y_axis, "matches": "y", "showticklabels": False}
        )
    layout["annotations"] = [
        {"font": {"size": 16}, "showarrow": False, "text": label(lang, measure), "x": (start + end) / 2,
         "xanchor": "center", "xref": "paper", "y": 1.0, "yanchor": "bottom", "yref": "paper"}
        for measure, (start, end) in zip(PANELS, domains, strict=True)
    ]  # fmt: skip
    # Each (partner, measure)'s rows, in one pass over plain columns instead of a boolean mask per trace.
    rows_of: dict[tuple[object, object], list[int]] = {}
    for i, key in enumerate(zip(frame["partner"], frame["measure"], strict=True)):
        rows_of.setdefault(key, []).append(i)
    dates = period_dates(frame)
    ranks = [None if pd.isna(r) else int(r) for r in frame["rank"]]
    names, labels = [str(n) for n in frame["name"]], list(frame["label"])
    counts, shares = list(frame["partners_ranked"]), list(frame["share"])
    of, share = t(lang, "of"), t(lang, "share")
    traces: list[dict[str, object]] = []
    for column, measure in enumerate(PANELS, start=1):
        suffix = "" if column == 1 else str(column)
        for index, partner in enumerate(dict.fromkeys(frame["partner"])):
            rows = rows_of.get((partner, measure))
            if not rows:
                continue
            colour = OKABE_ITO[index % len(OKABE_ITO)]
            name = names[rows[0]]
            traces.append(
                {
                    "type": "scatter",
                    "x": [dates[i] for i in rows],
                    "y": [ranks[i] for i in rows],
                    "name": name,
                    "legendgroup": str(partner),
                    "showlegend": column == 1,
                    "mode": "lines+markers",
                    "line": {"color": colour, "width": 2},
                    "marker": {"color": colour, "size": 6},
                    "customdata": [
                        [
                            labels[i],
                            "—" if ranks[i] is None else f"#{ranks[i]}",
                            counts[i],
                            percent(shares[i], lang),
                        ]
                        for i in rows
                    ],
                    "hovertemplate": (
                        f"{name} · %{{customdata[0]}}: %{{customdata[1]}} {of} %{{customdata[2]}}"
                        f" · {share} %{{customdata[3]}}<extra></extra>"
                    ),
                    "xaxis": f"x{suffix}",
                    "yaxis": f"y{suffix}",
                }
            )
    return assembled(traces, layout)
