"""The map's colours: plotly's Blues without its three palest steps, so the smallest partner is still told
from the grey land on the light and the dark page, and a colour bar framed in a grey seen on both."""

from __future__ import annotations

import pandas as pd
import pytest
from plotly.colors import sequential

from dashboard.figures.map import COLORBAR_FRAME, LAND, SEQUENTIAL, partner_map

M = 1_000_000.0
PAGES = {
    "light": "#FFFFFF",
    "dark": "#1B2128",
}  # the chart card's background in each theme (10-dashboard.css)


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two #RRGGBB colours."""

    def luminance(colour: str) -> float:
        channels = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_ramp_is_blues_without_its_three_palest_steps() -> None:
    assert [colour for _, colour in SEQUENTIAL] == [
        "#9ECAE1", "#6BAED6", "#4292C6", "#2171B5", "#08519C", "#08306B"
    ]  # fmt: skip
    assert len(SEQUENTIAL) == len(sequential.Blues) - 3
    assert [position for position, _ in SEQUENTIAL] == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1])
    # The palest step stands out from the land every other country is drawn in (the old one was 1.0:1).
    assert contrast(SEQUENTIAL[0][1], LAND) > 1.5
    assert contrast("#E8F1F8", LAND) < 1.01


@pytest.mark.parametrize("theme", PAGES)
def test_the_colour_bar_frame_is_seen_on_both_themes(theme: str) -> None:
    assert contrast(COLORBAR_FRAME, PAGES[theme]) >= 3  # WCAG 1.4.11: graphical objects


def test_the_smallest_partner_gets_the_palest_kept_step() -> None:
    frame = pd.DataFrame(
        {
            "partner": ["ITA", "TUR", "RUS"],
            "name": ["Italy", "Türkiye", "Russia"],
            "kind": ["country"] * 3,
            "exports": [5000 * M, 1000 * M, 0.0],
            "share": [0.8, 0.16, 0.0],
        }
    )
    [data] = partner_map(frame, measure="exports", measure_label="Exports").data
    assert (data.zmin, data.zmax) == (0, 5.0)  # a zero sits at the scale's palest end, not on the land's grey
    assert [list(step) for step in data.colorscale] == [list(step) for step in SEQUENTIAL]
    assert (data.colorbar.outlinecolor, data.colorbar.outlinewidth) == (COLORBAR_FRAME, 1)
