"""Checks on the tidy table before anything is published: every problem is collected, then reported at once."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl import schema
from etl.problems import Problem

# A bilateral annual flow above this is a unit error (the world's total goods trade is ~2e13 USD a year).
ABSURD_USD = 1e14


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
    origin = frame[schema.ORIGIN].astype("object").map(str)

    def report(mask: pd.Series, message: str, column: str) -> None:
        for where, value in zip(origin[mask], frame.loc[mask, column], strict=True):
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
        text = frame[column].astype("object").map(lambda v: v if isinstance(v, str) else "")
        good = text.str.match(schema.PERIOD_PATTERN).astype(bool)
        report(~good, f"{column} must be YYYY-MM", column)
        well_formed &= good
    report(
        well_formed
        & (
            frame[schema.PERIOD_START].astype("object").map(str)
            > frame[schema.PERIOD_END].astype("object").map(str)
        ),
        "period_start is after period_end",
        schema.PERIOD_START,
    )
    known = set(areas[schema.CODE])
    for column in (schema.REPORTER, schema.PARTNER):
        report(~frame[column].isin(known), f"unknown {column} code (not in data/reference)", column)
    for column in (schema.SOURCE, schema.RELEASE):
        # Element-wise, not astype(str): pandas 3 decodes bytes as UTF-8 there and raises on garbage.
        usable = frame[column].astype("object").map(lambda v: isinstance(v, str) and v != "")
        report(~usable.astype(bool), f"{column} is empty or not text", column)

    keys = list(schema.KEY_COLUMNS)
    duplicated = frame[frame.duplicated(keys, keep=False)]
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


def _placed(origin: str, message: str, value: object) -> Problem:
    """A problem located by an origin written as `file!'sheet'!cell` (or a URL)."""
    parts = origin.split("!")
    file = parts[0]
    sheet = parts[1].strip("'") if len(parts) == 3 else ""
    cell = parts[2] if len(parts) == 3 else ""
    return Problem(file, message, sheet=sheet, cell=cell, value="" if value is None else str(value))
