"""The published store: versioned DuckDB files and an atomically switched pointer.

A DuckDB file has one writer and a reader in another process blocks it, so a refresh never writes the file
the dashboard reads. It writes a complete new file under a temporary name, makes it durable, renames it to
its version name and only then replaces the small `CURRENT` pointer with `os.replace` (atomic on POSIX).
A refresh killed at any point therefore leaves `CURRENT` naming the complete old version; readers notice
a new pointer and reopen (see `dashboard.queries`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl import schema
from etl.faults import checkpoint

POINTER = "CURRENT"
_VERSION_FILE = re.compile(r"^trade-(?P<version>\d{8}T\d{6}\d{6}Z-[0-9a-f]{8})\.duckdb$")
# Versions kept besides the current one: a reader that opened the previous version a moment before the
# switch can finish its query; anything older is removed.
KEEP_PREVIOUS = 1

_TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    schema.TRADE_FLOWS: schema.TRADE_FLOW_COLUMNS,
    schema.PROVENANCE: schema.PROVENANCE_COLUMNS,
    schema.AREAS: schema.AREA_COLUMNS,
    schema.SOURCES: schema.SOURCE_COLUMNS,
    schema.RELEASES: schema.RELEASE_COLUMNS,
    schema.REVISIONS: schema.REVISION_COLUMNS,
}
_SORT_ORDER: dict[str, tuple[str, ...]] = {
    schema.TRADE_FLOWS: schema.SORT_COLUMNS,
    schema.PROVENANCE: schema.SORT_COLUMNS,
    schema.AREAS: (schema.CODE,),
    schema.SOURCES: (schema.SOURCE,),
    schema.RELEASES: (schema.SOURCE, schema.RELEASE),
    schema.REVISIONS: (schema.SOURCE, schema.CHANGE_USD, *schema.KEY_COLUMNS),
}


class StoreError(RuntimeError):
    """The store cannot be read or written; the message says which file and what to do."""


@dataclass(frozen=True)
class StoreTables:
    """Everything one published version holds. Frames carry exactly the columns named in `etl.schema`."""

    trade_flows: pd.DataFrame
    provenance: pd.DataFrame
    areas: pd.DataFrame
    sources: pd.DataFrame
    releases: pd.DataFrame
    revisions: pd.DataFrame = dataclasses.field(
        default_factory=lambda: pd.DataFrame(columns=list(schema.REVISION_COLUMNS))
    )

    def by_name(self) -> dict[str, pd.DataFrame]:
        return {
            schema.TRADE_FLOWS: self.trade_flows,
            schema.PROVENANCE: self.provenance,
            schema.AREAS: self.areas,
            schema.SOURCES: self.sources,
            schema.RELEASES: self.releases,
            schema.REVISIONS: self.revisions,
        }


@dataclass(frozen=True)
class Publication:
    """What `publish` wrote: the new version's file and its row count."""

    path: Path
    version: str
    trade_flow_rows: int


