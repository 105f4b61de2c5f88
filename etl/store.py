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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

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


@dataclass(frozen=True)
class Prepared:
    """The tables of a version as they are handed to DuckDB (`prepare`): Arrow, in stored order where the
    refresh's categoricals allow it."""

    incoming: dict[str, _Incoming]


def prepare(tables: StoreTables) -> Prepared:
    """`tables` made ready to write. It only reads `tables`, so a refresh runs it beside its validation (bench
    P3: ~0.5 s of a world refresh, mostly Arrow and numpy work that lets go of the GIL)."""
    # trade_flows and provenance are columns of the same rows: their sort is worked out once (bench P3).
    sorts: list[_Sort] = []
    return Prepared({name: _incoming(frame, name, sorts=sorts) for name, frame in tables.by_name().items()})


def publish(
    tables: StoreTables, *, store_dir: Path, now: datetime | None = None, prepared: Prepared | None = None
) -> Publication:
    """Write `tables` as a new store version and switch the pointer to it (`prepared`: what `prepare` gave
    for these very tables, when the caller made it beforehand).

    Either the whole new version becomes current or (on any exception or kill) the previous one stays
    current, untouched. Also writes the tidy table as Parquet beside the store for use outside the app.
    """
    checkpoint("publish:start")
    store_dir.mkdir(parents=True, exist_ok=True)
    incoming = (prepared or prepare(tables)).incoming
    # The rows are put in `_SORT_ORDER` by DuckDB as they are inserted (see `_write_duckdb`).
    checkpoint("publish:sorted")
    scratch = store_dir / f".tmp-{uuid.uuid4().hex}.duckdb"
    parquet_scratch = store_dir / f".tmp-{uuid.uuid4().hex}.parquet"
    final: Path | None = None
    # Rows already in order go to Parquet from Arrow on a thread while DuckDB writes: pyarrow and DuckDB both
    # let go of the GIL, and DuckDB leaves part of the second core idle (bench P3: ~0.3 s of a world refresh).
    arrow_rows = _arrow_in_order(incoming[schema.TRADE_FLOWS])
    with ThreadPoolExecutor(max_workers=1) as beside:
        early_parquet = (
            None if arrow_rows is None else beside.submit(_write_arrow_parquet, parquet_scratch, arrow_rows)
        )
        try:
            try:
                digest = _write_duckdb(scratch, incoming)
            except duckdb.Error as exc:  # e.g. a full disk: DuckDB's own error type, not an OSError
                raise StoreError(f"cannot write the new store version in {store_dir}: {exc}") from exc
            checkpoint("publish:written")
            version = _new_version(digest, now or datetime.now(UTC))
            final = store_dir / f"trade-{version}.duckdb"
            _fsync(scratch)
            checkpoint("publish:synced")
            os.replace(scratch, final)
            checkpoint("publish:renamed")
            try:
                if early_parquet is not None:
                    early_parquet.result()
                else:
                    _copy_parquet(parquet_scratch, final)
            except (duckdb.Error, pa.ArrowException) as exc:
                raise StoreError(f"cannot write the Parquet copy in {store_dir}: {exc}") from exc
            os.replace(parquet_scratch, final.with_suffix(".parquet"))
            checkpoint("publish:parquet")
            _switch_pointer(store_dir, final.name)
            checkpoint("publish:switched")
        except BaseException:
            if early_parquet is not None:
                early_parquet.cancel()
                with contextlib.suppress(Exception):
                    early_parquet.result()  # its file is removed below only once nothing writes it
            # Leave no half-written file behind. The pointer is replaced last, so it still names the old version.
            leftovers = [scratch, Path(f"{scratch}.wal"), parquet_scratch]
            if final is not None:
                leftovers += [final, final.with_suffix(".parquet")]
            for leftover in leftovers:
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
            raise
    assert final is not None
    _remove_old_versions(store_dir, keep=final.name)
    checkpoint("publish:cleaned")
    return Publication(path=final, version=version, trade_flow_rows=len(tables.trade_flows))


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


