"""Year axes of short spans show each year once ("2017 2018 2019", never "2017 2017 2018"), checked in the
images Chromium draws of the tiny store's charts (2017–2019), and months one by one on a short monthly span."""

from __future__ import annotations

import dataclasses
import re

import pytest
from defusedxml import ElementTree

from dashboard.queries.answers import TradeQueries
from dashboard.registry import build_chart
from dashboard.state import ViewState
from tests.dashboard.export_fixtures import session_engine

SVG = "{http://www.w3.org/2000/svg}"
ANNUAL = ViewState(
    reporter="AZE", partner="ITA", period="2019", compare=("ITA", "TUR", "RUS"), source="imf_dots"
)


def x_tick_labels(svg: bytes) -> list[str]:
    """The tick labels of every x axis (`xtick`, `x2tick`, … in plotly's SVG) that shows any."""
    root = ElementTree.fromstring(svg)
    return [
        "".join(text.itertext())
        for group in root.iter(f"{SVG}g")
        if re.fullmatch(r"x\d*tick", group.get("class") or "")
        for text in group.iter(f"{SVG}text")
        if "".join(text.itertext())
    ]


@pytest.mark.parametrize("chart_id", ["trend", "comparison", "rank_history", "mirror"])
def test_each_year_is_labelled_once(queries: TradeQueries, chart_id: str) -> None:
    figure = build_chart(queries, chart_id, ANNUAL).figure
    svg = session_engine().render(figure, fmt="svg", width=1000, height=500)
    labels = x_tick_labels(svg)
    assert labels, "no x tick labels drawn"
    years = sorted(set(labels))
    assert years == ["2017", "2018", "2019"]
    assert len(labels) == len(years) * (len(labels) // len(years))  # each subplot: every year once
    assert all(labels.count(y) == labels.count("2017") for y in years)


def test_derived_annual_periods_on_a_date_axis(queries: TradeQueries) -> None:
    # The comparison draws periods on a date axis: ticks every 12 months from the first December.
    axis = build_chart(queries, "comparison", ANNUAL).figure.layout.xaxis
    assert (axis.tickformat, axis.dtick, axis.tick0) == ("%Y", "M12", "2017-12-01")


def test_a_short_monthly_span_has_a_tick_each_month(queries: TradeQueries) -> None:
    state = dataclasses.replace(ANNUAL, frequency="cumulative", period="2020-07", source="customs_az")
    axis = build_chart(queries, "trend", state).figure.layout.xaxis
    # Jun 2019 … Jul 2020 is 13 months apart: one tick a month, never two labels for one month.
    assert (axis.tickformat, axis.dtick, axis.tick0) == ("%b %Y", "M1", "2019-06-01")
    svg = session_engine().render(
        build_chart(queries, "trend", state).figure, fmt="svg", width=1400, height=500
    )
    labels = x_tick_labels(svg)
    assert len(labels) == len(set(labels)) and "Jun 2019" in labels and "Jul 2020" in labels