def canonical(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """`frame` reduced to the table's columns in their fixed order and sorted, with a fresh index.

    Sorting makes a rerun over the same inputs give identical tables and makes reporter-first queries fast.
    """
    columns = list(_TABLE_COLUMNS[table])
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise StoreError(f"table {table!r} lacks column(s) {', '.join(missing)}")
    ordered = frame.loc[:, columns]
    return ordered.sort_values(list(_SORT_ORDER[table]), kind="stable").reset_index(drop=True)


def current_store_path(store_dir: Path) -> Path | None:
    """The published DuckDB file named by the pointer, or None when nothing has been published yet."""
    pointer = store_dir / POINTER
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if not _VERSION_FILE.match(name):
        raise StoreError(
            f"{pointer} names {name!r}, which is not a store version; rerun `python -m etl refresh`"
        )
    path = store_dir / name
    if not path.is_file():
        raise StoreError(f"{pointer} names {name}, which does not exist; rerun `python -m etl refresh`")
    return path


def publish(tables: StoreTables, *, store_dir: Path, now: datetime | None = None) -> Publication:
    """Write `tables` as a new store version and switch the pointer to it.

    Either the whole new version becomes current or (on any exception or kill) the previous one stays
    current, untouched. Also writes the tidy table as Parquet beside the store for use outside the app.
    """
    checkpoint("publish:start")
    store_dir.mkdir(parents=True, exist_ok=True)
    frames = {name: canonical(frame, name) for name, frame in tables.by_name().items()}
    checkpoint("publish:sorted")
    version = _new_version(frames[schema.TRADE_FLOWS], now or datetime.now(UTC))
    final = store_dir / f"trade-{version}.duckdb"
    scratch = store_dir / f".tmp-{uuid.uuid4().hex}.duckdb"
    try:
        try:
            _write_duckdb(scratch, frames)
        except duckdb.Error as exc:  # e.g. a full disk: DuckDB's own error type, not an OSError
            raise StoreError(f"cannot write the new store version in {store_dir}: {exc}") from exc
        checkpoint("publish:written")
        _fsync(scratch)
        checkpoint("publish:synced")
        os.replace(scratch, final)
        checkpoint("publish:renamed")
        _write_parquet(store_dir / f"trade-{version}.parquet", frames[schema.TRADE_FLOWS])
        checkpoint("publish:parquet")
        _switch_pointer(store_dir, final.name)
        checkpoint("publish:switched")
    except BaseException:
        # Leave no half-written file behind. The pointer is replaced last, so it still names the old version.
        for leftover in (scratch, Path(f"{scratch}.wal"), final, final.with_suffix(".parquet")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        raise
    _remove_old_versions(store_dir, keep=final.name)
    checkpoint("publish:cleaned")
    return Publication(path=final, version=version, trade_flow_rows=len(frames[schema.TRADE_FLOWS]))


def read_table(path: Path, table: str) -> pd.DataFrame:
    """One table of a store file, in its stored order."""
    with _connect(path) as con:
        return con.execute(f'SELECT * FROM "{_known_table(table)}"').df()  # noqa: S608 - name from a fixed list


def read_published(store_dir: Path, table: str) -> pd.DataFrame | None:
    """One table of the published version, or None when nothing is published."""
    path = current_store_path(store_dir)
    return None if path is None else read_table(path, table)


def versions(store_dir: Path) -> list[Path]:
    """Store version files present in `store_dir`, oldest first."""
    found = [p for p in store_dir.glob("trade-*.duckdb") if _VERSION_FILE.match(p.name)]
    return sorted(found, key=lambda p: p.name)


@contextlib.contextmanager
def _connect(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise StoreError(f"cannot open the store {path}: {exc}") from exc
    try:
        yield con
    finally:
        con.close()


def _known_table(table: str) -> str:
    if table not in _TABLE_COLUMNS:
        raise StoreError(f"unknown table {table!r}; known: {', '.join(_TABLE_COLUMNS)}")
    return table


def _new_version(trade_flows: pd.DataFrame, now: datetime) -> str:
    # Time first so names sort by age; a content digest so two versions are told apart at a glance.
    digest = hashlib.sha256(pd.util.hash_pandas_object(trade_flows, index=False).to_numpy().tobytes())
    return f"{now.strftime('%Y%m%dT%H%M%S%f')}Z-{digest.hexdigest()[:8]}"


_DUCKDB_TYPES: dict[str, str] = {
    schema.VALUE_USD: "DOUBLE",
    schema.VALUE_BEFORE: "DOUBLE",
    schema.CHANGE_USD: "DOUBLE",
    "rows": "BIGINT",
    "rows_added": "BIGINT",
    "rows_removed": "BIGINT",
    "rows_revised": "BIGINT",
}


def _write_duckdb(path: Path, frames: dict[str, pd.DataFrame]) -> None:
    con = duckdb.connect(str(path))
    checkpoint("duckdb:opened")
    try:
        for name, frame in frames.items():
            columns = ", ".join(f'"{c}" {_DUCKDB_TYPES.get(c, "VARCHAR")}' for c in frame.columns)
            con.execute(f'CREATE TABLE "{name}" ({columns})')
            checkpoint(f"duckdb:created:{name}")
            con.register("incoming", frame)
            con.execute(f'INSERT INTO "{name}" SELECT * FROM incoming')  # noqa: S608 - fixed table names
            con.unregister("incoming")
            checkpoint(f"duckdb:inserted:{name}")
        con.execute("CHECKPOINT")
        checkpoint("duckdb:checkpointed")
    finally:
        con.close()


def _write_parquet(path: Path, trade_flows: pd.DataFrame) -> None:
    scratch = path.with_name(f".tmp-{uuid.uuid4().hex}.parquet")
    trade_flows.to_parquet(scratch, index=False)
    checkpoint("parquet:written")
    os.replace(scratch, path)


def _switch_pointer(store_dir: Path, target_name: str) -> None:
    scratch = store_dir / f".{POINTER}.{uuid.uuid4().hex}"
    with scratch.open("w", encoding="utf-8") as handle:
        checkpoint("pointer:opened")
        handle.write(target_name + "\n")
        handle.flush()
        checkpoint("pointer:written")
        os.fsync(handle.fileno())
    checkpoint("pointer:synced")
    os.replace(scratch, store_dir / POINTER)
    checkpoint("pointer:replaced")
    _fsync_dir(store_dir)


def _remove_old_versions(store_dir: Path, *, keep: str) -> None:
    older = [p for p in versions(store_dir) if p.name != keep]
    for stale in older[: max(0, len(older) - KEEP_PREVIOUS)]:
        for path in (stale, stale.with_suffix(".parquet")):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            checkpoint("cleanup:unlinked")
    for scratch in store_dir.glob(".tmp-*"):
        with contextlib.suppress(FileNotFoundError):
            scratch.unlink()


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