def _new_version(digest: str, now: datetime) -> str:
    # Time first so names sort by age; a content digest so two versions are told apart at a glance.
    return f"{now.strftime('%Y%m%dT%H%M%S%f')}Z-{digest[:8]}"


_POSITION = "__position"  # the incoming row number: ties in the sort keep their order, as a stable sort does


@dataclass(frozen=True)
class _Incoming:
    """One table's rows as handed to DuckDB; `presorted` when they already are in `_SORT_ORDER`."""

    rows: pa.Table | pd.DataFrame
    presorted: bool


def _incoming(frame: pd.DataFrame, table: str, *, sorts: list[_Sort] | None = None) -> _Incoming:
    """`frame`'s columns of `table`, in their fixed order, as Arrow (categoricals become dictionary-encoded
    text, which DuckDB reads without a Python object per cell).

    When every sort column is a categorical with sorted categories (as the refresh builds them), the rows are
    put in order here from the integer codes, in a fraction of the time DuckDB needs to sort millions of
    texts; otherwise the row number `_POSITION` is added and `_write_duckdb` sorts. `sorts` remembers the
    sorts worked out by earlier calls.
    """
    columns = list(_TABLE_COLUMNS[table])
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise StoreError(f"table {table!r} lacks column(s) {', '.join(missing)}")
    ordered = frame.loc[:, columns].reset_index(drop=True)
    positions = _sort_of(ordered, _SORT_ORDER[table], [] if sorts is None else sorts)
    try:
        arrow = pa.Table.from_pandas(ordered, preserve_index=False)
    except (pa.ArrowException, ValueError, TypeError):
        # Mixed Python objects in a column (hand-made frames): DuckDB reads the frame itself, casting on insert.
        return _Incoming(ordered.assign(**{_POSITION: np.arange(len(ordered))}), presorted=False)
    if positions is not None:
        return _Incoming(arrow.take(pa.array(positions)), presorted=True)
    return _Incoming(arrow.append_column(_POSITION, pa.array(np.arange(len(ordered)))), presorted=False)


@dataclass(frozen=True)
class _Sort:
    """The stable sort of some rows by their sort columns' codes and categories (see `_sort_of`)."""

    codes: tuple[np.ndarray, ...]
    categories: tuple[tuple[str, ...], ...]
    positions: np.ndarray


def _sort_of(frame: pd.DataFrame, columns: tuple[str, ...], known: list[_Sort]) -> np.ndarray | None:
    """The stable sort of `frame` by `columns` from categorical codes, or None when a column is not a
    categorical of texts in sorted order (then the codes' order is not the texts' order).

    Taken from `known` when an earlier frame had the same codes and categories in those columns, else worked
    out and added to it: trade_flows and provenance are columns of the same rows, and one sort of a world
    refresh's 2.6 M keys saves ~0.1 s (bench P3).
    """
    codes: list[np.ndarray] = []
    categories: list[tuple[str, ...]] = []
    for column in columns:
        values = frame[column]
        if not isinstance(values.dtype, pd.CategoricalDtype):
            return None
        texts = values.cat.categories
        if not all(isinstance(c, str) for c in texts) or not texts.is_monotonic_increasing:
            return None
        codes.append(values.cat.codes.to_numpy())
        categories.append(tuple(texts))
    for sort in known:
        if sort.categories == tuple(categories) and all(
            a is b or np.array_equal(a, b) for a, b in zip(sort.codes, codes, strict=True)
        ):
            return sort.positions
    # A missing cell (code -1) sorts last, as it does in a pandas sort and DuckDB's ORDER BY.
    keys = [
        np.where(c < 0, len(texts), c) if (c < 0).any() else c
        for c, texts in zip(codes, categories, strict=True)
    ]
    positions = np.lexsort(keys[::-1])  # np.lexsort: the last key is the primary one; stable
    known.append(_Sort(tuple(codes), tuple(categories), positions))
    return positions


