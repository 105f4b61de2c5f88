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


@pytest.mark.parametrize(
    ("lang", "usd", "text"),
    [
        ("it", 4_570_000_000, "4,57\u00a0Mld\u00a0USD"),
        ("ru", 4_570_000_000, "4,57\u00a0млрд\u00a0$"),
        ("az", 4_570_000_000, "4,57\u00a0mlrd\u00a0US$"),
        ("it", -371_800_000, "\u2212371,8\u00a0Mln\u00a0USD"),
        ("ru", 371_800_000, "371,8\u00a0млн\u00a0$"),
        ("it", None, "\u2014"),
    ],
)
def test_money_in_other_languages_as_cldr_writes_it(lang: str, usd: float | None, text: str) -> None:
    assert money(usd, lang) == text


def test_percent_and_numbers_with_each_languages_separators() -> None:
    from dashboard.format import number_text, separators

    assert [percent(0.523, lang) for lang in ("en", "it", "az")] == ["52.3%", "52,3%", "52,3%"]
    assert signed_percent(-0.045, "it") == "\u22124,5%"
    assert number_text(1234567.5, "ru", digits=1) == "1\u00a0234\u00a0567,5"
    assert number_text(1234567, "it") == "1.234.567"
    assert separators("en") == ".," and separators("it") == ",." and separators("ru") == ",\u00a0"


def test_axis_units_in_each_language() -> None:
    from dashboard.format import UNITS, currency_sign, unit_suffix

    billions = UNITS[1]
    assert [unit_suffix(billions, lang) for lang in ("en", "it", "az", "ru")] == [
        " bn", "\u00a0Mld", "\u00a0mlrd", "\u00a0млрд"
    ]  # fmt: skip
    assert unit_suffix(UNITS[3], "ru") == "\u00a0тыс."
    assert [currency_sign(lang) for lang in ("en", "it", "az", "ru")] == ["$", "USD", "US$", "$"]
