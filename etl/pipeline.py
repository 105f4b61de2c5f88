"""The refresh: snapshot and raw files -> tidy frame -> validation -> a new published store version.

Nothing is published unless every input parsed and validated; problems are collected and raised once.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from etl import raw, schema, store
from etl.problems import DataProblems, Problem
from etl.reference import Reference
from etl.rows import duplicated_rows
from etl.settings import Settings
from etl.sources import (
    CodedRows,
    Selection,
    SourceInfo,
    coded_frame,
    comtrade,
    comtrade_legacy,
    customs_az,
    empty_rows,
    imf_compact_json,
    imf_dots_excel,
    imf_sdmx,
    stat_az,
)
from etl.validate import problems_in

# --source name -> module, each of the shape described in etl/sources/__init__.py. One line per source.
SOURCE_MODULES: dict[str, ModuleType] = {
    module.INFO.cli_name: module
    for module in (
        imf_dots_excel,
        imf_sdmx,
        imf_compact_json,
        stat_az,
        customs_az,
        comtrade,
        comtrade_legacy,
    )
}
SOURCE_INFOS: dict[str, SourceInfo] = {m.INFO.source: m.INFO for m in SOURCE_MODULES.values()}

SNAPSHOT_FILE = "trade_flows.parquet"
SNAPSHOT_MANIFEST = "manifest.json"
# The economy the shipped snapshot is centred on: its own report plus every reporter's rows for it.
SNAPSHOT_FOCUS = "AZE"

CODE_COLUMNS = (schema.SOURCE, schema.REPORTER, schema.PARTNER, schema.FLOW, schema.VALUATION, schema.STATUS)
# Columns held as categoricals while a refresh runs: a few hundred distinct values over millions of rows.
COMPACT_COLUMNS = (*CODE_COLUMNS, schema.PERIOD_START, schema.PERIOD_END, schema.RELEASE)
# Text columns as `canonical_with_origin` writes them (the shipped snapshot's column types).
_TEXT_COLUMNS = (schema.PERIOD_START, schema.PERIOD_END, schema.RELEASE)
Progress = Callable[[str], None]


def _no_progress(_: str) -> None:
    return None


@dataclass
class Inputs:
    """A tidy frame with origins, the problems met reading it and notes worth telling the user."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def empty_frame() -> pd.DataFrame:
    """A tidy frame with origins and no rows."""
    return empty_rows()


def parse_files(
    paths: Sequence[Path],
    *,
    source: str,
    release: str,
    reference: Reference,
    progress: Progress = _no_progress,
    workers: int | None = None,
) -> Inputs:
    """Parse files of one source's native format; identical repeats across files are kept once.

    Sources whose module sets `PARALLEL_PARSE` are read by up to `workers` processes at once (default: one per
    CPU core); the result, problems included, is the same as reading the files one after the other.
    """
    module = SOURCE_MODULES[source]
    pieces: list[pd.DataFrame | CodedRows] = []
    problems: list[Problem] = []
    notes: list[str] = []
    present = []
    for path in paths:
        if path.is_file():
            present.append(path)
        else:
            progress(path.name)
            problems.append(Problem(str(path), "file not found"))
    for path, (file_pieces, file_problems, file_notes) in _parsed_each(
        module, present, release=release, reference=reference, workers=workers
    ):
        progress(path.name)
        problems.extend(file_problems)
        notes.extend(file_notes)
        pieces.extend(file_pieces)
    frame, repeat_notes = without_identical_repeats(_assembled(pieces))
    return Inputs(frame=frame, problems=problems, notes=notes + repeat_notes)


# What reading one file gives: its rows (frames and coded rows, in order), problems and notes.
ParsedFile = tuple[list[pd.DataFrame | CodedRows], list[Problem], list[str]]


def _parse_compact(module: ModuleType, path: Path, *, release: str, reference: Reference) -> ParsedFile:
    parsed = module.parse(path, release=release, reference=reference)
    pieces: list[pd.DataFrame | CodedRows] = [_compact(f) for f in parsed.frames if len(f)]
    pieces.extend(c for c in parsed.coded if len(c))
    return pieces, list(parsed.problems), list(getattr(parsed, "notes", []))


