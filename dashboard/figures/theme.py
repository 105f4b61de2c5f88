"""The shared look of every chart: template, colour-blind-safe palette, money axes, the empty state."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable
from typing import Any, Final

import plotly.graph_objects as go

from dashboard.format import MoneyUnit, currency_sign, money_unit, separators, unit_suffix

# Okabe & Ito (2008), distinguishable with the common colour-vision deficiencies. Yellow comes last: it is
# the hardest to read on white.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#000000", "#F0E442")
EXPORTS = "#0072B2"
IMPORTS = "#E69F00"
TURNOVER = "#1F2933"
SURPLUS = "#009E73"
DEFICIT = "#D55E00"
HIGHLIGHT = "#D55E00"
MUTED = "#9FB3C8"
INK = "#1F2933"
GRID = "#E4E7EB"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
NO_DATA = "No data"

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 13, "color": INK},
        colorway=list(OKABE_ITO),
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 8, "r": 16, "t": 16, "b": 8},
        hoverlabel={
            "bgcolor": "white",
            "bordercolor": GRID,
            "font": {"family": FONT, "size": 13, "color": INK},
        },
        # Below the plot: on a phone a legend above or beside the chart would take the plot's width.
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.12, "yanchor": "top", "title": None},
        xaxis={
            "showgrid": False,
            "linecolor": "#9AA5B1",
            "ticks": "outside",
            "tickcolor": "#9AA5B1",
            "automargin": True,
            "title": None,
        },
        yaxis={
            "gridcolor": GRID,
            "zerolinecolor": "#9AA5B1",
            "zerolinewidth": 1,
            "automargin": True,
            "title": None,
        },
        separators=".,",
    )
)


# The template as plain JSON-ready dicts, for figure specs: shared by every spec, so read and never changed.
TEMPLATE_SPEC: Final[dict[str, Any]] = TEMPLATE.to_plotly_json()


def figure_spec(traces: list[dict[str, object]], layout: dict[str, object]) -> dict[str, Any]:
    """A figure as the plain dict dcc.Graph and plotly.js read, with the shared template: what `assembled`
    builds, without the go.Figure. For a callback's answer on the hot path (bench P1: building the ranking's
    go.Figure and writing it out as JSON took ~0.4 ms of a ~2 ms answer); `assembled` for everything else."""
    return {"data": traces, "layout": {"template": TEMPLATE_SPEC, **layout}}


def assembled(traces: list[dict[str, object]], layout: dict[str, object]) -> go.Figure:
    """A figure from plain trace and layout dicts, with the shared template, not validated on the way.

    Why: plotly's property validation costs about ten times the assembly itself (4 ms against 0.4 ms for a
    small chart), and the page rebuilds its figures on every control change (bench P1, P2). The charts that
    use this are checked against plotly's validator in tests/dashboard/test_figures.py instead, so a wrong
    property name still fails, in the tests rather than on every request.
    """
    return go.Figure(figure_spec(traces, layout), _validate=False)


SELECTED_PERIOD = "selected-period"  # the `name` of the shape that marks the chosen period


def selected_period_marker(kind: str, positions: dict[str, object], selected: object) -> dict[str, object]:
    """Layout parts marking the chosen period of a chart over periods: `shapes` (the marker, when `selected`
    is among `positions`) and `meta.selection` (what the page needs to move the marker by itself).

    `kind`: "band" (a shaded year, x ± 0.5 on a numeric year axis) or "line" (a dotted line on a date axis).
    `positions`: period key -> x. Why the meta: changing the period changes nothing else in the chart, so
    the page moves the marker in the browser (dashboard/callbacks/trend.py, MOVE_SELECTION) instead of asking
    the server for the whole figure again (bench P2).
    """
    if kind == "band":
        template: dict[str, object] = {"type": "rect", "xref": "x", "yref": "y domain", "y0": 0, "y1": 1,
                                       "fillcolor": "#1F2933", "opacity": 0.06, "line": {"width": 0},
                                       "layer": "below", "name": SELECTED_PERIOD}  # fmt: skip
    else:
        template = {"type": "line", "xref": "x", "yref": "y domain", "y0": 0, "y1": 1,
                    "line": {"width": 1, "dash": "dot", "color": "#616E7C"}, "name": SELECTED_PERIOD}  # fmt: skip
    shapes = []
    at = positions.get(selected) if isinstance(selected, str) else None
    if at is not None:
        half = 0.5 if kind == "band" else 0
        x0, x1 = (at - half, at + half) if isinstance(at, (int, float)) else (at, at)
        shapes.append({**template, "x0": x0, "x1": x1})
    return {"shapes": shapes, "selection": {"kind": kind, "at": positions, "template": template}}


def unit_for(values: Iterable[float]) -> MoneyUnit:
    """The money unit for a chart whose largest absolute value is among `values` (NaN ignored)."""
    finite = [abs(v) for v in values if v == v]  # v != v only for NaN
    return money_unit(max(finite) if finite else None)


def money_axis(unit: MoneyUnit, lang: str = "en") -> dict[str, object]:
    """Axis settings for values already divided by `unit.divisor`: ticks read `$5 bn`, `−$1.5 bn`; in other
    languages the amount first, as CLDR writes it: `5 Mld USD`, `5 mlrd US$`, `5 млрд $`."""
    if lang == "en":
        return {"tickformat": "$,.3~f" if unit.divisor != 1.0 else "$,.0f", "ticksuffix": unit.suffix}
    digits = ",.3~f" if unit.divisor != 1.0 else ",.0f"
    return {"tickformat": digits, "ticksuffix": f"{unit_suffix(unit, lang)}\u00a0{currency_sign(lang)}"}


def language_layout(lang: str) -> dict[str, object]:
    """Layout keys that make plotly write numbers as the language does (decimal comma, its thousands sign)."""
    return {} if lang == "en" else {"separators": separators(lang)}


def no_data_spec(message: str = NO_DATA, *, height: int = 320, width_chars: int = 60) -> dict[str, Any]:
    """An explicit empty state as a plain figure dict (`figure_spec`): no axes, one centred message wrapped to
    lines of `width_chars`. A partner without trade is as common a click as any (bench P2b): building and
    validating its go.Figure cost ~6 ms, this ~20 µs."""
    # Annotations do not wrap by themselves; plotly's text accepts <br>, so the message is escaped first.
    lines = textwrap.wrap(html.escape(message, quote=False), width_chars) or [""]
    annotation = {"text": "<br>".join(lines), "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper",
                  "showarrow": False, "font": {"size": 15, "color": "#616E7C"}}  # fmt: skip
    return figure_spec(
        [],
        {"height": height, "annotations": [annotation], "xaxis": {"visible": False},
         "yaxis": {"visible": False}, "meta": {"empty": True}},
    )  # fmt: skip


def no_data_figure(message: str = NO_DATA, *, height: int = 320, width_chars: int = 60) -> go.Figure:
    """`no_data_spec` as a go.Figure (not validated: tests/dashboard/test_figures.py checks it)."""
    return go.Figure(no_data_spec(message, height=height, width_chars=width_chars), _validate=False)
