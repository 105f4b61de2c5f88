"""Charts over periods of any frequency (annual, monthly, January–month cumulative)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.theme import (
    DEFICIT,
    EXPORTS,
    IMPORTS,
    OKABE_ITO,
    SURPLUS,
    TEMPLATE,
    TURNOVER,
    language_layout,
    money_axis,
    no_data_figure,
    no_data_spec,
    selected_period_marker,
    unit_for,
)
from dashboard.format import money
from dashboard.i18n import N_, label, t

_DAY_MS = 86_400_000
ALL_FLOWS = ("exports", "imports", "turnover", "balance")


def period_dates(frame: pd.DataFrame) -> list[date]:
    """The first day of each row's last month (year, month columns): where a period sits on a time axis."""
    return [date(int(y), int(m), 1) for y, m in zip(frame["year"], frame["month"], strict=True)]


def time_axis(frame: pd.DataFrame) -> dict[str, object]:
    """The x axis of a chart of periods (period, year, month columns): whole years labelled once each for
    annual periods (plotly's own ticks put two on each year of a short span: "2017 2017 2018"), and months
    one by one or by quarter on short monthly spans; long spans keep plotly's ticks."""
    if frame.empty:
        return {"type": "date"}
    # A year's key is `2019`, a month's `2020-07`; a frame without keys is annual when every row is December.
    annual = (
        all(len(str(p)) == 4 for p in frame["period"])
        if "period" in frame.columns
        else bool((frame["month"] == 12).all())
    )
    first = (int(frame["year"].min()), int(frame.loc[frame["year"] == frame["year"].min(), "month"].min()))
    last = (int(frame["year"].max()), int(frame.loc[frame["year"] == frame["year"].max(), "month"].max()))
    if annual:
        axis: dict[str, object] = {"type": "date", "tickformat": "%Y"}
        if last[0] - first[0] <= 15:
            axis.update(tick0=f"{first[0]}-12-01", dtick="M12")
        return axis
    months = (last[0] - first[0]) * 12 + last[1] - first[1]
    axis = {"type": "date", "tickformat": "%b %Y"}
    if months <= 18:
        axis.update(tick0=f"{first[0]}-{first[1]:02d}-01", dtick="M1")
    elif months <= 48:
        axis.update(tick0=f"{first[0]}-{first[1]:02d}-01", dtick="M3")
    return axis


def _note(lang: str, estimated: object, derived: object, partial: object = False) -> str:
    parts = [
        t(lang, word)
        for word, flag in (
            (N_("estimated"), estimated),
            (N_("derived"), derived),
            (N_("one flow only"), partial),
        )
        if flag is True
    ]
    return f" ({'; '.join(parts)})" if parts else ""


def no_period_trade_spec(
    reporter_name: str, partner_name: str, *, height: int = 420, lang: str = "en"
) -> dict[str, Any]:
    """The trend's empty state over periods: no trade reported by the reporter with the partner."""
    return no_data_spec(
        t(lang, "No trade reported by {reporter} with {partner} in these periods", reporter=reporter_name,
          partner=partner_name),
        height=height,
    )  # fmt: skip