def _assembled(pieces: Sequence[pd.DataFrame | CodedRows]) -> pd.DataFrame:
    """One compact frame of every piece, in order (runs of coded rows are decoded together, in one go)."""
    frames: list[pd.DataFrame] = []
    run: list[CodedRows] = []
    for piece in [*pieces, None]:
        if isinstance(piece, CodedRows):
            run.append(piece)
            continue
        if run:
            frames.append(_compact(coded_frame(run)))
            run = []
        if piece is not None:
            frames.append(piece)
    return concat_compact(frames)


def parse_workers(module: ModuleType, files: int) -> int:
    """How many processes read `files` files of `module`: one per usable core, for sources that allow it."""
    if not getattr(module, "PARALLEL_PARSE", False) or files < 2:
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), files))


def _parsed_each(
    module: ModuleType, paths: Sequence[Path], *, release: str, reference: Reference, workers: int | None
) -> Iterator[tuple[Path, ParsedFile]]:
    """(path, parse result) for each path, in the order given."""
    count = parse_workers(module, len(paths)) if workers is None else min(workers, len(paths))
    if count <= 1:
        for path in paths:
            yield path, _parse_compact(module, path, release=release, reference=reference)
        return
    # Forked workers inherit the reference tables already read here instead of each reading them again.
    _ = reference.overrides, reference.headings, reference.iso_names
    done = 0
    try:
        with _pool(count, reference) as pool:
            results = pool.map(
                _parse_in_worker,
                [module.INFO.cli_name] * len(paths),
                paths,
                [release] * len(paths),
            )
            for path, result in zip(paths, results, strict=True):
                yield path, result
                done += 1
    except BrokenProcessPool:
        # A worker died (a reader abort on a damaged file takes its whole process down). Read the rest one
        # file per process, so the damaged file is named and the good ones are still read.
        for path in paths[done:]:
            yield path, _parse_alone(module, path, release=release, reference=reference)


def _pool(count: int, reference: Reference) -> ProcessPoolExecutor:
    # fork: a worker starts in milliseconds with pandas and the reference already loaded (forkserver or spawn
    # would import pandas again, ~1.7 s per worker on this machine). Nothing has started DuckDB's threads yet.
    return ProcessPoolExecutor(
        max_workers=count,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(reference,),
    )


_worker_reference: Reference | None = None


def _start_worker(reference: Reference) -> None:
    global _worker_reference
    _worker_reference = reference


def _parse_in_worker(cli_name: str, path: Path, release: str) -> ParsedFile:
    assert _worker_reference is not None, "worker started without its reference"
    return _parse_compact(SOURCE_MODULES[cli_name], path, release=release, reference=_worker_reference)


def _parse_alone(module: ModuleType, path: Path, *, release: str, reference: Reference) -> ParsedFile:
    try:
        with _pool(1, reference) as pool:
            return pool.submit(_parse_in_worker, module.INFO.cli_name, path, release).result()
    except BrokenProcessPool:
        problem = Problem(
            path.name, "the reader crashed on this file (its process died); the file is damaged"
        )
        return [], [problem], []


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


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    # Codes repeat millions of times in a world build: categoricals keep the peak memory of a world
    # refresh down and make grouping, sorting and comparing them cheap (categories are in sorted order).
    wanted = {c: "category" for c in COMPACT_COLUMNS if not isinstance(frame[c].dtype, pd.CategoricalDtype)}
    return frame.astype(wanted) if wanted else frame


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
    return frame[keep].reset_index(drop=True), [note]


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


def canonical_with_origin(frame: pd.DataFrame) -> pd.DataFrame:
    columns = [*schema.TRADE_FLOW_COLUMNS, schema.ORIGIN]
    ordered = frame.loc[:, columns].astype(
        {c: "object" for c in CODE_COLUMNS} | {c: "str" for c in _TEXT_COLUMNS if c in _categorical(frame)}
    )
    return ordered.sort_values(list(schema.SORT_COLUMNS), kind="stable").reset_index(drop=True)


def _categorical(frame: pd.DataFrame) -> set[str]:
    return {c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)}


def raw_files(raw_dir: Path) -> dict[str, list[tuple[str, list[Path]]]]:
    """Files saved under `raw_dir/<source>/<release>/`, by source and release (oldest release first)."""
    found: dict[str, list[tuple[str, list[Path]]]] = {}
    for module in SOURCE_MODULES.values():
        for release_dir in raw.release_folders(raw_dir, module.INFO.source):
            files = sorted(
                {
                    p
                    for pattern in module.FILE_PATTERNS
                    for p in release_dir.glob(pattern)
                    if p.is_file() and not p.name.startswith(("~$", ".")) and p.name != raw.MANIFEST
                }
            )
            if files:
                found.setdefault(module.INFO.cli_name, []).append((release_dir.name, files))
    return found


