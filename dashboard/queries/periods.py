"""Periods: annual, monthly and January–month cumulative, and how each is derived from stored rows.

Pure functions of frames (no database). A period is named by its frequency and a key (`2019`, `2020-07`) and
held as (year, last month); stored rows name theirs by `period_start`..`period_end` ('YYYY-MM').
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Final

import pandas as pd

from dashboard.i18n import month_names, period_name
from dashboard.queries.controls import whole_number, year_of
from dashboard.queries.model import ESTIMATED, FREQUENCIES


def is_annual(period_start: str, period_end: str) -> bool:
    """Whether `period_start`..`period_end` is one calendar year, January to December (the SQL twin is
    `reader._ANNUAL`)."""
    return period_start[:4] == period_end[:4] and period_start[5:7] == "01" and period_end[5:7] == "12"


# --- periods: annual, monthly and January–month cumulative ----------------------------------------------
#
# One derivation serves every frequency. For each (partner, flow, year) the stored rows of ONE source are
# pieces of the calendar year: a piece starting in January is a January–month cumulative (a year is the
# cumulative to December, Q1 the cumulative to March); a single month is a month; any other piece (Q2, Q3,
# Q4) only helps to chain a cumulative. From the pieces:
# - cumulative to month m: the stored one when there is one, else the cumulative before the piece ending in
#   m plus that piece (so complete months 1..m, or Jan–Jun plus July, sum up), flagged `derived`;
# - month m: the stored month, else cumulative(m) − cumulative(m−1), flagged `derived`. When a later
#   cumulative is smaller than an earlier one the month is left missing and a warning says so: a negative
#   month would be a hidden revision, not trade;
# - a year: the cumulative to December.


PERIOD_COLUMNS: Final = ("partner", "flow", "year", "month", "value_usd", "estimated", "derived", "origin")


def period_key(frequency: str, year: int, month: int) -> str:
    """How a period is named in controls and links: `2019` for a year, `2020-07` for a month or Jan–Jul."""
    return str(year) if frequency == "annual" else f"{year:04d}-{month:02d}"


def parse_period(frequency: str, key: object) -> tuple[int, int] | None:
    """(year, last month) of a period key for `frequency`; None when the key does not fit it."""
    if not isinstance(key, (str, int)) or isinstance(key, bool):
        return None
    text = str(key).strip()
    if frequency == "annual":
        year = year_of(text)
        return None if year is None else (year, 12)
    if frequency in ("monthly", "cumulative") and len(text) == 7 and text[4] == "-":
        year, month = year_of(text[:4]), whole_number(text[5:])
        if year is not None and month is not None and 1 <= month <= 12:
            return year, month
    return None


def period_label(frequency: str, year: int, month: int, lang: str = "en") -> str:
    """`2019`, `Jul 2020` (a month) or `Jan–Jul 2020` (a cumulative; `Jan 2020` for January alone); in
    another language with CLDR's abbreviated months (`gen–lug 2020`, `янв.–июль 2020`): `i18n.period_name`."""
    return period_name(frequency, year, month, lang)


def _pieces(rows: pd.DataFrame) -> pd.DataFrame:
    """Stored rows with year, first and last month as ints; rows spanning two calendar years are dropped."""
    start_year = rows["period_start"].str.slice(0, 4).astype(int)
    end_year = rows["period_end"].str.slice(0, 4).astype(int)
    pieces = rows.assign(
        year=start_year,
        first=rows["period_start"].str.slice(5, 7).astype(int),
        last=rows["period_end"].str.slice(5, 7).astype(int),
    )
    return pieces[(start_year == end_year) & (pieces["first"] <= pieces["last"])]


