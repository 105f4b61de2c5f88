"""Where the ETL reads and writes: read once from the environment and passed down (nothing on import)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    store_dir: Path
    raw_dir: Path
    snapshot_dir: Path
    reference_dir: Path

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """`TRADE_STORE_DIR`, `TRADE_RAW_DIR`, `TRADE_SNAPSHOT_DIR` override the folders under `data/`."""
        data = REPO_ROOT / "data"
        return cls(
            store_dir=Path(environ.get("TRADE_STORE_DIR", data / "store")),
            raw_dir=Path(environ.get("TRADE_RAW_DIR", data / "raw")),
            snapshot_dir=Path(environ.get("TRADE_SNAPSHOT_DIR", data / "snapshot")),
            reference_dir=data / "reference",
        )
