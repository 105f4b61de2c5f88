"""A claim typed into the form: its period and figure, with the rounding of the digits typed."""

from __future__ import annotations

import re

from dashboard.claims.model import MEASURES, UNIT_SCALES, Claim, Period, tolerance_of


class FormError(ValueError):
    """A form field is missing or malformed; the message names the field."""


def form_period(kind: object, year: object, month: object) -> Period:
    """The period a form describes: kind 'year', 'month' or 'cumulative' (January to `month`)."""
    year_number = int(year) if isinstance(year, (int, str)) and str(year).strip().isdigit() else None
    if year_number is None or not 1900 <= year_number <= 2100:
        raise FormError(f"year: {year!r} is not a year")
    if kind == "year":
        return Period.year(year_number)
    month_number = int(month) if isinstance(month, (int, str)) and str(month).strip().isdigit() else None
    if month_number is None or not 1 <= month_number <= 12:
        raise FormError(f"month: {month!r} is not a month (1–12)")
    if kind == "month":
        return Period.month(year_number, month_number)
    if kind == "cumulative":
        return Period.months(year_number, 1, month_number)
    raise FormError(f"period: {kind!r} is not year, month or cumulative")


def claim_from_form(
    partner: object,
    measure: object,
    *,
    period: Period,
    value: object,
    unit: object,
    reporter: str = "AZE",
    basis: object = "turnover",
) -> Claim:
    """A claim from the form's fields; `value` is the text typed (its decimals give the rounding)."""
    if not isinstance(partner, str) or not partner:
        raise FormError("partner: choose a partner")
    if measure not in MEASURES:
        raise FormError(f"measure: {measure!r} is not one of {', '.join(MEASURES)}")
    written = str(value if value is not None else "").strip().replace(",", "")
    if not re.fullmatch(r"[\u2212\-]?\d+(?:\.\d+)?", written):
        raise FormError(f"value: {value!r} is not a number")
    number = written.lstrip("\u2212-")
    negative = written != number
    if measure == "rank":
        if unit != "rank" or "." in number or negative or int(number) < 1:
            raise FormError("value: a rank is a whole number from 1, with the unit 'rank'")
        return Claim("rank", float(number), 0.0, partner, period, f"#{number}", reporter, str(basis), 0)
    if measure == "share":
        if unit != "percent":
            raise FormError("unit: a share is stated in percent")
        return Claim(
            "share",
            float(number) / 100,
            tolerance_of(number, 0.01),
            partner,
            period,
            f"{number}%",
            reporter,
            str(basis),
        )
    if unit not in UNIT_SCALES:
        raise FormError(f"unit: {unit!r} is not one of {', '.join(UNIT_SCALES)}")
    scale = UNIT_SCALES[str(unit)]
    amount = float(number) * scale * (-1 if negative else 1)
    if negative and measure != "balance":
        raise FormError(f"value: {measure} cannot be negative")
    return Claim(
        str(measure), amount, tolerance_of(number, scale), partner, period, f"{written} {unit}", reporter
    )
