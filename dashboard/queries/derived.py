"""The one home of derived numbers: turnover and its partial rule, balance, the change on the same period a
year earlier, rank and share (DESIGN.md, habit 6).

Every view, download, the mirror view and the claim checker read these through the query object
(`dashboard.queries.reader`); nothing else computes them. Pure functions of frames, no database.

Definitions:
- exports, imports: the reporter's own figures, US dollars; a flow with no stored row stays missing (NaN),
  never zero.
- turnover: exports + imports. When only one flow is reported, turnover is that flow and the row is marked
  `partial`; when neither is, turnover is missing.
- balance: exports − imports, only when both flows are reported (a difference with one side unknown would
  be invented).
- change on the year before: against the same period (same last month) of the previous calendar year;
  the relative change is over |previous| and missing when previous is 0 or missing.
- rank: per period, among the reporter's partners of kind `country` or `historical` (groups and "not
  specified" rows excluded) with the measure known, highest first; ties share the better rank.
- share: the partner's value over the reporter's World (`WLD`) row of the same period; for turnover a World
  row with one flow missing is no total.
- Ranks and shares need that World row: it is what says the reporter's partner table is complete. Without
  it a rank "#1 of 1" or a share of 100 % would be false, so both are missing.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import pandas as pd

from dashboard.queries.model import MEASURE_COLUMNS, RANKED_KINDS, YearOnYear
from etl.schema import WORLD

PAIRED_COLUMNS: Final = (
    "partner", "year", "month", *MEASURE_COLUMNS, "partial", "estimated", "derived",
    "exports_estimated", "imports_estimated", "exports_origin", "imports_origin",
)  # fmt: skip


def number_or_none(value: Any) -> float | None:
    """A float, or None for a missing value (None, NaN, pd.NA)."""
    if value is None or pd.isna(value):
        return None
    return float(value)


def with_measures(wide: pd.DataFrame) -> pd.DataFrame:
    """`wide` (columns exports, imports: US dollars, NaN where not reported) plus turnover, balance and
    partial, by the definitions above. A new frame; the input is not changed."""
    exports = wide["exports"].astype("float64")
    imports = wide["imports"].astype("float64")
    turnover = exports.fillna(0) + imports.fillna(0)
    return wide.assign(
        exports=exports,
        imports=imports,
        turnover=turnover.where(exports.notna() | imports.notna()),
        balance=exports - imports,
        partial=exports.isna() != imports.isna(),
    )


def paired_years(pairs: pd.DataFrame) -> pd.DataFrame:
    """Stored years whose two flows the reader already paired (`StoreReader.stored_years`) as a
    `paired_periods` frame: the same columns, turnover, balance and partial by `with_measures`."""
    paired = with_measures(pairs).assign(
        estimated=pairs["exports_estimated"].astype(bool) | pairs["imports_estimated"].astype(bool),
        derived=False,
    )
    return paired[list(PAIRED_COLUMNS)]


def paired_periods(values: pd.DataFrame) -> pd.DataFrame:
    """Exports and imports side by side per (partner, year, month), with turnover and balance derived.

    `values`: a `periods.period_values` frame. Columns PAIRED_COLUMNS: partner, year, month, exports,
    imports, turnover, balance (US dollars, see `with_measures`), partial, estimated, derived (any part
    derived), exports_estimated, imports_estimated, exports_origin, imports_origin. Empty in, empty out.
    """
    columns = list(PAIRED_COLUMNS)
    if values.empty:
        return pd.DataFrame(columns=columns)
    keys = ["partner", "year", "month"]
    halves = []
    for flow, name in (("export", "exports"), ("import", "imports")):
        part = values[values["flow"] == flow].set_index(keys)
        halves.append(
            part[["value_usd", "estimated", "derived", "origin"]].rename(
                columns={
                    "value_usd": name,
                    "estimated": f"{name}_estimated",
                    "derived": f"{name}_derived",
                    "origin": f"{name}_origin",
                }
            )
        )
    wide = with_measures(halves[0].join(halves[1], how="outer").reset_index())
    wide["estimated"] = wide["exports_estimated"].eq(True) | wide["imports_estimated"].eq(True)
    wide["derived"] = wide["exports_derived"].eq(True) | wide["imports_derived"].eq(True)
    wide["exports_estimated"] = wide["exports_estimated"].eq(True)
    wide["imports_estimated"] = wide["imports_estimated"].eq(True)
    return wide[columns].sort_values(keys, ignore_index=True)


def with_same_period_a_year_earlier(paired: pd.DataFrame) -> pd.DataFrame:
    """`paired` plus, for each measure m: m_previous (same partner, same month, year − 1), m_change
    (m − m_previous) and m_change_pct (change over |previous|; missing when previous is 0 or missing)."""
    keys = [paired["partner"], paired["year"], paired["month"]]
    here = pd.MultiIndex.from_arrays(keys)
    if not here.is_unique:  # not a period table (one row per partner and period): join, row by row
        previous = paired[["partner", "year", "month", *MEASURE_COLUMNS]].assign(year=paired["year"] + 1)
        previous = previous.rename(columns={m: f"{m}_previous" for m in MEASURE_COLUMNS})
        joined = paired.merge(previous, on=["partner", "year", "month"], how="left")
        return _with_changes(
            joined, {m: joined[f"{m}_previous"].to_numpy("float64") for m in MEASURE_COLUMNS}
        )
    # Each row's position of the same partner and month a year earlier (-1: none). Positional lookups in
    # numpy, not a merge: this runs for every period table the page reads (bench P1).
    where = here.get_indexer(pd.MultiIndex.from_arrays([keys[0], keys[1] - 1, keys[2]]))
    found = where >= 0
    earlier = {}
    for m in MEASURE_COLUMNS:
        values = paired[m].to_numpy("float64", na_value=np.nan)
        earlier[m] = np.where(found, values[np.where(found, where, 0)], np.nan)
    return _with_changes(paired.reset_index(drop=True), earlier)


def _with_changes(frame: pd.DataFrame, previous: dict[str, np.ndarray]) -> pd.DataFrame:
    """`frame` with each measure as float64, then m_previous for every measure, then m_change and
    m_change_pct for every measure (the columns' order of the first definition, kept for downloads)."""
    current = {m: frame[m].to_numpy("float64", na_value=np.nan) for m in MEASURE_COLUMNS}
    added: dict[str, np.ndarray] = {f"{m}_previous": previous[m] for m in MEASURE_COLUMNS}
    with np.errstate(divide="ignore", invalid="ignore"):
        for m in MEASURE_COLUMNS:
            change = current[m] - previous[m]
            base = np.abs(previous[m])
            added[f"{m}_change"] = change
            added[f"{m}_change_pct"] = np.where(base != 0, change / np.where(base != 0, base, 1.0), np.nan)
    kept = frame.drop(columns=[c for c in added if c in frame.columns])
    kept = kept.assign(**{m: current[m] for m in MEASURE_COLUMNS})
    return pd.concat([kept, pd.DataFrame(added, index=kept.index)], axis=1)


def year_on_year(row: pd.Series | None, measure: str, *, origin: bool = False) -> YearOnYear:
    """One measure of one period-table row beside the same period a year earlier, as the table computed it
    (`with_same_period_a_year_earlier`); an empty YearOnYear for no row. `origin`: the stored cell too (only
    exports and imports have one)."""
    if row is None:
        return YearOnYear(None, None, None, None)
    estimated = row[f"{measure}_estimated"] if measure in ("exports", "imports") else row["estimated"]
    stored_origin = row.get(f"{measure}_origin") if origin else None
    return YearOnYear(
        value=number_or_none(row[measure]),
        previous=number_or_none(row[f"{measure}_previous"]),
        change=number_or_none(row[f"{measure}_change"]),
        change_pct=number_or_none(row[f"{measure}_change_pct"]),
        estimated=bool(estimated),
        origin=stored_origin if isinstance(stored_origin, str) else None,
    )


def ranked(table: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Rank and share of `measure` for every partner in every period of a period table, at once.

    `table`: period-table rows (partner, kind, year, month, the measure column, partial, ...), one period or
    many. Adds value (the measure, US dollars), rank (Int64), share (ratio of the World row), partners_ranked
    (how many partners were ranked in that period) and total_usd (the World total, NaN without one), by the
    definitions above. Rows keep their order.
    """
    value = table[measure].to_numpy(dtype="float64", na_value=np.nan)
    partial = table["partial"].to_numpy(dtype=bool)
    period = table["year"].to_numpy(dtype="int64") * 100 + table["month"].to_numpy(dtype="int64")
    # The World row of each period is its total; for turnover one with a flow missing is no total.
    # (Compared and looked up column-wise: row by row in Python, as before, was a third of ranking a reporter.)
    is_total = (table["partner"] == WORLD).to_numpy(dtype=bool, na_value=False) & ~np.isnan(value)
    if measure == "turnover":
        is_total &= ~partial
    totals = dict(zip(period[is_total], value[is_total], strict=True))
    total = pd.Series(period).map(totals).to_numpy(dtype="float64", na_value=np.nan)
    kinds = table["kind"].isin(RANKED_KINDS).to_numpy(dtype=bool)
    eligible = kinds & ~np.isnan(value) & ~np.isnan(total)
    by_period = pd.Series(np.where(eligible, value, np.nan)).groupby(period)
    rank = by_period.rank(method="min", ascending=False).to_numpy()
    counts = pd.Series(eligible).groupby(period).transform("sum").to_numpy(dtype="int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total != 0, value / total, np.nan)
    return table.assign(
        value=value,
        rank=pd.Series(rank, index=table.index).astype("Int64"),
        share=share,
        partners_ranked=counts,
        total_usd=total,
    )


def top_of(frame: pd.DataFrame, top: int, *, include: str | None = None) -> pd.DataFrame:
    """The ranked rows of a ranking frame with rank <= `top`, plus `include`'s row when it ranks lower."""
    rank = frame["rank"].to_numpy("float64", na_value=np.nan)
    keep = ~np.isnan(rank) & ((rank <= max(int(top), 0)) | (frame["partner"].to_numpy(object) == include))
    positions = np.flatnonzero(keep)
    if len(positions) == 0 or positions[-1] == len(positions) - 1:
        # A ranking frame lists its ranked rows first, best first: the top is its first rows, a slice.
        return frame.iloc[: len(positions)].reset_index(drop=True)
    return frame.iloc[positions].reset_index(drop=True)
