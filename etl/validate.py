"""Checks on the tidy table before anything is published: every problem is collected, then reported at once."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from etl import schema
from etl.problems import Problem
from etl.rows import duplicated_rows

# A bilateral annual flow above this is a unit error (the world's total goods trade is ~2e13 USD a year).
ABSURD_USD = 1e14
_PERIOD = re.compile(schema.PERIOD_PATTERN)


def problems_in(frame: pd.DataFrame, *, areas: pd.DataFrame) -> list[Problem]:
    """Every problem in a tidy frame (trade_flows columns plus `origin`), each placed by its origin cell.

    Checks: columns present; value a finite, non-absurd number; no negative value except where the reporter is
    an aggregate (IMF group totals carry netting adjustments, e.g. World's trade with Malaysia in 1960-63); flow,
    valuation and status from their fixed sets; periods `YYYY-MM` with start <= end; reporter and partner codes
    known in `areas`; no duplicate key.
    """
    missing = [c for c in (*schema.TRADE_FLOW_COLUMNS, schema.ORIGIN) if c not in frame.columns]
    if missing:
        return [Problem("tidy table", f"missing column(s): {', '.join(missing)}")]
    if frame.empty:
        return []
    problems: list[Problem] = []

    def report(mask: pd.Series, message: str, column: str) -> None:
        if not mask.any():
            return
        # Only the flagged rows' origins are spelled out (str of 2.6 M origins cost seconds per refresh).
        origin = frame.loc[mask, schema.ORIGIN].astype("object").map(str)
        for where, value in zip(origin, frame.loc[mask, column], strict=True):
            problems.append(_placed(where, message, value))

    raw_values = frame[schema.VALUE_USD]
    values = pd.to_numeric(raw_values, errors="coerce")
    not_number = values.isna() & raw_values.notna()
    if raw_values.dtype == object:
        # Text such as "12" or a true/false would pass to_numeric; a figure must be a number, not its spelling
        # (found by tests/reliability/test_properties.py). Checked only for object columns: a float column
        # holds numbers by construction, so a world build pays nothing.
        is_number = raw_values.map(
            lambda v: isinstance(v, int | float | np.number) and not isinstance(v, bool)
        )
        not_number |= raw_values.notna() & ~is_number.astype(bool)
        values = values.where(is_number.astype(bool))
    report(not_number, "value is not a number", schema.VALUE_USD)
    report(
        frame[schema.VALUE_USD].isna(),
        "value is missing (an empty cell should give no row)",
        schema.VALUE_USD,
    )
    report(values.isin([np.inf, -np.inf]), "value is not finite", schema.VALUE_USD)
    report(
        values.abs() >= ABSURD_USD, f"value is implausibly large (>= {ABSURD_USD:.0e} USD)", schema.VALUE_USD
    )
    aggregate_codes = set(areas.loc[areas[schema.KIND] == "group", schema.CODE])
    negative = (values < 0) & ~frame[schema.REPORTER].isin(aggregate_codes)
    report(negative, "negative value for a country's trade", schema.VALUE_USD)

    for column, allowed in (
        (schema.FLOW, schema.FLOWS),
        (schema.VALUATION, schema.VALUATIONS),
        (schema.STATUS, schema.STATUSES),
    ):
        report(~frame[column].isin(allowed), f"{column} must be one of {', '.join(allowed)}", column)
    well_formed = pd.Series(True, index=frame.index)
    for column in (schema.PERIOD_START, schema.PERIOD_END):
        good = pd.Series(_per_distinct(frame[column], _is_period, dtype=bool), index=frame.index)
        report(~good, f"{column} must be YYYY-MM", column)
        well_formed &= good
    # Where both are well formed both are text, so comparing the texts is comparing the values.
    start_after_end = _per_distinct_pair(frame[schema.PERIOD_START], frame[schema.PERIOD_END], _text_after)
    report(
        well_formed & pd.Series(start_after_end, index=frame.index),
        "period_start is after period_end",
        schema.PERIOD_START,
    )
    known = set(areas[schema.CODE])
    for column in (schema.REPORTER, schema.PARTNER):
        report(~frame[column].isin(known), f"unknown {column} code (not in data/reference)", column)
    for column in (schema.SOURCE, schema.RELEASE):
        # Element-wise, not astype(str): pandas 3 decodes bytes as UTF-8 there and raises on garbage.
        usable = pd.Series(_per_distinct(frame[column], _is_text, dtype=bool), index=frame.index)
        report(~usable, f"{column} is empty or not text", column)

    keys = list(schema.KEY_COLUMNS)
    duplicated = frame[duplicated_rows(frame, keys, keep=False)]
    for key, group in duplicated.groupby(keys, sort=True, observed=True):
        places = [str(o) for o in group[schema.ORIGIN]]
        problems.append(
            _placed(
                places[0],
                f"duplicate key {'/'.join(map(str, key))}: also at {', '.join(places[1:])}",
                group[schema.VALUE_USD].iloc[0],
            )
        )
    return problems


def _text_or_empty(value: object) -> str:
    return value if isinstance(value, str) else ""


def _text_after(first: object, second: object) -> bool:
    """`first > second` as the texts of the cells compare ("" for a non-text cell)."""
    return _text_or_empty(first) > _text_or_empty(second)


def _is_period(value: object) -> bool:
    """What `text.str.match(schema.PERIOD_PATTERN)` said of the cell's text ("" for a non-text cell)."""
    return _PERIOD.match(_text_or_empty(value)) is not None


def _is_text(value: object) -> bool:
    return isinstance(value, str) and value != ""


def _per_distinct(
    series: pd.Series, check: Callable[[object], object], *, dtype: type = object
) -> np.ndarray:
    """`check` of each cell, called once per distinct value (a column of 2.6 M cells holds a few hundred).

    Element-wise on purpose, not astype(str): pandas 3 decodes bytes as UTF-8 there and raises on garbage.
    A missing cell gets `check(None)`.
    """
    factorized = _factorized(series)
    if factorized is None:  # unhashable cells (lists, dicts): one call per cell
        return np.array([check(v) for v in series.astype("object")], dtype=dtype)
    codes, distinct = factorized
    return np.array([check(value) for value in distinct], dtype=dtype)[codes]


def _per_distinct_pair(
    first: pd.Series, second: pd.Series, check: Callable[[object, object], bool]
) -> np.ndarray:
    """`check(a, b)` for each row's pair of cells, called once per distinct pair; a boolean array."""
    a, b = _factorized(first), _factorized(second)
    if a is None or b is None:
        pairs = zip(first.astype("object"), second.astype("object"), strict=True)
        return np.array([bool(check(x, y)) for x, y in pairs], dtype=bool)
    (first_codes, first_distinct), (second_codes, second_distinct) = a, b
    width = len(second_distinct)
    pair_codes, pairs = pd.factorize(first_codes.astype(np.int64) * width + second_codes)
    results = [bool(check(first_distinct[p // width], second_distinct[p % width])) for p in pairs.tolist()]
    return np.array(results, dtype=bool)[pair_codes]


def _factorized(series: pd.Series) -> tuple[np.ndarray, list[object]] | None:
    """(codes, distinct values) of a column, a missing cell coded as the last value, None; or None when
    the cells cannot be hashed."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        # The refresh's code and period columns: their codes already number the distinct values (hashing
        # 2.6 M cells again cost ~0.2 s of a world refresh's validation).
        codes, distinct = series.cat.codes.to_numpy(), series.cat.categories
    else:
        try:
            codes, distinct = pd.factorize(series, use_na_sentinel=True)
        except TypeError:
            return None
    values: list[object] = [*distinct, None]
    return np.where(codes < 0, len(values) - 1, codes), values


def _placed(origin: str, message: str, value: object) -> Problem:
    """A problem located by an origin written as `file!'sheet'!cell` (or a URL)."""
    parts = origin.split("!")
    file = parts[0]
    sheet = parts[1].strip("'") if len(parts) == 3 else ""
    cell = parts[2] if len(parts) == 3 else ""
    return Problem(file, message, sheet=sheet, cell=cell, value="" if value is None else str(value))
