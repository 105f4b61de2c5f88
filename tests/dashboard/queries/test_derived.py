"""The change on the same period a year earlier, against a plain join written out here as its definition."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.queries.derived import with_same_period_a_year_earlier
from dashboard.queries.model import MEASURE_COLUMNS


def by_definition(paired: pd.DataFrame) -> pd.DataFrame:
    previous = paired[["partner", "year", "month", *MEASURE_COLUMNS]].assign(year=paired["year"] + 1)
    previous = previous.rename(columns={m: f"{m}_previous" for m in MEASURE_COLUMNS})
    frame = paired.merge(previous, on=["partner", "year", "month"], how="left")
    for m in MEASURE_COLUMNS:
        frame[m] = frame[m].astype("float64")
        frame[f"{m}_previous"] = frame[f"{m}_previous"].astype("float64")
        frame[f"{m}_change"] = frame[m] - frame[f"{m}_previous"]
        base = frame[f"{m}_previous"].abs().where(frame[f"{m}_previous"] != 0)
        frame[f"{m}_change_pct"] = frame[f"{m}_change"] / base
    return frame


@pytest.mark.parametrize("seed", range(5))
def test_the_same_numbers_and_columns_as_the_definition(seed: int) -> None:
    chooser = np.random.default_rng(seed)
    rows = [
        (partner, year, month)
        for partner in ("ITA", "TUR", "RUS")
        for year in range(2015, 2021)
        for month in (3, 12)
        if chooser.random() > 0.25  # gaps: some periods have no year before
    ]
    paired = pd.DataFrame(rows, columns=["partner", "year", "month"])
    for m in MEASURE_COLUMNS:
        # Zeros and missing values among them: a change over 0 or over nothing has no percentage.
        paired[m] = chooser.choice([0.0, np.nan, 1.5e6, -2.0e6, 7.0e8], size=len(paired))
    paired["partial"] = False
    ours = with_same_period_a_year_earlier(paired)
    pd.testing.assert_frame_equal(ours, by_definition(paired))


def test_a_frame_with_a_period_twice_is_joined_as_the_definition() -> None:
    paired = pd.DataFrame(
        {"partner": ["ITA", "ITA", "ITA"], "year": [2019, 2020, 2020], "month": [12, 12, 12]}
    )
    for m in MEASURE_COLUMNS:
        paired[m] = [1.0, 2.0, 4.0]
    pd.testing.assert_frame_equal(with_same_period_a_year_earlier(paired), by_definition(paired))
