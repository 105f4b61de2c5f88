"""Mirror statistics, computed once: what a reporter says beside what its partner says about the same trade.

Two flows per pair and year, each reported twice:
- `exports`: the reporter's exports to the partner (valued FOB) beside the partner's imports from the reporter
  (valued CIF);
- `imports`: the reporter's imports from the partner (CIF) beside the partner's exports to the reporter (FOB).

The gap is always the CIF figure minus the FOB figure, in US dollars and as a ratio of the FOB figure, so that
one band serves both flows: freight and insurance make the CIF figure normally a few percent higher
(`data/reference/cif_fob_band.csv`, with its citations). The band is shown, never applied as a correction; a
year whose CIF/FOB ratio lies outside it is flagged.

Each economy's report is read from ONE source, the one the rest of the page shows for it: the store's
preference (settings' TRADE_SOURCES) through `TradeQueries.source_for`, so the mirror view's figures are the
KPI cards' figures of the two reporters. Rows of different sources are never mixed within one side.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from dashboard.queries.model import (
    DIRECTIONS,
    GAP_RANKING_COLUMNS,
    MIRROR_COLUMNS,
    RANKED_KINDS,
    BandBound,
    CifFobBand,
    GapRanking,
    MirrorPair,
)

if TYPE_CHECKING:
    from dashboard.queries.answers import TradeQueries

REFERENCE_DIR: Final = Path(__file__).resolve().parents[2] / "data" / "reference"
BAND_FILE: Final = REFERENCE_DIR / "cif_fob_band.csv"
# The reporter's direction of each stored flow, seen from either side of the pair.
_OWN_DIRECTION: Final = {"export": "exports", "import": "imports"}
_MIRROR_DIRECTION: Final = {"export": "imports", "import": "exports"}
_KEYS: Final = ["counterpart", "direction", "period_start", "period_end"]


class ReferenceError(ValueError):
    """A reference file of the mirror view is malformed; the message names the file, row and field."""


# --- reference data ---------------------------------------------------------------------------------------


def read_reference_rows(path: Path, required: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of a reference CSV; lines starting with '#' are comments (a '#' inside a text is not)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ReferenceError(f"{path}: cannot read ({exc.strerror})") from exc
    numbered = [
        (i + 1, line) for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        raise ReferenceError(f"{path}: empty (a header with {', '.join(required)} is needed)")
    reader = csv.reader([line for _, line in numbered])
    header = next(reader)
    missing = [c for c in required if c not in header]
    if missing:
        raise ReferenceError(f"{path}, line {numbered[0][0]}: missing column(s) {', '.join(missing)}")
    rows = []
    for (number, _), values in zip(numbered[1:], reader, strict=True):
        if len(values) != len(header):
            raise ReferenceError(
                f"{path}, line {number}: {len(values)} fields where the header has {len(header)}"
            )
        rows.append((number, dict(zip(header, (v.strip() for v in values), strict=True))))
    return rows


def load_band(path: Path = BAND_FILE) -> CifFobBand:
    """The band from `path`: rows low, central and high, each with a ratio, its basis and (optional) url."""
    bounds: dict[str, BandBound] = {}
    for number, row in read_reference_rows(path, ("bound", "ratio", "basis", "url")):
        try:
            ratio = float(row["ratio"])
        except ValueError:
            raise ReferenceError(
                f"{path}, line {number}, field ratio: {row['ratio']!r} is not a number"
            ) from None
        if not math.isfinite(ratio) or ratio <= 0:
            raise ReferenceError(f"{path}, line {number}, field ratio: {ratio} is not a positive ratio")
        bounds[row["bound"]] = BandBound(row["bound"], ratio, row["basis"], row["url"])
    missing = [b for b in ("low", "central", "high") if b not in bounds]
    if missing:
        raise ReferenceError(f"{path}: no row for bound(s) {', '.join(missing)}")
    low, central, high = (bounds[b].ratio for b in ("low", "central", "high"))
    if not low <= central <= high:
        raise ReferenceError(
            f"{path}: the ratios must satisfy low <= central <= high ({low}, {central}, {high})"
        )
    return CifFobBand(low=low, central=central, high=high, bounds=tuple(bounds.values()))


# --- the mirror table -------------------------------------------------------------------------------------


def _side(rows: pd.DataFrame, prefix: str, directions: Mapping[str, str], counterpart: str) -> pd.DataFrame:
    """One side's rows keyed by counterpart and the reporter's direction, value columns named `prefix_*`."""
    side = rows.assign(counterpart=rows[counterpart], direction=rows["flow"].map(directions))
    columns = {
        "value_usd": f"{prefix}_value",
        **{c: f"{prefix}_{c}" for c in ("valuation", "source", "release", "status", "origin")},
    }
    return side.reindex(columns=[*_KEYS, *columns]).rename(columns=columns)


def _annual(rows: pd.DataFrame) -> pd.DataFrame:
    """Calendar-year rows (YYYY-01..YYYY-12) only."""
    if rows.empty:
        return rows
    return rows[
        rows["period_start"].str.endswith("-01")
        & rows["period_end"].str.endswith("-12")
        & (rows["period_start"].str[:4] == rows["period_end"].str[:4])
    ]


def mirror_table(
    rows: pd.DataFrame,
    reporter: str,
    partner: str | None = None,
    *,
    band: CifFobBand,
    sources: Mapping[str, str | None],
) -> pd.DataFrame:
    """Both reports of each annual flow between `reporter` and `partner` (every partner when None).

    `rows`: `flow_rows` rows holding the reporter's rows and its partners' rows about it (any source).
    `sources`: the one source each economy's report is read from; rows of other sources, and of economies
    not named, are left out. Returns MIRROR_COLUMNS (see `model.MirrorPair`): cif_usd and fob_usd are the
    two figures by valuation convention (exports: the partner's is CIF; imports: the reporter's is CIF);
    gap_usd = CIF − FOB; gap_pct = gap / FOB; beyond_band is NA unless both sides are reported and the FOB
    figure is positive. Ordered by partner, period, direction.
    """
    selected = _annual(rows)
    if partner is not None and not selected.empty:
        selected = selected[
            ((selected["reporter"] == reporter) & (selected["partner"] == partner))
            | ((selected["reporter"] == partner) & (selected["partner"] == reporter))
        ]
    if not selected.empty:
        selected = selected[selected["source"] == selected["reporter"].map(sources)]
    if selected.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype="float64" if "value" in c else "object") for c in MIRROR_COLUMNS}
        )
    own = selected[(selected["reporter"] == reporter) & (selected["partner"] != reporter)]
    # The partner's exports to the reporter are the mirror of the reporter's imports, and the reverse.
    theirs = selected[(selected["partner"] == reporter) & (selected["reporter"] != reporter)]
    table = pd.merge(
        _side(own, "reporter", _OWN_DIRECTION, "partner"),
        _side(theirs, "partner", _MIRROR_DIRECTION, "reporter"),
        on=_KEYS,
        how="outer",
    ).rename(columns={"counterpart": "partner"})
    table["reporter"] = reporter
    table["year"] = table["period_end"].str[:4].astype("int64")
    exports = table["direction"] == "exports"
    reporter_value = table["reporter_value"].astype("float64")
    partner_value = table["partner_value"].astype("float64")
    table["cif_usd"] = np.where(exports, partner_value, reporter_value)
    table["fob_usd"] = np.where(exports, reporter_value, partner_value)
    table["gap_usd"] = table["cif_usd"] - table["fob_usd"]
    fob = table["fob_usd"].where(table["fob_usd"] > 0)
    table["gap_pct"] = table["gap_usd"] / fob
    table["cif_fob_ratio"] = table["cif_usd"] / fob
    known = table["cif_fob_ratio"].notna()
    inside = table["cif_fob_ratio"].between(band.low, band.high)  # `CifFobBand.contains`, vectorised
    table["beyond_band"] = (~inside).astype("boolean").mask(~known)  # NA where a side is missing
    table = table.sort_values(["partner", "period_start", "period_end", "direction"], kind="stable")
    return table.loc[:, list(MIRROR_COLUMNS)].reset_index(drop=True)


def gap_ranking(table: pd.DataFrame, kinds: Mapping[str, str], names: Mapping[str, str]) -> pd.DataFrame:
    """One year of `mirror_table` (every partner) ranked by the size of the gaps: GAP_RANKING_COLUMNS.

    `kinds`/`names`: each partner's kind and display name. Only partners of RANKED_KINDS (the same partners
    the page ranks) with both reports of at least one flow count.
    """
    columns = list(GAP_RANKING_COLUMNS)
    both = table[table["gap_usd"].notna()] if not table.empty else table
    both = both[both["partner"].map(kinds).isin(RANKED_KINDS)] if not both.empty else both
    if both.empty:
        return pd.DataFrame(columns=columns)
    wide = both.pivot_table(
        index="partner", columns="direction", values=["gap_usd", "gap_pct"], aggfunc="first", dropna=False
    )
    result = pd.DataFrame(index=wide.index)
    for direction in DIRECTIONS:
        for measure in ("gap_usd", "gap_pct"):
            key = (measure, direction)
            result[f"{direction}_{measure}"] = wide[key] if key in wide.columns else np.nan
    result["abs_gap_usd"] = result[["exports_gap_usd", "imports_gap_usd"]].abs().sum(axis=1, min_count=1)
    beyond = both.groupby("partner")["beyond_band"].agg(lambda s: bool(s.fillna(False).any()))
    result["beyond_band"] = beyond.reindex(result.index).fillna(False).astype(bool)
    result = result.reset_index()
    result["name"] = result["partner"].map(names).fillna(result["partner"])
    result = result.sort_values(["abs_gap_usd", "partner"], ascending=[False, True], kind="stable")
    result["rank"] = np.arange(1, len(result) + 1)
    return result.loc[:, columns].reset_index(drop=True)


# --- from the store ---------------------------------------------------------------------------------------


def _sources(queries: TradeQueries, economies: Sequence[str]) -> dict[str, str | None]:
    """The source each economy's annual report is read from: the store's preference (`source_for`)."""
    return {code: queries.source_for(code, "annual") for code in dict.fromkeys(economies)}


def mirror_pair(queries: TradeQueries, reporter: str, partner: str, *, band: CifFobBand) -> MirrorPair:
    """Both reports of the pair, every year: the reporter's rows with the partner and the partner's with it."""
    rows = pd.concat(
        [queries.flow_rows(reporter, partner), queries.flow_rows(partner, reporter)], ignore_index=True
    )
    sources = _sources(queries, [reporter, partner])
    frame = mirror_table(rows, reporter, partner, band=band, sources=sources)
    return MirrorPair(frame, reporter, partner, tuple(sources.items()))


def partner_gaps(queries: TradeQueries, reporter: str, year: int, *, band: CifFobBand) -> GapRanking:
    """The reporter's partner economies ranked by the size of their mirror gaps in `year` (`GapRanking`)."""
    start, end = f"{year:04d}-01", f"{year:04d}-12"
    own = queries.flow_rows(reporter, None, period_start=start, period_end=end)
    theirs = queries.flow_rows(None, reporter, period_start=start, period_end=end)
    rows = pd.concat([own, theirs], ignore_index=True)
    sources = _sources(queries, [reporter, *(str(code) for code in theirs["reporter"])])
    table = mirror_table(rows, reporter, band=band, sources=sources)
    labels = own.drop_duplicates("partner")
    kinds = dict(zip(labels["partner"], labels["partner_kind"], strict=True))
    names = dict(zip(labels["partner"], labels["partner_name"], strict=True))
    ranking = gap_ranking(table, kinds, names)
    return GapRanking(ranking, reporter, year)