def period_trend(
    frame: pd.DataFrame,
    *,
    reporter_name: str,
    partner_name: str,
    flows: Sequence[str] = ALL_FLOWS,
    selected: str | None = None,
    height: int = 420,
    lang: str = "en",
) -> go.Figure:
    """Exports, imports and turnover as lines and the balance as bars, one point per period.

    `frame`: one row per period, ordered, with year, month (last month of the period), label (`Jan–Jul
    2020`), period (key), exports, imports, turnover, balance (US dollars, NaN where not known), estimated,
    derived, partial (bool). `flows`: which of exports, imports, turnover, balance are drawn (the others
    are in the legend, hidden). `selected`: the period key to mark. Empty frame: a "No data" figure.
    Derived values (computed from other periods) are drawn with open diamond markers.
    """
    if frame.empty:
        spec = no_period_trade_spec(reporter_name, partner_name, height=height, lang=lang)
        return go.Figure(spec, _validate=False)
    x = period_dates(frame)
    unit = unit_for(pd.concat([frame[c] for c in ALL_FLOWS]).dropna())
    # "one flow only" concerns the turnover, not the flow that is reported.
    notes = [_note(lang, e, d) for e, d in zip(frame["estimated"], frame["derived"], strict=True)]
    turnover_notes = [
        _note(lang, e, d, p)
        for e, d, p in zip(frame["estimated"], frame["derived"], frame["partial"], strict=True)
    ]
    symbols = ["diamond-open" if d else "circle" for d in frame["derived"].eq(True)]
    figure = go.Figure(layout={"template": TEMPLATE, "height": height})
    figure.add_trace(
        go.Bar(
            x=x,
            y=frame["balance"] / unit.divisor,
            name=label(lang, "balance"),
            marker={
                "color": [SURPLUS if v >= 0 else DEFICIT for v in frame["balance"].fillna(0)],
                "opacity": 0.4,
            },
            customdata=[
                [when, money(v, lang)] for when, v in zip(frame["label"], frame["balance"], strict=True)
            ],
            hovertemplate="%{customdata[0]} · "
            + label(lang, "balance")
            + ": %{customdata[1]}<extra></extra>",
            visible=True if "balance" in flows else "legendonly",
            width=_DAY_MS * 18,  # on a date axis a bar's width is in milliseconds
        )
    )
    for column, colour in (("exports", EXPORTS), ("imports", IMPORTS), ("turnover", TURNOVER)):
        figure.add_trace(
            go.Scatter(
                x=x,
                y=frame[column] / unit.divisor,
                name=label(lang, column),
                mode="lines+markers",
                line={"color": colour, "width": 3 if column == "turnover" else 2.5},
                marker={"color": colour, "size": 8, "symbol": symbols, "line": {"width": 2, "color": colour}},
                customdata=[
                    [when, money(v, lang), n]
                    for when, v, n in zip(
                        frame["label"],
                        frame[column],
                        turnover_notes if column == "turnover" else notes,
                        strict=True,
                    )
                ],
                hovertemplate=(
                    f"%{{customdata[0]}} · {label(lang, column)}: %{{customdata[1]}}%{{customdata[2]}}<extra></extra>"
                ),
                visible=True if column in flows else "legendonly",
            )
        )
    marker = selected_period_marker(
        "line", {str(p): d.isoformat() for p, d in zip(frame["period"], x, strict=True)}, selected
    )
    figure.update_layout(
        hovermode="closest",
        barmode="overlay",
        yaxis=money_axis(unit, lang),
        xaxis=time_axis(frame),
        shapes=marker["shapes"],
        meta={"unit": unit.suffix.strip() or "USD", "selection": marker["selection"]},
        **language_layout(lang),
    )
    return figure


def partners_over_periods(
    frame: pd.DataFrame,
    *,
    measure: str = "turnover",
    highlight: str | None = None,
    height: int = 420,
    empty_message: str | None = None,
    lang: str = "en",
) -> go.Figure:
    """One line per partner of `measure` over the periods, in the frame's partner order.

    `frame`: long, one row per (partner, period): partner, name, year, month, label, the measure column
    (US dollars), estimated, derived, partial. Colours follow the partner order (Okabe–Ito). Empty frame:
    a "No data" figure.
    """
    if frame.empty:
        return no_data_figure(empty_message or t(lang, "Choose partners to compare"), height=height)
    unit = unit_for(frame[measure].dropna())
    figure = go.Figure(layout={"template": TEMPLATE, "height": height})
    for index, partner in enumerate(dict.fromkeys(frame["partner"])):
        rows = frame[frame["partner"] == partner]
        colour = OKABE_ITO[index % len(OKABE_ITO)]
        chosen = partner == highlight
        name = str(rows["name"].iloc[0])
        notes = [
            _note(lang, e, d, p)
            for e, d, p in zip(rows["estimated"], rows["derived"], rows["partial"], strict=True)
        ]
        figure.add_trace(
            go.Scatter(
                x=period_dates(rows),
                y=rows[measure] / unit.divisor,
                name=name,
                mode="lines+markers",
                line={"color": colour, "width": 4 if chosen else 2},
                marker={
                    "color": colour,
                    "size": 7 if chosen else 5,
                    "symbol": ["diamond-open" if d else "circle" for d in rows["derived"].eq(True)],
                },
                customdata=[
                    [when, money(v, lang), n]
                    for when, v, n in zip(rows["label"], rows[measure], notes, strict=True)
                ],
                hovertemplate=f"{name} · %{{customdata[0]}}: %{{customdata[1]}}%{{customdata[2]}}<extra></extra>",
            )
        )
    figure.update_layout(
        hovermode="closest",
        yaxis=money_axis(unit, lang),
        xaxis=time_axis(frame),
        meta={"unit": unit.suffix.strip() or "USD"},
        **language_layout(lang),
    )
    return figure
