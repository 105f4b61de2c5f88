"""Exports, imports, turnover and balance of one reporter with one partner over the years."""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd

from dashboard.figures.theme import (
    DEFICIT,
    EXPORTS,
    IMPORTS,
    SURPLUS,
    TURNOVER,
    figure_spec,
    language_layout,
    money_axis,
    no_data_spec,
    selected_period_marker,
    unit_for,
)
from dashboard.format import money, origin_text
from dashboard.i18n import label, t

REQUIRED_COLUMNS = (
    "year",
    "exports",
    "imports",
    "turnover",
    "balance",
    "partial",
    "exports_estimated",
    "imports_estimated",
)


def _cell(origin: object, lang: str) -> str:
    """Where a figure was read, for the hover text: `DOTS_13.xlsx!'Exports, FOB'!AD22` -> a readable line."""
    if not isinstance(origin, str) or not origin:
        return ""
    where = t(lang, "from {cell}", cell=html.escape(origin_text(origin)))
    return f"<br><span style='font-size:11px;color:#616E7C'>{where}</span>"


def _note(estimated: bool, lang: str, extra: str = "") -> str:
    parts = [p for p in (t(lang, "estimated") if estimated else "", extra) if p]
    return f" ({'; '.join(parts)})" if parts else ""


def bilateral_trend_spec(
    frame: pd.DataFrame,
    *,
    reporter_name: str,
    partner_name: str,
    year: int | None = None,
    height: int = 420,
    lang: str = "en",
) -> dict[str, Any]:
    """A line chart of exports, imports and turnover with the balance as bars, one point per year.

    `frame`: one row per year (int) with exports, imports, turnover, balance in US dollars (NaN where not
    reported), `partial` (bool: one flow not reported) and exports_estimated / imports_estimated (bool: a
    value the source estimated; drawn as an open marker and named in the hover text), as in a period table
    of the query package; optional
    exports_origin / imports_origin (file!sheet!cell) are shown in the hover text. Years missing
    from the frame leave a gap. `year` is shaded as the selected year. An empty frame gives a "No data"
    figure. `lang`: the language of the words and numbers. A plain figure dict (`figure_spec`): the page's
    callback answers it as it is (bench P2b: the go.Figure and its copy on the way out cost ~4 ms a partner).
    """
    if frame.empty:
        return no_data_spec(
            t(lang, "No annual trade reported by {reporter} with {partner}", reporter=reporter_name,
              partner=partner_name),
            height=height,
        )  # fmt: skip
    # Plain arrays, one slot per year from the first to the last (a missing year stays NaN, a gap in the
    # lines): the frame's columns are read once each. With pandas (reindex, a scaled copy, Series
    # comparisons) this figure was ~2 ms of a new partner's ~7 ms answer (bench P2b).
    first = int(frame["year"].min())
    years = list(range(first, int(frame["year"].max()) + 1))
    at = frame["year"].to_numpy(dtype="int64") - first

    def amounts(column: str) -> np.ndarray:
        values = np.full(len(years), np.nan)
        values[at] = frame[column].to_numpy(dtype="float64", na_value=np.nan)
        return values

    def flags(column: str) -> np.ndarray:
        values = np.zeros(len(years), dtype=bool)
        values[at] = frame[column].eq(True).to_numpy(dtype=bool, na_value=False)
        return values

    def origins(column: str) -> list[object]:
        values: list[object] = [None] * len(years)
        if column in frame.columns:
            for i, origin in zip(at.tolist(), frame[column].tolist(), strict=True):
                values[i] = origin
        return values

    amount = {m: amounts(m) for m in ("exports", "imports", "turnover", "balance")}
    unit = unit_for(np.concatenate(list(amount.values())).tolist())
    exports_estimated = flags("exports_estimated")
    imports_estimated = flags("imports_estimated")
    balance = amount["balance"].tolist()

    traces: list[dict[str, object]] = [
        {
            "type": "bar",
            "x": years,
            "y": amount["balance"] / unit.divisor,
            "name": label(lang, "balance"),
            "legendgroup": "balance",  # the measure's key: the name is in the page's language
            "marker": {
                "color": [DEFICIT if v < 0 else SURPLUS for v in balance],  # NaN < 0 is False: a gap, not red
                "opacity": 0.4,
            },
            "width": 0.55,
            "customdata": [[money(v, lang)] for v in balance],
            "hovertemplate": label(lang, "balance") + ": %{customdata[0]}<extra></extra>",
        }
    ]
    for column, name, colour, estimated in (
        ("exports", label(lang, "exports"), EXPORTS, exports_estimated),
        ("imports", label(lang, "imports"), IMPORTS, imports_estimated),
    ):
        traces.append(
            {
                "type": "scatter",
                "x": years,
                "y": amount[column] / unit.divisor,
                "name": name,
                "legendgroup": column,
                "mode": "lines+markers",
                "line": {"color": colour, "width": 2.5},
                "marker": {
                    "color": colour,
                    "size": 7,
                    "symbol": ["circle-open" if e else "circle" for e in estimated.tolist()],
                    "line": {"width": 2, "color": colour},
                },
                "customdata": [
                    [money(v, lang), _note(e, lang), _cell(o, lang)]
                    for v, e, o in zip(
                        amount[column].tolist(), estimated.tolist(), origins(f"{column}_origin"), strict=True
                    )
                ],
                "hovertemplate": f"{name}: %{{customdata[0]}}%{{customdata[1]}}%{{customdata[2]}}<extra></extra>",
            }
        )
    partial_note = [
        (t(lang, "exports only") if i != i else t(lang, "imports only")) if p else ""  # i != i: NaN
        for p, i in zip(flags("partial").tolist(), amount["imports"].tolist(), strict=True)
    ]
    turnover_estimated = (exports_estimated | imports_estimated).tolist()
    traces.append(
        {
            "type": "scatter",
            "x": years,
            "y": amount["turnover"] / unit.divisor,
            "name": label(lang, "turnover"),
            "legendgroup": "turnover",
            "mode": "lines+markers",
            "line": {"color": TURNOVER, "width": 3},
            "marker": {
                "color": TURNOVER,
                "size": 7,
                "symbol": ["circle-open" if e else "circle" for e in turnover_estimated],
            },
            "customdata": [
                [money(v, lang), _note(e, lang, p)]
                for v, e, p in zip(amount["turnover"].tolist(), turnover_estimated, partial_note, strict=True)
            ],
            "hovertemplate": label(lang, "turnover") + ": %{customdata[0]}%{customdata[1]}<extra></extra>",
        }
    )
    marker = selected_period_marker("band", {str(y): y for y in years}, None if year is None else str(year))
    return figure_spec(
        traces,
        {
            "height": height,
            "shapes": marker["shapes"],
            "hovermode": "x unified",
            "barmode": "overlay",
            "yaxis": money_axis(unit, lang),
            "xaxis": {
                "tickformat": "d",
                "range": [years[0] - 0.6, years[-1] + 0.6],
                # Whole years only: with few years plotly would put ticks between them.
                **({"tick0": years[0], "dtick": 1} if len(years) <= 15 else {}),
            },
            "meta": {"unit": unit.suffix.strip() or "USD", "selection": marker["selection"]},
            **language_layout(lang),
        },
    )