@dataclass(frozen=True)
class FallingCumulative:
    """The source's January–`later` cumulative of `year` is smaller than its January–`earlier` one (US
    dollars): no month is derived between them, since a negative month would be a hidden revision, not trade.

    Kept as fields, so the page and the exports write it in their language (narrative.falling_cumulative_text);
    `str()` is the English sentence for data files and logs."""

    partner: str
    flow: str
    year: int
    earlier: int
    earlier_usd: float
    later: int
    later_usd: float

    def __str__(self) -> str:
        return (
            f"{self.partner} {self.flow}s: {_span_label(self.year, 1, self.later)} ({self.later_usd:,.0f} USD) is "
            f"smaller than {_span_label(self.year, 1, self.earlier)} ({self.earlier_usd:,.0f} USD); "
            "no month is derived between them"
        )


def period_values(rows: pd.DataFrame, frequency: str) -> tuple[pd.DataFrame, tuple[FallingCumulative, ...]]:
    """Values for `frequency` derived from one source's stored rows, and the warnings met on the way.

    `rows`: partner, flow, period_start, period_end ('YYYY-MM'), value_usd, status, origin (file!sheet!cell
    or None) — rows of a single source (sources are never mixed). Returns (frame, warnings); frame columns
    PERIOD_COLUMNS: partner, flow, year, month (the period's last month; 12 for a year), value_usd (US
    dollars), estimated (any part estimated), derived (computed here, not stored), origin (the stored cell, or
    how the value was derived, e.g. `Jan–Jul 2020 − Jan–Jun 2020`). Periods that cannot be derived are
    absent (never zero). Empty rows give an empty frame.
    """
    if frequency not in FREQUENCIES:
        raise ValueError(f"unknown frequency {frequency!r}; expected one of {', '.join(FREQUENCIES)}")
    out: list[tuple[object, ...]] = []
    warnings: list[FallingCumulative] = []
    if rows.empty:
        return pd.DataFrame(columns=list(PERIOD_COLUMNS)), ()
    pieces = _pieces(rows)
    # The common case (a stored year and nothing else in that year) needs no chaining.
    keys = [pieces["partner"], pieces["flow"], pieces["year"]]
    full_year = (pieces["first"] == 1) & (pieces["last"] == 12)
    if frequency == "annual":
        # A stored year is the year (it wins over any chain of months, as in `_derive_year`): the months
        # and cumulatives stored beside it need no chaining (Python per group; bench P1 on monthly data).
        has_year = full_year.groupby(keys, observed=True).transform("any")
        pieces = pieces[full_year | ~has_year]
        simple = full_year[pieces.index]
    else:
        sizes = pieces.groupby(keys, observed=True)["value_usd"].transform("size")
        simple = (sizes == 1) & full_year
    stored_years = pd.DataFrame(columns=list(PERIOD_COLUMNS))
    if frequency in ("annual", "cumulative"):
        years = pieces[simple]
        stored_years = pd.DataFrame(
            {
                "partner": years["partner"].astype("object"),
                "flow": years["flow"].astype("object"),
                "year": years["year"],
                "month": 12,
                "value_usd": years["value_usd"],
                "estimated": years["status"] == ESTIMATED,
                "derived": False,
                "origin": years["origin"].astype("object"),
            }
        )
    for key, group in pieces[~simple].groupby(["partner", "flow", "year"], observed=True):
        partner, flow, year = key
        out.extend(_deriveyear_of(group, str(partner), str(flow), int(str(year)), frequency, warnings))
    derived = pd.DataFrame(out, columns=list(PERIOD_COLUMNS))
    parts = [p for p in (stored_years, derived) if len(p)]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(PERIOD_COLUMNS))
    frame = frame.astype(
        {"year": "int64", "month": "int64", "value_usd": "float64", "estimated": "bool", "derived": "bool"}
    )
    return frame.sort_values(["partner", "flow", "year", "month"], ignore_index=True), tuple(warnings)


