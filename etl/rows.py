"""Row-wise helpers for the large frames of a refresh, fast on the categorical columns the refresh uses."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

# Above this many distinct combinations the combined key is renumbered before another column is mixed in.
_COMPRESS_ABOVE = 1 << 31


def duplicated_rows(
    frame: pd.DataFrame, columns: Sequence[str], *, keep: Literal["first", "last", False]
) -> np.ndarray:
    """What `frame.duplicated(columns, keep=keep)` says, as a boolean array (missing values equal each other).

    Categorical columns count by their integer codes, so no text is hashed: on 2.6 M rows of a world build
    this takes a fraction of the pandas call. Columns pandas cannot factorize fall back to that call.
    """
    if frame.empty or not columns:
        return frame.duplicated(list(columns), keep=keep).to_numpy()
    key = row_keys(frame, columns)
    if key is None:  # unhashable cells
        return frame.duplicated(list(columns), keep=keep).to_numpy()
    if keep is False:
        return _repeated(key)
    return pd.Series(key).duplicated(keep=keep).to_numpy()


def _repeated(key: np.ndarray) -> np.ndarray:
    """Whether each key occurs more than once, found by sorting the keys: on the 2.6 M keys of a world refresh
    numpy's sort takes ~70 ms in their stored order and ~170 ms shuffled, hashing them ~180-210 ms (bench P3:
    the repeats and the validation each ask it once)."""
    order = np.argsort(key)
    ordered = key[order]
    same = ordered[1:] == ordered[:-1]
    repeated = np.zeros(len(key), dtype=bool)
    repeated[1:] |= same
    repeated[:-1] |= same
    found = np.empty(len(key), dtype=bool)
    found[order] = repeated
    return found


def row_keys(frame: pd.DataFrame, columns: Sequence[str]) -> np.ndarray | None:
    """One integer per row, equal for rows equal in `columns` (missing values equal each other) and different
    otherwise; None when a column holds cells pandas cannot factorize. Categorical columns count by their
    codes: rows of two frames compare by key only when their categories are the same (`concat_compact`)."""
    key = np.zeros(len(frame), dtype=np.int64)
    size = 1
    for column in columns:
        values = frame[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes = values.cat.codes.to_numpy().astype(np.int64) + 1  # missing (-1) becomes 0
            count = len(values.cat.categories) + 1
        else:
            try:
                factorized, distinct = pd.factorize(values, use_na_sentinel=False)
            except TypeError:
                return None
            codes, count = factorized.astype(np.int64), max(len(distinct), 1)
        if size * count >= _COMPRESS_ABOVE:
            renumbered, distinct_keys = pd.factorize(key)
            key, size = renumbered.astype(np.int64), max(len(distinct_keys), 1)
        key = key * count + codes
        size *= count
    return key