_DUCKDB_TYPES: dict[str, str] = {
    schema.VALUE_USD: "DOUBLE",
    schema.VALUE_BEFORE: "DOUBLE",
    schema.CHANGE_USD: "DOUBLE",
    "rows": "BIGINT",
    "rows_added": "BIGINT",
    "rows_removed": "BIGINT",
    "rows_revised": "BIGINT",
}


def _write_duckdb(path: Path, incoming: dict[str, _Incoming]) -> str:
    """Write every table, each sorted by `_SORT_ORDER` (ties in incoming order); returns a hex digest of
    the trade_flows rows."""
    con = duckdb.connect(str(path))
    checkpoint("duckdb:opened")
    try:
        for name, table in incoming.items():
            names = list(_TABLE_COLUMNS[name])
            columns = ", ".join(f'"{c}" {_DUCKDB_TYPES.get(c, "VARCHAR")}' for c in names)
            con.execute(f'CREATE TABLE "{name}" ({columns})')
            checkpoint(f"duckdb:created:{name}")
            con.register("incoming", table.rows)
            selected = ", ".join(f'"{c}"' for c in names)
            if table.presorted:
                # DuckDB keeps the insertion order of a plain INSERT ... SELECT (preserve_insertion_order).
                con.execute(f'INSERT INTO "{name}" SELECT {selected} FROM incoming')  # noqa: S608
            else:
                # Sort keys cast to the stored type: text compares by code point, as a pandas sort does.
                order = ", ".join(
                    [f'CAST("{c}" AS {_DUCKDB_TYPES.get(c, "VARCHAR")})' for c in _SORT_ORDER[name]]
                    + [_POSITION]
                )
                con.execute(f'INSERT INTO "{name}" SELECT {selected} FROM incoming ORDER BY {order}')  # noqa: S608
            con.unregister("incoming")
            checkpoint(f"duckdb:inserted:{name}")
        con.execute("CHECKPOINT")
        checkpoint("duckdb:checkpointed")
        digest = _digest(con)
    finally:
        con.close()
    return digest


def _digest(con: duckdb.DuckDBPyConnection) -> str:
    """A hex digest of the trade_flows rows: equal contents give equal digests."""
    columns = ", ".join(f'"{c}"' for c in schema.TRADE_FLOW_COLUMNS)
    row = con.execute(
        f'SELECT count(*), bit_xor(hash({columns})) FROM "{schema.TRADE_FLOWS}"'  # noqa: S608 - fixed names
    ).fetchone()
    assert row is not None
    return hashlib.sha256(f"{row[0]}:{row[1]}".encode()).hexdigest()


def _arrow_in_order(trade_flows: _Incoming) -> pa.Table | None:
    """The trade_flows rows as Arrow when they already are in their stored order, else None."""
    return trade_flows.rows if trade_flows.presorted and isinstance(trade_flows.rows, pa.Table) else None


def _write_arrow_parquet(path: Path, rows: pa.Table) -> None:
    """The store's trade_flows rows, already in stored order, as Parquet (dictionary-encoded columns go
    straight to Parquet's dictionary pages; no Arrow schema is stored, so readers see plain text columns)."""
    pq.write_table(rows, path, store_schema=False)
    checkpoint("parquet:written")


def _copy_parquet(path: Path, store_file: Path) -> None:
    """The store file's trade_flows table, in its stored order, copied out as Parquet by DuckDB (for rows
    that were not in order as they came)."""
    target = str(path).replace("'", "''")  # a quoted SQL string literal; COPY takes no parameter here
    with _connect(store_file) as con:
        con.execute(f"COPY \"{schema.TRADE_FLOWS}\" TO '{target}' (FORMAT parquet)")
    checkpoint("parquet:written")


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