def _span_label(year: int, first: int, last: int) -> str:
    """`Jan–Jun 2020` (or `Jul 2020`): a stored piece of a year, in English, for origins and warnings."""
    names = month_names("en", width="abbreviated")
    if first == last:
        return f"{names[first - 1]} {year}"
    return f"{names[first - 1]}\u2013{names[last - 1]} {year}"


_Value = tuple[float, bool, bool, "str | None"]  # value, estimated, derived, origin


def _deriveyear_of(
    group: pd.DataFrame, partner: str, flow: str, year: int, frequency: str, warnings: list[FallingCumulative]
) -> list[tuple[object, ...]]:
    pieces: list[tuple[int, int, float, bool, str | None]] = sorted(
        (
            (
                int(first),
                int(last),
                float(value),
                bool(status == ESTIMATED),
                origin if isinstance(origin, str) else None,
            )
            for first, last, value, status, origin in zip(
                group["first"],
                group["last"],
                group["value_usd"],
                group["status"],
                group["origin"],
                strict=True,
            )
        ),
        key=lambda p: (p[1], p[0]),
    )
    months: dict[int, _Value] = {
        first: (value, estimated, False, origin)
        for first, last, value, estimated, origin in pieces
        if first == last
    }
    # cumulative[m]: January to month m; cumulative[0] is the empty start of the year.
    cumulative: dict[int, _Value] = {0: (0.0, False, False, None)}
    for m in range(1, 13):
        ending = [p for p in pieces if p[1] == m]
        stored = next((p for p in ending if p[0] == 1), None)
        if stored is not None:
            cumulative[m] = (stored[2], stored[3], False, stored[4])
            continue
        chained = next((p for p in ending if p[0] - 1 in cumulative), None)
        if chained is not None:
            first, _, value, estimated, _ = chained
            before = cumulative[first - 1]
            basis = f"{_span_label(year, 1, first - 1)} + {_span_label(year, first, m)}"
            cumulative[m] = (before[0] + value, before[1] or estimated, True, basis)
    # A later cumulative smaller than an earlier one: say so, and derive no month across the fall.
    known = sorted(m for m in cumulative if m > 0)
    falling: set[int] = set()
    for earlier, later in itertools.pairwise(known):
        if cumulative[later][0] < cumulative[earlier][0]:
            falling.add(later)
            warnings.append(
                FallingCumulative(
                    partner, flow, year, earlier, cumulative[earlier][0], later, cumulative[later][0]
                )
            )
    for m in range(2, 13):
        if m not in months and m in cumulative and m - 1 in cumulative and m not in falling:
            now, before = cumulative[m], cumulative[m - 1]
            basis = f"{_span_label(year, 1, m)} \u2212 {_span_label(year, 1, m - 1)}"
            months[m] = (now[0] - before[0], now[1] or before[1], True, basis)
    if frequency == "monthly":
        chosen = months
    elif frequency == "annual":
        chosen = {12: cumulative[12]} if 12 in cumulative else {}
    else:
        chosen = {m: v for m, v in cumulative.items() if m > 0}
    return [(partner, flow, year, m, *chosen[m]) for m in sorted(chosen)]


def frequency_and_key(period_start: str, period_end: str) -> tuple[str, str] | None:
    """The frequency and key under which the page shows the months `period_start`..`period_end`: a calendar
    year is annual (`2019`), one month monthly (`2020-07`), January to a month cumulative (`2020-07`); any
    other span (a quarter after the first, two years) is none of them, hence None."""
    if len(period_start) != 7 or len(period_end) != 7 or period_start[:4] != period_end[:4]:
        return None
    first, last = whole_number(period_start[5:]), whole_number(period_end[5:])
    year = year_of(period_start[:4])
    if year is None or first is None or last is None or not 1 <= first <= last <= 12:
        return None
    if first == 1 and last == 12:
        return "annual", str(year)
    if first == last:
        return "monthly", period_key("monthly", year, last)
    if first == 1:
        return "cumulative", period_key("cumulative", year, last)
    return None
