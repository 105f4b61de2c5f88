"""A claim typed into the form: its period and figure, with the rounding of the digits typed."""

from __future__ import annotations

import re

from dashboard.claims.model import MEASURES, UNIT_SCALES, Claim, Period, tolerance_of
from dashboard.i18n import N_, label, lowercase, t
from dashboard.queries.controls import whole_number


class FormError(ValueError):
    """A form field is missing or malformed; the message names the field.

    Kept as an English template (a msgid of the page's catalogue, ui.po) and its parts until shown:
    `str(error)` is the English message, `error.text(lang)` the same in the reader's language. `parts` are
    shown as given (what was typed, codes); `measure_words` name a measure by its label key (`exports`), written
    as the language's word for it.
    """

    def __init__(
        self, template: str, /, *, measure_words: dict[str, str] | None = None, **parts: str
    ) -> None:
        self.template = template
        self.parts = parts
        self.measure_words = measure_words or {}
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        """The message in `lang` (English when the catalogue lacks it), every placeholder filled."""
        words = {name: lowercase(label(lang, key), lang) for name, key in self.measure_words.items()}
        return t(lang, self.template, **self.parts, **words)


def form_period(kind: object, year: object, month: object) -> Period:
    """The period a form describes: kind 'year', 'month' or 'cumulative' (January to `month`)."""
    year_number = whole_number(year)
    if year_number is None or not 1900 <= year_number <= 2100:
        raise FormError(N_("year: {year} is not a year"), year=repr(year))
    if kind == "year":
        return Period.year(year_number)
    month_number = whole_number(month)
    if month_number is None or not 1 <= month_number <= 12:
        raise FormError(N_("month: {month} is not a month (1–12)"), month=repr(month))
    if kind == "month":
        return Period.month(year_number, month_number)
    if kind == "cumulative":
        return Period.months(year_number, 1, month_number)
    raise FormError(N_("period: {kind} is not year, month or cumulative"), kind=repr(kind))


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
        raise FormError(N_("partner: choose a partner"))
    if measure not in MEASURES:
        raise FormError(
            N_("measure: {measure} is not one of {measures}"),
            measure=repr(measure),
            measures=", ".join(MEASURES),
        )
    written = str(value if value is not None else "").strip().replace(",", "")
    if not re.fullmatch(r"[\u2212\-]?\d+(?:\.\d+)?", written):
        raise FormError(N_("value: {value} is not a number"), value=repr(value))
    number = written.lstrip("\u2212-")
    negative = written != number
    if measure == "rank":
        if unit != "rank" or "." in number or negative or int(number) < 1:
            raise FormError(N_("value: a rank is a whole number from 1, with the unit 'rank'"))
        return Claim("rank", float(number), 0.0, partner, period, f"#{number}", reporter, str(basis), 0)
    if measure == "share":
        if unit != "percent":
            raise FormError(N_("unit: a share is stated in percent"))
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
        raise FormError(
            N_("unit: {unit} is not one of {units}"), unit=repr(unit), units=", ".join(UNIT_SCALES)
        )
    scale = UNIT_SCALES[str(unit)]
    amount = float(number) * scale * (-1 if negative else 1)
    if negative and measure != "balance":
        raise FormError(N_("value: {measure} cannot be negative"), measure_words={"measure": str(measure)})
    return Claim(
        str(measure), amount, tolerance_of(number, scale), partner, period, f"{written} {unit}", reporter
    )
