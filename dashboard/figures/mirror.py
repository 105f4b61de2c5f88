"""Mirror chart: each flow as the reporter reports it beside the partner's report, the gap and the CIF/FOB band."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.theme import (
    EXPORTS,
    HIGHLIGHT,
    IMPORTS,
    MUTED,
    TEMPLATE,
    language_layout,
    money_axis,
    no_data_figure,
    unit_for,
)
from dashboard.format import money, signed_percent
from dashboard.i18n import N_, t
from dashboard.queries.model import CifFobBand

BAND_FILL = "rgba(0, 158, 115, 0.16)"
REQUIRED_COLUMNS = (
    "year",
    "direction",
    "reporter_value",
    "partner_value",
    "fob_usd",
    "gap_usd",
    "gap_pct",
    "beyond_band",
)


def _margin(ratio: float) -> str:
    return f"{(ratio - 1) * 100:+.0f}%"


def mirror_figure(
    table: pd.DataFrame,
    *,
    reporter_name: str,
    partner_name: str,
    band: CifFobBand,
    year: int | None = None,
    height: int = 620,
    lang: str = "en",
) -> go.Figure:
    """Two panels, the reporter's exports (top) and imports (bottom) with the partner, one point per year.

    In each panel: the reporter's figure (solid line), the partner's mirror figure (dashed line), the band in
    which the CIF figure is expected given the FOB figure (FOB × band.low .. FOB × band.high, shaded) and the
    gap CIF − FOB as bars (highlighted where the ratio is outside the band).
    `table`: the frame of `dashboard.queries.mirror.mirror_pair` for one pair, annual (REQUIRED_COLUMNS; values in US
    dollars, NaN where a side is not reported). `year` is shaded. An empty table gives a "no data" figure.
    """
    if table.empty:
        return no_data_figure(
            t(lang, "Neither {reporter} nor {partner} reports trade between them", reporter=reporter_name,
              partner=partner_name),
            height=height,
        )  # fmt: skip
    years = list(range(int(table["year"].min()), int(table["year"].max()) + 1))
    unit = unit_for(pd.concat([table["reporter_value"], table["partner_value"], table["gap_usd"]]).dropna())
    figure = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12,
        subplot_titles=(
            html.escape(t(lang, "{reporter}'s exports to {partner}: FOB as reported vs CIF as mirrored",
                          reporter=reporter_name, partner=partner_name)),
            html.escape(t(lang, "{reporter}'s imports from {partner}: CIF as reported vs FOB as mirrored",
                          reporter=reporter_name, partner=partner_name)),
        ),
    )  # fmt: skip
    figure.update_layout(template=TEMPLATE, height=height, **language_layout(lang))
    exports_fob, imports_cif = t(lang, "exports (FOB)"), t(lang, "imports (CIF)")
    panels = (
        ("exports", exports_fob, imports_cif),
        ("imports", imports_cif, exports_fob),
    )
    for row_number, (direction, own_label, mirror_label) in enumerate(panels, start=1):
        rows = table[table["direction"] == direction].drop_duplicates("year").set_index("year").reindex(years)
        first = row_number == 1
        fob = rows["fob_usd"].astype("float64")
        # The band: an invisible lower edge, then the upper edge filled down to it.
        for ratio, fill in ((band.low, None), (band.high, "tonexty")):
            figure.add_trace(
                go.Scatter(
                    x=years,
                    y=fob * ratio / unit.divisor,
                    mode="lines",
                    line={"width": 0},
                    fill=fill,
                    fillcolor=BAND_FILL if fill else None,
                    name=(
                        t(
                            lang,
                            "Expected CIF range (FOB {low} to {high})",
                            low=_margin(band.low),
                            high=_margin(band.high),
                        )
                        if fill
                        else "band-low"
                    ),
                    legendgroup="band",
                    showlegend=first and fill is not None,
                    hoverinfo="skip",
                ),
                row=row_number,
                col=1,
            )
        beyond = rows["beyond_band"].astype("boolean").fillna(False).astype(bool)
        figure.add_trace(
            go.Bar(
                x=years,
                y=rows["gap_usd"] / unit.divisor,
                name=t(lang, "Gap, CIF − FOB"),
                legendgroup="gap",
                showlegend=first,
                marker={"color": [HIGHLIGHT if b else MUTED for b in beyond], "opacity": 0.55},
                width=0.55,
                customdata=[
                    [
                        money(g, lang),
                        signed_percent(p, lang),
                        t(lang, N_("outside the band") if b else N_("within the band")),
                    ]
                    for g, p, b in zip(rows["gap_usd"], rows["gap_pct"], beyond, strict=True)
                ],
                hovertemplate=t(lang, "Gap, CIF − FOB")
                + ": %{customdata[0]} (%{customdata[1]}), %{customdata[2]}<extra></extra>",
            ),
            row=row_number,
            col=1,
        )
        for column, who, label, colour, dash in (
            ("reporter_value", reporter_name, own_label, EXPORTS, "solid"),
            ("partner_value", partner_name, mirror_label, IMPORTS, "dash"),
        ):
            figure.add_trace(
                go.Scatter(
                    x=years,
                    y=rows[column] / unit.divisor,
                    mode="lines+markers",
                    name=t(lang, "As {who} reports it", who=who),
                    legendgroup=column,
                    showlegend=first,
                    line={"color": colour, "width": 2.5, "dash": dash},
                    marker={"color": colour, "size": 6},
                    customdata=[[money(v, lang)] for v in rows[column]],
                    hovertemplate=html.escape(f"{who}, {label}") + ": %{customdata[0]}<extra></extra>",
                ),
                row=row_number,
                col=1,
            )
        figure.update_yaxes(money_axis(unit, lang), row=row_number, col=1)
        if year is not None and years[0] <= year <= years[-1]:
            figure.add_vrect(
                x0=year - 0.5,
                x1=year + 0.5,
                fillcolor="#1F2933",
                opacity=0.06,
                line_width=0,
                layer="below",
                row=row_number,
                col=1,
            )
    # Whole years only: on a short span plotly's own ticks fall on half-years ("2017 2017 2018").
    short = {"tick0": years[0], "dtick": 1} if years[-1] - years[0] <= 15 else {}
    figure.update_xaxes(tickformat="d", range=[years[0] - 0.6, years[-1] + 0.6], **short)
    figure.update_layout(
        hovermode="x unified",
        barmode="overlay",
        margin={"t": 96},
        legend={"y": 1.1},
        meta={"unit": unit.suffix.strip() or "USD"},
    )
    return figure
