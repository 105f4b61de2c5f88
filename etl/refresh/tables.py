"""The tables one publication holds, built from a validated tidy frame with origins."""

from __future__ import annotations

import pandas as pd

from etl import schema, store
from etl.reference import Reference
from etl.refresh.registry import SOURCE_INFOS
from etl.refresh.releases import release_changes


def build_tables(
    frame: pd.DataFrame,
    *,
    reference: Reference,
    previous: pd.DataFrame | None,
    read_from: dict[tuple[str, str], str] | None = None,
    previous_releases: pd.DataFrame | None = None,
) -> store.StoreTables:
    """The five published tables for a validated frame; `releases` counts changes against `previous`
    and says what each (source, release) was `read_from`."""
    # Categorical columns stay categorical: `store.publish` hands them to DuckDB as dictionary-encoded text.
    trade_flows = frame.loc[:, list(schema.TRADE_FLOW_COLUMNS)]
    provenance = frame.loc[:, list(schema.PROVENANCE_COLUMNS)]
    present = {str(s) for s in trade_flows[schema.SOURCE].unique()}
    sources = pd.DataFrame(
        [
            {
                schema.SOURCE: info.source,
                "publisher": info.publisher,
                "title": info.title,
                "url": info.url,
                "licence": info.licence,
                "attribution": info.attribution,
                "unit_original": info.unit_original,
            }
            for name, info in SOURCE_INFOS.items()
            if name in present
        ],
        columns=list(schema.SOURCE_COLUMNS),
    )
    releases, revisions = release_changes(
        trade_flows, previous, read_from=read_from or {}, previous_releases=previous_releases
    )
    return store.StoreTables(
        trade_flows=trade_flows,
        provenance=provenance,
        areas=reference.areas(),
        sources=sources,
        releases=releases,
        revisions=revisions,
    )