def combine(base: pd.DataFrame, newer: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """`base` with every row whose key appears in `newer` replaced by the newer row; and how many were."""
    if newer.empty:
        return base, 0
    if base.empty:
        return newer, 0
    keys = list(schema.KEY_COLUMNS)
    base_keys = pd.MultiIndex.from_frame(base[keys].astype(str))
    newer_keys = pd.MultiIndex.from_frame(newer[keys].astype(str))
    superseded = base_keys.isin(newer_keys)
    merged = concat_compact([_compact(base[~superseded]), _compact(newer)])
    return merged, int(superseded.sum())


# Sources with a live service that `refresh` (without --offline) asks by default, and the environment variables
# each needs; a source whose variable is unset is skipped with a note (asked for explicitly, it fails with advice).
LIVE_SOURCES: dict[str, tuple[str, ...]] = {
    "imf-sdmx": (),
    "stat-az": (),
    "comtrade": ("COMTRADE_API_KEY",),
}


@dataclass
class Fetched:
    """What one source's online fetch gave: the release saved and its files, or why it was skipped."""

    source: str  # --source name
    release: str = ""
    files: list[Path] = field(default_factory=list)
    skipped: str = ""


@dataclass
class RefreshReport:
    publication: store.Publication
    rows_by_source: dict[str, int]
    notes: list[str]
    fetched: list[Fetched] = field(default_factory=list)
    releases: pd.DataFrame | None = None


def fetch_release_name(now: datetime | None = None) -> str:
    """The release name of an online fetch: the UTC date it was made (a second fetch that day replaces it)."""
    return (now or datetime.now(UTC)).strftime("%Y-%m-%d")


def live_sources(requested: Sequence[str], environ: Mapping[str, str]) -> tuple[list[str], list[Fetched]]:
    """The sources to fetch: those `requested` (all of them, even if unready: their fetch explains what is
    missing), or by default every live source whose environment is ready; plus the ones skipped and why."""
    if requested:
        return list(requested), []
    chosen, skipped = [], []
    for name, needs in LIVE_SOURCES.items():
        if name not in SOURCE_MODULES:
            continue
        missing = [variable for variable in needs if not environ.get(variable)]
        if missing:
            skipped.append(Fetched(source=name, skipped=f"{', '.join(missing)} not set"))
        else:
            chosen.append(name)
    return chosen, skipped


def fetch_sources(
    settings: Settings,
    names: Sequence[str],
    *,
    selection: Selection,
    environ: Mapping[str, str],
    release: str | None = None,
    transport: Any = None,
    policy: Any = None,
    progress: Callable[[str, str], None] | None = None,
) -> list[Fetched]:
    """Ask each live service and save its replies under data/raw/<source>/<release>/.

    Sources are fetched one after the other; the first failure raises its `FetchError` (the replies of that
    source are discarded, see `etl.raw.download`), so nothing is published from a half-fetched refresh.
    """
    done = []
    release = release or fetch_release_name()
    for name in names:
        module = SOURCE_MODULES[name]

        def step(label: str, source: str = name) -> None:
            if progress is not None:
                progress(source, label)

        files = module.fetch(
            raw_dir=settings.raw_dir,
            release=release,
            selection=selection,
            environ=environ,
            transport=transport,
            policy=policy,
            progress=step,
        )
        done.append(Fetched(source=name, release=release, files=list(files)))
    return done


def refresh(
    settings: Settings,
    *,
    inputs: Iterable[Path] = (),
    source: str = imf_dots_excel.INFO.cli_name,
    release: str | None = None,
    fetch: Sequence[str] = (),
    selection: Selection | None = None,
    environ: Mapping[str, str] | None = None,
    transport: Any = None,
    policy: Any = None,
    progress: Progress = _no_progress,
    fetch_progress: Callable[[str, str], None] | None = None,
) -> RefreshReport:
    """Fetch the live sources named in `fetch`, then publish a new store version from the snapshot,
    `data/raw/` and `inputs`.

    Rows parsed from raw files supersede snapshot rows with the same key (a later release of a source
    superseding an earlier one), and `inputs` supersede both; once everything validates, `inputs` are saved
    under `data/raw/<source>/<release>/` for later refreshes. Raises `FetchError` if a service fails, or
    `DataProblems` listing every problem if any input fails to parse or validate; either way nothing is
    published and the previous store stays current.
    """
    fetched = fetch_sources(
        settings,
        fetch,
        selection=selection or Selection(),
        environ=environ or {},
        transport=transport,
        policy=policy,
        progress=fetch_progress,
    )
    release = release or str(getattr(SOURCE_MODULES[source], "DEFAULT_RELEASE", fetch_release_name()))
    reference = Reference(settings.reference_dir)
    notes: list[str] = []
    given = [Path(p) for p in inputs]
    given_names = {p.name for p in given}
    frame, manifest = read_snapshot(settings.snapshot_dir)
    # What each (source, release) was read from, recorded in the `releases` table.
    read_from: dict[tuple[str, str], list[str]] = {}
    if manifest:
        notes.append(
            f"snapshot: {len(frame):,} rows, {manifest.get('title')} release {manifest.get('release')}"
        )
        key = (str(manifest.get("source")), str(manifest.get("release")))
        read_from.setdefault(key, []).append(f"data/snapshot/{SNAPSHOT_FILE}")
    batches: list[tuple[str, str, list[Path], str]] = []
    for cli_name, releases in raw_files(settings.raw_dir).items():
        for raw_release, files in releases:
            # A file given again under the same release replaces its earlier copy.
            if cli_name == source and raw_release == release:
                files = [f for f in files if f.name not in given_names]
            if files:
                label = f"data/raw/{SOURCE_MODULES[cli_name].INFO.source}/{raw_release}"
                batches.append((cli_name, raw_release, files, label))
    if given:
        batches.append((source, release, given, f"--input ({source}, release {release})"))
    problems: list[Problem] = []
    parts = int(not frame.empty)  # frames combined so far; repeats across parts are removed below
    for cli_name, batch_release, files, label in batches:
        parsed = parse_files(
            files, source=cli_name, release=batch_release, reference=reference, progress=progress
        )
        problems.extend(parsed.problems)
        notes.extend(parsed.notes)
        frame, superseded = combine(frame, parsed.frame)
        parts += int(not parsed.frame.empty)
        key = (SOURCE_MODULES[cli_name].INFO.source, batch_release)
        read_from.setdefault(key, []).append(f"{label}: {len(files)} file(s)")
        notes.append(
            f"{label}: {len(files)} file(s), {len(parsed.frame):,} rows ({superseded:,} earlier rows superseded)"
        )
    if parts > 1:  # one part had its repeats removed when it was parsed (or is the snapshot as published)
        frame, repeat_notes = without_identical_repeats(frame)
        notes.extend(repeat_notes)
    for module in SOURCE_MODULES.values():
        # Source-specific warnings that are not errors (e.g. a customs cumulative smaller than an earlier one).
        warnings = getattr(module, "cumulative_warnings", None)
        if warnings is not None:
            notes.extend(warnings(frame[frame[schema.SOURCE] == module.INFO.source]))
    tables = build_tables(
        frame,
        reference=reference,
        previous=store.read_published(settings.store_dir, schema.TRADE_FLOWS),
        read_from={key: "; ".join(places) for key, places in read_from.items()},
        previous_releases=store.read_published(settings.store_dir, schema.RELEASES),
    )
    problems.extend(problems_in(frame, areas=tables.areas))
    if problems:
        raise DataProblems(problems)
    if given:
        # Saved only once they are known to be good, so a bad file never blocks the next refresh.
        info = SOURCE_MODULES[source].INFO
        raw.save_inputs(
            given,
            raw_dir=settings.raw_dir,
            source=info.source,
            release=release,
            info={"licence": info.licence, "url": info.url, "title": info.title},
        )
    publication = store.publish(tables, store_dir=settings.store_dir)
    counts = frame.groupby(schema.SOURCE, observed=True).size()
    rows_by_source = {str(source): int(rows) for source, rows in counts.items()}
    return RefreshReport(
        publication=publication,
        rows_by_source=rows_by_source,
        notes=notes,
        fetched=fetched,
        releases=tables.releases,
    )


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
