"""Control values arrive from the browser as anything JSON can carry; the parsers return a number or None."""

from __future__ import annotations

import pytest

from dashboard.queries.controls import whole_number, year_of


@pytest.mark.parametrize(("value", "expected"), [(2019, 2019), ("2019", 2019), (" 7 ", 7), ("0", 0)])
def test_whole_numbers_are_read(value: object, expected: int) -> None:
    assert whole_number(value) == expected


@pytest.mark.parametrize(
    "value",
    # '¹' and '²' pass str.isdigit() but int() rejects them; '٣' (Arabic-Indic three) and full-width digits
    # pass isdecimal() and int() would read them as another number than the user typed.
    [
        "¹",
        "2019²",
        "٣",
        "２０１９",
        "",
        " ",
        "-1",
        "+5",
        "1e3",
        "20.19",
        True,
        False,
        None,
        20.0,
        [2019],
        {"y": 1},
    ],
)
def test_anything_else_is_none(value: object) -> None:
    assert whole_number(value) is None


@pytest.mark.parametrize(("value", "expected"), [("2019", 2019), (999, None), ("10000", None), ("x", None)])
def test_years_have_four_digits(value: object, expected: int | None) -> None:
    assert year_of(value) == expected
