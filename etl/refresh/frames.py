"""Tidy frames (with origins) as a refresh holds them: code columns as categoricals with sorted categories.

Codes repeat millions of times in a world build: categoricals keep the peak memory of a world refresh down and
make grouping, sorting and comparing them cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.api.types import union_categoricals

from etl import schema
from etl.rows import duplicated_rows, row_keys
from etl.sources import empty_rows

CODE_COLUMNS = (schema.SOURCE, schema.REPORTER, schema.PARTNER, schema.FLOW, schema.VALUATION, schema.STATUS)
# Columns held as categoricals while a refresh runs: a few hundred distinct values over millions of rows.
COMPACT_COLUMNS = (*CODE_COLUMNS, schema.PERIOD_START, schema.PERIOD_END, schema.RELEASE)
# Text columns as `canonical_with_origin` writes them (the shipped snapshot's column types).
_TEXT_COLUMNS = (schema.PERIOD_START, schema.PERIOD_END, schema.RELEASE)


def empty_frame() -> pd.DataFrame:
    """A tidy frame with origins and no rows."""
    return empty_rows()


def compact(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every one of `COMPACT_COLUMNS` it has categorical (categories in sorted order)."""
    wanted = {
        c: "category"
        for c in COMPACT_COLUMNS
        if c in frame.columns and not isinstance(frame[c].dtype, pd.CategoricalDtype)
    }
    return frame.astype(wanted) if wanted else frame


def concat_compact(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Frames with the same columns, one after the other, with a fresh index; categorical columns stay
    categorical (categories merged, in sorted order) instead of turning into millions of Python strings."""
    filled = [f for f in frames if len(f)]
    if not filled:
        return frames[0].iloc[0:0].reset_index(drop=True) if frames else empty_frame()
    if len(filled) == 1:
        return filled[0].reset_index(drop=True)
    columns: dict[str, Any] = {}
    for column in filled[0].columns:
        parts = [f[column] for f in filled]
        if all(isinstance(p.dtype, pd.CategoricalDtype) for p in parts):
            columns[column] = union_categoricals([p.array for p in parts], sort_categories=True)
        else:
            columns[column] = pd.concat(parts, ignore_index=True)
    return pd.DataFrame(columns)


def without_identical_repeats(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Rows whose key *and* figures repeat an earlier row are dropped (the first origin is kept).

    Rows that share a key but differ in value or status stay, so validation reports them as conflicts.
    (Among the IMF workbooks, DOTS_143 and DOTS_144 are two copies of Nicaragua's table.)
    """
    if frame.empty:
        return frame, []
    identity = [*schema.KEY_COLUMNS, schema.VALUE_USD, schema.STATUS]
    # Rows repeating another's identity repeat its key: only rows with a repeated key are compared in full.
    same_key = np.flatnonzero(duplicated_rows(frame, schema.KEY_COLUMNS, keep=False))
    involved = same_key[duplicated_rows(frame.iloc[same_key], identity, keep=False)]
    if not len(involved):
        return frame, []
    # Only rows that repeat another are ordered by origin (the first origin wins); the rest keep their order.
    ordered = frame.iloc[involved].reset_index(drop=True).sort_values(schema.ORIGIN, kind="stable")
    repeat = ordered.duplicated(identity, keep="first").to_numpy()
    dropped = ordered[repeat]
    files = sorted({o.split("!")[0] for o in dropped[schema.ORIGIN].astype(str)})
    note = f"{int(repeat.sum()):,} figures repeated identically in {', '.join(files[:5])} were kept once"
    keep = np.ones(len(frame), dtype=bool)
    keep[involved[dropped.index.to_numpy()]] = False
    return rows_kept(frame, keep), [note]


def rows_kept(frame: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """`frame`'s rows where `keep` is true, with a fresh index.

    Arrow-backed columns (the 2.6 M `origin` texts of a world build) are filtered chunk by chunk, and a chunk
    that loses no row is shared instead of copied: pandas' own row selection took 0.3-1.0 s of a ~6.5 s
    refresh to drop one workbook's repeats (bench P3), most of it copying texts that all stay.
    """
    columns: dict[str, Any] = {}
    for name in frame.columns:
        values = frame[name]
        if _arrow_backed(values.dtype):
            columns[name] = pd.array(_chunks_kept(pa.array(values), keep), dtype=values.dtype)
        else:
            columns[name] = pd.Series(values.array[keep], dtype=values.dtype)  # object stays object
    return pd.DataFrame(columns, columns=frame.columns)


def _arrow_backed(dtype: object) -> bool:
    return isinstance(dtype, pd.ArrowDtype) or (
        isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"
    )


def _chunks_kept(values: pa.Array | pa.ChunkedArray, keep: np.ndarray) -> pa.ChunkedArray:
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    kept = []
    start = 0
    for chunk in chunks:
        part = keep[start : start + len(chunk)]
        start += len(chunk)
        kept.append(chunk if part.all() else chunk.filter(pa.array(part)))
    return pa.chunked_array(kept, type=values.type)


def combine(base: pd.DataFrame, newer: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """`base` with every row whose key appears in `newer` replaced by the newer row; and how many were."""
    if newer.empty:
        return base, 0
    if base.empty:
        return newer, 0
    keys = list(schema.KEY_COLUMNS)
    # Both frames' keys as integers over shared categories: writing 2.6 M keys of a world build as text to
    # compare them took ~1.6 s of a ~10 s refresh (bench P3).
    both = concat_compact([compact(base[keys]), compact(newer[keys])])
    codes = row_keys(both, keys)
    assert codes is not None, "the key columns are categorical after compact(): counted by their codes"
    # pandas hashes the newer keys (~50 ms for 2.6 M); numpy's isin sorts them all (~2 s).
    superseded = pd.Series(codes[: len(base)]).isin(codes[len(base) :]).to_numpy()
    merged = concat_compact([compact(base[~superseded]), compact(newer)])
    return merged, int(superseded.sum())


def canonical_with_origin(frame: pd.DataFrame) -> pd.DataFrame:
    """The tidy columns plus `origin` as plain text columns, in `schema.SORT_COLUMNS` order (the form of the
    shipped snapshot and of `python -m etl parse`)."""
    columns = [*schema.TRADE_FLOW_COLUMNS, schema.ORIGIN]
    ordered = frame.loc[:, columns].astype(
        {c: "object" for c in CODE_COLUMNS} | {c: "str" for c in _TEXT_COLUMNS if c in _categorical(frame)}
    )
    return ordered.sort_values(list(schema.SORT_COLUMNS), kind="stable").reset_index(drop=True)


def _categorical(frame: pd.DataFrame) -> set[str]:
    return {c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)}
