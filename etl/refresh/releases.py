"""What each (source, release) changed against the version published before: the `releases` and `revisions`
tables."""

from __future__ import annotations

from typing import Any

import pandas as pd

from etl import schema
from etl.refresh.registry import SOURCE_INFOS


def release_changes(
    current: pd.DataFrame,
    previous: pd.DataFrame | None,
    *,
    read_from: dict[tuple[str, str], str],
    previous_releases: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per (source, release): rows now, and rows added, removed and revised since `previous`; and the
    largest revisions of each source (`schema.REVISIONS_KEPT` by absolute change).

    A release that this refresh left untouched keeps the counts recorded when it arrived (from
    `previous_releases`), so `etl status` still says what that release changed.
    """
    keys = list(schema.KEY_COLUMNS)
    if previous is None or previous.empty:
        return _first_release_changes(current, read_from=read_from), pd.DataFrame(
            columns=list(schema.REVISION_COLUMNS)
        )
    old = previous
    joined = (
        current[[*keys, schema.RELEASE, schema.VALUE_USD, schema.STATUS]]
        .astype({c: "object" for c in (*keys, schema.RELEASE, schema.STATUS)})
        .merge(
            old[[*keys, schema.VALUE_USD, schema.STATUS]].astype({c: "object" for c in keys}),
            on=keys,
            how="outer",
            suffixes=("", "_old"),
            indicator=True,
        )
    )
    removed = joined[joined["_merge"] == "right_only"].groupby(schema.SOURCE).size()
    present = joined[joined["_merge"] != "right_only"]
    before = f"{schema.VALUE_USD}_old"
    both = present[present["_merge"] == "both"]
    value_changed = ~(
        (both[schema.VALUE_USD] == both[before]) | (both[schema.VALUE_USD].isna() & both[before].isna())
    )
    revised_mask = value_changed | (both[schema.STATUS] != both[f"{schema.STATUS}_old"])
    revised_rows = both[revised_mask]
    earlier = _recorded_releases(previous_releases)
    rows = []
    for (source, release), group in present.groupby([schema.SOURCE, schema.RELEASE], sort=True):
        info = SOURCE_INFOS.get(str(source))
        added = int((group["_merge"] == "left_only").sum())
        revised = int(revised_mask.reindex(group.index, fill_value=False).sum())
        gone = int(removed.get(source, 0))
        row = {
            schema.SOURCE: source,
            schema.RELEASE: release,
            "description": f"{info.title}, release {release}" if info else str(release),
            "rows": len(group),
            "rows_added": added,
            "rows_removed": gone,
            "rows_revised": revised,
            "inputs": read_from.get((str(source), str(release)), ""),
        }
        kept = earlier.get((str(source), str(release)))
        if kept is not None and added == 0 and revised == 0 and gone == 0:
            row.update({k: kept[k] for k in ("rows_added", "rows_removed", "rows_revised")})
            row["inputs"] = row["inputs"] or kept["inputs"]
        rows.append(row)
    releases = pd.DataFrame(rows, columns=list(schema.RELEASE_COLUMNS))
    changes = revised_rows[value_changed[revised_mask]].assign(
        **{
            schema.VALUE_BEFORE: lambda f: f[before],
            schema.CHANGE_USD: lambda f: f[schema.VALUE_USD] - f[before],
        }
    )
    largest = (
        changes.assign(_size=changes[schema.CHANGE_USD].abs())
        .sort_values(["_size", *keys], ascending=[False, *([True] * len(keys))], kind="stable")
        .groupby(schema.SOURCE, sort=True)
        .head(schema.REVISIONS_KEPT)
    )
    revisions = largest.loc[:, list(schema.REVISION_COLUMNS)].reset_index(drop=True)
    return releases, revisions


def _first_release_changes(current: pd.DataFrame, *, read_from: dict[tuple[str, str], str]) -> pd.DataFrame:
    """`release_changes` against an empty store: every row is added, nothing removed or revised."""
    counts = current.groupby([schema.SOURCE, schema.RELEASE], sort=True, observed=True).size()
    rows = []
    for key, size in counts.items():
        pair: tuple[Any, Any] = key  # type: ignore[assignment]  # grouped by two columns: a pair
        source, release = str(pair[0]), str(pair[1])
        info = SOURCE_INFOS.get(source)
        rows.append(
            {
                schema.SOURCE: str(source),
                schema.RELEASE: str(release),
                "description": f"{info.title}, release {release}" if info else str(release),
                "rows": int(size),
                "rows_added": int(size),
                "rows_removed": 0,
                "rows_revised": 0,
                "inputs": read_from.get((str(source), str(release)), ""),
            }
        )
    return pd.DataFrame(rows, columns=list(schema.RELEASE_COLUMNS))


def _recorded_releases(previous_releases: pd.DataFrame | None) -> dict[tuple[str, str], dict[Any, Any]]:
    if previous_releases is None or previous_releases.empty:
        return {}
    return {(str(r[schema.SOURCE]), str(r[schema.RELEASE])): r for r in previous_releases.to_dict("records")}
