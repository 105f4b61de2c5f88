"""Helpers many test files share: tidy rows as tuples, a file written in a test, `python -m etl` as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from tests.conftest import REPO_ROOT

# The columns `tidy` compares: every tidy column a parser decides, plus where the figure came from.
TIDY_COLUMNS = (
    "reporter",
    "partner",
    "flow",
    "period_start",
    "period_end",
    "value_usd",
    "valuation",
    "origin",
)


def tidy(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    """The rows of `frame` as tuples of `TIDY_COLUMNS`, in the frame's order."""
    return [tuple(row) for row in frame[list(TIDY_COLUMNS)].itertuples(index=False)]


def write(folder: Path, name: str, body: Any, *, pretty: bool = True) -> Path:
    """`folder/name` holding `body`: text (UTF-8) or bytes as given, anything else as JSON (indented when
    `pretty`, else compact)."""
    path = folder / name
    if isinstance(body, str | bytes):
        path.write_bytes(body.encode() if isinstance(body, str) else body)
    else:
        text = json.dumps(body, indent=2) if pretty else json.dumps(body, separators=(",", ":"))
        path.write_text(text, encoding="utf-8")
    return path


def etl_environment(tmp_path: Path) -> dict[str, str]:
    """This process's environment with the ETL's store and raw folders under `tmp_path` (the shipped snapshot)."""
    return os.environ | {
        "TRADE_STORE_DIR": str(tmp_path / "store"),
        "TRADE_RAW_DIR": str(tmp_path / "raw"),
        "TRADE_SNAPSHOT_DIR": str(REPO_ROOT / "data" / "snapshot"),
    }


def run_etl(*args: str, env: Mapping[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`python -m etl ARGS` as a user runs it: a real process started in the repository, its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=REPO_ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
