"""The new figures and texts on hand-built frames: periods, rank over time, the map, the narrative, outlines."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd

from dashboard.figures.map import DIVERGING, LAND, partner_map
from dashboard.figures.periods import partners_over_periods, period_trend
from dashboard.figures.rank_history import rank_history_figure
from dashboard.i18n import ordinal
from dashboard.narrative import bilateral_sentences
from dashboard.queries.model import Area, Kpis, Standing, YearOnYear

M = 1_000_000.0


def _periods() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2019, 2020],
            "month": [7, 7],
            "period": ["2019-07", "2020-07"],
            "label": ["Jul 2019", "Jul 2020"],
            "exports": [400 * M, 250 * M],
            "imports": [30 * M, math.nan],
            "turnover": [430 * M, 250 * M],
            "balance": [370 * M, math.nan],
            "estimated": [False, False],
            "derived": [True, True],
            "partial": [False, True],
        }
    )


def test_period_trend_draws_periods_on_a_date_axis() -> None:
    figure = period_trend(_periods(), reporter_name="Azerbaijan", partner_name="Italy", flows=("exports",))
    assert [t.name for t in figure.data] == ["Balance", "Exports", "Imports", "Turnover"]
    exports = figure.data[1]
    assert list(exports.x) == [date(2019, 7, 1), date(2020, 7, 1)]
    assert list(exports.y) == [400.0, 250.0]
    assert list(exports.marker.symbol) == ["diamond-open", "diamond-open"]  # derived
    assert [t.visible for t in figure.data] == ["legendonly", True, "legendonly", "legendonly"]
    assert exports.customdata[1][2] == " (derived)"
    assert figure.data[3].customdata[1][2] == " (derived; one flow only)"


def test_partners_over_periods_keeps_partner_order() -> None:
    frame = pd.concat(
        [_periods().assign(partner="TUR", name="Türkiye"), _periods().assign(partner="ITA", name="Italy")]
    )
    figure = partners_over_periods(frame, measure="exports", highlight="ITA")
    assert [t.name for t in figure.data] == ["Türkiye", "Italy"]
    assert [t.line.width for t in figure.data] == [2, 4]


def test_rank_history_three_panels_with_gaps() -> None:
    frame = pd.DataFrame(
        {
            "partner": ["TUR"] * 6,
            "name": ["Türkiye"] * 6,
            "year": [2018, 2019] * 3,
            "month": [12] * 6,
            "label": ["2018", "2019"] * 3,
            "measure": ["turnover", "turnover", "exports", "exports", "imports", "imports"],
            "rank": pd.array([2, 2, None, 2, 1, 2], dtype="Int64"),
            "share": [0.2, 0.19, math.nan, 0.125, 0.27, 0.3],
            "partners_ranked": [3] * 6,
        }
    )
    figure = rank_history_figure(frame)
    assert [(t.xaxis, list(t.y)) for t in figure.data] == [("x", [2, 2]), ("x2", [None, 2]), ("x3", [1, 2])]
    assert list(figure.layout.yaxis.range) == [2.5, 0.5]  # rank 1 at the top
    empty = rank_history_figure(frame.assign(rank=pd.array([None] * 6, dtype="Int64")))
    assert len(empty.data) == 0


def test_map_colours_partner_countries_by_code_on_a_grey_world() -> None:
    frame = pd.DataFrame(
        {
            "partner": ["ITA", "TUR", "EUU", "SUN"],
            "name": ["Italy", "Türkiye", "European Union", "USSR"],
            "kind": ["country", "country", "group", "historical"],
            "balance": [4600 * M, -500 * M, 4800 * M, 1 * M],
            "share": [math.nan] * 4,
        }
    )
    figure = partner_map(frame, measure="balance", measure_label="Balance")
    [data] = figure.data  # codes and values only: plotly.js draws the outlines from its topojson
    assert data.type == "choropleth" and data.locationmode == "ISO-3" and data.geojson is None
    assert list(data.locations) == ["ITA", "TUR"] and list(data.z) == [4.6, -0.5]
    assert (data.zmin, data.zmax) == (-4.6, 4.6) and [list(c) for c in data.colorscale] == DIVERGING
    geo = figure.layout.geo
    # Every other country grey, from the same topojson; the whole world, not fitted to the partners.
    assert (geo.showland, geo.landcolor, geo.showcountries) == (True, LAND, True)
    assert geo.fitbounds is False and geo.showframe is False and geo.showocean is False


# The period of `_kpis()`, as the page passes it: the sentences name it from these, not from its English label.
JAN_JUL: dict[str, Any] = {"frequency": "cumulative", "month": 7}


def _kpis(**changes: object) -> Kpis:
    values: dict[str, object] = {
        "reporter": Area("AZE", "Azerbaijan", "country"),
        "partner": Area("ITA", "Italy", "country"),
        "year": 2020,
        "exports": YearOnYear(1750 * M, 2800 * M, -1050 * M, -0.375),
        "imports": YearOnYear(170 * M, 210 * M, -40 * M, -40 / 210),
        "turnover": YearOnYear(1920 * M, 3010 * M, -1090 * M, -1090 / 3010),
        "balance": YearOnYear(1580 * M, 2590 * M, -1010 * M, None),
        "partial": False,
        "rank": 1,
        "partners_ranked": 2,
        "share": 1920 / 6300,
        "total_turnover": 6300 * M,
        "total_basis": "world",
        "period_label": "Jan–Jul 2020",
        "previous_label": "Jan–Jul 2019",
        **changes,
    }
    return Kpis(**values)  # type: ignore[arg-type]


def test_narrative_sentences() -> None:
    standing = {
        "turnover": Standing(1920 * M, 1, 1920 / 6300, 2),
        "exports": Standing(1750 * M, 1, 0.5, 2),
        "imports": Standing(170 * M, 2, 170 / 2800, 2),
    }
    assert bilateral_sentences(_kpis(), standing, **JAN_JUL) == [
        "In Jan–Jul 2020 Italy was Azerbaijan\u2019s largest partner: turnover $1.92 bn, 30.5% of the total; "
        "exports $1.75 bn (1st), imports $170.0 m (2nd).",
        "Turnover fell by $1.09 bn (\u221236.2%) on Jan–Jul 2019.",
        "Azerbaijan had a trade surplus of $1.58 bn with Italy.",
    ]
    az = bilateral_sentences(_kpis(), standing, **JAN_JUL, lang="az")
    assert az[0] == (
        "yan–iyl 2020: İtaliya ən böyük tərəfdaş olub (hesabat verən: Azərbaycan); dövriyyə 1,92\u00a0mlrd\u00a0US$, "
        "ümumi həcmin 30,5%; ixrac 1,75\u00a0mlrd\u00a0US$ (1-ci), idxal 170\u00a0mln\u00a0US$ (2-ci)."
    )
    ru = bilateral_sentences(_kpis(), standing, **JAN_JUL, lang="ru")
    assert ru[1:] == [
        "Товарооборот снизился на 1,09\u00a0млрд\u00a0$ (−36,2%) к периоду янв.–июль 2019.",
        "Профицит торговли — 1,58\u00a0млрд\u00a0$ (Азербайджан — Италия).",
    ]
    third = {"turnover": Standing(1920 * M, 3, 0.3, 9)}
    assert "3-cü ən böyük tərəfdaş" in bilateral_sentences(_kpis(), third, **JAN_JUL, lang="az")[0]
    assert "al 3º posto tra i partner" in bilateral_sentences(_kpis(), third, **JAN_JUL, lang="it")[0]
    assert bilateral_sentences(_kpis(turnover=YearOnYear(None, None, None, None)), standing, **JAN_JUL) == []
    assert [ordinal(n, "en") for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th",
    ]  # fmt: skip
