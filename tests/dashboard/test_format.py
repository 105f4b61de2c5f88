from __future__ import annotations

import math

import pytest

from dashboard.format import money, money_unit, percent, signed_money, signed_percent


@pytest.mark.parametrize(
    ("usd", "text"),
    [
        (5_638_646_600, "$5.64 bn"),
        (371_814_400, "$371.8 m"),
        (30_000, "$30 k"),
        (1_500, "$1.5 k"),
        (512, "$512"),
        (0, "$0"),
        (-1_200_000_000, "\u2212$1.20 bn"),
        (999_960_000, "$1.00 bn"),  # rounding carries into the next unit
        (2.5e12, "$2.50 tn"),
        (None, "\u2014"),
        (math.nan, "\u2014"),
    ],
)
def test_money(usd: float | None, text: str) -> None:
    assert money(usd) == text


def test_signed_and_percent() -> None:
    assert signed_money(1.1e9) == "+$1.10 bn"
    assert signed_money(-371_814_400) == "\u2212$371.8 m"
    assert percent(0.523) == "52.3%"
    assert percent(0.0004) == "0.04%"
    assert signed_percent(0.251) == "+25.1%"
    assert signed_percent(-0.045) == "\u22124.5%"
    assert percent(None) == "\u2014"


def test_money_unit() -> None:
    assert money_unit(5.6e9).suffix == " bn"
    assert money_unit(3.7e8).suffix == " m"
    assert money_unit(None).divisor == 1.0
