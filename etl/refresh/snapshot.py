"""The economy-centred snapshot the app ships with (data/snapshot/): read at every refresh, rebuilt on demand."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from etl import schema, store
from etl.refresh.frames import canonical_with_origin, empty_frame
from etl.sources import imf_dots_excel

SNAPSHOT_FILE = "trade_flows.parquet"
SNAPSHOT_MANIFEST = "manifest.json"
# The economy the shipped snapshot is centred on: its own report plus every reporter's rows for it.
SNAPSHOT_FOCUS = "AZE"


def read_snapshot(snapshot_dir: Path) -> tuple[pd.DataFrame, dict[str, object]]:
    """The shipped tidy snapshot (with origins) and its manifest; empty when none is shipped."""
    path = snapshot_dir / SNAPSHOT_FILE
    if not path.exists():
        return empty_frame(), {}
    manifest_path = snapshot_dir / SNAPSHOT_MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:
        raise store.StoreError(
            f"the shipped snapshot {path} cannot be read ({exc}); restore it from git"
        ) from exc
    return frame, manifest


def focus_rows(frame: pd.DataFrame, economy: str) -> pd.DataFrame:
    """The rows centred on one economy: its own report, plus every other reporter's rows for it."""
    mask = (frame[schema.REPORTER] == economy) | (frame[schema.PARTNER] == economy)
    return frame[mask]


def write_snapshot(frame: pd.DataFrame, *, snapshot_dir: Path, inputs: Sequence[Path], release: str) -> Path:
    """Write the economy-centred snapshot the app ships with, and a manifest naming its source and inputs."""
    snapshot_dir.mkdir(parents=True, exist_ok=True)
    rows = canonical_with_origin(focus_rows(frame, SNAPSHOT_FOCUS))
    path = snapshot_dir / SNAPSHOT_FILE
    rows.to_parquet(path, index=False, compression="zstd")
    info = imf_dots_excel.INFO
    manifest = {
        "source": info.source,
        "title": info.title,
        "publisher": info.publisher,
        "attribution": info.attribution,
        "licence": info.licence,
        "release": release,
        "unit_original": info.unit_original,
        "unit_stored": "US dollars (full units)",
        "selection": f"rows with reporter {SNAPSHOT_FOCUS} or partner {SNAPSHOT_FOCUS}",
        "rows": len(rows),
        "inputs": {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(inputs, key=lambda p: p.name)
        },
        "built_with": "python -m etl snapshot --input ../shared/data/imf-dots/*.xlsx",
    }
    (snapshot_dir / SNAPSHOT_MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return path
