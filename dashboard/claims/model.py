"""What the claim checker works on: periods, claims, series values and verdicts, and the verdict words.

Units: money in US dollars (full units); shares as ratios (0.2636 for "26.36 percent"); ranks as numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from dashboard.claims.wording import Money, Percent, Said, localized
from dashboard.i18n import month_names

CONSISTENT: Final = "consistent"
INCONSISTENT: Final = "inconsistent"
IMPLAUSIBLE: Final = "implausible"
INTERNALLY_INCONSISTENT: Final = "internally inconsistent"
NOT_CHECKABLE: Final = "not checkable"
VERDICTS: Final = (CONSISTENT, INCONSISTENT, IMPLAUSIBLE, INTERNALLY_INCONSISTENT, NOT_CHECKABLE)

MONEY_MEASURES: Final = ("turnover", "exports", "imports", "balance")
EXACT: Final = "exact"
AT_LEAST: Final = "at least"
AT_MOST: Final = "at most"
ABOUT: Final = "about"
BOUNDS: Final = (EXACT, AT_LEAST, AT_MOST, ABOUT)
# "about $2 billion" agrees with data within 5 % (or the rounding of the digits, if wider).
ABOUT_SHARE: Final = 0.05
MEASURES: Final = (*MONEY_MEASURES, "share", "rank")
NON_NEGATIVE: Final = ("turnover", "exports", "imports")
RANKED_KINDS: Final = ("country", "historical")
WORLD: Final = "WLD"
# Which series a verdict names first when several give the claimed value or none does.
MONTHS: Final = month_names("en")  # CLDR's English month names, as everywhere else
UNIT_SCALES: Final = {
    "USD": 1.0,
    "thousand USD": 1e3,
    "million USD": 1e6,
    "billion USD": 1e9,
}
FORM_UNITS: Final = (*UNIT_SCALES, "percent", "rank")


# --- periods ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    """Months `start`..`end` ('YYYY-MM'), as the tidy table stores periods."""

    start: str
    end: str

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(f"{year:04d}-01", f"{year:04d}-12")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(f"{year:04d}-{month:02d}", f"{year:04d}-{month:02d}")

    @classmethod
    def months(cls, year: int, first: int, last: int) -> Period:
        return cls(f"{year:04d}-{first:02d}", f"{year:04d}-{last:02d}")

    @property
    def first_year(self) -> int:
        return int(self.start[:4])

    @property
    def last_year(self) -> int:
        return int(self.end[:4])

    @property
    def first_month(self) -> int:
        return int(self.start[5:7])

    @property
    def last_month(self) -> int:
        return int(self.end[5:7])

    @property
    def is_year(self) -> bool:
        return self.first_year == self.last_year and self.first_month == 1 and self.last_month == 12

    @property
    def is_cumulative(self) -> bool:
        """January to some month of one year (a whole year included)."""
        return self.first_year == self.last_year and self.first_month == 1

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    @property
    def label(self) -> str:
        """`2020`, `July 2020`, `January–July 2020`, `the whole of 2020` is `2020`."""
        if self.is_year:
            return str(self.first_year)
        first, last = MONTHS[self.first_month - 1], MONTHS[self.last_month - 1]
        if self.start == self.end:
            return f"{first} {self.first_year}"
        if self.first_year == self.last_year:
            return f"{first}\u2013{last} {self.first_year}"
        return f"{first} {self.first_year}\u2013{last} {self.last_year}"

    @property
    def phrase(self) -> str:
        """For sentences: `the whole of 2020`, `January–July 2020`."""
        return f"the whole of {self.first_year}" if self.is_year else self.label


# --- claims ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """One stated figure.

    `value`: US dollars for money measures (a balance deficit is negative), a ratio for `share`, a number for
    `rank`. `tolerance`: half a unit of the last digit stated (the claim's rounding) in the same unit.
    `basis`: for share and rank, the measure they rank or divide (turnover unless stated). `partner`: an ISO
    code, 'WLD' for the reporter's total, None when the text names none. `period`: None when none is stated.
    `text`: the figure as written. `measure` is None when the text does not say what the figure measures;
    'change' marks growth rates, which are not checked.
    """

    measure: str | None
    value: float
    tolerance: float
    partner: str | None
    period: Period | None
    text: str
    reporter: str = "AZE"
    basis: str = "turnover"
    position: int = 0
    currency: str = "USD"  # the currency the figure is stated in; only US dollars are checked
    # Set when the text gives the partner's own report ("Italy's imports from Azerbaijan"): the claim is then
    # checked against that partner's (mirror) series.
    reported_by: str | None = None
    # "more than $2 billion" is a bound, not a value: exact, at least, at most or about (BOUNDS).
    bound: str = EXACT
    # Why the reading of this figure is uncertain ("partner 'Itlay' not recognised"): such a figure is never
    # given a verdict against the data, only "not checkable" with this reason.
    unclear: str | None = None

    @property
    def key(self) -> tuple[object, ...]:
        return (self.measure, self.partner, self.period, self.basis)


def decimals(number: str) -> int:
    return len(number.split(".", 1)[1]) if "." in number else 0


def tolerance_of(number: str, scale: float) -> float:
    """Half a unit of the last digit written: '3.7' billion -> 0.05e9."""
    return 0.5 * 10 ** (-decimals(number)) * scale


@dataclass(frozen=True)
class SeriesValue:
    """One series' value for a claim: who reports it (label), source, release, value and its origin."""

    label: str
    source: str
    attribution: str
    release: str
    value: float | None
    period: Period
    origin: str = ""
    measure: str = (
        ""  # what the value is: exports, imports, turnover, balance, share of turnover, rank by ...
    )

    @property
    def citation(self) -> str:
        name = self.attribution.removeprefix("Source: ") if self.attribution else self.source
        # The source by its name (its id is for the command line, never for a reader).
        return Said("{name}, release {release}", name=name, release=self.release)


@dataclass(frozen=True)
class Verdict:
    """The verdict on one claim: the word, the data compared (None when there is none), the other series, and
    what was found (the gap, the bound broken with its arithmetic, or what is missing)."""

    claim: Claim
    word: str
    data: SeriesValue | None
    explanation: str
    alternatives: tuple[SeriesValue, ...] = ()
    data_word: str | None = None  # the verdict against the data when the text contradicts itself
    findings: tuple[str, ...] = field(default=())


def shown(claim: Claim, value: float | None) -> object:
    """A data value in the claim's unit, as a part of a sentence (see wording.py)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "\u2014"
    if claim.measure == "share":
        return Percent(value, max(decimals_of_tolerance(claim.tolerance * 100), 1))
    if claim.measure == "rank":
        return f"#{int(value)}"
    return Money(value)


def show(claim: Claim, value: float | None) -> str:
    """A data value in the claim's unit, in English."""
    return localized(shown(claim, value), "en")


def decimals_of_tolerance(tolerance: float) -> int:
    return max(0, round(-math.log10(tolerance * 2))) if tolerance > 0 else 0


def within(claim: Claim, value: float) -> bool:
    """Whether the data's `value` agrees with the claim: within its rounding, or on the stated side of a bound
    ("about" allows ABOUT of the stated value or its rounding, whichever is larger)."""
    if claim.measure == "rank":
        return round(value) == round(claim.value)
    slack = claim.tolerance * (1 + 1e-9) + 1e-6
    if claim.bound == AT_LEAST:
        return value >= claim.value - slack
    if claim.bound == AT_MOST:
        return value <= claim.value + slack
    if claim.bound == ABOUT:
        slack = max(slack, ABOUT_SHARE * abs(claim.value))
    return abs(claim.value - value) <= slack


def country_name(code: str) -> str:
    """pycountry's common name (else its name) of an ISO alpha-3 code; the code itself when unknown."""
    import pycountry

    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def area_name(code: str | None, names: Mapping[str, str]) -> str:
    """The display name of a partner code: `names` (code -> name) first, pycountry's next; 'all partners' for
    the reporter's total."""
    if code is None:
        return "?"
    if code == WORLD:
        return "all partners"
    return names.get(code) or country_name(code)
